//! Parties files: `<id>.parties.csv` beside an instrument, one row per
//! party. The counts on the page are computed from the rows, never typed.
//!
//! Columns, by header name: `party` (required), `signature`, `consent`
//! (`ratification`, `accession`, `acceptance`, `approval` or `succession`),
//! `consent_date`, `in_force` (for that party) and `reservations` (text).

use std::sync::Arc;

use super::date::PartialDate;
use crate::diagnostics::{Diagnostic, Diagnostics, suggestion};
use crate::rules;
use crate::source::{SourceFile, Span};

/// The ways a state or union becomes bound by an instrument.
pub const CONSENT_KINDS: &[&str] =
    &["ratification", "accession", "acceptance", "approval", "succession"];

const COLUMNS: &[&str] =
    &["party", "signature", "consent", "consent_date", "in_force", "reservations"];

/// One party and its dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    /// The party's name.
    pub name: String,
    /// Date of signature.
    pub signature: Option<PartialDate>,
    /// How it consented to be bound.
    pub consent: Option<String>,
    /// When.
    pub consent_date: Option<PartialDate>,
    /// When the instrument entered into force for it.
    pub in_force: Option<PartialDate>,
    /// Reservations and declarations, as text.
    pub reservations: Option<String>,
}

/// The parties of one instrument.
#[derive(Debug, Clone)]
pub struct PartiesTable {
    /// The file it was read from.
    pub file: Arc<SourceFile>,
    /// The rows, in file order.
    pub parties: Vec<Party>,
}

impl PartiesTable {
    /// Rows that consented to be bound: the parties.
    pub fn bound(&self) -> usize {
        self.parties.iter().filter(|p| p.consent_date.is_some()).count()
    }

    /// Rows that signed without (yet) consenting.
    pub fn signatories_only(&self) -> usize {
        self.parties.iter().filter(|p| p.consent_date.is_none() && p.signature.is_some()).count()
    }

    /// The latest date in the table, which the counts are true as of.
    pub fn as_of(&self) -> Option<PartialDate> {
        self.parties.iter().flat_map(|p| [p.signature, p.consent_date, p.in_force]).flatten().max()
    }
}

/// Read a parties file; problems become diagnostics of that file.
pub fn read(file: &Arc<SourceFile>, diagnostics: &mut Diagnostics) -> Option<PartiesTable> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(file.text.as_bytes());
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(err) => {
            diagnostics.push(csv_error(file, &err));
            return None;
        }
    };
    let mut ok = true;
    let mut offset = 0;
    for header in &headers {
        if !COLUMNS.contains(&header) {
            ok = false;
            let span = Span::new(offset, offset + header.len());
            diagnostics.push(
                Diagnostic::error(
                    rules::INVALID_PARTIES,
                    file,
                    span,
                    format!("unknown column `{header}`"),
                )
                .with_hint(suggestion(header, COLUMNS.iter().copied())),
            );
        }
        offset += header.len() + 1;
    }
    let column = |name: &str| headers.iter().position(|h| h == name);
    let Some(party_column) = column("party") else {
        diagnostics.push(
            Diagnostic::error(
                rules::INVALID_PARTIES,
                file,
                Span::new(0, 0),
                "the file has no `party` column",
            )
            .with_hint(format!("the first line names the columns: {}", COLUMNS.join(","))),
        );
        return None;
    };

    let mut parties = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                diagnostics.push(csv_error(file, &err));
                ok = false;
                continue;
            }
        };
        let line_start = record.position().map_or(0, |p| p.byte() as usize);
        let field_span = |index: usize| field_span(file, line_start, index);
        let cell = |name: &str| {
            column(name)
                .and_then(|i| record.get(i).map(|v| (i, v.trim())))
                .filter(|(_, v)| !v.is_empty())
        };
        let mut date = |name: &str| {
            let (index, text) = cell(name)?;
            match PartialDate::parse(text) {
                Ok(date) => Some(date),
                Err(err) => {
                    ok = false;
                    diagnostics.push(
                        Diagnostic::error(
                            rules::INVALID_DATE,
                            file,
                            field_span(index),
                            format!("`{name}` is `{text}`: {err}"),
                        )
                        .with_hint("write a year, a month (`1973-05`) or a day (`1973-05-18`)"),
                    );
                    None
                }
            }
        };
        let signature = date("signature");
        let consent_date = date("consent_date");
        let in_force = date("in_force");
        let name = record.get(party_column).unwrap_or_default().trim().to_owned();
        if name.is_empty() {
            ok = false;
            diagnostics.push(
                Diagnostic::error(
                    rules::INVALID_PARTIES,
                    file,
                    field_span(party_column),
                    "a row without a party name",
                )
                .with_hint("name the party in the `party` column"),
            );
        }
        let consent = cell("consent").map(|(index, kind)| {
            if !CONSENT_KINDS.contains(&kind) {
                ok = false;
                diagnostics.push(
                    Diagnostic::error(
                        rules::INVALID_PARTIES,
                        file,
                        field_span(index),
                        format!("unknown way of consent `{kind}`"),
                    )
                    .with_hint(suggestion(kind, CONSENT_KINDS.iter().copied())),
                );
            }
            kind.to_owned()
        });
        let reservations = cell("reservations").map(|(_, text)| text.to_owned());
        parties.push(Party { name, signature, consent, consent_date, in_force, reservations });
    }
    ok.then(|| PartiesTable { file: Arc::clone(file), parties })
}

/// The span of field `index` of the CSV line starting at `line_start`.
fn field_span(file: &SourceFile, line_start: usize, index: usize) -> Span {
    let line_end = file.text[line_start..].find('\n').map_or(file.text.len(), |e| line_start + e);
    let line = &file.text[line_start..line_end];
    let mut start = 0;
    let mut quoted = false;
    let mut field = 0;
    for (at, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                if field == index {
                    return Span::new(line_start + start, line_start + at);
                }
                field += 1;
                start = at + 1;
            }
            _ => {}
        }
    }
    if field == index {
        Span::new(line_start + start, line_end)
    } else {
        Span::new(line_start, line_start)
    }
}

fn csv_error(file: &Arc<SourceFile>, err: &csv::Error) -> Diagnostic {
    let offset = err.position().map_or(0, |p| p.byte() as usize).min(file.text.len());
    let message = match err.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("this row has {len} fields where the header has {expected_len}")
        }
        _ => err.to_string(),
    };
    Diagnostic::error(rules::INVALID_PARTIES, file, Span::new(offset, offset), message)
        .with_hint("every row needs one value per column; quote values that contain commas")
}
