namespace EstateVoice.Server.Tests.Infrastructure;

/// <summary>
/// The caller-audio fixtures, kept in the repository (tests/fixtures/audio, a copy of the shared fixtures) so a
/// fresh clone tests on a machine that has nothing beside it.
/// </summary>
public static class FixturePaths
{
    public static string AudioDirectory { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "audio");
            if (File.Exists(Path.Combine(candidate, "transcripts.tsv"))) return candidate;
        }
        throw new DirectoryNotFoundException("tests/fixtures/audio not found above " + AppContext.BaseDirectory);
    }
}
