//! Answering Twilio with a TwiML document.

use actix_web::HttpResponse;
use servicepro_actors::twilio::twiml::{Response, CONTENT_TYPE};

/// `200 text/xml` with the rendered document.
pub fn twiml(doc: Response) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(CONTENT_TYPE)
        .body(doc.render())
}

/// An empty TwiML document, for callbacks that need no instructions.
pub fn empty() -> HttpResponse {
    twiml(Response::new())
}
