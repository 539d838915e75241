using System.Collections;
using System.ComponentModel.DataAnnotations;

namespace EstateVoice.Server.Infrastructure.Http;

/// <summary>Every string in a list (features, preferred areas) is non-blank and at most <paramref name="length"/> characters.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class ItemsMaxLengthAttribute(int length) : ValidationAttribute($"Each item must be 1 to {length} characters.")
{
    public int Length { get; } = length;

    public override bool IsValid(object? value) =>
        value is not IEnumerable items || items.Cast<object?>().All(i => i is string s && s.Trim().Length > 0 && s.Length <= Length);
}
