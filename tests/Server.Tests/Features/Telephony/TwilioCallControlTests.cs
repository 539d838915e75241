using System.Xml.Linq;
using EstateVoice.Server.Features.Telephony;
using EstateVoice.Server.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Tests.Features.Telephony;

public sealed class TwilioCallControlTests : IAsyncLifetime
{
    private FakeTwilioRestServer _twilio = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _twilio = await FakeTwilioRestServer.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _twilio.DisposeAsync();
    }

    [Fact]
    public async Task Transfer_redirects_the_live_call_to_a_dial_of_the_number()
    {
        await Control().TransferAsync("CA123", "+14155550199", CancellationToken.None);

        var request = Assert.Single(_twilio.Requests);
        Assert.Equal($"/2010-04-01/Accounts/{FakeTwilioRestServer.AccountSid}/Calls/CA123.json", request.Path);
        Assert.StartsWith("Basic ", request.Authorization);
        var dial = XDocument.Parse(request["Twiml"]!).Root!.Element("Dial")!;
        Assert.Equal("+14155550199", dial.Value.Trim());
    }

    [Fact]
    public async Task Hang_up_completes_the_call()
    {
        await Control().HangUpAsync("CA124", CancellationToken.None);

        Assert.Equal("completed", Assert.Single(_twilio.Requests)["Status"]);
    }

    [Fact]
    public async Task A_twilio_error_surfaces_with_its_code()
    {
        _twilio.Failure = (404, 20404, "The requested resource was not found");

        var error = await Assert.ThrowsAsync<TwilioApiException>(() => Control().TransferAsync("CA404", "+14155550199", CancellationToken.None));

        Assert.Equal(20404, error.Code);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.Status);
    }

    private TwilioCallControl Control()
    {
        var options = Options.Create(new TwilioOptions
        {
            AccountSid = FakeTwilioRestServer.AccountSid, AuthToken = FakeTwilioRestServer.AuthToken, PhoneNumber = "+15125550123", ApiUrl = _twilio.BaseUrl,
        });
        return new TwilioCallControl(new TwilioRestClient(_http, options), options, NullLogger<TwilioCallControl>.Instance);
    }
}
