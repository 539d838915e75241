using EstateVoice.Server.Features.Telephony;

namespace EstateVoice.Server.Tests.Features.Telephony;

public sealed class TwilioSignatureTests
{
    private const string Token = "12345";
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";

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
        Assert.Equal(expected, TwilioSignature.Compute(Token, Url, Params(caller)));
        Assert.True(TwilioSignature.IsValid(Token, Url, Params(caller).Reverse(), expected)); // order of arrival does not matter
    }

    [Fact]
    public void Rejects_a_changed_parameter_url_token_or_signature()
    {
        const string good = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
        var tampered = Params("+14158675309").Select(p => p.Key == "Digits" ? new KeyValuePair<string, string>("Digits", "9999") : p);

        Assert.False(TwilioSignature.IsValid(Token, Url, tampered, good));
        Assert.False(TwilioSignature.IsValid(Token, Url + "&baz=3", Params("+14158675309"), good));
        Assert.False(TwilioSignature.IsValid("54321", Url, Params("+14158675309"), good));
        Assert.False(TwilioSignature.IsValid(Token, Url, Params("+14158675309"), "RSOYDt4T1cUTdK1PDd93/VVr8B8"));
        Assert.False(TwilioSignature.IsValid(Token, Url, Params("+14158675309"), ""));
        Assert.False(TwilioSignature.IsValid(Token, Url, Params("+14158675309"), null));
        Assert.False(TwilioSignature.IsValid("", Url, Params("+14158675309"), good));
    }

    [Fact]
    public void Accepts_the_url_with_the_default_port_added_or_removed_like_twilios_sdk()
    {
        const string good = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
        Assert.True(TwilioSignature.IsValid(Token, "https://mycompany.com:443/myapp.php?foo=1&bar=2", Params("+14158675309"), good));

        var signedWithPort = TwilioSignature.Compute(Token, "https://mycompany.com:443/myapp.php?foo=1&bar=2", Params("+14158675309"));
        Assert.True(TwilioSignature.IsValid(Token, Url, Params("+14158675309"), signedWithPort));
        Assert.False(TwilioSignature.IsValid(Token, "https://mycompany.com:8443/myapp.php?foo=1&bar=2", Params("+14158675309"), good));
    }

    [Fact]
    public void Stream_tokens_are_stored_as_their_hash_and_match_only_themselves()
    {
        var (token, hash) = StreamToken.Create();
        var (other, _) = StreamToken.Create();

        Assert.Equal(64, hash.Length);
        Assert.DoesNotContain(token, hash);
        Assert.True(StreamToken.Matches(token, hash));
        Assert.False(StreamToken.Matches(other, hash));
        Assert.False(StreamToken.Matches(null, hash));
        Assert.False(StreamToken.Matches(token, null));
    }
}
