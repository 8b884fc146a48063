//! What the layout (`templates/web/base.html`) shows around every page: the
//! title, the navigation with the current section marked, the status banner,
//! and the sign-out form with its CSRF token.

/// One navigation link.
#[derive(Debug, Clone)]
pub struct NavItem {
    /// Link text.
    pub label: &'static str,
    /// Where it goes.
    pub href: String,
    /// Whether it is the page being shown (`aria-current="page"`).
    pub current: bool,
}

/// How a banner reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Good news (a saved form).
    Ok,
    /// Needs attention (past due, trial ending).
    Warn,
    /// Blocking (suspended).
    Bad,
}

impl Tone {
    /// The banner's CSS class.
    pub fn class(&self) -> &'static str {
        match self {
            Tone::Ok => "ok",
            Tone::Warn => "warn",
            Tone::Bad => "bad",
        }
    }
}

/// A line across the top of the page.
#[derive(Debug, Clone)]
pub struct Banner {
    /// How it reads.
    pub tone: Tone,
    /// What it says.
    pub text: String,
}

/// The sign-out form in the header.
#[derive(Debug, Clone)]
pub struct SignOut {
    /// Where it posts.
    pub action: &'static str,
    /// Its CSRF token.
    pub csrf: String,
}

/// Everything the layout needs.
#[derive(Debug, Clone)]
pub struct Chrome {
    /// The page's own title (the product name is appended).
    pub title: String,
    /// The product's name in the header and the title.
    pub product: &'static str,
    /// Where the header's name links.
    pub home: &'static str,
    /// The stylesheet URL.
    pub css_href: &'static str,
    /// Navigation links (none on a sign-in page).
    pub nav: Vec<NavItem>,
    /// The status banner, when there is one.
    pub banner: Option<Banner>,
    /// The sign-out form, when someone is signed in.
    pub sign_out: Option<SignOut>,
}

impl Chrome {
    /// A page with `title`, no navigation, no banner, nobody signed in.
    pub fn public(title: impl Into<String>) -> Self {
        Chrome {
            title: title.into(),
            product: "ServicePro",
            home: "/",
            css_href: super::assets::app_css_href(),
            nav: Vec::new(),
            banner: None,
            sign_out: None,
        }
    }

    /// Adds a navigation link, marked current when `href` is `current_path`.
    pub fn link(
        mut self,
        label: &'static str,
        href: impl Into<String>,
        current_path: &str,
    ) -> Self {
        let href = href.into();
        let current = href == current_path;
        self.nav.push(NavItem {
            label,
            href,
            current,
        });
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use askama::Template;

    #[derive(Template)]
    #[template(
        source = "{% extends \"web/base.html\" %}{% block content %}<p>{{ body }}</p>{% endblock %}",
        ext = "html"
    )]
    struct Probe {
        chrome: Chrome,
        body: String,
    }

    #[test]
    fn the_layout_escapes_what_it_is_given_and_marks_the_current_link() {
        let mut chrome = Chrome::public("<b>Hi</b>").link("Today", "/app", "/app");
        chrome.banner = Some(Banner {
            tone: Tone::Bad,
            text: "<script>alert(1)</script>".into(),
        });
        let html = Probe {
            chrome,
            body: "<img src=x onerror=alert(1)>".into(),
        }
        .render()
        .unwrap_or_default();
        assert!(
            html.contains("&#60;b&#62;Hi&#60;/b&#62; · ServicePro"),
            "{html}"
        );
        assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"));
        assert!(html.contains("&#60;img src=x onerror=alert(1)&#62;"));
        assert!(!html.contains("<script>"));
        assert!(html.contains(r#"<a href="/app" aria-current="page">Today</a>"#));
        assert!(html.contains(r#"<main id="main""#) && html.contains("/static/app.css?v="));
    }
}
