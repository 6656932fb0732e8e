//! Text put into HTML, SVG or XML by hand, outside the templates: `&`, `<`,
//! `>`, `"` and `'` escaped, safe in content and in quoted attributes.

/// `text`, escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// Append `text` to `out`, escaped.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_both_quotes() {
        assert_eq!(
            escape(r#"<a href="x">Fish & 'Chips'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Fish &amp; &#39;Chips&#39;&lt;/a&gt;"
        );
    }
}
