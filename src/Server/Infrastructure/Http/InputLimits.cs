using System.ComponentModel.DataAnnotations;

namespace EstateVoice.Server.Infrastructure.Http;

/// <summary>
/// The money and times the API accepts, in bodies and filters alike: inside what both databases store and what the
/// server's own arithmetic on them reaches. PostgreSQL's numeric(14,2) holds amounts below 10^12 and SQLite's
/// integer cents overflow past 9.2 × 10^16 (a 10^20 price filter threw in the converter); SQLite stores times as
/// ticks of years 1-9999, and "the end of that day" after 9999-12-31 or "30 days before" 0001-01-01 cannot be
/// computed at all.
/// </summary>
public static class InputLimits
{
    /// <summary>A listing price or a budget: at most a billion (the product's cap), far inside both columns.</summary>
    public const double MaxMoney = 1_000_000_000;

    /// <summary>Times from 1900 to the start of 9999: a year of margin for ranges and end-of-day bounds.</summary>
    public static readonly DateTimeOffset MinTime = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset MaxTime = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static bool IsMoney(decimal value) => value >= 0 && value <= (decimal)MaxMoney;

    public static bool IsTime(DateTimeOffset value) => value >= MinTime && value <= MaxTime;
}

/// <summary>
/// An amount of money in a body: 0 to <see cref="InputLimits.MaxMoney"/>. Compared as a double, so 1e20 is simply
/// out of range (the int-typed <c>[Range(0, 1_000_000_000)]</c> converted with Convert.ToInt32, which throws on it).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class MoneyAttribute() : RangeAttribute(0d, InputLimits.MaxMoney);
