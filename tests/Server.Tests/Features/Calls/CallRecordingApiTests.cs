using System.Net;
using System.Net.Http.Headers;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Storage;
using EstateVoice.Server.Tests.Features.Webhooks.ElevenLabs;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EstateVoice.Server.Tests.Features.Calls;

public class CallRecordingApiTests : IAsyncLifetime
{
    private readonly byte[] audio = Payloads.Mp3(64_000, seed: 9);
    private AppFactory app = null!;

    public async Task InitializeAsync() => app = await AppFactory.CreateAsync(Db.Sqlite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Streams_the_whole_recording_and_byte_ranges()
    {
        var callId = await CreateCallWithRecordingAsync();
        var manager = await app.ClientForRoleAsync(UserRole.Manager);

        var whole = await manager.GetAsync($"/calls/{callId}/recording");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("audio/mpeg", whole.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bytes", whole.Headers.AcceptRanges.Single());
        Assert.Equal(audio, await whole.Content.ReadAsByteArrayAsync());

        var request = new HttpRequestMessage(HttpMethod.Get, $"/calls/{callId}/recording");
        request.Headers.Range = new RangeHeaderValue(60_000, null);
        var tail = await manager.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
        Assert.Equal($"bytes 60000-63999/64000", tail.Content.Headers.ContentRange?.ToString());
        Assert.Equal(audio[60_000..], await tail.Content.ReadAsByteArrayAsync());

        var outside = new HttpRequestMessage(HttpMethod.Get, $"/calls/{callId}/recording");
        outside.Headers.Range = new RangeHeaderValue(70_000, 80_000);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await manager.SendAsync(outside)).StatusCode);
    }

    [Fact]
    public async Task Agents_hear_only_their_own_calls_and_others_get_404()
    {
        var owner = await app.CreateUserAsync(UserRole.Agent);
        var handler = await app.CreateUserAsync(UserRole.Agent);
        var stranger = await app.CreateUserAsync(UserRole.Agent);
        var leadId = await app.WithDbAsync(async d =>
        {
            var lead = new Lead { Name = "Jane", Phone = "+14155550123", AssignedAgentId = owner.Id, CreatedAt = app.Time.GetUtcNow(), UpdatedAt = app.Time.GetUtcNow() };
            d.Leads.Add(lead);
            await d.SaveChangesAsync();
            return lead.Id;
        });
        var onLead = await CreateCallWithRecordingAsync(leadId: leadId);
        var handled = await CreateCallWithRecordingAsync(agentId: handler.Id);

        Assert.Equal(HttpStatusCode.OK, (await (await app.ClientForAsync(owner)).GetAsync($"/calls/{onLead}/recording")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await app.ClientForAsync(handler)).GetAsync($"/calls/{handled}/recording")).StatusCode);
        var strangerClient = await app.ClientForAsync(stranger);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerClient.GetAsync($"/calls/{onLead}/recording")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerClient.GetAsync($"/calls/{handled}/recording")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync($"/calls/{handled}/recording")).StatusCode);
    }

    [Fact]
    public async Task An_audio_element_can_authenticate_with_access_token_in_the_query()
    {
        var callId = await CreateCallWithRecordingAsync();
        var admin = await app.ClientForRoleAsync(UserRole.Admin);
        var token = admin.DefaultRequestHeaders.Authorization!.Parameter;

        var response = await app.CreateClient().GetAsync($"/calls/{callId}/recording?access_token={token}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(audio.Length, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task Calls_without_a_recording_or_with_a_lost_blob_answer_404()
    {
        var admin = await app.ClientForRoleAsync(UserRole.Admin);
        var noRecording = await CreateCallWithRecordingAsync(upload: false, blobName: null);
        var lostBlob = await CreateCallWithRecordingAsync(upload: false);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/calls/{noRecording}/recording")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/calls/{lostBlob}/recording")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/calls/987654/recording")).StatusCode);
    }

    private async Task<int> CreateCallWithRecordingAsync(int? leadId = null, int? agentId = null, bool upload = true, string? blobName = "default")
    {
        var name = blobName is null ? null : $"elevenlabs/2026-11-25/CA{Guid.NewGuid():N}_1764082800.mp3";
        if (upload && name is not null)
            await app.Services.GetRequiredService<IBlobStore>().UploadAsync(name, new MemoryStream(audio), "audio/mpeg", new Dictionary<string, string>(), default);
        return await app.WithDbAsync(async d =>
        {
            var now = app.Time.GetUtcNow();
            var call = new Call { CallSid = "CA" + Guid.NewGuid().ToString("N"), StartedAt = now, CreatedAt = now, UpdatedAt = now, LeadId = leadId, AgentId = agentId, RecordingBlobName = name };
            d.Calls.Add(call);
            await d.SaveChangesAsync();
            return call.Id;
        });
    }
}
