namespace EstateVoice.Server.Features.Outbound;

public static class OutboundExtensions
{
    public static IHostApplicationBuilder AddOutbound(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IDialGate, ConsentDialGate>();
        return builder;
    }
}
