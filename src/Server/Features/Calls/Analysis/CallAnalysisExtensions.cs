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
        var provider = builder.Configuration["ANALYSIS_PROVIDER"]?.Trim().ToLowerInvariant() is { Length: > 0 } p ? p : "auto";
        if (provider is not ("auto" or "offline" or "azure-openai"))
            throw new InvalidOperationException($"ANALYSIS_PROVIDER must be auto, offline or azure-openai (was '{provider}').");
        builder.Services.AddSingleton(sp =>
        {
            // The voice agent's deployment is registered only when LLM_PROVIDER is (or defaults to) azure-openai.
            // "offline" keeps analysis off the model (no tokens spent after calls) even when the agent uses it.
            var model = provider == "offline" ? null : sp.GetKeyedService<IChatClient>(AzureOpenAIServiceCollectionExtensions.ProviderKey);
            if (model is null && provider == "azure-openai")
                throw new InvalidOperationException("ANALYSIS_PROVIDER=azure-openai needs the Azure OpenAI agent (AZURE_OPENAI_* and LLM_PROVIDER).");
            return new CallAnalyzers(model is null
                ? new OfflineCallAnalyzer()
                : new ModelCallAnalyzer(model, sp.GetRequiredService<IOptions<AzureOpenAIOptions>>().Value.Deployment));
        });
        builder.Services.AddJobHandler<CallAnalysisJob>(CallAnalysisJob.Kind);
        builder.Services.AddRecurringJob<LostAnalysisSweep>(LostAnalysisSweep.Kind, LostAnalysisSweep.Every);
        return builder;
    }
}
