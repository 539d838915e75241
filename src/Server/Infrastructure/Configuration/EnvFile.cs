namespace EstateVoice.Server.Infrastructure.Configuration;

public static class EnvFile
{
    /// <summary>Loads <c>.env</c> from the working directory; variables already in the environment win.</summary>
    public static void Load()
    {
        var path = Path.Combine(Directory.GetCurrentDirectory(), ".env");
        if (File.Exists(path)) DotNetEnv.Env.NoClobber().Load(path);
    }
}
