using System.Xml.Linq;
using EstateVoice.Server.Features.Telephony;

namespace EstateVoice.Server.Tests.Features.Telephony;

public sealed class TwiMLTests
{
    [Fact]
    public void Connect_stream_carries_per_call_data_as_parameters_not_in_the_url()
    {
        var xml = TwiML.Serialize(TwiML.ConnectStream("wss://voice.example.com/twilio/media-stream",
            [new("call_id", "42"), new("stream_token", "tok"), new("direction", "inbound"), new("lead_id", "7")]));

        var response = XDocument.Parse(xml).Root!;
        Assert.Equal("Response", response.Name.LocalName);
        var stream = response.Element("Connect")!.Element("Stream")!;
        Assert.Equal("wss://voice.example.com/twilio/media-stream", (string)stream.Attribute("url")!);
        Assert.Equal(
            [("call_id", "42"), ("stream_token", "tok"), ("direction", "inbound"), ("lead_id", "7")],
            stream.Elements("Parameter").Select(p => ((string)p.Attribute("name")!, (string)p.Attribute("value")!)));
        // The SDK writes the declaration's encoding in lower case (the hand-written TwiML said "UTF-8"); XML names are case-blind.
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?><Response>", xml);
    }

    [Fact]
    public void Values_are_xml_escaped_and_round_trip()
    {
        const string nasty = "a&b<c>\"d\"'e'</Parameter><Hangup/>";
        var xml = TwiML.Serialize(TwiML.ConnectStream("wss://h/twilio/media-stream?x=1&y=2", [new("note", nasty)]));

        Assert.DoesNotContain("<Hangup/>", xml);
        Assert.Contains("&amp;", xml);
        var stream = XDocument.Parse(xml).Descendants("Stream").Single();
        Assert.Equal(nasty, (string)stream.Element("Parameter")!.Attribute("value")!);
        Assert.Equal("wss://h/twilio/media-stream?x=1&y=2", (string)stream.Attribute("url")!);
    }

    [Fact]
    public void Control_characters_are_dropped_instead_of_producing_invalid_xml()
    {
        // The SDK itself throws on them (XmlWriter): TwiML.Clean keeps a stray character from failing the call.
        Assert.ThrowsAny<ArgumentException>(() => TwiML.Serialize(new Twilio.TwiML.VoiceResponse().Say("Ann\u0001e")));

        var xml = TwiML.Serialize(TwiML.ConnectStream("wss://h/s", [new("name", "Ann\u0001e")]));
        Assert.Equal("Anne", (string)XDocument.Parse(xml).Descendants("Parameter").Single().Attribute("value")!);
        Assert.Equal("Anne", XDocument.Parse(TwiML.Serialize(TwiML.Say("Ann\u0001e"))).Root!.Element("Say")!.Value);
    }

    [Fact]
    public void Say_escapes_text_and_hang_up_is_a_bare_verb()
    {
        var say = XDocument.Parse(TwiML.Serialize(TwiML.Say("Maria <Lopez> & co"))).Root!;
        Assert.Equal("Maria <Lopez> & co", say.Element("Say")!.Value);
        Assert.Equal(["Hangup"], XDocument.Parse(TwiML.Serialize(TwiML.HangUp())).Root!.Elements().Select(e => e.Name.LocalName));
    }
}
