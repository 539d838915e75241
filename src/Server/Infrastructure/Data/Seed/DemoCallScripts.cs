using System.Text.Json;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Properties;

namespace EstateVoice.Server.Infrastructure.Data.Seed;

/// <summary>What a demo call sounded like: its turns, outcome and summary, written around a lead and a listing.</summary>
internal sealed record CallScript(CallOutcome Outcome, string Summary, List<(Speaker Speaker, string Text, object[]? Tools, bool Interrupted)> Turns);

/// <summary>Realistic dialogues for the demo calls, one per typical call outcome.</summary>
internal static class DemoCallScripts
{
    public static CallScript For(CallOutcome outcome, string caller, string firstName, Property listing, int bedrooms, string area)
    {
        var price = listing.Price.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        var search = new object[]
        {
            new { name = "search_properties", arguments = new { city = area, bedrooms, max_price = listing.Price + 100_000 },
                  result = new { count = 3, top = new { id = listing.Id, address = listing.Address, price = listing.Price } } },
        };
        return outcome switch
        {
            CallOutcome.ShowingBooked => new(outcome, $"{caller} asked about {bedrooms}-bedroom homes in {area}; booked a showing at {listing.Address}.",
            [
                (Speaker.Agent, "Thanks for calling Estate Voice Realty, this is the virtual assistant. How can I help?", null, false),
                (Speaker.Caller, $"Hi, I'm {firstName}. I'm looking for a {bedrooms} bedroom place in {area}.", null, false),
                (Speaker.Agent, $"Great, let me check what's available in {area}.", search, false),
                (Speaker.Agent, $"I found a few. The best match is {listing.Address}, listed at ${price}. Would you like to see it?", null, false),
                (Speaker.Caller, "Yes, could I see it this Saturday morning?", null, false),
                (Speaker.Agent, "You're booked for Saturday at 10 am. You'll get a text confirmation shortly.",
                    [new { name = "book_showing", arguments = new { property_id = listing.Id, starts_at = "saturday 10:00" }, result = new { booked = true } }], false),
                (Speaker.Caller, "Perfect, thank you!", null, false),
            ]),
            CallOutcome.Qualified => new(outcome, $"{caller} is pre-approved and wants to buy in {area} within three months; budget noted.",
            [
                (Speaker.Agent, "Thanks for calling Estate Voice Realty. How can I help you today?", null, false),
                (Speaker.Caller, $"We're thinking of buying in {area} in the next few months.", null, false),
                (Speaker.Agent, "Wonderful. Have you been pre-approved for a mortgage yet, and what price range are you considering?", null, false),
                (Speaker.Caller, $"Yes, we're pre-approved up to about ${price}.", null, false),
                (Speaker.Agent, "Thank you, I've noted that. An agent will follow up with listings that fit.",
                    [new { name = "update_lead", arguments = new { pre_approved = true, budget_max = listing.Price, timeline = "1-3 months", preferred_areas = new[] { area } }, result = new { updated = true } }], false),
            ]),
            CallOutcome.Transferred => new(outcome, $"{caller} asked detailed questions about HOA rules at {listing.Address}; transferred to an agent.",
            [
                (Speaker.Agent, "Thanks for calling Estate Voice Realty. How can I help?", null, false),
                (Speaker.Caller, $"I have questions about the HOA at {listing.Address}.", null, false),
                (Speaker.Agent, "The HOA dues for that building are listed in the disclosure packet, and the board meets monthly, and", null, true),
                (Speaker.Caller, "Sorry, can I just talk to a person?", null, false),
                (Speaker.Agent, "Of course, connecting you with an agent now.",
                    [new { name = "transfer_to_human", arguments = new { reason = "HOA questions" }, result = new { transferred = true } }], false),
            ]),
            CallOutcome.NotInterested => new(outcome, $"Follow-up call; {caller} has paused the search for now.",
            [
                (Speaker.Agent, $"Hi {firstName}, this is Estate Voice Realty following up on your home search. Is now a good time?", null, false),
                (Speaker.Caller, "Actually we've decided to wait until next year.", null, false),
                (Speaker.Agent, "Understood. Would you like us to check back in a few months?", null, false),
                (Speaker.Caller, "Sure, that's fine.", null, false),
            ]),
            CallOutcome.Voicemail => new(outcome, $"Reached {caller}'s voicemail; left a callback message.",
            [
                (Speaker.Agent, $"Hi {firstName}, this is Estate Voice Realty with a few new listings in {area}. Call us back anytime.", null, false),
            ]),
            _ => new(CallOutcome.InformationProvided, $"{caller} asked about {listing.Address}: price, size and parking.",
            [
                (Speaker.Agent, "Thanks for calling Estate Voice Realty. How can I help?", null, false),
                (Speaker.Caller, $"What can you tell me about {listing.Address}?", null, false),
                (Speaker.Agent, $"It's listed at ${price} with {listing.Bedrooms} bedrooms and {listing.SquareFeet:N0} square feet.",
                    [new { name = "get_property_details", arguments = new { property_id = listing.Id }, result = new { address = listing.Address, price = listing.Price, bedrooms = listing.Bedrooms } }], false),
                (Speaker.Caller, "Does it have parking?", null, false),
                (Speaker.Agent, listing.Features.Contains("garage parking") ? "Yes, it has garage parking." : "Street parking only, I'm afraid.", null, false),
            ]),
        };
    }

    public static string? ToolJson(object[]? tools) => tools is null ? null : JsonSerializer.Serialize(tools);
}
