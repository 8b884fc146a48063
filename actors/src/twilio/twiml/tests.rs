//! Exact renderings of the documents ServicePro serves, plus well-formedness
//! and escaping round trips through the strict reader in `wellformed`.

use super::wellformed::{parse, Element};
use super::{
    Connect, Dial, DialRecord, Gather, Hangup, Message, Method, Number, Pause, Play, Record,
    RecordingEvent, Redirect, Reject, RejectReason, Response, Say, Sip, SpeechTimeout, Stream,
    Verb, CONTENT_TYPE,
};

const BUSINESS: &str = r#"Tom & Jerry's <Lawn> "Care""#;

/// Renders `response` and checks it parses back as well-formed XML.
fn render(response: &Response) -> (String, Element) {
    let xml = response.render();
    let root = parse(&xml).unwrap_or_else(|error| panic!("{error}: {xml}"));
    assert_eq!(root.name, "Response");
    (xml, root)
}

#[test]
fn sip_forward() {
    let response = Response::new().dial(
        Dial::new()
            .caller_id("+14158675309")
            .timeout(20)
            .action("https://pro.example/twilio/voice/status?tenant=root&leg=forward")
            .sip(Sip::new("jody@cleanmachinetulsa.sip.twilio.com")),
    );
    let (xml, _) = render(&response);
    insta::assert_snapshot!(xml, @r#"<?xml version="1.0" encoding="UTF-8"?><Response><Dial callerId="+14158675309" timeout="20" action="https://pro.example/twilio/voice/status?tenant=root&amp;leg=forward"><Sip>jody@cleanmachinetulsa.sip.twilio.com</Sip></Dial></Response>"#);
}

#[test]
fn dial_with_every_attribute_and_several_targets() {
    let response = Response::new().dial(
        Dial::new()
            .caller_id("+14158675309")
            .timeout(30)
            .action("/twilio/voice/status")
            .method(Method::Get)
            .record(DialRecord::RecordFromAnswerDual)
            .answer_on_bridge(true)
            .sip(Sip::new("sip:jody@cleanmachinetulsa.sip.twilio.com"))
            .number(Number::new("+19185550100"))
            .number(Number::new("+19185550101")),
    );
    let (xml, root) = render(&response);
    insta::assert_snapshot!(xml, @r#"<?xml version="1.0" encoding="UTF-8"?><Response><Dial callerId="+14158675309" timeout="30" action="/twilio/voice/status" method="GET" record="record-from-answer-dual" answerOnBridge="true"><Sip>sip:jody@cleanmachinetulsa.sip.twilio.com</Sip><Number>+19185550100</Number><Number>+19185550101</Number></Dial></Response>"#);
    assert_eq!(root.elements()[0].elements().len(), 3);
}

#[test]
fn ivr_gather() {
    let response = Response::new()
        .gather(
            Gather::dtmf_speech()
                .num_digits(1)
                .timeout(5)
                .action("https://pro.example/twilio/voice/ivr")
                .method(Method::Post)
                .speech_timeout(SpeechTimeout::Auto)
                .hints(["book", "hours", "voicemail"])
                .action_on_empty_result(true)
                .say(
                    Say::new("Thanks for calling Clean Machine.")
                        .voice("Polly.Joanna")
                        .language("en-US"),
                )
                .pause(Pause::seconds(1))
                .say(
                    Say::new("Press 1 to book, 2 for hours, or 3 to leave a message.")
                        .voice("Polly.Joanna"),
                ),
        )
        .redirect(Redirect::new("https://pro.example/twilio/voice/incoming").method(Method::Post));
    let (xml, _) = render(&response);
    insta::assert_snapshot!(xml, @r#"<?xml version="1.0" encoding="UTF-8"?><Response><Gather input="dtmf speech" numDigits="1" timeout="5" action="https://pro.example/twilio/voice/ivr" method="POST" speechTimeout="auto" hints="book, hours, voicemail" actionOnEmptyResult="true"><Say voice="Polly.Joanna" language="en-US">Thanks for calling Clean Machine.</Say><Pause length="1"/><Say voice="Polly.Joanna">Press 1 to book, 2 for hours, or 3 to leave a message.</Say></Gather><Redirect method="POST">https://pro.example/twilio/voice/incoming</Redirect></Response>"#);
}

#[test]
fn gather_variants() {
    let response = Response::new().gather(Gather::dtmf()).gather(
        Gather::speech()
            .speech_timeout(SpeechTimeout::Seconds(2))
            .hints(Vec::<String>::new())
            .play(Play::new("https://cdn.example/menu.mp3")),
    );
    let (xml, _) = render(&response);
    insta::assert_snapshot!(xml, @r#"<?xml version="1.0" encoding="UTF-8"?><Response><Gather input="dtmf"/><Gather input="speech" speechTimeout="2"><Play>https://cdn.example/menu.mp3</Play></Gather></Response>"#);
}

#[test]
fn voicemail_record() {
    let recording = "https://pro.example/twilio/voice/recording";
    let response = Response::new()
        .say(Say::new("Please leave a message after the beep.").voice("Polly.Joanna"))
        .record(
            Record::new()
                .action(recording)
                .method(Method::Post)
                .max_length(120)
                .play_beep(true)
                .recording_status_callback(recording)
                .recording_status_callback_event([
                    RecordingEvent::Completed,
                    RecordingEvent::Absent,
                ])
                .transcribe(false)
                .finish_on_key("#")
                .timeout(5),
        )
        .hangup();
    let (xml, _) = render(&response);
    insta::assert_snapshot!(xml, @r##"<?xml version="1.0" encoding="UTF-8"?><Response><Say voice="Polly.Joanna">Please leave a message after the beep.</Say><Record action="https://pro.example/twilio/voice/recording" method="POST" maxLength="120" playBeep="true" recordingStatusCallback="https://pro.example/twilio/voice/recording" recordingStatusCallbackEvent="completed absent" transcribe="false" finishOnKey="#" timeout="5"/><Hangup/></Response>"##);
}

#[test]
fn connect_stream_with_tenant_parameter() {
    let response = Response::new().connect(Connect::stream(
        Stream::new("wss://pro.example/twilio/media-stream").parameter("tenant_id", "root"),
    ));
    let (xml, _) = render(&response);
    insta::assert_snapshot!(xml, @r#"<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="wss://pro.example/twilio/media-stream"><Parameter name="tenant_id" value="root"/></Stream></Connect></Response>"#);
}

#[test]
fn connect_stream_with_every_attribute() {
    let response = Response::new().connect(
        Connect::stream(
            Stream::new("wss://pro.example/twilio/media-stream")
                .name("ai-agent")
                .status_callback("https://pro.example/twilio/voice/status")
                .parameter("tenant_id", "root")
                .parameter("call_id", "42"),
        )
        .action("https://pro.example/twilio/voice/incoming?after=stream")
        .method(Method::Post),
    );
    let (xml, root) = render(&response);
    insta::assert_snapshot!(xml, @r#"<?xml version="1.0" encoding="UTF-8"?><Response><Connect action="https://pro.example/twilio/voice/incoming?after=stream" method="POST"><Stream url="wss://pro.example/twilio/media-stream" name="ai-agent" statusCallback="https://pro.example/twilio/voice/status"><Parameter name="tenant_id" value="root"/><Parameter name="call_id" value="42"/></Stream></Connect></Response>"#);
    let stream = root.elements()[0].elements()[0].clone();
    let parameters: Vec<(Option<&str>, Option<&str>)> = stream
        .elements()
        .iter()
        .map(|p| (p.attr("name"), p.attr("value")))
        .collect();
    assert_eq!(
        parameters,
        [
            (Some("tenant_id"), Some("root")),
            (Some("call_id"), Some("42"))
        ]
    );
}

#[test]
fn business_name_is_escaped_in_text_and_attributes() {
    let response = Response::new()
        .say(Say::new(format!("Thanks for calling {BUSINESS}!")).voice(BUSINESS))
        .connect(Connect::stream(
            Stream::new("wss://pro.example/twilio/media-stream")
                .parameter("business_name", BUSINESS),
        ));
    let (xml, root) = render(&response);
    insta::assert_snapshot!(xml, @r#"<?xml version="1.0" encoding="UTF-8"?><Response><Say voice="Tom &amp; Jerry&apos;s &lt;Lawn&gt; &quot;Care&quot;">Thanks for calling Tom &amp; Jerry&apos;s &lt;Lawn&gt; &quot;Care&quot;!</Say><Connect><Stream url="wss://pro.example/twilio/media-stream"><Parameter name="business_name" value="Tom &amp; Jerry&apos;s &lt;Lawn&gt; &quot;Care&quot;"/></Stream></Connect></Response>"#);

    let verbs = root.elements();
    assert_eq!(verbs[0].text(), format!("Thanks for calling {BUSINESS}!"));
    assert_eq!(verbs[0].attr("voice"), Some(BUSINESS));
    let parameter = verbs[1].elements()[0].elements()[0].clone();
    assert_eq!(parameter.attr("value"), Some(BUSINESS));
}

#[test]
fn markup_in_values_cannot_inject_verbs() {
    let hostile = r#"</Say><Hangup/><Say x="a"#;
    let response = Response::new()
        .say(Say::new(hostile))
        .message(Message::new(hostile).to(hostile));
    let (_, root) = render(&response);
    let names: Vec<&str> = root.elements().iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["Say", "Message"]);
    assert_eq!(root.elements()[0].text(), hostile);
    assert_eq!(root.elements()[1].attr("to"), Some(hostile));
}

#[test]
fn every_verb_with_awkward_values_stays_well_formed() {
    let awkward = "a&b<c>d\"e'f\tg\nh\ri\u{0}j\u{1b}k\u{fffe}l😀";
    let kept = "a&b<c>d\"e'f\tg\nh\rijkl😀";
    let response = Response::new()
        .say(
            Say::new(awkward)
                .voice(awkward)
                .language(awkward)
                .loop_count(2),
        )
        .play(Play::new(awkward).loop_count(0))
        .gather(
            Gather::dtmf()
                .action(awkward)
                .hints([awkward, "b"])
                .say(Say::new(awkward))
                .play(Play::new(awkward))
                .pause(Pause::new()),
        )
        .dial(
            Dial::new()
                .caller_id(awkward)
                .action(awkward)
                .sip(Sip::new(awkward))
                .number(Number::new(awkward)),
        )
        .record(
            Record::new()
                .action(awkward)
                .recording_status_callback(awkward)
                .finish_on_key(awkward),
        )
        .connect(Connect::stream(
            Stream::new(awkward)
                .name(awkward)
                .status_callback(awkward)
                .parameter(awkward, awkward),
        ))
        .redirect(Redirect::new(awkward))
        .pause(Pause::seconds(3))
        .message(Message::new(awkward).to(awkward).from(awkward))
        .reject(Reject::reason(RejectReason::Busy))
        .hangup();
    let (_, root) = render(&response);
    let verbs = root.elements();
    assert_eq!(verbs.len(), 11);
    assert_eq!(verbs[0].text(), kept);
    assert_eq!(verbs[0].attr("voice"), Some(kept));
    assert_eq!(verbs[2].attr("hints"), Some(format!("{kept}, b").as_str()));
    assert_eq!(verbs[8].attr("from"), Some(kept));
}

#[test]
fn small_verbs() {
    let response = Response::new()
        .play(Play::new("https://cdn.example/hold.mp3").loop_count(0))
        .pause(Pause::new())
        .redirect(Redirect::new("/twilio/voice/incoming"))
        .reject(Reject::new())
        .reject(Reject::reason(RejectReason::Busy))
        .reject(Reject::reason(RejectReason::Rejected))
        .verb(Verb::Hangup(Hangup));
    let (xml, _) = render(&response);
    insta::assert_snapshot!(xml, @r#"<?xml version="1.0" encoding="UTF-8"?><Response><Play loop="0">https://cdn.example/hold.mp3</Play><Pause/><Redirect>/twilio/voice/incoming</Redirect><Reject/><Reject reason="busy"/><Reject reason="rejected"/><Hangup/></Response>"#);
}

#[test]
fn sms_reply() {
    let response = Response::new()
        .message(Message::new(
            "You're booked for Tuesday at 9 & we'll text a reminder.",
        ))
        .message(
            Message::new("New booking")
                .to("+19185550100")
                .from("+18005551212"),
        );
    let (xml, _) = render(&response);
    insta::assert_snapshot!(xml, @r#"<?xml version="1.0" encoding="UTF-8"?><Response><Message>You&apos;re booked for Tuesday at 9 &amp; we&apos;ll text a reminder.</Message><Message to="+19185550100" from="+18005551212">New booking</Message></Response>"#);
}

#[test]
fn empty_response_and_display() {
    let (xml, root) = render(&Response::new());
    assert_eq!(xml, r#"<?xml version="1.0" encoding="UTF-8"?><Response/>"#);
    assert!(root.children.is_empty());

    let response = Response::new().say(Say::new("Hi")).hangup();
    assert_eq!(response.to_string(), response.render());
    assert_eq!(response.verbs().len(), 2);
}

#[test]
fn say_loop_and_empty_text() {
    let response = Response::new()
        .say(Say::new("Goodbye").loop_count(2))
        .say(Say::new(""));
    let (xml, _) = render(&response);
    insta::assert_snapshot!(xml, @r#"<?xml version="1.0" encoding="UTF-8"?><Response><Say loop="2">Goodbye</Say><Say/></Response>"#);
}

#[test]
fn content_type_is_xml_utf8() {
    assert_eq!(CONTENT_TYPE, "text/xml; charset=utf-8");
}
