//! Email addresses customers type for confirmations and receipts.

use crate::brain::nlu::normalize::Normalized;

/// The first plausible email address in the original text, lowercased.
pub fn email(text: &Normalized) -> Option<String> {
    text.original
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '<' | '>' | '(' | ')' | '"'))
        .map(|chunk| chunk.trim_matches(|c: char| !c.is_ascii_alphanumeric()))
        .find(|chunk| is_email(chunk))
        .map(str::to_ascii_lowercase)
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = domain.len() <= 253
        && labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    local_ok && domain_ok
}
