using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Voice.Stages;
using Microsoft.Extensions.Time.Testing;

namespace EstateVoice.Server.Tests.Features.Voice.Stages;

/// <summary>Only a reply to a caller turn has latency figures, and only from marks of that reply.</summary>
public sealed class ReplyTimingsTests
{
    [Fact]
    public void A_mark_left_over_from_an_earlier_reply_is_not_a_figure_of_this_one()
    {
        var time = new FakeTimeProvider();
        var timings = new ReplyTimings();
        var stale = time.GetTimestamp();
        time.Advance(TimeSpan.FromMinutes(26));
        var handedOver = time.GetTimestamp();
        timings.Begin(new ReplyCause(handedOver, TimeSpan.FromMilliseconds(150)));
        timings.Mark(ReplyMark.TtsFirstByte, stale);
        time.Advance(TimeSpan.FromMilliseconds(400));
        timings.Mark(ReplyMark.LlmFirstToken, time.GetTimestamp());

        var (_, stt, llm, tts, _) = timings.Complete(time);

        Assert.Equal(TimeSpan.FromMilliseconds(150), stt);
        Assert.Equal(TimeSpan.FromMilliseconds(550), llm);
        Assert.Null(tts);
    }

    [Fact]
    public void Words_no_caller_asked_for_have_no_figures_whatever_marks_arrive()
    {
        var time = new FakeTimeProvider();
        var timings = new ReplyTimings();
        timings.Begin(null);
        timings.Mark(ReplyMark.TtsFirstByte, time.GetTimestamp());
        timings.FirstAudio(time.GetTimestamp());

        var (_, stt, llm, tts, audio) = timings.Complete(time);

        Assert.Equal((null, null, null, null), (stt, llm, tts, audio));
    }
}
