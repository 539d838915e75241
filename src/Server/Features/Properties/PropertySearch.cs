using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Properties;

/// <summary>
/// <c>GET /properties/</c> query: <c>city</c> (exact, case-insensitive), <c>min_price</c>/<c>max_price</c>,
/// <c>bedrooms</c> (at least that many: a buyer asking for 3 is happy with 4), <c>status</c>, <c>property_type</c>,
/// <c>q</c> (address, city, zip, description), paging and <c>sort</c>.
/// </summary>
public sealed class PropertySearchQuery : PageQuery
{
    [FromQuery(Name = "city")] public string? City { get; set; }
    [FromQuery(Name = "min_price")] public decimal? MinPrice { get; set; }
    [FromQuery(Name = "max_price")] public decimal? MaxPrice { get; set; }
    [FromQuery(Name = "bedrooms")] public int? Bedrooms { get; set; }
    [FromQuery(Name = "status")] public string? Status { get; set; }
    [FromQuery(Name = "property_type")] public string? PropertyType { get; set; }
    [FromQuery(Name = "q")] public string? Q { get; set; }
    [FromQuery(Name = "sort")] public string? Sort { get; set; }
}

public static class PropertySearch
{
    public static readonly SortOptions<Property> Sorts = new SortOptions<Property>("-created_at", p => p.Id)
        .Add("created_at", p => p.CreatedAt)
        .Add("updated_at", p => p.UpdatedAt)
        .Add("price", p => p.Price)
        .Add("bedrooms", p => p.Bedrooms)
        .Add("square_feet", p => p.SquareFeet)
        .Add("city", p => p.City)
        .Add("address", p => p.Address);

    /// <summary>
    /// One page of a search as three cheap statements rather than one wide scan: COUNT(*) and the page's ids both
    /// read only the covering (City, Price, Bedrooms, CreatedAt, Id) index, then just the page's rows are fetched
    /// ("deferred join"). Deep pages (OFFSET 980) then skip index entries instead of whole rows.
    /// </summary>
    public static async Task<PagedResponse<PropertyResponse>> PageAsync(IQueryable<Property> all, PropertySearchQuery query, QueryErrors errors, CancellationToken ct)
    {
        var filtered = Filter(all, query, errors);
        var ordered = Sorts.Apply(filtered, query.Sort, errors);
        if (errors.Any) return new PagedResponse<PropertyResponse>([], 0, 0, 0);
        var total = await filtered.CountAsync(ct);
        var (page, size) = (query.PageOrDefault, query.PageSizeOrDefault);
        if (total <= (page - 1) * size) return new PagedResponse<PropertyResponse>([], total, page, size);
        var pageIds = ordered.Skip((page - 1) * size).Take(size).Select(p => p.Id);
        var items = await Sorts.Apply(all.Where(p => pageIds.Contains(p.Id)), query.Sort, errors).Select(PropertyResponse.Projection).ToListAsync(ct);
        return new PagedResponse<PropertyResponse>(items, total, page, size);
    }

    /// <summary>Applies the filters; errors are filled in when a value is unusable.</summary>
    public static IQueryable<Property> Filter(IQueryable<Property> properties, PropertySearchQuery query, QueryErrors errors)
    {
        query.Validate(errors);
        errors.Money("min_price", query.MinPrice);
        errors.Money("max_price", query.MaxPrice);
        if (query.MinPrice > query.MaxPrice) errors.Add("max_price", "max_price must not be below min_price.");
        if (query.Bedrooms is < 0 or > 100) errors.Add("bedrooms", "bedrooms must be between 0 and 100.");
        if (query.Q?.Length > 200) errors.Add("q", "q is at most 200 characters.");
        if (query.City?.Length > 100) errors.Add("city", "city is at most 100 characters.");
        var status = errors.Enum<PropertyStatus>("status", query.Status);
        var type = errors.Enum<PropertyType>("property_type", query.PropertyType);

        if (!string.IsNullOrWhiteSpace(query.City))
        {
            // Stored city names are trimmed and title-cased by the API, so an equality keeps the (City, Status, Price) index usable.
            var city = NormalizeCity(query.City);
            properties = properties.Where(p => p.City == city);
        }
        if (query.MinPrice is { } min) properties = properties.Where(p => p.Price >= min);
        if (query.MaxPrice is { } max) properties = properties.Where(p => p.Price <= max);
        if (query.Bedrooms is { } bedrooms) properties = properties.Where(p => p.Bedrooms >= bedrooms);
        if (status is { } s) properties = properties.Where(p => p.Status == s);
        if (type is { } t) properties = properties.Where(p => p.PropertyType == t);
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var q = query.Q.Trim().ToLower();
            properties = properties.Where(p => p.Address.ToLower().Contains(q) || p.City.ToLower().Contains(q) || p.Zip.Contains(q)
                                               || (p.Description != null && p.Description.ToLower().Contains(q)));
        }
        return properties;
    }

    /// <summary>"  san  francisco " → "San Francisco": one spelling per city, so the city filter can be an equality.</summary>
    public static string NormalizeCity(string city) =>
        string.Join(' ', city.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant()));
}
