namespace EstateVoice.Server.Infrastructure.Jobs;

public static class JobExtensions
{
    /// <summary>Program.cs: the jobs table's store and this node's worker. Kinds are added with <see cref="AddJobHandler{THandler}"/>.</summary>
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<JobOptions>().BindConfiguration(JobOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<JobSignal>();
        builder.Services.AddSingleton<JobStore>();
        builder.Services.AddSingleton<JobRunner>();
        builder.Services.AddHostedService<JobWorker>();
        return builder;
    }

    /// <summary>A job kind: its handler runs every job of <paramref name="kind"/> (scoped, one per run).</summary>
    public static IServiceCollection AddJobHandler<THandler>(this IServiceCollection services, string kind) where THandler : class, IJobHandler
    {
        services.AddKeyedScoped<IJobHandler, THandler>(kind);
        services.AddSingleton(new JobKind(kind));
        return services;
    }

    /// <summary>A job kind that runs every <paramref name="every"/>, on one node at a time (a sweep).</summary>
    public static IServiceCollection AddRecurringJob<THandler>(this IServiceCollection services, string kind, TimeSpan every) where THandler : class, IJobHandler
    {
        services.AddJobHandler<THandler>(kind);
        services.AddSingleton(new RecurringJob(kind, every));
        return services;
    }
}
