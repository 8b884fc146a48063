//! A minimal, strict XML reader for tests: rejects anything that is not
//! well-formed (raw `<` or `&` in data, unquoted or duplicate attributes,
//! mismatched tags, trailing content) and decodes entities so tests can check
//! that escaped values round-trip.

/// A parsed element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Element {
    pub(super) name: String,
    pub(super) attrs: Vec<(String, String)>,
    pub(super) children: Vec<Node>,
}

/// Element content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    /// The decoded value of attribute `name`.
    pub(super) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The concatenated decoded text directly inside this element.
    pub(super) fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|child| match child {
                Node::Text(text) => Some(text.as_str()),
                Node::Element(_) => None,
            })
            .collect()
    }

    /// The child elements.
    pub(super) fn elements(&self) -> Vec<&Element> {
        self.children
            .iter()
            .filter_map(|child| match child {
                Node::Element(element) => Some(element),
                Node::Text(_) => None,
            })
            .collect()
    }
}

/// Parses a document: an optional XML declaration, then one root element.
pub(super) fn parse(doc: &str) -> Result<Element, String> {
    let mut reader = Reader {
        chars: doc.chars().collect(),
        pos: 0,
    };
    if reader.starts_with("<?xml") {
        reader.skip_past("?>")?;
    }
    let root = reader.element()?;
    if reader.pos != reader.chars.len() {
        return Err(format!("content after the root element at {}", reader.pos));
    }
    Ok(root)
}

struct Reader {
    chars: Vec<char>,
    pos: usize,
}

impl Reader {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Result<char, String> {
        let c = self.peek().ok_or("unexpected end of document")?;
        self.pos += 1;
        Ok(c)
    }

    fn expect(&mut self, wanted: char) -> Result<(), String> {
        let got = self.next()?;
        if got == wanted {
            Ok(())
        } else {
            Err(format!(
                "expected {wanted:?}, got {got:?} at {}",
                self.pos - 1
            ))
        }
    }

    fn starts_with(&self, text: &str) -> bool {
        text.chars()
            .enumerate()
            .all(|(i, c)| self.chars.get(self.pos + i) == Some(&c))
    }

    fn skip_past(&mut self, text: &str) -> Result<(), String> {
        while !self.starts_with(text) {
            self.next()?;
        }
        self.pos += text.chars().count();
        Ok(())
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r')) {
            self.pos += 1;
        }
    }

    fn name(&mut self) -> Result<String, String> {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            let allowed = c.is_ascii_alphabetic()
                || c == '_'
                || (!name.is_empty() && (c.is_ascii_digit() || c == '-' || c == '.'));
            if !allowed {
                break;
            }
            name.push(c);
            self.pos += 1;
        }
        if name.is_empty() {
            Err(format!("expected a name at {}", self.pos))
        } else {
            Ok(name)
        }
    }

    fn element(&mut self) -> Result<Element, String> {
        self.expect('<')?;
        let name = self.name()?;
        let mut attrs: Vec<(String, String)> = Vec::new();
        loop {
            let had_space = matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r'));
            self.skip_spaces();
            match self.peek() {
                Some('/') => {
                    self.pos += 1;
                    self.expect('>')?;
                    return Ok(Element {
                        name,
                        attrs,
                        children: Vec::new(),
                    });
                }
                Some('>') => {
                    self.pos += 1;
                    break;
                }
                _ if !had_space => return Err(format!("expected a space at {}", self.pos)),
                _ => {
                    let attr = self.name()?;
                    self.expect('=')?;
                    self.expect('"')?;
                    let value = self.data('"')?;
                    self.expect('"')?;
                    if attrs.iter().any(|(key, _)| *key == attr) {
                        return Err(format!("duplicate attribute {attr}"));
                    }
                    attrs.push((attr, value));
                }
            }
        }
        let mut children = Vec::new();
        loop {
            if self.starts_with("</") {
                self.pos += 2;
                let closing = self.name()?;
                if closing != name {
                    return Err(format!("</{closing}> closes <{name}>"));
                }
                self.expect('>')?;
                return Ok(Element {
                    name,
                    attrs,
                    children,
                });
            }
            if self.peek() == Some('<') {
                children.push(Node::Element(self.element()?));
            } else {
                children.push(Node::Text(self.data('<')?));
            }
        }
    }

    /// Character data up to `end` (not consumed), entities decoded.
    fn data(&mut self, end: char) -> Result<String, String> {
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Err("unexpected end of document".to_owned()),
                Some(c) if c == end => return Ok(out),
                Some('<') => return Err(format!("raw '<' in data at {}", self.pos)),
                Some('&') => {
                    self.pos += 1;
                    out.push(self.entity()?);
                }
                Some(c) => {
                    self.pos += 1;
                    out.push(c);
                }
            }
        }
    }

    fn entity(&mut self) -> Result<char, String> {
        let mut name = String::new();
        loop {
            match self.next()? {
                ';' => break,
                c if c.is_ascii_alphanumeric() || c == '#' => name.push(c),
                c => return Err(format!("bad entity character {c:?}")),
            }
        }
        match name.as_str() {
            "amp" => Ok('&'),
            "lt" => Ok('<'),
            "gt" => Ok('>'),
            "quot" => Ok('"'),
            "apos" => Ok('\''),
            _ => name
                .strip_prefix('#')
                .and_then(|digits| digits.parse::<u32>().ok())
                .and_then(char::from_u32)
                .ok_or(format!("unknown entity &{name};")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn accepts_what_it_should() {
        let root = parse(r#"<?xml version="1.0"?><A b="x &amp; y"><C/>t&lt;&#13;</A>"#).unwrap();
        assert_eq!(root.attr("b"), Some("x & y"));
        assert_eq!(root.text(), "t<\r");
        assert_eq!(root.elements()[0].name, "C");
    }

    #[test]
    fn rejects_what_it_should() {
        for bad in [
            "<A>&</A>",
            "<A>a < b</A>",
            r#"<A b="<"/>"#,
            "<A b=x/>",
            r#"<A b="1" b="2"/>"#,
            r#"<A b="1"c="2"/>"#,
            "<A><B></A></B>",
            "<A></B>",
            "<A>",
            "<A/><B/>",
            "<A>&bogus;</A>",
            r#"<A b="'"#,
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
