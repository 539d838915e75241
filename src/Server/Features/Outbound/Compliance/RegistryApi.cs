using System.Security.Claims;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Storage;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace EstateVoice.Server.Features.Outbound.Compliance;

public sealed record RegistryUploadResponse(int UploadId, int Count, long BadLineCount, IReadOnlyList<BadRegistryLine> BadLines);

public sealed record RegistryStatusResponse(int? UploadId, int? NumberCount, long? BadLineCount, string? FileName, DateTimeOffset? UploadedAt,
    string? UploadedBy, int LoadedCount, int? LoadedUploadId, DateTimeOffset? LoadedAt);

/// <summary>
/// <c>POST /admin/do-not-call/registry</c> (Admins): the national registry file, 10-digit numbers one per line, as a
/// multipart part named <c>file</c> or as the raw body (text/plain). It replaces the previous upload on every node.
/// Lines that are not numbers are counted and the first ones returned; a file without a single number is a 400.
/// <c>GET</c> the same path: the newest upload and what this node has loaded.
/// </summary>
public static class RegistryApi
{
    public const long MaxUploadBytes = 512L * 1024 * 1024;

    public static IEndpointRouteBuilder MapRegistryApi(this IEndpointRouteBuilder app)
    {
        var registry = app.MapGroup("/admin/do-not-call/registry").WithTags("Admin").RequireAuthorization(Policies.Admin);

        registry.MapPost("/", async Task<Results<Created<RegistryUploadResponse>, ValidationProblem>> (
                HttpContext http, ClaimsPrincipal user, AppDbContext db, IBlobStore blobs, NationalDncRegistry loaded, RegistryLoader loader,
                TimeProvider time, CancellationToken ct) =>
            {
                if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = MaxUploadBytes;
                var (file, fileName) = await FileStreamAsync(http, ct);
                if (file is null) return Problems.Validation("file", "Send the registry as a multipart part named file, or as a text/plain body.");
                var parsed = await NationalDncRegistry.ParseAsync(file, ct);
                if (parsed.Numbers.Length == 0)
                {
                    var first = parsed.FirstBadLines.Count > 0 ? $" Line {parsed.FirstBadLines[0].Line} reads '{parsed.FirstBadLines[0].Text}'." : "";
                    return Problems.Validation("file", $"The file has no 10-digit numbers ({parsed.BadLineCount} bad lines).{first}");
                }

                var now = time.GetUtcNow();
                var blobName = $"dnc-registry/{now:yyyyMMddHHmmss}-{Guid.NewGuid():N}.bin";
                await using (var content = new MemoryStream(NationalDncRegistry.ToBytes(parsed.Numbers), writable: false))
                    await blobs.UploadAsync(blobName, content, "application/octet-stream", new Dictionary<string, string> { ["count"] = parsed.Numbers.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) }, ct);
                var upload = new DncRegistryUpload
                {
                    BlobName = blobName, NumberCount = parsed.Numbers.Length, BadLineCount = (int)Math.Min(parsed.BadLineCount, int.MaxValue),
                    FileName = fileName is { Length: > 255 } ? fileName[..255] : fileName, UploadedById = user.GetUserId(), UploadedAt = now,
                };
                db.Set<DncRegistryUpload>().Add(upload);
                await db.SaveChangesAsync(ct);
                loaded.Replace(parsed.Numbers, upload.Id, now);
                await loader.AnnounceAsync();
                return TypedResults.Created("/admin/do-not-call/registry",
                    new RegistryUploadResponse(upload.Id, parsed.Numbers.Length, parsed.BadLineCount, parsed.FirstBadLines));
            })
            .DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data", "text/plain");

        registry.MapGet("/", async (AppDbContext db, NationalDncRegistry loaded, CancellationToken ct) =>
        {
            var newest = await db.Set<DncRegistryUpload>().AsNoTracking().OrderByDescending(u => u.Id)
                .Select(u => new { u.Id, u.NumberCount, u.BadLineCount, u.FileName, u.UploadedAt, By = u.UploadedBy != null ? u.UploadedBy.Name : null })
                .FirstOrDefaultAsync(ct);
            return TypedResults.Ok(new RegistryStatusResponse(newest?.Id, newest?.NumberCount, newest?.BadLineCount, newest?.FileName, newest?.UploadedAt,
                newest?.By, loaded.Count, loaded.UploadId, loaded.LoadedAt));
        });
        return app;
    }

    /// <summary>The file part of a multipart form (read as it arrives), or the raw body.</summary>
    private static async Task<(Stream? File, string? Name)> FileStreamAsync(HttpContext http, CancellationToken ct)
    {
        if (MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type)
            && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            if (HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary) return (null, null);
            var reader = new MultipartReader(boundary, http.Request.Body);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    && HeaderUtilities.RemoveQuotes(disposition.Name).Value is { } name && name.Equals("file", StringComparison.OrdinalIgnoreCase))
                    return (section.Body, HeaderUtilities.RemoveQuotes(disposition.FileName).Value);
            }
            return (null, null);
        }
        return http.Request.ContentLength is 0 ? (null, null) : (http.Request.Body, null);
    }
}
