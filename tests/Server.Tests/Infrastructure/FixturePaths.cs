namespace EstateVoice.Server.Tests.Infrastructure;

/// <summary>The shared caller-audio fixtures (../shared/fixtures/audio beside the repository).</summary>
public static class FixturePaths
{
    public static string AudioDirectory { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "fixtures", "audio"), Path.Combine(dir.FullName, "..", "shared", "fixtures", "audio") })
                if (File.Exists(Path.Combine(candidate, "transcripts.tsv"))) return Path.GetFullPath(candidate);
        }
        throw new DirectoryNotFoundException("shared/fixtures/audio not found beside the repository (CI clones it next to shared/).");
    }
}
