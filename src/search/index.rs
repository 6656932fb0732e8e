//! Building the index: one document per instrument per language, written by
//! one thread in catalogue order, committed once and merged to one segment.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use pulldown_cmark::{Event, Parser};
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexWriter, TantivyDocument};

use super::analyzer::{self, normalise, register_analyzers};
use super::schema::{self, Fields, IndexInfo};
use super::{IndexStats, LanguageStats};
use crate::catalogue::{Catalogue, Entry};
use crate::chronology;
use crate::classification::Classification;
use crate::content::Instrument;
use crate::content::date::PartialDate;
use crate::error::{Error, Result};
use crate::markdown::Outline;

/// Memory for the writer's buffer; a single segment for catalogues of a few
/// thousand entries, and merging handles the rest.
const WRITER_MEMORY: usize = 100_000_000;

/// Write the search index of `catalogue` into `dir`, which must exist and be
/// empty. The writer is dropped before returning: the index is final.
pub fn build_index(catalogue: &Catalogue, dir: &Path) -> Result<IndexStats> {
    let started = Instant::now();
    let languages = catalogue.config.languages.clone();
    let schema = schema::build(&languages);
    let fields = Fields::resolve(&schema, &languages).map_err(Error::Search)?;
    let index = Index::builder()
        .schema(schema)
        .create_in_dir(dir)
        .map_err(failed("create an index in", dir))?;
    register_analyzers(&index);

    let mut writer: IndexWriter =
        index.writer_with_num_threads(1, WRITER_MEMORY).map_err(failed("write to", dir))?;
    let mut writer_state = Writer::new(catalogue, &fields);
    for (index, entry) in catalogue.entries.iter().enumerate() {
        let default = &entry.instrument.language;
        writer_state.add(&writer, index, default, &entry.instrument, &entry.outline, dir)?;
        for (language, (translation, outline)) in &entry.translations {
            writer_state.add(&writer, index, language, translation, outline, dir)?;
        }
    }

    let info = IndexInfo {
        format: schema::FORMAT,
        default_language: catalogue.config.default_language().to_owned(),
        languages,
    };
    let payload = serde_json::to_string(&info).expect("plain data serialises");
    let mut commit = writer.prepare_commit().map_err(failed("commit", dir))?;
    commit.set_payload(&payload);
    commit.commit().map_err(failed("commit", dir))?;

    let segments = index.searchable_segment_ids().map_err(failed("read", dir))?;
    if segments.len() > 1 {
        writer.merge(&segments).wait().map_err(failed("merge the segments of", dir))?;
    }
    writer.garbage_collect_files().wait().map_err(failed("clean", dir))?;
    writer.wait_merging_threads().map_err(failed("finish writing", dir))?;
    remove_lock_files(dir)?;
    name_segments_in_order(dir)?;

    let bytes = directory_size(dir)?;
    let documents = writer_state.stats.values().map(|s| s.documents).sum();
    tracing::debug!(documents, bytes, "search index written");
    Ok(IndexStats {
        documents,
        bytes,
        languages: writer_state.stats.into_values().collect(),
        elapsed: started.elapsed(),
    })
}

/// Replace the documents of the entries at `indices`, in every language, in
/// the index `build_index` wrote into `dir`: their old documents are deleted
/// by id and the new ones added in one commit. Segments are not merged;
/// the next full build writes a compact index again.
pub fn update_index(catalogue: &Catalogue, indices: &[usize], dir: &Path) -> Result<()> {
    let index = Index::open_in_dir(dir).map_err(failed("open the search index in", dir))?;
    register_analyzers(&index);
    let languages = &catalogue.config.languages;
    let schema = index.schema();
    let fields = Fields::resolve(&schema, languages).map_err(Error::Search)?;
    let payload = index.load_metas().map_err(failed("read", dir))?.payload;

    let mut writer: IndexWriter =
        index.writer_with_num_threads(1, UPDATE_MEMORY).map_err(failed("write to", dir))?;
    writer.set_merge_policy(Box::new(tantivy::merge_policy::NoMergePolicy));
    let mut writer_state = Writer::new(catalogue, &fields);
    for &entry_index in indices {
        let entry = &catalogue.entries[entry_index];
        writer.delete_term(tantivy::Term::from_field_text(fields.id, &entry.instrument.id.value));
        let default = &entry.instrument.language;
        writer_state.add(&writer, entry_index, default, &entry.instrument, &entry.outline, dir)?;
        for (language, (translation, outline)) in &entry.translations {
            writer_state.add(&writer, entry_index, language, translation, outline, dir)?;
        }
    }

    let mut commit = writer.prepare_commit().map_err(failed("commit", dir))?;
    if let Some(payload) = &payload {
        commit.set_payload(payload);
    }
    commit.commit().map_err(failed("commit", dir))?;
    writer.garbage_collect_files().wait().map_err(failed("clean", dir))?;
    writer.wait_merging_threads().map_err(failed("finish writing", dir))?;
    remove_lock_files(dir)
}

