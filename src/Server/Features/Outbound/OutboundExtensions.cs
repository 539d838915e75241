using EstateVoice.Server.Features.Outbound.Campaigns;

namespace EstateVoice.Server.Features.Outbound;

public static class OutboundExtensions
{
    public static IHostApplicationBuilder AddOutbound(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IDialGate, ConsentDialGate>();
        builder.AddCampaigns();
        return builder;
    }
}
