//! Finding the YAML front matter of a Markdown file.
//!
//! Front matter is recognised only at the very start of a file (after a byte
//! order mark, which [`SourceFile`](crate::source::SourceFile) already strips):
//! a line that is exactly `---`, the YAML, and a closing line that is exactly
//! `---`. Trailing spaces are allowed on both delimiter lines. A `---` further
//! down is a thematic break of the body and never metadata.

use crate::source::Span;

/// The parts of a file with front matter, as byte ranges of its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// From the start of the file to the start of the closing delimiter line:
    /// the opening `---` and the YAML, a YAML stream of one document.
    pub yaml: Span,
    /// The YAML alone, without the opening delimiter.
    pub yaml_body: Span,
    /// The Markdown after the closing delimiter line.
    pub body: Span,
}

/// Why a file has no usable front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file is empty or only white space.
    Empty,
    /// The first line is not `---`.
    Missing,
    /// No closing `---` line; `near_miss` is a line that looks like a
    /// mistyped delimiter, such as `----` or `--- x`.
    Unclosed { opening: Span, near_miss: Option<Span> },
}

/// Split `text` into front matter and body.
pub fn split(text: &str) -> Result<Split, SplitError> {
    if text.trim().is_empty() {
        return Err(SplitError::Empty);
    }
    let mut lines = line_spans(text);
    let opening = lines.next().expect("a non-empty text has a first line");
    if !is_delimiter(&text[opening.start..opening.end]) {
        return Err(SplitError::Missing);
    }

    let mut near_miss = None;
    for line in lines {
        let content = &text[line.start..line.end];
        if is_delimiter(content) {
            let body_start = (line.end + 1).min(text.len());
            return Ok(Split {
                yaml: Span::new(0, line.start),
                yaml_body: Span::new((opening.end + 1).min(line.start), line.start),
                body: Span::new(body_start, text.len()),
            });
        }
        if near_miss.is_none() && content.starts_with("---") {
            near_miss = Some(line);
        }
    }
    Err(SplitError::Unclosed { opening, near_miss })
}

fn is_delimiter(line: &str) -> bool {
    line.trim_end_matches([' ', '\t']) == "---"
}

/// The span of every line without its `\n`.
fn line_spans(text: &str) -> impl Iterator<Item = Span> + '_ {
    let mut start = 0;
    text.split('\n').map(move |line| {
        let span = Span::new(start, start + line.len());
        start += line.len() + 1;
        span
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> (&str, &str) {
        let split = split(text).unwrap();
        (&text[split.yaml_body.start..split.yaml_body.end], &text[split.body.start..split.body.end])
    }

    #[test]
    fn splits_yaml_from_body() {
        assert_eq!(parts("---\ntitle: T\n---\nBody\n"), ("title: T\n", "Body\n"));
    }

    #[test]
    fn later_rules_stay_in_the_body() {
        let (yaml, body) = parts("---\ntitle: T\n---\nOne\n\n---\n\nTwo\n\n---\n\nThree");
        assert_eq!(yaml, "title: T\n");
        assert_eq!(body, "One\n\n---\n\nTwo\n\n---\n\nThree");
    }

    #[test]
    fn a_closing_line_with_an_extra_dash_does_not_close() {
        let text = "---\ntitle: x\n----\nBody";
        let Err(SplitError::Unclosed { near_miss: Some(line), .. }) = split(text) else {
            panic!("expected an unclosed front matter");
        };
        assert_eq!(&text[line.start..line.end], "----");
    }

    #[test]
    fn no_front_matter_is_missing_even_with_rules_below() {
        assert_eq!(
            split("# Note\n\ntext\n\n---\n\nkey: v\n\n---\n\nend"),
            Err(SplitError::Missing)
        );
        assert_eq!(split("  \n"), Err(SplitError::Empty));
    }

    #[test]
    fn empty_front_matter_and_no_body() {
        assert_eq!(parts("---\n---"), ("", ""));
    }
}