/// Memory for the writer of [`update_index`]: a few documents, and the
/// smallest budget tantivy accepts.
const UPDATE_MEMORY: usize = 15_000_000;

/// What adding documents needs besides the documents.
struct Writer<'a> {
    catalogue: &'a Catalogue,
    classification: &'a Classification,
    default_language: &'a str,
    fields: &'a Fields,
    analyzers: BTreeMap<&'static str, TextAnalyzer>,
    stats: BTreeMap<String, LanguageStats>,
}

impl<'a> Writer<'a> {
    fn new(catalogue: &'a Catalogue, fields: &'a Fields) -> Self {
        let analyzers = [analyzer::ENGLISH, analyzer::RUSSIAN, analyzer::PLAIN]
            .into_iter()
            .filter_map(|name| Some((name, analyzer::by_name(name)?)))
            .collect();
        Self {
            catalogue,
            classification: &catalogue.classification,
            default_language: catalogue.config.default_language(),
            fields,
            analyzers,
            stats: BTreeMap::new(),
        }
    }

    /// Add the document of the entry at `index` in `language`, whose titles
    /// come from `titles` and whose body is `outline`.
    fn add(
        &mut self,
        writer: &IndexWriter,
        index: usize,
        language: &str,
        titles: &Instrument,
        outline: &Outline,
        dir: &Path,
    ) -> Result<()> {
        let entry = &self.catalogue.entries[index];
        let Some(text_fields) = self.fields.languages.get(language).copied() else {
            tracing::warn!(id = entry.instrument.id.value, language, "language not indexed");
            return Ok(());
        };
        let f = self.fields;
        let instrument = &entry.instrument;
        let id = instrument.id.value.as_str();
        let mut doc = TantivyDocument::new();

        doc.add_text(f.id, id);
        doc.add_text(f.language, language);
        doc.add_text(f.url, self.url(id, language));
        let tags = self.add_classification(&mut doc, instrument, language);

        let title = decode_entities(&normalise(&titles.title.value));
        let short_title =
            titles.short_title.as_ref().map(|s| decode_entities(&normalise(&s.value)));
        doc.add_text(f.title, &title);
        add_text(&mut doc, (text_fields.title, text_fields.title_pairs), &title);
        doc.add_text(text_fields.words, &title);
        if let Some(short_title) = &short_title {
            doc.add_text(f.short_title, short_title);
            let fields = (text_fields.short_title, text_fields.short_title_pairs);
            add_text(&mut doc, fields, short_title);
            doc.add_text(text_fields.words, short_title);
        }
        for tag in tags {
            add_text(&mut doc, (text_fields.tags, text_fields.tags_pairs), &tag);
        }
        let stemmed =
            self.analyzers.get_mut(text_fields.analyzer).expect("every analyzer is built");
        for key in exact_keys(stemmed, id, &title, short_title.as_deref()) {
            doc.add_text(f.exact, key);
        }

        let mut text_bytes = 0;
        for section in sections(outline) {
            text_bytes += section.text.len() as u64;
            let fields = (text_fields.body, text_fields.body_pairs);
            add_text(&mut doc, fields, &section.text);
            doc.add_text(f.sections, section.text);
            doc.add_text(f.anchors, section.anchor.unwrap_or_default());
            doc.add_text(f.headings, section.heading.unwrap_or_default());
        }
        doc.add_f64(f.authority, authority(entry));
        let (from, until) = in_force_span(self.catalogue, index);
        doc.add_i64(f.in_force_from, from);
        doc.add_i64(f.in_force_until, until);

        writer.add_document(doc).map_err(failed("add a document to", dir))?;
        let stats = self.stats.entry(language.to_owned()).or_insert_with(|| LanguageStats {
            language: language.to_owned(),
            documents: 0,
            text_bytes: 0,
        });
        stats.documents += 1;
        stats.text_bytes += text_bytes;
        Ok(())
    }

    fn url(&self, id: &str, language: &str) -> String {
        if language == self.default_language {
            format!("instruments/{id}/")
        } else {
            format!("{language}/instruments/{id}/")
        }
    }

