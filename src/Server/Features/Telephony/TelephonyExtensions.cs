using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EstateVoice.Server.Features.Telephony;

public static class TelephonyExtensions
{
    /// <summary>Twilio options (TWILIO_*, PUBLIC_BASE_URL), signature checks, the REST client and call control.</summary>
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
            .Validate(o => o.PublicBaseUrl is null || (Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"),
                "PUBLIC_BASE_URL must be an absolute http(s) URL")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TwilioRequestValidator>();
        services.AddScoped<TwilioCallRecorder>();
        services.AddHttpClient<TwilioRestClient>(http => http.Timeout = Timeout.InfiniteTimeSpan); // RestTimeout per request instead
        services.AddTransient<ITwilioCallControl, TwilioCallControl>();
        // The voice loop's seams (it registers fallbacks with TryAdd; these must be added first, as Program.cs does).
        services.AddSingleton<Voice.IMediaStreamUpgradeValidator, TwilioMediaStreamUpgradeValidator>();
        services.AddSingleton<Voice.Calls.ICallControl, TwilioTransferCallControl>();
        services.AddHostedService<TwilioStartupWarning>();
        return services;
    }

    /// <summary><c>POST /twilio/webhook</c>, <c>POST /twilio/status</c> and <c>POST /calls/outbound</c>.</summary>
    public static IEndpointRouteBuilder MapTelephonyApi(this IEndpointRouteBuilder app)
    {
        app.MapTwilioWebhooks();
        app.MapOutboundCalls();
        return app;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
