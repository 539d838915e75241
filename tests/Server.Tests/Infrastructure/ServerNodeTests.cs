using System.Net;

namespace EstateVoice.Server.Tests.Infrastructure;

/// <summary>The real-process harness itself: a node starts, serves, and stops on SIGTERM like a deployed one.</summary>
public class ServerNodeTests
{
    [Fact]
    public async Task A_node_serves_health_and_exits_0_on_SIGTERM()
    {
        await using var node = await ServerNode.StartAsync(new Dictionary<string, string>());
        using var http = new HttpClient { BaseAddress = node.BaseUrl };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);

        await node.TerminateAsync();
        Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Kill_ends_the_process_at_once()
    {
        await using var node = await ServerNode.StartAsync(new Dictionary<string, string>());
        node.Kill();
        Assert.Equal(137, await node.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }
}
