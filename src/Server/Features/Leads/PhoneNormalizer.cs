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
            // IS_POSSIBLE only: a local-only number ("555-1234", no area code) would become a wrong E.164 (+15551234).
            return Util.IsPossibleNumberWithReason(number) == PhoneNumberUtil.ValidationResult.IS_POSSIBLE
                ? Util.Format(number, PhoneNumberFormat.E164)
                : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}
