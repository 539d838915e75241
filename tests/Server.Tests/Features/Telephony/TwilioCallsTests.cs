using System.Xml.Linq;
using EstateVoice.Server.Features.Telephony;
using EstateVoice.Server.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Twilio.Exceptions;

namespace EstateVoice.Server.Tests.Features.Telephony;

/// <summary><see cref="TwilioCalls"/>: the SDK's Call resource, sent through our HttpClient to the fake Twilio REST server.</summary>
public sealed class TwilioCallsTests : IAsyncLifetime
{
    private FakeTwilioRestServer _twilio = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _twilio = await FakeTwilioRestServer.StartAsync();
        var services = new ServiceCollection();
        services.AddSingleton(Options.Create(new TwilioOptions
        {
            AccountSid = FakeTwilioRestServer.AccountSid, AuthToken = FakeTwilioRestServer.AuthToken, PhoneNumber = "+15125550123",
            ApiUrl = _twilio.BaseUrl, RestTimeout = TimeSpan.FromSeconds(5),
        }));
        services.AddTransient<TwilioHttpHandler>();
        services.AddHttpClient(TwilioCalls.HttpClientName).AddHttpMessageHandler<TwilioHttpHandler>();
        services.AddSingleton<TwilioCalls>();
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    [Fact]
    public async Task A_redirect_posts_the_twiml_to_the_call_with_basic_auth_at_TWILIO_API_URL()
    {
        var call = await Calls().RedirectAsync("CA123", TwiML.Say("hello & goodbye"), CancellationToken.None);

        Assert.Equal("CA123", call.Sid);
        var request = Assert.Single(_twilio.Requests);
        Assert.Equal($"/2010-04-01/Accounts/{FakeTwilioRestServer.AccountSid}/Calls/CA123.json", request.Path);
        Assert.StartsWith("Basic ", request.Authorization);
        Assert.Equal("hello & goodbye", XDocument.Parse(request["Twiml"]!).Root!.Element("Say")!.Value);
    }

    [Fact]
    public async Task A_twilio_error_surfaces_as_the_sdks_ApiException_with_its_code()
    {
        _twilio.Failure = (404, 20404, "The requested resource was not found");

        var error = await Assert.ThrowsAsync<ApiException>(() => Calls().RedirectAsync("CA404", TwiML.HangUp(), CancellationToken.None));

        Assert.Equal((20404, 404), (error.Code, error.Status));
        Assert.Contains("20404", TwilioCalls.Describe(error));
    }

    [Fact]
    public async Task A_cancelled_caller_gets_OperationCanceledException_not_a_twilio_error()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Calls().RedirectAsync("CA1", TwiML.HangUp(), cancelled.Token));
        Assert.Empty(_twilio.Requests);
    }

    private TwilioCalls Calls() => _services.GetRequiredService<TwilioCalls>();
}
