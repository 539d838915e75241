using EstateVoice.Server.Features.Telephony;
using EstateVoice.Server.Features.Voice;

namespace EstateVoice.Server.Tests.Features.Telephony;

/// <summary>Our use of the SDK's <c>RequestValidator</c> (<see cref="TwilioRequestValidator.IsValid"/>), and where it differs from the hand-written check it replaced.</summary>
public sealed class TwilioSignatureTests
{
    private const string Token = "12345";
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private const string Good = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

    private static KeyValuePair<string, string>[] Params(string caller) =>
    [
        new("CallSid", "CA1234567890ABCDE"), new("Caller", caller), new("Digits", "1234"), new("From", caller), new("To", "+18005551212"),
    ];

    // Published vectors: twilio-csharp's RequestValidatorTest, and the example on Twilio's "Secure webhooks" page.
    [Theory]
    [InlineData("+14158675309", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")]
    [InlineData("+12349013030", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")]
    public void Matches_Twilios_published_examples(string caller, string expected)
    {
        Assert.Equal(expected, TwilioTestClient.Sign(Token, Url, Params(caller))); // the tests' stand-in for Twilio signs like Twilio
        Assert.True(TwilioRequestValidator.IsValid(Token, Url, Params(caller).Reverse(), expected)); // order of arrival does not matter
    }

    [Fact]
    public void Rejects_a_changed_parameter_url_token_or_signature_and_a_missing_signature_without_throwing()
    {
        var tampered = Params("+14158675309").Select(p => p.Key == "Digits" ? new KeyValuePair<string, string>("Digits", "9999") : p);

        Assert.False(TwilioRequestValidator.IsValid(Token, Url, tampered, Good));
        Assert.False(TwilioRequestValidator.IsValid(Token, Url + "&baz=3", Params("+14158675309"), Good));
        Assert.False(TwilioRequestValidator.IsValid("54321", Url, Params("+14158675309"), Good));
        Assert.False(TwilioRequestValidator.IsValid(Token, Url, Params("+14158675309"), "RSOYDt4T1cUTdK1PDd93/VVr8B8"));
        // The SDK throws ArgumentException on these; a request without a signature is simply not Twilio's.
        Assert.False(TwilioRequestValidator.IsValid(Token, Url, Params("+14158675309"), ""));
        Assert.False(TwilioRequestValidator.IsValid(Token, Url, Params("+14158675309"), null));
        Assert.False(TwilioRequestValidator.IsValid("", Url, Params("+14158675309"), Good));
    }

    [Fact]
    public void Accepts_a_signature_over_the_url_with_the_default_port_added()
    {
        var signedWithPort = TwilioTestClient.Sign(Token, "https://mycompany.com:443/myapp.php?foo=1&bar=2", Params("+14158675309"));
        Assert.True(TwilioRequestValidator.IsValid(Token, Url, Params("+14158675309"), signedWithPort));
    }

    [Fact]
    public void Sdk_difference_an_explicit_default_port_is_not_removed_so_public_urls_never_carry_one()
    {
        // The hand-written check also accepted the other way round (URL with :443, signed without). The SDK does not:
        // Uri reports no port component for an explicit default port, so its second try adds :443 again.
        Assert.False(TwilioRequestValidator.IsValid(Token, "https://mycompany.com:443/myapp.php?foo=1&bar=2", Params("+14158675309"), Good));
        // Harmless here: PUBLIC_BASE_URL is normalised, and ":443" never reaches the URL we check.
        Assert.Equal("https://voice.example.com", TwilioPublicUrls.Normalise("https://voice.example.com:443/"));
    }

    [Fact]
    public void Sdk_difference_a_non_default_port_is_also_tried_without_it()
    {
        // The hand-written check toggled only the scheme's default port. The SDK drops any explicit port for its
        // second try, so with PUBLIC_BASE_URL on :8443 a signature Twilio made for the same path on :443 passes too.
        // Same host and auth token, so it only matters when two of our servers share a host and a Twilio account.
        Assert.True(TwilioRequestValidator.IsValid(Token, "https://mycompany.com:8443/myapp.php?foo=1&bar=2", Params("+14158675309"), Good));
        Assert.False(TwilioRequestValidator.IsValid(Token, "https://mycompany.com:8443/other.php?foo=1&bar=2", Params("+14158675309"), Good));
    }

    [Fact]
    public void A_field_sent_twice_is_checked_as_twilio_signs_it_though_the_sdk_takes_a_dictionary()
    {
        KeyValuePair<string, string>[] form = [new("CallSid", "CA1"), new("StatusCallbackEvent", "ringing"), new("StatusCallbackEvent", "answered")];
        var signature = TwilioTestClient.Sign(Token, Url, form);

        Assert.True(TwilioRequestValidator.IsValid(Token, Url, form, signature));
        Assert.True(TwilioRequestValidator.IsValid(Token, Url, form.Reverse(), signature));
        Assert.False(TwilioRequestValidator.IsValid(Token, Url, form[..2], signature));
    }

    [Fact]
    public void An_unparseable_url_is_invalid_not_an_exception()
    {
        Assert.False(TwilioRequestValidator.IsValid(Token, "not a url", Params("+14158675309"), Good));
    }

    [Fact]
    public void Stream_tokens_are_stored_as_their_hash_and_match_only_themselves()
    {
        var (token, hash) = StreamTokens.CreateWithHash();
        var (other, _) = StreamTokens.CreateWithHash();

        Assert.Equal(64, hash.Length);
        Assert.DoesNotContain(token, hash);
        Assert.True(StreamTokens.Matches(token, hash));
        Assert.False(StreamTokens.Matches(other, hash));
        Assert.False(StreamTokens.Matches(null, hash));
        Assert.False(StreamTokens.Matches(token, null));
    }
}
