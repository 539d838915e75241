using EstateVoice.Server.Features.Storage;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace EstateVoice.Server.Features.Calls;

/// <summary>
/// <c>GET /calls/{id}/recording</c>: the call's recording streamed from storage with HTTP range support, so the
/// browser's audio element can seek. Storage is private; this endpoint is the only way in. Browsers cannot set
/// headers on &lt;audio src&gt;, so ?access_token= is accepted here (see AuthExtensions).
/// </summary>
public static class CallRecordingApi
{
    public static IEndpointRouteBuilder MapCallRecordingApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/calls/{id:int}/recording", StreamAsync).WithTags("Calls").WithSummary("Stream a call's recording (supports Range)");
        return app;
    }

    private static async Task<IResult> StreamAsync(int id, HttpContext context, AppDbContext db, IBlobStore blobs, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        // Same rule as GET /calls/{id} (CallAccess): a call the user may not see is "not found".
        var call = await db.Calls.AsNoTracking().VisibleTo(context.User)
            .Where(c => c.Id == id)
            .Select(c => new { c.RecordingBlobName })
            .SingleOrDefaultAsync(cancellationToken);
        if (call is null) return Problems.NotFound("Call");
        if (call.RecordingBlobName is null) return Problems.NotFound("Recording");

        OpenedBlob? blob;
        try
        {
            blob = await blobs.OpenReadAsync(call.RecordingBlobName, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            loggers.CreateLogger(typeof(CallRecordingApi)).LogError(e, "recording_storage_unavailable {CallId}", id);
            return TypedResults.Problem("Recording storage is unavailable; try again shortly.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service Unavailable");
        }
        if (blob is null) return Problems.NotFound("Recording");

        context.Response.RegisterForDisposeAsync(blob);
        context.Response.Headers.CacheControl = "private, no-cache";
        return TypedResults.Stream(blob.Content, blob.Info.ContentType, lastModified: blob.Info.LastModified,
            entityTag: blob.Info.ETag is { } etag ? EntityTagHeaderValue.Parse(etag) : null, enableRangeProcessing: true);
    }
}