    /// Add the raw keys for filters and facets; their labels, the year,
    /// the place and the id are the text it returns, to search as tags.
    fn add_classification(
        &self,
        doc: &mut TantivyDocument,
        instrument: &Instrument,
        language: &str,
    ) -> Vec<String> {
        let mut tags = Vec::new();
        let f = self.fields;
        let c = self.classification;
        let label = |label: &str, labels: &BTreeMap<String, String>| {
            labels.get(language).cloned().unwrap_or_else(|| label.to_owned())
        };

        let kind = &instrument.kind.value;
        doc.add_text(f.kind, kind);
        let type_label = match c.instrument_type(kind) {
            Some(t) => {
                doc.add_text(f.category, &t.category.value);
                if let Some(category) = c.category(&t.category.value) {
                    tags.push(label(&category.label, &category.labels));
                }
                label(&t.label, &t.labels)
            }
            None => kind.clone(),
        };
        tags.push(type_label.clone());
        doc.add_text(f.type_label, &type_label);

        doc.add_text(f.issuer, &instrument.body.value);
        if let Some(body) = c.body(&instrument.body.value) {
            tags.push(label(&body.label, &body.labels));
        }

        let mut subjects: Vec<&str> = Vec::new();
        for key in &instrument.subjects {
            let subject = c.subject(&key.value);
            let parent = subject.and_then(|s| s.parent.as_ref()).map(|p| p.value.as_str());
            subjects.extend([Some(key.value.as_str()), parent].into_iter().flatten());
        }
        subjects.sort_unstable();
        subjects.dedup();
        for key in subjects {
            doc.add_text(f.subjects, key);
            if let Some(subject) = c.subject(key) {
                tags.push(label(&subject.label, &subject.labels));
            }
        }

        doc.add_text(f.status, &instrument.status.value);
        if let Some(status) = c.status(&instrument.status.value) {
            tags.push(label(&status.label, &status.labels));
        }

        if let Some(adopted) = &instrument.adopted {
            let year = adopted.value.year;
            doc.add_i64(f.year, i64::from(year));
            doc.add_text(f.decade, schema::decade(year));
            tags.push(year.to_string());
        }
        if let Some(place) = &instrument.place {
            tags.push(place.clone());
        }
        tags.push(instrument.id.value.clone());
        tags
    }
}

/// Add `text` to a text field and to its field of pairs.
fn add_text(doc: &mut TantivyDocument, (field, pairs_field): (Field, Field), text: &str) {
    doc.add_text(field, text);
    doc.add_text(pairs_field, text);
}

/// How much the rest of the catalogue points at an entry: the number of
/// other instruments that relate to it from their side (amend, supersede,
/// implement it) or link to it from their bodies. The searcher multiplies a
/// small function of it into the score, so that of several titles matching
/// "HS" about equally the HS Convention comes first.
fn authority(entry: &Entry) -> f64 {
    let mut pointing: Vec<usize> =
        entry.relations.iter().filter(|r| r.inverse).map(|r| r.other).collect();
    pointing.extend(&entry.referenced_by);
    pointing.sort_unstable();
    pointing.dedup();
    pointing.len() as f64
}

/// The days the entry at `index` is in force, as [`schema::day_number`]s
/// for range filters: from the earliest day it can have taken effect, up to
/// and not including the latest day a successor can have ended it, so that
/// `from <= day < until` holds exactly when `chronology::in_force_on` says
/// yes for `day`.
///
/// An entry `in_force_on` accepts on any day is accepted on its first day
/// (the conditions on status do not depend on the day, and the end can only
/// come later), so asking about that day tells whether it is ever in force;
/// one that never is starts at `i64::MAX`. One no dated successor ends never
/// ends.
pub(crate) fn in_force_span(catalogue: &Catalogue, index: usize) -> (i64, i64) {
    let Some(start) = chronology::start(&catalogue.entries[index]) else {
        return (i64::MAX, i64::MAX);
    };
    let (year, month, day) = start.earliest();
    let first_day = PartialDate { year, month: Some(month), day: Some(day) };
    if !chronology::in_force_on(catalogue, index, &first_day) {
        return (i64::MAX, i64::MAX);
    }
    let until =
        chronology::end(catalogue, index).map_or(i64::MAX, |end| schema::day_number(end.latest()));
    (schema::day_number(first_day.earliest()), until)
}

