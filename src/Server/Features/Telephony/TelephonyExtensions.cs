using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Telephony;

public static class TelephonyExtensions
{
    /// <summary>Twilio options (TWILIO_*, PUBLIC_BASE_URL), public URLs and host filtering, signature checks, the REST client and call control.</summary>
    public static IServiceCollection AddTelephony(this IServiceCollection services)
    {
        services.AddOptions<TwilioOptions>()
            .BindConfiguration("Twilio")
            .Configure<IConfiguration>((o, config) =>
            {
                o.AccountSid = NonEmpty(config["TWILIO_ACCOUNT_SID"]) ?? o.AccountSid;
                o.AuthToken = NonEmpty(config["TWILIO_AUTH_TOKEN"]) ?? o.AuthToken;
                o.PhoneNumber = NonEmpty(config["TWILIO_PHONE_NUMBER"]) ?? o.PhoneNumber;
                o.ApiUrl = NonEmpty(config["TWILIO_API_URL"]) ?? o.ApiUrl;
                o.PublicBaseUrl = NonEmpty(config["PUBLIC_BASE_URL"]) ?? o.PublicBaseUrl;
            })
            .Validate(o => Uri.TryCreate(o.ApiUrl, UriKind.Absolute, out _), "TWILIO_API_URL must be an absolute URL")
            .Validate(o => o.PublicBaseUrl is null || IsHttpsBase(o.PublicBaseUrl),
                "PUBLIC_BASE_URL must be an absolute https URL with no query (https://host[:port][/prefix]), e.g. https://voice.example.com.")
            .Validate(o => o.PublicBaseUrl is not null || !o.HasCredentials,
                "PUBLIC_BASE_URL is required when TWILIO_ACCOUNT_SID or TWILIO_AUTH_TOKEN is set: it is the https URL Twilio fetches "
                + "TwiML from, posts status to and opens the media stream on, and signatures are checked against it. "
                + "Callback URLs are never taken from request headers.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TwilioPublicUrls>();
        services.AddSingleton<TwilioRequestValidator>();
        services.AddOptions<HostFilteringOptions>().Configure<IOptions<TwilioOptions>, IConfiguration>((filtering, twilio, config) =>
            TwilioPublicUrls.ConfigureHostFiltering(filtering, twilio.Value, config));
        services.AddScoped<TwilioCallRecorder>();
        services.AddScoped<TwilioDialStatus>();
        services.AddTransient<TwilioHttpHandler>();
        services.AddHttpClient(TwilioCalls.HttpClientName)
            .ConfigureHttpClient((provider, http) => http.Timeout = provider.GetRequiredService<IOptions<TwilioOptions>>().Value.RestTimeout)
            .AddHttpMessageHandler<TwilioHttpHandler>();
        services.AddSingleton<TwilioCalls>();
        // The voice loop's seams (it registers fallbacks with TryAdd; these must be added first, as Program.cs does).
        services.AddSingleton<Voice.IMediaStreamUpgradeValidator, TwilioMediaStreamUpgradeValidator>();
        services.AddSingleton<Voice.Calls.ICallControl, TwilioTransferCallControl>();
        services.AddHostedService<TwilioStartupWarning>();
        return services;
    }

    /// <summary>Twilio's webhooks (<see cref="TwilioWebhookApi"/>) and <c>POST /calls/outbound</c>.</summary>
    public static IEndpointRouteBuilder MapTelephonyApi(this IEndpointRouteBuilder app)
    {
        app.MapTwilioWebhooks();
        app.MapOutboundCalls();
        return app;
    }

    private static bool IsHttpsBase(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.Query.Length == 0
        && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
