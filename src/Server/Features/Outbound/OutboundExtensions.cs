using EstateVoice.Server.Features.Outbound.Campaigns;
using EstateVoice.Server.Features.Outbound.Compliance;
using EstateVoice.Server.Features.Outbound.SpeedToLead;

namespace EstateVoice.Server.Features.Outbound;

public static class OutboundExtensions
{
    /// <summary>The compliance gate every dial asks, the do-not-call list, the national registry kept in memory, and campaigns.</summary>
    public static IHostApplicationBuilder AddOutbound(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DialComplianceOptions>()
            .Configure<IConfiguration>((o, config) =>
            {
                var problems = new List<string>();
                o.Read(config, problems);
                if (problems.Count > 0) throw new InvalidOperationException(string.Join(" ", problems));
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<NationalDncRegistry>();
        builder.Services.AddSingleton<DoNotCallList>();
        builder.Services.AddSingleton<ComplianceDialGate>();
        builder.Services.AddSingleton<IDialGate>(sp => sp.GetRequiredService<ComplianceDialGate>());
        builder.Services.AddSingleton<RegistryLoader>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RegistryLoader>());
        builder.AddCampaigns();
        builder.Services.AddOptions<SpeedToLeadOptions>()
            .Configure<IConfiguration>((o, config) =>
            {
                var problems = new List<string>();
                o.Read(config, problems);
                if (problems.Count > 0) throw new InvalidOperationException(string.Join(" ", problems));
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<SpeedToLeadCampaign>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SpeedToLeadCampaign>()); // after the database initializer
        return builder;
    }

    /// <summary><c>/admin/do-not-call</c> and the national registry's upload and status.</summary>
    public static IEndpointRouteBuilder MapOutbound(this IEndpointRouteBuilder app) => app.MapDoNotCallApi().MapSpeedToLeadReport();
}
