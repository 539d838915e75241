using static EstateVoice.Server.Tests.Authorization.MatrixContext;

namespace EstateVoice.Server.Tests.Authorization;

public static class AuthRows
{
    public static IEnumerable<MatrixRow> All =>
    [
        new("GET", "/auth/me", _ => Task.FromResult(Get("/auth/me")), Expect.Everyone(200)),
    ];
}
