using System.ComponentModel.DataAnnotations;
using System.Linq.Expressions;
using EstateVoice.Server.Infrastructure.Http;

namespace EstateVoice.Server.Features.Properties;

public sealed record PropertyResponse(
    int Id, string Address, string City, string State, string Zip, decimal Price, int Bedrooms, decimal Bathrooms,
    int SquareFeet, PropertyType PropertyType, PropertyStatus Status, string? Description, List<string> Features,
    int? ListingAgentId, string? ListingAgentName, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>A projection, so lists read only these columns and the agent's name through one LEFT JOIN.</summary>
    public static readonly Expression<Func<Property, PropertyResponse>> Projection = p => new PropertyResponse(
        p.Id, p.Address, p.City, p.State, p.Zip, p.Price, p.Bedrooms, p.Bathrooms, p.SquareFeet, p.PropertyType, p.Status,
        p.Description, p.Features, p.ListingAgentId, p.ListingAgent != null ? p.ListingAgent.Name : null, p.CreatedAt, p.UpdatedAt);
}

/// <summary>POST and PUT body: a whole property.</summary>
public sealed record PropertyRequest(
    [property: Required, MaxLength(300)] string Address,
    [property: Required, MaxLength(100)] string City,
    [property: Required, MaxLength(50)] string State,
    [property: Required, MaxLength(20)] string Zip,
    [property: Required, Money] decimal? Price,
    [property: Required, Range(0, 100)] int? Bedrooms,
    [property: Required, Range(0d, 100d)] decimal? Bathrooms,
    [property: Required, Range(0, 10_000_000)] int? SquareFeet,
    [property: Required] PropertyType? PropertyType,
    PropertyStatus? Status,
    [property: MaxLength(4000)] string? Description,
    [property: MaxLength(50), ItemsMaxLength(100)] List<string>? Features,
    int? ListingAgentId);

/// <summary>PATCH body: only the fields present (non-null) change.</summary>
public sealed record PropertyPatch(
    [property: MinLength(1), MaxLength(300)] string? Address,
    [property: MinLength(1), MaxLength(100)] string? City,
    [property: MinLength(1), MaxLength(50)] string? State,
    [property: MinLength(1), MaxLength(20)] string? Zip,
    [property: Money] decimal? Price,
    [property: Range(0, 100)] int? Bedrooms,
    [property: Range(0d, 100d)] decimal? Bathrooms,
    [property: Range(0, 10_000_000)] int? SquareFeet,
    PropertyType? PropertyType,
    PropertyStatus? Status,
    [property: MaxLength(4000)] string? Description,
    [property: MaxLength(50), ItemsMaxLength(100)] List<string>? Features,
    int? ListingAgentId);
