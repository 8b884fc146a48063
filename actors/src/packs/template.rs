//! `{placeholder}` text templates.
//!
//! Pack texts reach real customers, so a template is all or nothing: every
//! placeholder must be filled, or rendering fails. A literal `{name}` must
//! never go out in a text message or be read aloud on a call.

use thiserror::Error;

/// Why a template could not be rendered or checked. Each variant names the
/// offending placeholder or byte offset so a pack author can find it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TemplateError {
    /// The template names a placeholder that no value was supplied for.
    #[error("no value for placeholder {{{name}}}")]
    Missing {
        /// The placeholder name, without braces.
        name: String,
    },
    /// A `{` opened a placeholder that never closed.
    #[error("unclosed placeholder starting at byte {at}")]
    Unclosed {
        /// Byte offset of the opening brace.
        at: usize,
    },
    /// A `}` with no placeholder open. Templates have no literal braces.
    #[error("stray '}}' at byte {at}")]
    StrayBrace {
        /// Byte offset of the closing brace.
        at: usize,
    },
    /// A placeholder whose name is not lowercase `snake_case`.
    #[error("bad placeholder name {name:?}: use lowercase letters, digits and '_'")]
    BadName {
        /// The text found between the braces.
        name: String,
    },
}

/// One piece of a parsed template.
enum Token<'a> {
    Text(&'a str),
    Slot(&'a str),
}

/// Whether `name` is a valid placeholder: a lowercase letter, then lowercase
/// letters, digits or `_`.
fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Splits a template into literal text and placeholder slots.
fn tokenize(template: &str) -> Result<Vec<Token<'_>>, TemplateError> {
    let mut tokens = Vec::new();
    let mut rest = template;
    let mut offset = 0;
    while let Some(pos) = rest.find(['{', '}']) {
        let (before, from_brace) = rest.split_at(pos);
        if !before.is_empty() {
            tokens.push(Token::Text(before));
        }
        if from_brace.starts_with('}') {
            return Err(TemplateError::StrayBrace { at: offset + pos });
        }
        let inner = &from_brace[1..];
        let close = inner
            .find('}')
            .ok_or(TemplateError::Unclosed { at: offset + pos })?;
        let name = &inner[..close];
        if !valid_name(name) {
            return Err(TemplateError::BadName {
                name: name.to_owned(),
            });
        }
        tokens.push(Token::Slot(name));
        let consumed = pos + 1 + close + 1;
        rest = &rest[consumed..];
        offset += consumed;
    }
    if !rest.is_empty() {
        tokens.push(Token::Text(rest));
    }
    Ok(tokens)
}

/// The placeholder names a template uses, in order of first appearance,
/// each once. Pack validation uses it to check templates against the names
/// the product supplies for each template key.
pub fn placeholders(template: &str) -> Result<Vec<&str>, TemplateError> {
    let mut names: Vec<&str> = Vec::new();
    for token in tokenize(template)? {
        if let Token::Slot(name) = token {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    Ok(names)
}

/// Fills every `{placeholder}` in `template` from `values` (name, value
/// pairs; extra pairs are ignored, the first pair wins on duplicates).
/// Values are inserted verbatim and never re-scanned, so a customer's name
/// containing braces cannot inject a placeholder.
///
/// Fails when a placeholder has no value or the template is malformed, so
/// callers never send a half-filled message.
pub fn render_template(template: &str, values: &[(&str, &str)]) -> Result<String, TemplateError> {
    let tokens = tokenize(template)?;
    let mut out = String::with_capacity(template.len() + 32);
    for token in tokens {
        match token {
            Token::Text(text) => out.push_str(text),
            Token::Slot(name) => {
                let value = values
                    .iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| *value)
                    .ok_or_else(|| TemplateError::Missing {
                        name: name.to_owned(),
                    })?;
                out.push_str(value);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_every_placeholder() {
        let text = render_template(
            "Hi {customer_name}, see you {date} at {time}, {customer_name}!",
            &[
                ("customer_name", "Dana"),
                ("date", "Fri 5/8"),
                ("time", "9:00 AM"),
            ],
        )
        .unwrap();
        assert_eq!(text, "Hi Dana, see you Fri 5/8 at 9:00 AM, Dana!");
    }

    #[test]
    fn plain_text_passes_through() {
        assert_eq!(
            render_template("No slots here.", &[]).unwrap(),
            "No slots here."
        );
        assert_eq!(render_template("", &[]).unwrap(), "");
    }

    #[test]
    fn unknown_placeholder_is_an_error() {
        let err = render_template("Hi {nickname}!", &[("customer_name", "Dana")]).unwrap_err();
        assert_eq!(
            err,
            TemplateError::Missing {
                name: "nickname".into()
            }
        );
        assert_eq!(err.to_string(), "no value for placeholder {nickname}");
    }

    #[test]
    fn values_are_not_rescanned() {
        let text = render_template("Hi {customer_name}", &[("customer_name", "{price}")]).unwrap();
        assert_eq!(text, "Hi {price}");
    }

    #[test]
    fn malformed_templates_are_errors() {
        assert_eq!(
            render_template("Hi {name", &[("name", "x")]),
            Err(TemplateError::Unclosed { at: 3 })
        );
        assert_eq!(
            render_template("a } b", &[]),
            Err(TemplateError::StrayBrace { at: 2 })
        );
        for bad in ["{}", "{Name}", "{first name}", "{1st}", "{a{b}"] {
            assert!(
                matches!(
                    render_template(bad, &[]),
                    Err(TemplateError::BadName { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn lists_placeholders_once_in_order() {
        let names = placeholders("{b} and {a} then {b} – ünïcode {c}").unwrap();
        assert_eq!(names, ["b", "a", "c"]);
    }
}