/// The analyzed forms of the names an instrument is called by: its id, its
/// titles, a short title without its parenthesis ("Kyoto Convention") and
/// the parenthesis itself when it is a name ("RKC"). A query whose analyzed
/// form equals one of them is a request for this instrument.
pub(crate) fn exact_keys(
    analyzer: &mut TextAnalyzer,
    id: &str,
    title: &str,
    short_title: Option<&str>,
) -> Vec<String> {
    let mut names = vec![id, title];
    for name in [Some(title), short_title].into_iter().flatten() {
        if let Some((before, inside)) = trailing_parenthesis(name) {
            names.push(before);
            if inside.chars().any(char::is_alphabetic) {
                names.push(inside);
            }
        }
    }
    names.extend(short_title);

    let mut keys: Vec<String> = names
        .into_iter()
        .map(|name| analyzer::terms(analyzer, name).join(" "))
        .filter(|key| !key.is_empty())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// `("Kyoto Convention", "1973")` for `"Kyoto Convention (1973)"`.
fn trailing_parenthesis(name: &str) -> Option<(&str, &str)> {
    let inner = name.trim_end().strip_suffix(')')?;
    let open = inner.rfind('(')?;
    Some((inner[..open].trim_end(), inner[open + 1..].trim()))
}

/// A part of a body under one heading.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Section {
    /// The heading's id; `None` for the text before the first heading.
    pub anchor: Option<String>,
    /// The heading's text.
    pub heading: Option<String>,
    /// The heading and the text under it, whitespace collapsed, NFC.
    pub text: String,
}

/// Cut the outline's plain text at its headings. The plain text holds each
/// heading's text followed by a line break, in the order of
/// `outline.headings`; a heading not found that way (it cannot happen with
/// today's outline) leaves its text in the section before it.
pub(crate) fn sections(outline: &Outline) -> Vec<Section> {
    let plain = outline.plain_text.as_str();
    let mut cuts: Vec<(usize, Option<&str>, Option<&str>)> = vec![(0, None, None)];
    let mut cursor = 0;
    for heading in &outline.headings {
        if heading.text.is_empty() {
            continue;
        }
        if let Some(at) = find_heading(plain, cursor, &heading.text) {
            cuts.push((at, Some(&heading.id), Some(&heading.text)));
            cursor = at + heading.text.len();
        }
    }

    let mut sections = Vec::with_capacity(cuts.len());
    for (i, &(start, anchor, heading)) in cuts.iter().enumerate() {
        let end = cuts.get(i + 1).map_or(plain.len(), |next| next.0);
        let text = collapse_whitespace(&normalise(&plain[start..end]));
        if text.is_empty() && anchor.is_none() {
            continue;
        }
        sections.push(Section {
            anchor: anchor.map(str::to_owned),
            heading: heading.map(str::to_owned),
            text,
        });
    }
    sections
}

/// Where `heading` starts a line of `plain` at or after `from`: preceded by
/// the start or whitespace, followed by optional spaces and a line break.
fn find_heading(plain: &str, from: usize, heading: &str) -> Option<usize> {
    let mut search = from;
    while let Some(found) = plain.get(search..)?.find(heading) {
        let at = search + found;
        let before_ok = plain[..at].chars().next_back().is_none_or(char::is_whitespace);
        let after = plain[at + heading.len()..].trim_start_matches([' ', '\t']);
        if before_ok && (after.starts_with('\n') || after.is_empty()) {
            return Some(at);
        }
        search = at + heading.len().max(1);
        while !plain.is_char_boundary(search) {
            search += 1;
        }
    }
    None
}

fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Decode HTML character references (`&ndash;`, `&#8211;`, `&amp;`) in a
/// front matter title, so that the index and the results hold the
/// character. The reference table is pulldown-cmark's, the one bodies are
/// decoded with; text that is not a reference stays as written.
pub(crate) fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let candidate =
            rest[1..].find(';').filter(|&semi| semi <= 32).map(|semi| &rest[..semi + 2]).filter(
                |c| c[1..c.len() - 1].chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '#'),
            );
        match candidate.and_then(decode_reference) {
            Some(decoded) => {
                out.push_str(&decoded);
                rest = &rest[candidate.map_or(1, str::len)..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character a lone reference such as `&ndash;` stands for.
fn decode_reference(reference: &str) -> Option<String> {
    let mut text = String::new();
    for event in Parser::new(reference) {
        match event {
            Event::Text(t) => text.push_str(&t),
            Event::Start(_) | Event::End(_) => {}
            _ => return None,
        }
    }
    (text != reference && !text.is_empty()).then_some(text)
}

/// tantivy leaves its empty lock files behind; the shipped index needs none.
fn remove_lock_files(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(Error::io("read", dir))? {
        let path = entry.map_err(Error::io("read", dir))?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name.starts_with(".tantivy-") && name.ends_with(".lock") {
            std::fs::remove_file(&path).map_err(Error::io("remove", &path))?;
        }
    }
    Ok(())
}

/// Give the segments of a finished index the names `00000000…0001`, `…0002`
/// in place of tantivy's random ones, and list the managed files in order:
/// the same catalogue then gives byte-identical index files. Only the names
/// change, in the files and in `meta.json`, so the index opens as before.
fn name_segments_in_order(dir: &Path) -> Result<()> {
    let meta_path = dir.join("meta.json");
    let managed_path = dir.join(".managed.json");
    let read = |path: &Path| std::fs::read_to_string(path).map_err(Error::io("read", path));
    let mut meta = read(&meta_path)?;
    let mut managed: Vec<String> = serde_json::from_str(&read(&managed_path)?)
        .map_err(|err| Error::Search(format!("{}: {err}", managed_path.display())))?;
    let segments: serde_json::Value = serde_json::from_str(&meta)
        .map_err(|err| Error::Search(format!("{}: {err}", meta_path.display())))?;
    let ids = segments["segments"].as_array().into_iter().flatten();
    let ids: Vec<&str> = ids.filter_map(|s| s["segment_id"].as_str()).collect();

    for (number, id) in ids.iter().enumerate() {
        let ordered = format!("00000000-0000-0000-0000-{:012x}", number + 1);
        let (from, to) = (id.replace('-', ""), ordered.replace('-', ""));
        for name in &mut managed {
            if let Some(extension) = name.strip_prefix(&from) {
                let renamed = format!("{to}{extension}");
                let (old, new) = (dir.join(&*name), dir.join(&renamed));
                std::fs::rename(&old, &new).map_err(Error::io("rename", &old))?;
                *name = renamed;
            }
        }
        meta = meta.replace(id, &ordered);
    }
    managed.sort();
    let managed = serde_json::to_string(&managed).expect("a list of names serialises");
    std::fs::write(&managed_path, managed).map_err(Error::io("write", &managed_path))?;
    std::fs::write(&meta_path, meta).map_err(Error::io("write", &meta_path))
}

fn directory_size(dir: &Path) -> Result<u64> {
    let mut bytes = 0;
    for entry in std::fs::read_dir(dir).map_err(Error::io("read", dir))? {
        let entry = entry.map_err(Error::io("read", dir))?;
        let metadata = entry.metadata().map_err(Error::io("read", entry.path()))?;
        if metadata.is_file() {
            bytes += metadata.len();
        }
    }
    Ok(bytes)
}

/// Turn a tantivy error into folio's, saying what was being done where.
pub(crate) fn failed(
    action: &'static str,
    dir: &Path,
) -> impl FnOnce(tantivy::TantivyError) -> Error {
    let dir = dir.display().to_string();
    move |err| Error::Search(format!("cannot {action} {dir}: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown;

    #[test]
    fn sections_follow_headings_and_keep_the_intro() {
        let md = "Intro text.\n\n## Purpose\n\nThe purpose.\n\n## Scope\n\nPurpose again, and\n\
                  scope.\n\n## Scope\n\nSecond scope.\n";
        let outline = markdown::outline(md, 0);
        let got = sections(&outline);
        let anchors: Vec<_> = got.iter().map(|s| s.anchor.as_deref()).collect();
        assert_eq!(anchors, [None, Some("purpose"), Some("scope"), Some("scope-1")]);
        assert_eq!(got[0].text, "Intro text.");
        assert_eq!(got[1].text, "Purpose The purpose.");
        assert_eq!(got[2].text, "Scope Purpose again, and scope.");
    }

    #[test]
    fn entities_in_titles_are_decoded_once() {
        assert_eq!(decode_entities("Plans 2022 &ndash; 2023"), "Plans 2022 – 2023");
        assert_eq!(decode_entities("Fish &amp; Chips & more"), "Fish & Chips & more");
        assert_eq!(decode_entities("&amp;ndash; &#8212; &bogus; &"), "&ndash; — &bogus; &");
    }

    #[test]
    fn exact_keys_name_the_instrument() {
        let mut en = analyzer::by_name(analyzer::ENGLISH).unwrap();
        let keys = exact_keys(&mut en, "rkc-1999", "The Convention", Some("Revised Kyoto (RKC)"));
        assert!(keys.contains(&"rkc".to_owned()), "{keys:?}");
        assert!(keys.contains(&"revis kyoto".to_owned()), "{keys:?}");
        assert!(keys.contains(&"rkc 1999".to_owned()), "{keys:?}");
    }
}
