//! The one place that knows the YAML library. Everything else sees typed
//! values, [`Spanned`] values with file byte spans, and [`YamlError`].
//!
//! Callers pass text that starts at the beginning of its file (front matter is
//! parsed together with its opening `---`, which YAML reads as a document
//! start), so every span the library reports is already a file offset.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_saphyr::{MessageFormatter, UserMessageFormatter};

use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use crate::rules;
use crate::source::{SourceFile, Span, Spanned};

/// A YAML document that could not be read into the expected shape.
#[derive(Debug, Clone)]
pub struct YamlError {
    /// The rule the problem belongs to.
    pub rule: &'static str,
    /// What went wrong, in the library's words for users.
    pub message: String,
    /// Where, as a file offset; empty when the library gave no byte offset.
    pub span: Span,
    /// The 1-based line and column the library reported.
    pub line_column: Option<(usize, usize)>,
}

/// Parse `text` (a whole YAML stream of one document) into `T`.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_saphyr::from_str_with_options::<T>(text, options())
        .map_err(|err| {
            let message = UserMessageFormatter.format_message(err.without_snippet()).into_owned();
            let location = err.location();
            let span = location
                .and_then(|l| {
                    let span = l.span();
                    Some(Span::new(
                        span.byte_offset()? as usize,
                        (span.byte_offset()? + span.byte_len()?) as usize,
                    ))
                })
                .unwrap_or_default();
            let line_column = location.map(|l| (l.line() as usize, l.column() as usize));
            YamlError { rule: rule_of(err.without_snippet()), message, span, line_column }
        })
        .and_then(|value| match first_control_character(text) {
            Some((span, c)) => Err(YamlError {
                rule: rules::CONTROL_CHARACTER,
                message: format!("the value holds the control character U+{:04X}", u32::from(c)),
                span,
                line_column: None,
            }),
            None => Ok(value),
        })
}

/// Whether a character may not reach a page: the C0 and C1 controls (XML 1.0
/// forbids most of them) except tab and line feed.
pub fn is_forbidden_control(c: char) -> bool {
    c.is_control() && c != '\t' && c != '\n'
}

/// The first string value with a forbidden control character, and where it
/// is. YAML rejects them as raw bytes, so only escapes (`"\e"`, `"\x0c"`)
/// can make one; text without a backslash is not walked.
fn first_control_character(text: &str) -> Option<(Span, char)> {
    if !text.contains('\\') {
        return None;
    }
    serde_saphyr::from_str_with_options::<FirstControl>(text, options()).ok()?.0
}

/// A walk over a whole YAML document that keeps the first string value with
/// a forbidden control character.
struct FirstControl(Option<(Span, char)>);

/// What one node of the walk found: a scalar's bad character, or the first
/// finding below a sequence or mapping.
enum Node {
    Scalar(Option<char>),
    Nested(Option<(Span, char)>),
}

impl<'de> Deserialize<'de> for FirstControl {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Spanned { value, span } = Spanned::<Node>::deserialize(deserializer)?;
        Ok(Self(match value {
            Node::Scalar(found) => found.map(|c| (span, c)),
            Node::Nested(found) => found,
        }))
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NodeVisitor;

        impl<'de> Visitor<'de> for NodeVisitor {
            type Value = Node;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any YAML value")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Node, E> {
                Ok(Node::Scalar(v.chars().find(|&c| is_forbidden_control(c))))
            }

            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Node, E> {
                Ok(Node::Scalar(None))
            }

            fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Node, E> {
                Ok(Node::Scalar(None))
            }

            fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Node, E> {
                Ok(Node::Scalar(None))
            }

            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Node, E> {
                Ok(Node::Scalar(None))
            }

            fn visit_unit<E: serde::de::Error>(self) -> Result<Node, E> {
                Ok(Node::Scalar(None))
            }

            fn visit_none<E: serde::de::Error>(self) -> Result<Node, E> {
                Ok(Node::Scalar(None))
            }

            fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
                Ok(Node::Nested(FirstControl::deserialize(deserializer)?.0))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
                let mut first = None;
                while let Some(FirstControl(found)) = seq.next_element()? {
                    first = first.or(found);
                }
                Ok(Node::Nested(first))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
                let mut first = None;
                while let Some(FirstControl(key)) = map.next_key()? {
                    let FirstControl(value) = map.next_value()?;
                    first = first.or(key).or(value);
                }
                Ok(Node::Nested(first))
            }
        }

        deserializer.deserialize_any(NodeVisitor)
    }
}

fn rule_of(err: &serde_saphyr::Error) -> &'static str {
    use serde_saphyr::Error as E;
    match err {
        E::DuplicateMappingKey { .. } => rules::DUPLICATE_KEY,
        E::SerdeUnknownField { .. } => rules::UNKNOWN_FIELD,
        E::SerdeMissingField { .. } => rules::MISSING_FIELD,
        E::SerdeInvalidType { .. }
        | E::SerdeInvalidValue { .. }
        | E::SerdeInvalidLength { .. }
        | E::SerdeUnknownVariant { .. }
        | E::InvalidScalar { .. }
        | E::InvalidBooleanStrict { .. }
        | E::NullIntoString { .. }
        | E::Unexpected { .. } => rules::WRONG_TYPE,
        _ => rules::INVALID_YAML,
    }
}

