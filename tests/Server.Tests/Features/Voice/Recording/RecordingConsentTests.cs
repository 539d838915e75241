using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Recording;
using Microsoft.Extensions.Configuration;

namespace EstateVoice.Server.Tests.Features.Voice.Recording;

public sealed class RecordingConsentTests
{
    [Theory]
    [InlineData("+14155550142", "CA")]
    [InlineData("+15125550142", "TX")]
    [InlineData("+1 (215) 555-0100", "PA")]
    [InlineData("12065550100", "WA")]
    [InlineData("3125550100", "IL")]
    [InlineData("+12125550100", "NY")]
    [InlineData("+442071234567", null)]
    [InlineData("anonymous", null)]
    [InlineData("browser", null)]
    [InlineData("+18005550100", null)] // toll-free: no state
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Area_code_gives_the_callers_state(string? number, string? state) => Assert.Equal(state, AreaCodes.StateOf(number));

    private static RecordingOptions Options(params (string Key, string? Value)[] settings) =>
        RecordingOptions.From(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))).Build(), "/tmp");

    [Fact]
    public void Ask_applies_only_to_callers_from_consent_states_others_get_the_disclosure()
    {
        var ask = Options(("RECORDING_MODE", "ask"));
        Assert.Equal(new RecordingPlan(RecordingMode.Ask, "CA"), RecordingConsent.Plan(ask, "+14155550142"));
        Assert.Equal(new RecordingPlan(RecordingMode.Ask, "FL"), RecordingConsent.Plan(ask, "+13055550100"));
        Assert.Equal(new RecordingPlan(RecordingMode.Disclose, "TX"), RecordingConsent.Plan(ask, "+15125550142"));
        Assert.Equal(new RecordingPlan(RecordingMode.Disclose, null), RecordingConsent.Plan(ask, "browser"));

        var texasToo = Options(("RECORDING_MODE", "ask"), ("RECORDING_CONSENT_STATES", "tx, ca"));
        Assert.Equal(RecordingMode.Ask, RecordingConsent.Plan(texasToo, "+15125550142").Mode);
        Assert.Equal(RecordingMode.Disclose, RecordingConsent.Plan(texasToo, "+13055550100").Mode);
    }

    [Fact]
    public void Modes_and_formats_come_from_the_environment_with_disclose_and_mp3_by_default()
    {
        var defaults = Options();
        Assert.Equal(RecordingMode.Disclose, defaults.Mode);
        Assert.Equal(RecordingFormat.Mp3, defaults.Format);
        Assert.Contains("MA", defaults.ConsentStates);
        Assert.Equal(RecordingMode.Disclose, RecordingConsent.Plan(defaults, "+14155550142").Mode);
        Assert.Equal(RecordingMode.Off, RecordingConsent.Plan(Options(("RECORDING_MODE", "off")), "+14155550142").Mode);
        Assert.Equal(RecordingFormat.Wav, Options(("RECORDING_FORMAT", "WAV")).Format);
        Assert.Equal("We record calls.", Options(("RECORDING_DISCLOSURE", "We record calls.")).Disclosure);
        Assert.Throws<InvalidOperationException>(() => Options(("RECORDING_MODE", "sometimes")));
    }

    [Theory]
    [InlineData("Yes, that's fine.", ConsentAnswer.Yes)]
    [InlineData("sure go ahead", ConsentAnswer.Yes)]
    [InlineData("okay", ConsentAnswer.Yes)]
    [InlineData("No thanks.", ConsentAnswer.No)]
    [InlineData("I'd rather not, okay?", ConsentAnswer.No)]
    [InlineData("Please don't record me", ConsentAnswer.No)]
    [InlineData("I'm looking for a house in Austin", ConsentAnswer.None)]
    [InlineData("nobody home", ConsentAnswer.None)]
    public void The_callers_answer_is_a_yes_a_no_or_neither(string words, ConsentAnswer answer) => Assert.Equal(answer, RecordingConsent.Judge(words));

    private static AgentTurnRecord Heard(string text, double start, double end) =>
        new(text, text, false, TimeSpan.FromSeconds(start), TimeSpan.FromSeconds(end), [], null, null, null, null);

    [Theory]
    [InlineData("Yes.", "No.", RecordingStatuses.Declined, "caller in CA declined")]
    [InlineData("No, wait.", "Yes, go ahead.", RecordingStatuses.Pending, "caller in CA agreed")]
    public async Task Only_a_turn_begun_after_the_question_played_out_answers_it(string overGreeting, string afterQuestion, string status, string reason)
    {
        var dir = Directory.CreateTempSubdirectory("consent-").FullName;
        try
        {
            var options = new RecordingOptions();
            var job = new RecordingJob(1, "CA1", new DateOnly(2026, 12, 3), Path.Combine(dir, "1.wav"), "");
            using var recording = new CallRecording(new RecordingPlan(RecordingMode.Ask, "CA"), new CallAudioTap(job.WavPath, () => TimeSpan.Zero), job,
                question: options.ConsentQuestion);
            recording.CallerSaid(overGreeting, TimeSpan.FromSeconds(1)); // spoken over the greeting: not yet asked
            recording.AgentSaid(Heard("Hello, thanks for calling. " + options.ConsentQuestion, 0, 4));
            recording.CallerSaid(afterQuestion, TimeSpan.FromSeconds(3.2)); // began before the question had played out
            recording.CallerSaid(afterQuestion, TimeSpan.FromSeconds(3.7)); // on its last word: an answer
            recording.CallerSaid(overGreeting, TimeSpan.FromSeconds(8)); // later turns change nothing
            var outcome = await recording.FinishAsync();
            Assert.Equal((status, reason), (outcome.Status, outcome.Reason));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_question_cut_off_by_the_caller_was_never_asked_so_nothing_answers_it()
    {
        var dir = Directory.CreateTempSubdirectory("consent-").FullName;
        try
        {
            var options = new RecordingOptions();
            var job = new RecordingJob(1, "CA1", new DateOnly(2026, 12, 3), Path.Combine(dir, "1.wav"), "");
            using var recording = new CallRecording(new RecordingPlan(RecordingMode.Ask, "CA"), new CallAudioTap(job.WavPath, () => TimeSpan.Zero), job,
                question: options.ConsentQuestion);
            recording.AgentSaid(Heard("Hello, thanks for", 0, 1.2) with { Interrupted = true });
            recording.CallerSaid("Yes, I want to sell my house.", TimeSpan.FromSeconds(1));
            var outcome = await recording.FinishAsync();
            Assert.Equal((RecordingStatuses.Declined, "caller in CA was not asked (the question was cut off)"), (outcome.Status, outcome.Reason));
            Assert.False(File.Exists(job.WavPath));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
