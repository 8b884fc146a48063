//! Known answers from twilio-python's and twilio-node's own test suites, plus
//! vectors from `fixtures/twilio/signature_vectors.py` (output committed next
//! to it as `signature_vectors.txt`).

use super::{expected_signature, validate, validate_body_sha256};

const TOKEN: &str = "12345";
const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";
const URL_443: &str = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
const SIGNATURE: &str = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
const SIGNATURE_443: &str = "kvajT1Ptam85bY51eRf/AJRuM3w=";

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

/// twilio-python's test parameters, deliberately not in sorted order.
fn call_params() -> Vec<(String, String)> {
    pairs(&[
        ("CallSid", "CA1234567890ABCDE"),
        ("Digits", "1234"),
        ("From", "+14158675309"),
        ("To", "+18005551212"),
        ("Caller", "+14158675309"),
    ])
}

#[test]
fn computes_twilio_python_known_answer() {
    assert_eq!(expected_signature(TOKEN, URL, &call_params()), SIGNATURE);
}

#[test]
fn computes_known_answer_for_url_with_443() {
    assert_eq!(
        expected_signature(TOKEN, URL_443, &call_params()),
        SIGNATURE_443
    );
}

#[test]
fn accepts_both_signatures_for_both_url_forms() {
    let params = call_params();
    for url in [URL, URL_443] {
        for signature in [SIGNATURE, SIGNATURE_443] {
            assert!(
                validate(TOKEN, url, &params, signature),
                "{url} {signature}"
            );
        }
    }
}

#[test]
fn accepts_http_with_default_port_added() {
    let url = "http://mycompany.com/myapp.php?foo=1&bar=2";
    assert!(validate(
        TOKEN,
        url,
        &call_params(),
        "0ZXoZLH/DfblKGATFgpif+LLRf4="
    ));
}

#[test]
fn accepts_custom_port_as_given_or_removed() {
    let url = "http://mycompany.com:1234/myapp.php?foo=1&bar=2";
    let params = call_params();
    assert!(validate(
        TOKEN,
        url,
        &params,
        "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="
    ));
    assert!(validate(
        TOKEN,
        "https://mycompany.com:1234/myapp.php?foo=1&bar=2",
        &params,
        SIGNATURE
    ));
}

#[test]
fn rejects_wrong_token() {
    assert!(!validate("54321", URL, &call_params(), SIGNATURE));
}

#[test]
fn rejects_tampered_param() {
    let mut params = call_params();
    params[1].1 = "9999".to_owned();
    assert!(!validate(TOKEN, URL, &params, SIGNATURE));
}

#[test]
fn rejects_missing_param() {
    let mut params = call_params();
    params.retain(|(name, _)| name != "Caller");
    assert!(!validate(TOKEN, URL, &params, SIGNATURE));
}

#[test]
fn rejects_extra_param() {
    let mut params = call_params();
    params.push(("Evil".to_owned(), "1".to_owned()));
    assert!(!validate(TOKEN, URL, &params, SIGNATURE));
}

#[test]
fn rejects_other_url_and_malformed_headers() {
    let params = call_params();
    assert!(!validate(
        TOKEN,
        "https://mycompany.com/other.php?foo=1&bar=2",
        &params,
        SIGNATURE
    ));
    assert!(!validate(TOKEN, URL, &params, ""));
    assert!(!validate(
        TOKEN,
        URL,
        &params,
        "RSOYDt4T1cUTdK1PDd93/VVr8B8"
    ));
    assert!(!validate(
        TOKEN,
        URL,
        &params,
        " RSOYDt4T1cUTdK1PDd93/VVr8B8="
    ));
    assert!(!validate(
        TOKEN,
        URL,
        &params,
        "rsoydt4t1cutdk1pdd93/vvr8b8="
    ));
}

/// Signed text, by hand, following the algorithm (names sorted, then each
/// name's values sorted; ME1 sorts before ME2 although ME2 arrived first):
///
/// ```text
/// https://mycompany.com/twilio/sms/incoming
/// Body  Tom & Jerry's lawn
/// From  +14158675309
/// MediaUrl  https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1
/// MediaUrl  https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2
/// MessageSid  MM1234567890ABCDE
/// NumMedia  2
/// To  +18005551212
/// ```
///
/// concatenated without the spaces and line breaks. HMAC-SHA1 with `12345`,
/// base64: `9dzJh8zN3b0RwPlBr7EPEKBp6Ug=` (cross-checked by the Python script).
#[test]
fn repeated_params_sign_every_value_in_sorted_order() {
    let media = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/";
    let me2 = format!("{media}ME2");
    let me1 = format!("{media}ME1");
    let params = pairs(&[
        ("MessageSid", "MM1234567890ABCDE"),
        ("From", "+14158675309"),
        ("To", "+18005551212"),
        ("Body", "Tom & Jerry's lawn"),
        ("NumMedia", "2"),
        ("MediaUrl", &me2),
        ("MediaUrl", &me1),
    ]);
    let url = "https://mycompany.com/twilio/sms/incoming";
    let expected = "9dzJh8zN3b0RwPlBr7EPEKBp6Ug=";
    assert_eq!(expected_signature(TOKEN, url, &params), expected);
    assert!(validate(TOKEN, url, &params, expected));

    let mut one_dropped = params.clone();
    one_dropped.pop();
    assert!(!validate(TOKEN, url, &one_dropped, expected));
}

