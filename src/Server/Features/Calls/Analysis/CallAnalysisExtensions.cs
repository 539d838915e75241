using EstateVoice.Server.Features.Voice.Providers.AzureOpenAI;
using EstateVoice.Server.Infrastructure.Jobs;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace EstateVoice.Server.Features.Calls.Analysis;

public static class CallAnalysisExtensions
{
    /// <summary>Program.cs: post-call analysis as a job kind, with the analyser this deployment can run.</summary>
    public static IHostApplicationBuilder AddCallAnalysis(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CallAnalysisOptions>().Configure<IConfiguration>((o, config) =>
        {
            if (!string.IsNullOrWhiteSpace(config["ANALYSIS_SUCCESS_CRITERIA"])) o.SuccessCriteria = config["ANALYSIS_SUCCESS_CRITERIA"]!.Trim();
        });
        builder.Services.AddSingleton<CallAnalysisQueue>();
        builder.Services.AddSingleton(sp =>
        {
            // The voice agent's deployment is registered only when LLM_PROVIDER is (or defaults to) azure-openai.
            var model = sp.GetKeyedService<IChatClient>(AzureOpenAIServiceCollectionExtensions.ProviderKey);
            return new CallAnalyzers(model is null
                ? new OfflineCallAnalyzer()
                : new ModelCallAnalyzer(model, sp.GetRequiredService<IOptions<AzureOpenAIOptions>>().Value.Deployment));
        });
        builder.Services.AddJobHandler<CallAnalysisJob>(CallAnalysisJob.Kind);
        builder.Services.AddRecurringJob<LostAnalysisSweep>(LostAnalysisSweep.Kind, LostAnalysisSweep.Every);
        return builder;
    }
}
