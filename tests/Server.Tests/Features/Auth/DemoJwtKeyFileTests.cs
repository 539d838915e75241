using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Infrastructure.Configuration;
using Microsoft.Extensions.Configuration;

namespace EstateVoice.Server.Tests.Features.Auth;

/// <summary>The demo-mode JWT key signs every token: its file is readable by its owner only (Unix; the server runs on Linux).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DemoJwtKeyFileTests : IDisposable
{
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("estate-jwt-").FullName;
    private string KeyFile => Path.Combine(dataDirectory, "jwt-secret.key");

    [Fact]
    public void The_generated_key_file_is_created_owner_read_write_only_and_reused()
    {
        var first = DemoOptionsKey();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
        Assert.Equal(first, DemoOptionsKey());
    }

    [Fact]
    public void A_key_file_left_readable_by_others_is_narrowed_to_its_owner()
    {
        var key = new string('k', 48);
        File.WriteAllText(KeyFile, key);
        File.SetUnixFileMode(KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        Assert.Equal(key, DemoOptionsKey());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
    }

    private string DemoOptionsKey() =>
        AuthOptions.From(new ConfigurationBuilder().Build(), new DemoOptions { Enabled = true, DataDirectory = dataDirectory }).SecretKey;

    public void Dispose() => Directory.Delete(dataDirectory, recursive: true);
}
