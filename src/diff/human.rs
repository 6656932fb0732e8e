//! The human form of a [`CatalogueDiff`]: one section per kind of change,
//! one line per instrument or page, for a terminal or a review comment.

use std::fmt::Write as _;

use super::{CatalogueDiff, FieldChange, Instrument, PageEffect, WORKING_TREE};

/// The diff as text for people.
pub fn human(diff: &CatalogueDiff) -> String {
    let mut out = String::new();
    if diff.is_empty() {
        let (from, to) = (side(&diff.from), side(&diff.to));
        let _ = writeln!(out, "no change to the catalogue between {from} and {to}");
        errors(&mut out, diff);
        return out;
    }
    let _ = writeln!(
        out,
        "{} → {}: {} added, {} removed, {} renamed, {} changed, {} pages affected",
        side(&diff.from),
        side(&diff.to),
        diff.added.len(),
        diff.removed.len(),
        diff.renamed.len(),
        diff.changed.len(),
        diff.pages.len()
    );

    section(&mut out, "Added", &diff.added, |out, item| instrument(out, '+', item));
    section(&mut out, "Removed", &diff.removed, |out, item| instrument(out, '-', item));
    section(&mut out, "Renamed", &diff.renamed, |out, renamed| {
        let why = match renamed.matched_by {
            "id" => "same id".to_owned(),
            other => format!("same {other}"),
        };
        let _ = writeln!(out, "  {} → {}  ({why})", renamed.from, renamed.to);
        if renamed.from_path != renamed.to_path {
            let _ = writeln!(out, "      {} → {}", renamed.from_path, renamed.to_path);
        }
    });
    section(&mut out, "Changed", &diff.changed, |out, changed| {
        let _ = writeln!(out, "  ~ {}  {}", changed.id, changed.title);
        for field in &changed.fields {
            let _ = writeln!(out, "      {}", field_line(field));
        }
        if changed.text_changed {
            let _ = writeln!(out, "      text changed");
        }
        for relation in &changed.relations_gained {
            let _ = writeln!(out, "      + {} {}", relation.relation, relation.other);
        }
        for relation in &changed.relations_lost {
            let _ = writeln!(out, "      - {} {}", relation.relation, relation.other);
        }
    });
    section(&mut out, "Statuses", &diff.statuses, |out, status| {
        let _ = writeln!(out, "  {}: {} → {}", status.id, status.old_label, status.new_label);
    });

    let also = if diff.also_under.is_empty() {
        String::new()
    } else {
        format!("; instrument and list pages also under {}", diff.also_under.join(", "))
    };
    let title = format!("Pages affected ({}{also})", diff.pages.len());
    section(&mut out, &title, &diff.pages, |out, page| {
        let sign = match page.change {
            PageEffect::Added => '+',
            PageEffect::Removed => '-',
            PageEffect::Changed => '~',
        };
        let _ = writeln!(out, "  {sign} /{}", page.path);
    });

    if diff.classification_changed {
        let _ = writeln!(
            out,
            "\nclassification.yaml changed: labels and lists may change on every page"
        );
    }
    if diff.settings_changed {
        let _ = writeln!(out, "\nsite.yaml changed: every page may change");
    }
    errors(&mut out, diff);
    out
}

fn section<T>(out: &mut String, title: &str, items: &[T], line: impl Fn(&mut String, &T)) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title}");
    for item in items {
        line(out, item);
    }
}

fn instrument(out: &mut String, sign: char, item: &Instrument) {
    let _ = writeln!(out, "  {sign} {}  {}  ({}, {})", item.id, item.title, item.kind, item.status);
    let _ = writeln!(out, "      {}", item.path);
    for relation in &item.relations {
        let _ = writeln!(out, "      {} {}", relation.relation, relation.other);
    }
}

fn field_line(field: &FieldChange) -> String {
    let show = |value: &Option<String>| value.clone().unwrap_or_else(|| "(none)".to_owned());
    format!("{}: {} → {}", field.field, show(&field.old), show(&field.new))
}

fn errors(out: &mut String, diff: &CatalogueDiff) {
    for (count, label) in [(diff.errors.from, &diff.from), (diff.errors.to, &diff.to)] {
        if count > 0 {
            let _ = writeln!(
                out,
                "\nwarning: {} has {count} content errors; files that did not load are \
                 missing from this comparison (`folio check` lists them)",
                side(label)
            );
        }
    }
}

/// A side as a sentence names it: "the working tree", or the revision quoted.
pub(super) fn side(label: &str) -> String {
    if label == WORKING_TREE { format!("the {label}") } else { format!("`{label}`") }
}