#[test]
fn identical_repeated_values_match_python_and_node() {
    let media = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1";
    let params = pairs(&[("MediaUrl", media), ("MediaUrl", media), ("NumMedia", "2")]);
    let url = "https://mycompany.com/twilio/sms/incoming";
    let python = "Gcswb0k4XwJjSdASs7lULet0nl0=";
    let node = "HMvqr+6PhwA3Y2NYfo5YMVl5OWs=";
    assert_eq!(expected_signature(TOKEN, url, &params), python);
    assert!(validate(TOKEN, url, &params, python));
    assert!(validate(TOKEN, url, &params, node));
}

#[test]
fn long_tokens_are_hashed_into_the_key_as_hmac_requires() {
    let token = "k".repeat(100);
    assert_eq!(
        expected_signature(&token, URL, &call_params()),
        "cM8kXEjnCoOawPITZjVIc8AT2sI="
    );
}

#[test]
fn websocket_handshake_is_a_url_only_signature() {
    let url = "wss://mycompany.com/twilio/media-stream";
    let signature = "bza4L2v5ZPdIubz+cSRoKoaadAs=";
    assert_eq!(expected_signature(TOKEN, url, &[]), signature);
    assert!(validate(TOKEN, url, &[], signature));
    assert!(validate(
        TOKEN,
        "wss://mycompany.com:443/twilio/media-stream",
        &[],
        signature
    ));
    assert!(!validate(
        TOKEN,
        "wss://mycompany.com/twilio/media-stream?x=1",
        &[],
        signature
    ));
}

const BODY: &str = r#"{"property": "value", "boolean": true}"#;
const BODY_URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2\
    &bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
/// twilio-python's and twilio-node's published signature for `BODY_URL`.
const BODY_SIGNATURE: &str = "a9nBmqA0ju/hNViExpshrM61xv4=";

#[test]
fn body_sha256_known_answer() {
    assert_eq!(expected_signature(TOKEN, BODY_URL, &[]), BODY_SIGNATURE);
    assert!(validate_body_sha256(
        TOKEN,
        BODY_URL,
        BODY.as_bytes(),
        BODY_SIGNATURE
    ));
}

#[test]
fn body_sha256_accepts_the_port_variant() {
    let url = BODY_URL.replacen(".com/", ".com:443/", 1);
    assert!(validate_body_sha256(
        TOKEN,
        &url,
        BODY.as_bytes(),
        BODY_SIGNATURE
    ));
}

#[test]
fn body_sha256_rejects_a_tampered_body() {
    let tampered = BODY.replace("true", "false");
    assert!(!validate_body_sha256(
        TOKEN,
        BODY_URL,
        tampered.as_bytes(),
        BODY_SIGNATURE
    ));
}

#[test]
fn body_sha256_rejects_a_wrong_signature_or_token() {
    assert!(!validate_body_sha256(
        TOKEN,
        BODY_URL,
        BODY.as_bytes(),
        SIGNATURE
    ));
    assert!(!validate_body_sha256(
        "54321",
        BODY_URL,
        BODY.as_bytes(),
        BODY_SIGNATURE
    ));
}

#[test]
fn body_sha256_requires_the_hash_parameter() {
    let signature = expected_signature(TOKEN, URL, &[]);
    assert!(!validate_body_sha256(
        TOKEN,
        URL,
        BODY.as_bytes(),
        &signature
    ));
}

#[test]
fn body_sha256_rejects_a_hash_forged_into_a_fragment() {
    let url = format!(
        "{URL}#bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
    );
    let signature = expected_signature(TOKEN, &url, &[]);
    assert!(!validate_body_sha256(
        TOKEN,
        &url,
        BODY.as_bytes(),
        &signature
    ));
}

#[test]
fn odd_inputs_do_not_panic() {
    for url in [
        "",
        "://",
        "https://",
        "https://[::1",
        "https://a:b:c@",
        "é://é:é/é",
    ] {
        let signature = expected_signature("", url, &[]);
        assert!(validate("", url, &[], &signature), "{url}");
        assert!(!validate_body_sha256("", url, b"", &signature));
    }
}

#[test]
fn body_sha256_ignores_a_question_mark_inside_the_fragment() {
    let url = "https://mycompany.com/myapp.php#x?bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
    let signature = expected_signature(TOKEN, url, &[]);
    assert!(!validate_body_sha256(
        TOKEN,
        url,
        BODY.as_bytes(),
        &signature
    ));
}
