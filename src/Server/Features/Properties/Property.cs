using EstateVoice.Server.Features.Auth;

namespace EstateVoice.Server.Features.Properties;

public enum PropertyType { House, Condo, Townhouse, Apartment, MultiFamily, Land }

public enum PropertyStatus { Active, Pending, Sold, OffMarket }

public sealed class Property
{
    public int Id { get; set; }
    public required string Address { get; set; }
    public required string City { get; set; }
    public required string State { get; set; }
    public required string Zip { get; set; }
    public decimal Price { get; set; }
    public int Bedrooms { get; set; }
    public decimal Bathrooms { get; set; }
    public int SquareFeet { get; set; }
    public PropertyType PropertyType { get; set; }
    public PropertyStatus Status { get; set; }
    public string? Description { get; set; }
    public List<string> Features { get; set; } = [];
    public int? ListingAgentId { get; set; }
    public User? ListingAgent { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
