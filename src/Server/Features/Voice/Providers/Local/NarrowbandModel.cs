namespace EstateVoice.Server.Features.Voice.Providers.Local;

/// <summary>
/// pocketsphinx applies the model's <c>feat.params</c> over the command line, and en-us's says <c>-upperf 6800</c>,
/// which 8 kHz audio cannot have (Nyquist is 4 kHz). A copy of the model directory (symlinks) with the filterbank's
/// upper edge lowered lets the decoder run on 8 kHz audio directly.
/// </summary>
internal static class NarrowbandModel
{
    private static readonly object Gate = new();

    public static string Prepare(string acousticModel)
    {
        var target = Path.Combine(Path.GetTempPath(), "estate-voice-pocketsphinx-8k-" + (uint)acousticModel.GetHashCode(StringComparison.Ordinal));
        lock (Gate)
        {
            if (File.Exists(Path.Combine(target, "feat.params"))) return target;
            Directory.CreateDirectory(target);
            foreach (var file in Directory.GetFiles(acousticModel))
            {
                var link = Path.Combine(target, Path.GetFileName(file));
                if (Path.GetFileName(file) == "feat.params" || File.Exists(link)) continue;
                File.CreateSymbolicLink(link, file);
            }
            var featParams = File.ReadAllLines(Path.Combine(acousticModel, "feat.params"))
                .Select(line => line.StartsWith("-upperf ", StringComparison.Ordinal) ? "-upperf 3500" : line);
            var temp = Path.Combine(target, "feat.params.tmp");
            File.WriteAllLines(temp, featParams);
            File.Move(temp, Path.Combine(target, "feat.params"), overwrite: true);
            return target;
        }
    }
}
