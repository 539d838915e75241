using System.Runtime.InteropServices;

namespace EstateVoice.Server.Features.Voice.Providers.Local;

/// <summary>
/// The parts of Debian's pocketsphinx 0.8+5prealpha C API we use (<c>libpocketsphinx.so.3</c> + <c>libsphinxbase.so.3</c>).
/// Configuration goes through <c>cmd_ln_parse_r</c> (argc/argv) rather than the variadic <c>cmd_ln_init</c>,
/// which P/Invoke cannot call portably.
/// </summary>
internal static partial class PocketsphinxNative
{
    private const string Pocketsphinx = "libpocketsphinx.so.3";
    private const string Sphinxbase = "libsphinxbase.so.3";

    [DllImport(Pocketsphinx)] public static extern IntPtr ps_args();

    [DllImport(Sphinxbase, CharSet = CharSet.Ansi, BestFitMapping = false)]
    public static extern IntPtr cmd_ln_parse_r(IntPtr inoutCmdln, IntPtr definitions, int argc, string[] argv, int strict);

    [DllImport(Sphinxbase)] public static extern int cmd_ln_free_r(IntPtr cmdln);

    [DllImport(Pocketsphinx)] public static extern IntPtr ps_init(IntPtr config);

    [DllImport(Pocketsphinx)] public static extern int ps_free(IntPtr decoder);

    [DllImport(Pocketsphinx, CharSet = CharSet.Ansi, BestFitMapping = false)]
    public static extern int ps_set_jsgf_string(IntPtr decoder, string name, string jsgf);

    [DllImport(Pocketsphinx, CharSet = CharSet.Ansi, BestFitMapping = false)]
    public static extern int ps_set_lm_file(IntPtr decoder, string name, string path);

    [DllImport(Pocketsphinx, CharSet = CharSet.Ansi, BestFitMapping = false)]
    public static extern int ps_set_search(IntPtr decoder, string name);

    [DllImport(Pocketsphinx, CharSet = CharSet.Ansi, BestFitMapping = false)]
    public static extern int ps_add_word(IntPtr decoder, string word, string phones, int update);

    [DllImport(Pocketsphinx)] public static extern int ps_start_utt(IntPtr decoder);

    [DllImport(Pocketsphinx)]
    public static extern int ps_process_raw(IntPtr decoder, short[] data, nuint samples, int noSearch, int fullUtterance);

    [DllImport(Pocketsphinx)] public static extern int ps_end_utt(IntPtr decoder);

    [DllImport(Pocketsphinx)] public static extern IntPtr ps_get_hyp(IntPtr decoder, out int bestScore);

    /// <summary>True when libpocketsphinx and libsphinxbase can be loaded on this machine.</summary>
    public static bool IsAvailable()
    {
        try
        {
            return NativeLibrary.TryLoad(Pocketsphinx, out _) && NativeLibrary.TryLoad(Sphinxbase, out _) && ps_args() != IntPtr.Zero;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    }
}
