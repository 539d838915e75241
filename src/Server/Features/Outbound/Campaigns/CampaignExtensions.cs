using System.Globalization;

namespace EstateVoice.Server.Features.Outbound.Campaigns;

public static class CampaignExtensions
{
    /// <summary>Campaign options (<c>OUTBOUND_CALLS_PER_SECOND</c>, <c>Campaigns__*</c>), the scheduler and the do-not-call listener.</summary>
    public static IHostApplicationBuilder AddCampaigns(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CampaignOptions>()
            .BindConfiguration(CampaignOptions.Section)
            .Configure<IConfiguration>((o, config) =>
            {
                if (double.TryParse(config["OUTBOUND_CALLS_PER_SECOND"], NumberStyles.Float, CultureInfo.InvariantCulture, out var cps)) o.CallsPerSecond = cps;
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<DialPacer>();
        builder.Services.AddSingleton<CampaignClaims>();
        builder.Services.AddSingleton<CampaignDialer>();
        builder.Services.AddScoped<CampaignOutcomes>();
        builder.Services.AddSingleton<CampaignOptOut>();
        builder.Services.AddSingleton<INumberOptedOutListener>(sp => sp.GetRequiredService<CampaignOptOut>());
        builder.Services.AddSingleton<CampaignScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CampaignScheduler>());
        return builder;
    }
}
