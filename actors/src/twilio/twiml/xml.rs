//! The only place TwiML text is produced: an element writer that escapes
//! every interpolated value.

use std::fmt::{Display, Write as _};

/// Renders one TwiML element (and its children) into an [`Xml`] writer.
pub(super) trait ToXml {
    /// Appends this element to `xml`.
    fn to_xml(&self, xml: &mut Xml);
}

/// Attribute list of one element, in the order the element declares them;
/// absent optional attributes are left out.
#[derive(Debug, Default)]
pub(super) struct Attrs(Vec<(&'static str, String)>);

impl Attrs {
    /// An empty list.
    pub(super) fn new() -> Self {
        Self::default()
    }

    /// Adds `name="value"` when `value` is present.
    pub(super) fn opt(mut self, name: &'static str, value: Option<impl Display>) -> Self {
        if let Some(value) = value {
            self.0.push((name, value.to_string()));
        }
        self
    }
}

/// An XML document under construction.
#[derive(Debug, Default)]
pub(super) struct Xml {
    out: String,
}

impl Xml {
    /// A writer that has written the XML declaration Twilio documents.
    pub(super) fn with_declaration() -> Self {
        Self {
            out: String::from(r#"<?xml version="1.0" encoding="UTF-8"?>"#),
        }
    }

    /// Writes `<name attrs>body</name>`, or `<name attrs/>` when `body` writes
    /// nothing.
    pub(super) fn element(&mut self, name: &str, attrs: Attrs, body: impl FnOnce(&mut Self)) {
        self.out.push('<');
        self.out.push_str(name);
        for (attr, value) in &attrs.0 {
            self.out.push(' ');
            self.out.push_str(attr);
            self.out.push_str("=\"");
            escape_into(&mut self.out, value, Context::Attribute);
            self.out.push('"');
        }
        let start_tag_end = self.out.len();
        self.out.push('>');
        body(self);
        if self.out.len() == start_tag_end + 1 {
            self.out.truncate(start_tag_end);
            self.out.push_str("/>");
        } else {
            let _ = write!(self.out, "</{name}>");
        }
    }

    /// Writes a text node, escaped.
    pub(super) fn text(&mut self, text: &str) {
        escape_into(&mut self.out, text, Context::Text);
    }

    /// The finished document.
    pub(super) fn finish(self) -> String {
        self.out
    }
}

/// Where an escaped value lands; attribute values also keep their tabs and
/// line breaks, which XML attribute normalisation would turn into spaces.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Text,
    Attribute,
}

/// Appends `value` with the five XML special characters escaped, `\r` kept as
/// a character reference (parsers would fold it into `\n`), and characters
/// XML 1.0 cannot carry at all (most C0 controls, U+FFFE, U+FFFF) dropped, so
/// the document stays well-formed whatever a caller or an SMS put in.
fn escape_into(out: &mut String, value: &str, context: Context) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\n' if context == Context::Attribute => out.push_str("&#10;"),
            '\t' if context == Context::Attribute => out.push_str("&#9;"),
            '\t' | '\n' => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {}
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{escape_into, Attrs, Context, Xml};

    fn escaped(value: &str, context: Context) -> String {
        let mut out = String::new();
        escape_into(&mut out, value, context);
        out
    }

    #[test]
    fn escapes_the_five_specials_everywhere() {
        let expected = "Tom &amp; Jerry&apos;s &lt;Lawn&gt; &quot;Care&quot;";
        let value = r#"Tom & Jerry's <Lawn> "Care""#;
        assert_eq!(escaped(value, Context::Text), expected);
        assert_eq!(escaped(value, Context::Attribute), expected);
    }

    #[test]
    fn keeps_whitespace_and_drops_what_xml_cannot_carry() {
        assert_eq!(escaped("a\tb\nc\rd", Context::Text), "a\tb\nc&#13;d");
        assert_eq!(
            escaped("a\tb\nc\rd", Context::Attribute),
            "a&#9;b&#10;c&#13;d"
        );
        assert_eq!(
            escaped("x\u{0}\u{7}\u{1b}\u{fffe}\u{ffff}y", Context::Text),
            "xy"
        );
        assert_eq!(escaped("café ☕ 😀", Context::Text), "café ☕ 😀");
    }

    #[test]
    fn empty_elements_self_close() {
        let mut xml = Xml::default();
        xml.element("A", Attrs::new().opt("b", Some(1)), |xml| {
            xml.element("C", Attrs::new().opt("d", None::<u8>), |_| {});
            xml.text("");
        });
        assert_eq!(xml.finish(), r#"<A b="1"><C/></A>"#);
    }
}
