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
        var request = Upgrade(TwilioTestClient.Sign(Token, signedUrl, []));

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
    public void The_signed_url_is_the_configured_base_plus_the_route_whatever_the_request_says_its_host_is()
    {
        var validator = Validator(Token, demo: false);
        var context = new DefaultHttpContext();
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("attacker.example");
        context.Request.Path = "/twilio/webhook";
        context.Request.QueryString = new QueryString("?a=1");
        KeyValuePair<string, string>[] form = [new("CallSid", "CA1")];

        context.Request.Headers[TwilioRequestValidator.SignatureHeader] = TwilioTestClient.Sign(Token, "https://attacker.example/twilio/webhook?a=1", form);
        Assert.Equal(TwilioSignatureResult.Invalid, validator.Check(context.Request, form));
        context.Request.Headers[TwilioRequestValidator.SignatureHeader] = TwilioTestClient.Sign(Token, "https://voice.example.com/twilio/webhook?a=1", form);
        Assert.Equal(TwilioSignatureResult.Valid, validator.Check(context.Request, form));
    }

    private static TwilioRequestValidator Validator(string? token, bool demo)
    {
        var options = Options.Create(new TwilioOptions { AuthToken = token, PublicBaseUrl = "https://voice.example.com" });
        return new(options, new DemoOptions { Enabled = demo }, new TwilioPublicUrls(options, TwilioPublicUrlsTests.ServerListeningOn()));
    }

    private static HttpRequest Upgrade(string? signature)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1", 8000); // behind a proxy: the public URL comes from PUBLIC_BASE_URL
        context.Request.Path = TwilioPublicUrls.MediaStreamPath;
        if (signature is not null) context.Request.Headers[TwilioRequestValidator.SignatureHeader] = signature;
        return context.Request;
    }
}
