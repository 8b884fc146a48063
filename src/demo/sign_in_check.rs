//! Before the demo prints how to sign in, it signs in with exactly those
//! credentials over HTTP, as a browser would (the form's page for its CSRF
//! token and form cookie, then the post), so a printed line is one that works.

use anyhow::{bail, Context};
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;

/// The value of the hidden `csrf` field in `html`.
fn csrf_of(html: &str) -> Option<&str> {
    let at = html.find(r#"name="csrf" value=""#)? + r#"name="csrf" value=""#.len();
    let rest = &html[at..];
    Some(&rest[..rest.find('"')?])
}

/// Opens `{server}{path}`, posts the form there with `fields` (plus its CSRF
/// token and `next`), and checks the answer is a session on its way to `next`.
pub async fn signs_in(
    server: &str,
    path: &str,
    next: &str,
    fields: &[(&str, &str)],
) -> anyhow::Result<()> {
    let http = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()?;
    let page = http.get(format!("{server}{path}")).send().await?;
    let cookies: Vec<String> = page
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .map(str::to_owned)
        .collect();
    let html = page.text().await?;
    let csrf = csrf_of(&html).with_context(|| format!("no form token on {path}"))?;
    let mut form = vec![("csrf", csrf), ("next", next)];
    form.extend_from_slice(fields);
    let res = http
        .post(format!("{server}{path}"))
        .header(COOKIE, cookies.join("; "))
        .form(&form)
        .send()
        .await?;
    let status = res.status();
    let to = res
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let session = res
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.starts_with("sp_session="));
    if status.as_u16() != 303 || to != next || !session {
        bail!("signing in at {path} did not work: {status}, to {to:?}, session cookie {session}");
    }
    Ok(())
}
