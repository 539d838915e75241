using EstateVoice.Server.Features.Telephony;
using EstateVoice.Server.Infrastructure.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Tests.Features.Telephony;

public sealed class TwilioRequestValidatorTests
{
    private const string Token = "stream-test-token";

    [Theory]
    [InlineData("wss://voice.example.com/twilio/media-stream")]
    [InlineData("https://voice.example.com/twilio/media-stream")]
    public void The_media_stream_upgrade_is_accepted_when_signed_for_the_stream_url(string signedUrl)
    {
        var validator = Validator(Token, demo: false);
        var request = Upgrade(TwilioSignature.Compute(Token, signedUrl, []));

        Assert.Equal("wss://voice.example.com/twilio/media-stream", validator.StreamUrl(request));
        Assert.Equal(TwilioSignatureResult.Valid, validator.CheckStreamUpgrade(request));
    }

    [Fact]
    public void A_forged_or_missing_upgrade_signature_is_invalid_and_no_token_means_open_only_in_demo_mode()
    {
        Assert.Equal(TwilioSignatureResult.Invalid, Validator(Token, false).CheckStreamUpgrade(Upgrade("forged")));
        Assert.Equal(TwilioSignatureResult.Invalid, Validator(Token, false).CheckStreamUpgrade(Upgrade(null)));
        Assert.Equal(TwilioSignatureResult.ChecksOff, Validator(null, demo: true).CheckStreamUpgrade(Upgrade(null)));
        Assert.Equal(TwilioSignatureResult.Invalid, Validator(null, demo: false).CheckStreamUpgrade(Upgrade(null)));
    }

    [Fact]
    public void Without_PUBLIC_BASE_URL_the_requests_own_host_is_used()
    {
        var validator = new TwilioRequestValidator(Options.Create(new TwilioOptions { AuthToken = Token }), new DemoOptions());
        var context = new DefaultHttpContext();
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("calls.example.org", 8443);
        context.Request.Path = "/twilio/webhook";
        context.Request.QueryString = new QueryString("?a=1");

        Assert.Equal("https://calls.example.org:8443/twilio/webhook?a=1", validator.PublicUrl(context.Request));
        Assert.Equal("wss://calls.example.org:8443/twilio/media-stream", validator.StreamUrl(context.Request));
    }

    private static TwilioRequestValidator Validator(string? token, bool demo) =>
        new(Options.Create(new TwilioOptions { AuthToken = token, PublicBaseUrl = "https://voice.example.com" }), new DemoOptions { Enabled = demo });

    private static HttpRequest Upgrade(string? signature)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1", 8000); // behind a proxy: the public URL comes from PUBLIC_BASE_URL
        context.Request.Path = TwilioRequestValidator.MediaStreamPath;
        if (signature is not null) context.Request.Headers[TwilioSignature.Header] = signature;
        return context.Request;
    }
}
