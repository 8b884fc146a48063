//! The two spellings of a webhook URL that Twilio may have signed: with the
//! port written out and without it.
//!
//! Twilio's backend is inconsistent about whether the signed URL carries the
//! port, so its helper libraries (twilio-python `add_port`/`remove_port`,
//! twilio-node `addPort`/`removePort`) check both. We edit the URL as a string
//! rather than re-serialising it through a URL parser, because a parser would
//! normalise other bytes (percent-encoding, case, trailing slash) that Twilio
//! signed verbatim.

/// The URL without any port, and the URL with a port (the default port of its
/// scheme added when none is written), as twilio-python and twilio-node try
/// them. Returns `None` when the text has no `scheme://authority` shape; the
/// caller then tries the URL exactly as given.
pub(super) fn port_variants(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme.is_empty() {
        return None;
    }
    let authority_start = scheme.len() + 3;
    let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority_end = authority_start + authority_len;
    let authority = rest.get(..authority_len)?;
    let host_start = authority.rfind('@').map_or(0, |at| at + 1);
    let host_and_port = authority.get(host_start..)?;
    let head = url.get(..authority_end)?;
    let tail = url.get(authority_end..)?;

    match port_colon(host_and_port) {
        Some(colon) => {
            let host_end = authority_start + host_start + colon;
            let without = format!("{}{}", url.get(..host_end)?, tail);
            Some((without, url.to_owned()))
        }
        None => {
            let with = format!("{head}:{}{tail}", default_port(scheme));
            Some((url.to_owned(), with))
        }
    }
}

/// Byte offset of the `:` that starts the port in `host[:port]`, skipping the
/// colons inside a bracketed IPv6 literal.
fn port_colon(host_and_port: &str) -> Option<usize> {
    let search_from = if host_and_port.starts_with('[') {
        host_and_port.find(']')?
    } else {
        0
    };
    host_and_port
        .get(search_from..)?
        .find(':')
        .map(|colon| search_from + colon)
}

/// The port a client uses when the URL names none: 443 for the TLS schemes
/// (`https`, and `wss` for the media-stream handshake), 80 otherwise, as
/// twilio-python's `add_port` does.
fn default_port(scheme: &str) -> u16 {
    if scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("wss") {
        443
    } else {
        80
    }
}

#[cfg(test)]
mod tests {
    use super::port_variants;

    fn variants(url: &str) -> (String, String) {
        port_variants(url).unwrap()
    }

    #[test]
    fn https_without_port_gains_443() {
        let (without, with) = variants("https://mycompany.com/myapp.php?foo=1&bar=2");
        assert_eq!(without, "https://mycompany.com/myapp.php?foo=1&bar=2");
        assert_eq!(with, "https://mycompany.com:443/myapp.php?foo=1&bar=2");
    }

    #[test]
    fn https_with_443_loses_it() {
        let (without, with) = variants("https://mycompany.com:443/myapp.php?foo=1&bar=2");
        assert_eq!(without, "https://mycompany.com/myapp.php?foo=1&bar=2");
        assert_eq!(with, "https://mycompany.com:443/myapp.php?foo=1&bar=2");
    }

    #[test]
    fn http_gains_80_and_custom_port_is_kept_or_dropped() {
        assert_eq!(variants("http://a.example/x").1, "http://a.example:80/x");
        let (without, with) = variants("http://a.example:1234/x");
        assert_eq!(without, "http://a.example/x");
        assert_eq!(with, "http://a.example:1234/x");
    }

    #[test]
    fn websocket_schemes_use_their_default_ports() {
        assert_eq!(
            variants("wss://a.example/twilio/media-stream").1,
            "wss://a.example:443/twilio/media-stream"
        );
        assert_eq!(variants("ws://a.example/s").1, "ws://a.example:80/s");
    }

    #[test]
    fn authority_only_query_only_and_fragment_urls() {
        assert_eq!(variants("https://a.example").1, "https://a.example:443");
        assert_eq!(
            variants("https://a.example?x=1").1,
            "https://a.example:443?x=1"
        );
        assert_eq!(
            variants("https://a.example:8443#f").0,
            "https://a.example#f"
        );
    }

    #[test]
    fn userinfo_and_ipv6_hosts_keep_their_colons() {
        let (without, with) = variants("https://user:pw@a.example:8443/x");
        assert_eq!(without, "https://user:pw@a.example/x");
        assert_eq!(with, "https://user:pw@a.example:8443/x");
        let (without, with) = variants("http://[::1]/x");
        assert_eq!(without, "http://[::1]/x");
        assert_eq!(with, "http://[::1]:80/x");
        assert_eq!(variants("http://[::1]:8080/x").0, "http://[::1]/x");
    }

    #[test]
    fn text_without_a_scheme_has_no_variants() {
        assert_eq!(port_variants("mycompany.com/x"), None);
        assert_eq!(port_variants("://x"), None);
        assert_eq!(port_variants(""), None);
    }

    #[test]
    fn a_colon_in_the_path_is_not_a_port() {
        let (without, with) = variants("https://a.example/a:b?c=d:e");
        assert_eq!(without, "https://a.example/a:b?c=d:e");
        assert_eq!(with, "https://a.example:443/a:b?c=d:e");
    }

    #[test]
    fn multibyte_hosts_do_not_panic() {
        let (without, with) = variants("https://bücher.example:443/é");
        assert_eq!(without, "https://bücher.example/é");
        assert_eq!(with, "https://bücher.example:443/é");
    }
}
