using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Infrastructure.Http;

/// <summary>The list envelope every collection endpoint answers: <c>{items, total, page, page_size}</c>.</summary>
public sealed record PagedResponse<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary>
/// <c>page</c> (from 1) and <c>page_size</c> (default 20, at most 100). A page size above the cap is refused with a
/// 400 naming <c>page_size</c> rather than silently clamped: a client asking for 10^6 rows has a bug worth seeing.
/// </summary>
public class PageQuery
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    // Deep pages cost an OFFSET scan; nobody pages a CRM list past 100 000 rows.
    public const int MaxPage = 5000;

    [FromQuery(Name = "page")] public int? Page { get; set; }
    [FromQuery(Name = "page_size")] public int? PageSize { get; set; }

    public int PageOrDefault => Page ?? 1;
    public int PageSizeOrDefault => PageSize ?? DefaultPageSize;

    public void Validate(QueryErrors errors)
    {
        if (Page is < 1 or > MaxPage) errors.Add("page", $"page must be between 1 and {MaxPage}.");
        if (PageSize is < 1 or > MaxPageSize) errors.Add("page_size", $"page_size must be between 1 and {MaxPageSize}.");
    }
}

public static class PagingExtensions
{
    /// <summary>Counts and fetches one page; both run as SQL (COUNT and LIMIT/OFFSET) on either database.</summary>
    public static async Task<PagedResponse<T>> ToPageAsync<T>(this IQueryable<T> ordered, PageQuery paging, CancellationToken ct)
    {
        var total = await ordered.CountAsync(ct);
        var page = paging.PageOrDefault;
        var size = paging.PageSizeOrDefault;
        var items = total <= (page - 1) * size
            ? []
            : await ordered.Skip((page - 1) * size).Take(size).ToListAsync(ct);
        return new PagedResponse<T>(items, total, page, size);
    }
}
