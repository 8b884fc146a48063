//! What a call logs carries the call's span: its tenant and CallSid, with no
//! field repeated by hand.

use super::support::*;
use crate::log_capture::LogCapture;

#[actix::test]
async fn a_line_logged_inside_the_call_actor_names_its_tenant_and_call_sid() {
    let capture = LogCapture::new();
    let _subscriber = tracing::subscriber::set_default(capture.subscriber());
    let server = fake(quiet()).await;
    let rig = Rig::new(to(&server));
    let call = rig.call(7);
    call.send("not a frame".to_owned());
    call.wait_stats("the malformed frame counted", |s| s.malformed == 1)
        .await;
    let line = capture
        .line_with("malformed Twilio frame skipped")
        .unwrap_or_else(|| panic!("not logged: {:?}", capture.lines()));
    let span = format!("call{{tenant_id=root call_sid={}}}", call.call_sid);
    assert!(line.contains(&span), "{line}");
    assert_eq!(line.matches("call_sid").count(), 1, "{line}");
}
