using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Properties;

namespace EstateVoice.Server.Infrastructure.Data.Seed;

/// <summary>~30 past calls over the last 30 days, with turns, latency figures, summaries and outcomes.</summary>
internal static class DemoCalls
{
    private const string OfficeNumber = "+15125550100";

    private static readonly CallOutcome[] Outcomes =
    [
        CallOutcome.ShowingBooked, CallOutcome.Qualified, CallOutcome.InformationProvided, CallOutcome.Transferred,
        CallOutcome.InformationProvided, CallOutcome.Qualified, CallOutcome.NotInterested, CallOutcome.Voicemail, CallOutcome.NoAnswer,
        CallOutcome.ShowingBooked,
    ];

    public static List<Call> Create(Random random, DateTimeOffset now, IReadOnlyList<Lead> leads, IReadOnlyList<Property> properties)
    {
        var active = properties.Where(p => p.Status == PropertyStatus.Active && p.PropertyType != PropertyType.Land).ToList();
        var calls = new List<Call>();
        for (var i = 0; i < 30; i++)
        {
            var lead = leads[(i * 7) % leads.Count];
            var outcome = Outcomes[i % Outcomes.Length];
            var outbound = outcome is CallOutcome.NotInterested or CallOutcome.Voicemail or CallOutcome.NoAnswer || i % 6 == 5;
            var startedAt = now.AddDays(-(i % 30) - 1).Date.AddHours(9 + random.Next(0, 9)).AddMinutes(random.Next(0, 60));
            var start = new DateTimeOffset(startedAt, TimeSpan.Zero);
            var area = lead.PreferredAreas.FirstOrDefault() ?? "Austin";
            var inArea = active.Where(p => p.City == area).ToList();
            var listing = inArea.Count > 0 ? inArea[random.Next(inArea.Count)] : active[i % active.Count];
            var call = new Call
            {
                CallSid = $"CA{random.NextInt64():x16}{random.NextInt64():x16}",
                Direction = outbound ? CallDirection.Outbound : CallDirection.Inbound,
                FromNumber = outbound ? OfficeNumber : lead.Phone,
                ToNumber = outbound ? lead.Phone : OfficeNumber,
                StartedAt = start,
                LeadId = lead.Id,
                AgentId = lead.AssignedAgentId,
                CallerUsername = lead.Name,
                CreatedAt = start,
            };
            if (outcome == CallOutcome.NoAnswer)
            {
                call.Status = i % 2 == 0 ? CallStatus.NoAnswer : CallStatus.Busy;
                call.Outcome = CallOutcome.NoAnswer;
                call.EndedAt = start.AddSeconds(30);
                call.TranscriptSummary = $"No answer from {lead.Name}.";
                call.UpdatedAt = call.EndedAt.Value;
                calls.Add(call);
                continue;
            }

            var script = DemoCallScripts.For(outcome, lead.Name, lead.Name.Split(' ')[0], listing, lead.Bedrooms ?? 3, area);
            var offset = 0;
            var sequence = 0;
            foreach (var (speaker, text, tools, interrupted) in script.Turns)
            {
                var length = 600 + text.Length * 55 + random.Next(0, 400);
                if (interrupted) length /= 2;
                var turn = new CallTurn
                {
                    Sequence = ++sequence, Speaker = speaker, Text = text, StartMs = offset, EndMs = offset + length,
                    ToolCallsJson = DemoCallScripts.ToolJson(tools), Interrupted = interrupted, CreatedAt = start.AddMilliseconds(offset + length),
                };
                if (speaker == Speaker.Agent && sequence > 1)
                {
                    turn.SttLatencyMs = random.Next(120, 260);
                    turn.LlmFirstTokenMs = random.Next(280, 650) + (tools is null ? 0 : random.Next(150, 400));
                    turn.TtsFirstByteMs = random.Next(90, 220);
                    turn.FirstAudioMs = turn.SttLatencyMs + turn.LlmFirstTokenMs + turn.TtsFirstByteMs + random.Next(15, 60);
                }
                call.Turns.Add(turn);
                offset += length + random.Next(300, 900);
            }
            var seconds = offset / 1000 + random.Next(5, 40);
            call.Status = CallStatus.Completed;
            call.AnsweredAt = start.AddSeconds(random.Next(2, 9));
            call.DurationSeconds = seconds;
            call.EndedAt = call.AnsweredAt.Value.AddSeconds(seconds);
            call.Outcome = script.Outcome;
            call.TranscriptSummary = script.Summary;
            call.TranscriptText = string.Join('\n', call.Turns.Select(t => $"{(t.Speaker == Speaker.Caller ? "Caller" : "Agent")}: {t.Text}"));
            call.ReceptionStatus = i % 4 == 0 ? "clear" : "good";
            call.UpdatedAt = call.EndedAt.Value;
            calls.Add(call);
        }
        return calls;
    }
}