impl YamlError {
    /// The error as a diagnostic of `file`; when the library gave only a line
    /// and column, the span is found from them.
    pub fn into_diagnostic(self, file: &Arc<SourceFile>) -> Diagnostic {
        let span = match (self.span, self.line_column) {
            (span, _) if span != Span::default() => span,
            (_, Some((line, column))) => {
                let start = file.line_start(line);
                let rest = &file.text[start..];
                let offset: usize =
                    rest.chars().take(column.saturating_sub(1)).map(char::len_utf8).sum();
                Span::new(start + offset, start + offset)
            }
            _ => Span::default(),
        };
        let tab = self.rule == rules::INVALID_YAML && self.message.contains("tab");
        let span = if tab { tab_before(file, span) } else { span };
        let hint = match self.rule {
            rules::DUPLICATE_KEY => Some("keep one of the two entries".to_owned()),
            rules::WRONG_TYPE if self.message.contains("boolean") => {
                Some("write `true` or `false`; `yes`, `no`, `on` and `off` are text".to_owned())
            }
            rules::CONTROL_CHARACTER => Some(
                "remove the escape: pages, feeds and data files cannot carry the character"
                    .to_owned(),
            ),
            rules::INVALID_YAML if tab => {
                Some("YAML indents with spaces; replace the tab".to_owned())
            }
            _ => None,
        };
        Diagnostic::error(self.rule, file, span, self.message).with_optional_hint(hint)
    }
}

/// The tab a tab error is about: the library points after it, at the token
/// the tab indents.
fn tab_before(file: &SourceFile, span: Span) -> Span {
    let line_start = file.text[..span.start].rfind('\n').map_or(0, |newline| newline + 1);
    match file.text[line_start..span.start].rfind('\t') {
        Some(at) => Span::new(line_start + at, line_start + at + 1),
        None => span,
    }
}

/// YAML 1.2 core semantics with the guards a site generator needs: `yes` is
/// not a boolean, duplicate keys are errors, and alias expansion is bounded.
fn options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    options.with_snippet = false;
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::Error;
    options.alias_limits.max_total_replayed_events = 10_000;
    options.alias_limits.max_replay_stack_depth = 16;
    options
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        let span = spanned.referenced.span();
        let start = span.byte_offset().unwrap_or(0) as usize;
        let len = span.byte_len().unwrap_or(0) as usize;
        Ok(Spanned::new(spanned.value, Span::new(start, start + len)))
    }
}

/// The keys of a mapping with their spans, in source order; the values are
/// skipped. Used to report every unknown key, not only the first.
#[derive(Debug, Default)]
pub struct MappingKeys(pub Vec<Spanned<String>>);

impl<'de> Deserialize<'de> for MappingKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeysVisitor(PhantomData<MappingKeys>);

        impl<'de> Visitor<'de> for KeysVisitor {
            type Value = MappingKeys;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping of field names to values")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MappingKeys, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    map.next_value::<IgnoredAny>()?;
                    keys.push(key);
                }
                Ok(MappingKeys(keys))
            }
        }

        deserializer.deserialize_map(KeysVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Sample {
        code: Spanned<String>,
        list: Vec<Spanned<String>>,
    }

    #[test]
    fn string_fields_keep_their_source_text() {
        let sample: Sample = parse("code: 0123\nlist: [yes, 1.10, 2018-11-21]\n").unwrap();
        assert_eq!(sample.code.value, "0123");
        let list: Vec<_> = sample.list.iter().map(|s| s.value.as_str()).collect();
        assert_eq!(list, ["yes", "1.10", "2018-11-21"]);
    }

    #[test]
    fn spans_are_byte_offsets_of_the_value() {
        let text = "code: жж\nlist:\n  - a\n  - orign\n";
        let sample: Sample = parse(text).unwrap();
        let span = sample.list[1].span;
        assert_eq!(&text[span.start..span.end], "orign");
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = parse::<MappingKeys>("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert!(err.message.contains("duplicate"), "{}", err.message);
        assert_eq!(err.line_column, Some((3, 1)));
    }

    #[test]
    fn escaped_control_characters_are_errors_at_their_value() {
        let text = "code: ok\nlist: [a, \"b\\e[31m\"]\n";
        let err = parse::<Sample>(text).err().expect("an error");
        assert_eq!(err.rule, rules::CONTROL_CHARACTER);
        assert_eq!(&text[err.span.start..err.span.end], "\"b\\e[31m\"");
        assert!(parse::<Sample>("code: \"a\\tb\\n\"\nlist: []\n").is_ok());
    }

    #[test]
    fn alias_bombs_are_bounded() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        assert!(parse::<serde_json::Value>(&text).is_err());
    }
}
