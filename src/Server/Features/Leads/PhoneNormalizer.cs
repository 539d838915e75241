using Microsoft.Extensions.Options;
using PhoneNumbers;

namespace EstateVoice.Server.Features.Leads;

/// <summary>
/// The one place a phone number becomes E.164 (+14155550123): every write of a lead's phone (the API, CSV import,
/// web-form intake) goes through it, and matching a caller to a lead compares the stored E.164 with the caller's
/// number normalised the same way. Numbers written without a country code are read in <c>DEFAULT_PHONE_REGION</c>.
/// </summary>
public sealed class PhoneNormalizer(IOptions<LeadOptions> options)
{
    public const string Message = "Not a phone number we can dial; write it with its country code, e.g. +1 415 555 0123.";
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>The number in E.164, or null when it cannot be read as a possible number.</summary>
    public string? Normalize(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw) || raw.Length > 40) return null;
        try
        {
            var number = Util.Parse(raw.Trim(), options.Value.DefaultPhoneRegion);
            return Util.IsPossibleNumber(number) ? Util.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}
