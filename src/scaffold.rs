//! `folio new`: a new instrument file made from the classification.
//!
//! The author names the type and the title; the id comes from the title (and
//! the adoption year), never empty and never one that a file already uses.
//! Every value given is checked against the classification before anything is
//! written. What is not given is asked for at a terminal, or else left as a
//! blank that `folio check` reports at its place until someone fills it in:
//! the marker [`BLANK`] where the field takes a vocabulary key or a date, and
//! a `# required` comment where it takes free text (check then reports the
//! field as missing).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use crate::classification::{Classification, InstrumentType, Requirement};
use crate::content::Content;
use crate::content::date::PartialDate;
use crate::diagnostics::suggestion;
use crate::slug::id_from_title;

/// The value written where the author still has to choose: not a key of any
/// vocabulary and not a date, so `folio check` reports it.
pub const BLANK: &str = "<fill in>";

/// Fields whose values are dates.
const DATE_FIELDS: &[&str] = &["adopted", "in_force", "reviewed"];

/// What the author said about the new instrument. Empty options are the
/// fields still to fill.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// The type key.
    pub kind: String,
    /// The full title.
    pub title: String,
    /// The id, when the author chose one.
    pub id: Option<String>,
    /// The issuing body key.
    pub body: Option<String>,
    /// Subject keys.
    pub subjects: Vec<String>,
    /// The status key.
    pub status: Option<String>,
    /// The date of adoption.
    pub adopted: Option<String>,
    /// Other fields the type requires (`in_force`), as (field, value).
    pub required: Vec<(String, String)>,
}

/// A new instrument file, ready to write.
#[derive(Debug, Clone)]
pub struct Scaffold {
    /// The id chosen.
    pub id: String,
    /// Where it goes, relative to the site folder.
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
    /// The fields left blank, in file order.
    pub blanks: Vec<String>,
}

/// Every problem with the values of `draft`, one sentence each; empty when
/// all of them are keys and dates the classification accepts.
pub fn problems(draft: &Draft, classification: &Classification) -> Vec<String> {
    let mut problems = Vec::new();
    let kind = classification.instrument_type(&draft.kind);
    if kind.is_none() {
        problems.push(unknown("type", &draft.kind, classification.types.iter().map(|t| &t.key)));
    }
    if draft.title.trim().is_empty() {
        problems.push("the title is empty".to_owned());
    }
    if let Some(id) = &draft.id
        && let Err(problem) = check_id(id)
    {
        problems.push(problem);
    }
    if let Some(body) = &draft.body
        && let Err(problem) = check_body(classification, body)
    {
        problems.push(problem);
    }
    for subject in &draft.subjects {
        if let Err(problem) = check_subject(classification, subject) {
            problems.push(problem);
        }
    }
    if let (Some(status), Some(kind)) = (&draft.status, kind)
        && let Err(problem) = check_status(classification, kind, status)
    {
        problems.push(problem);
    }
    if let Some(adopted) = &draft.adopted
        && let Err(problem) = check_date("adopted", adopted)
    {
        problems.push(problem);
    }
    problems
}

fn unknown<'a>(
    what: &str,
    value: &str,
    keys: impl Iterator<Item = &'a crate::source::Spanned<String>> + Clone,
) -> String {
    let keys = keys.map(|k| k.value.as_str());
    format!("unknown {what} `{value}`; {}", suggestion(value, keys))
}

fn check_id(id: &str) -> Result<(), String> {
    if crate::content::instrument::is_valid_id(id) {
        Ok(())
    } else {
        Err(format!(
            "`{id}` is not a valid id; use lowercase ASCII letters and digits joined by single \
             hyphens, such as `{}`",
            id_from_title(id)
        ))
    }
}

fn check_body(classification: &Classification, body: &str) -> Result<(), String> {
    match classification.body(body) {
        Some(_) => Ok(()),
        None => Err(unknown("body", body, classification.bodies.iter().map(|b| &b.key))),
    }
}

fn check_subject(classification: &Classification, subject: &str) -> Result<(), String> {
    match classification.subject(subject) {
        Some(_) => Ok(()),
        None => Err(unknown("subject", subject, classification.subjects.iter().map(|s| &s.key))),
    }
}

fn check_status(
    classification: &Classification,
    kind: &InstrumentType,
    status: &str,
) -> Result<(), String> {
    let allowed = statuses_for(classification, kind);
    if classification.status(status).is_none() {
        return Err(unknown("status", status, classification.statuses.iter().map(|s| &s.key)));
    }
    if !allowed.contains(&status) {
        return Err(format!(
            "status `{status}` does not apply to a {}; choose one of {}",
            kind.label.to_lowercase(),
            quoted(&allowed)
        ));
    }
    Ok(())
}

fn check_date(field: &str, value: &str) -> Result<(), String> {
    PartialDate::parse(value).map(|_| ()).map_err(|err| format!("`{field}` is `{value}`: {err}"))
}

/// The status keys that apply to the category of `kind`.
fn statuses_for<'a>(classification: &'a Classification, kind: &InstrumentType) -> Vec<&'a str> {
    classification
        .statuses
        .iter()
        .filter(|s| s.categories.iter().any(|c| c.value == kind.category.value))
        .map(|s| s.key.value.as_str())
        .collect()
}

fn quoted(keys: &[&str]) -> String {
    keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
}

/// Every id in use: those of the loaded instruments, translations and free
/// pages, and the names of all their files, so that even a file that did not
/// load keeps its name.
pub fn taken_ids(root: &Path, content: &Content) -> BTreeSet<String> {
    let mut taken: BTreeSet<String> = content
        .instruments
        .iter()
        .chain(&content.translations)
        .map(|i| i.id.value.to_lowercase())
        .chain(content.pages.iter().map(|p| p.id.to_lowercase()))
        .collect();
    for folder in ["content/instruments", "content/pages"] {
        let files = walkdir::WalkDir::new(root.join(folder)).into_iter().filter_map(Result::ok);
        for file in files.filter(|f| f.file_type().is_file()) {
            let name = file.file_name().to_string_lossy().to_lowercase();
            if let Some(stem) = name.strip_suffix(".md") {
                taken.insert(stem.split('.').next().unwrap_or(stem).to_owned());
            }
        }
    }
    taken
}

/// The id for a title: transliterated, with the adoption year unless the
/// title already ends with it, and with `-2`, `-3`, … when it is taken.
pub fn new_id(title: &str, adopted: Option<&str>, taken: &BTreeSet<String>) -> String {
    let mut base = id_from_title(title);
    let year = adopted.and_then(|a| PartialDate::parse(a).ok()).map(|d| d.year.to_string());
    if let Some(year) = year
        && base != year
        && !base.ends_with(&format!("-{year}"))
    {
        base = format!("{base}-{year}");
    }
    if !taken.contains(&base) {
        return base;
    }
    (2..).map(|n| format!("{base}-{n}")).find(|id| !taken.contains(id)).expect("ids run out")
}

/// Ask at a terminal for every field `draft` lacks. An empty answer (or the
/// end of the input) leaves the field blank; a wrong one is asked again.
pub fn prompt(
    draft: &mut Draft,
    classification: &Classification,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
) -> io::Result<()> {
    let Some(kind) = classification.instrument_type(&draft.kind) else { return Ok(()) };
    let mut ask = Asker { input, output };

    if draft.body.is_none() {
        let choices = classification.bodies.iter().map(|b| (b.key.value.as_str(), &*b.label));
        ask.choices("Issuing bodies", choices)?;
        draft.body = ask.until_valid("body", |v| check_body(classification, v))?;
    }
    if draft.subjects.is_empty() {
        let choices = classification.subjects.iter().map(|s| (s.key.value.as_str(), &*s.label));
        ask.choices("Subjects", choices)?;
        let answer = ask.until_valid("subjects (separated by commas)", |v| {
            split_list(v).try_for_each(|s| check_subject(classification, s))
        })?;
        draft.subjects =
            answer.map(|a| split_list(&a).map(str::to_owned).collect()).unwrap_or_default();
    }
    if draft.status.is_none() {
        let allowed = statuses_for(classification, kind);
        let choices = classification
            .statuses
            .iter()
            .filter(|s| allowed.contains(&s.key.value.as_str()))
            .map(|s| (s.key.value.as_str(), &*s.label));
        ask.choices("Statuses", choices)?;
        draft.status = ask.until_valid("status", |v| check_status(classification, kind, v))?;
    }
    if draft.adopted.is_none() {
        draft.adopted =
            ask.until_valid("adopted (YYYY, YYYY-MM or YYYY-MM-DD)", |v| check_date("adopted", v))?;
    }
    for field in required_fields(kind, draft.status.as_deref()) {
        if field == "adopted" || draft.required.iter().any(|(f, _)| *f == field) {
            continue;
        }
        let is_date = DATE_FIELDS.contains(&field);
        let answer =
            ask.until_valid(field, |v| if is_date { check_date(field, v) } else { Ok(()) })?;
        if let Some(value) = answer {
            draft.required.push((field.to_owned(), value));
        }
    }
    Ok(())
}

/// One prompt after another on the same input and output.
struct Asker<'a> {
    input: &'a mut dyn BufRead,
    output: &'a mut dyn Write,
}

impl Asker<'_> {
    fn choices<'k>(
        &mut self,
        title: &str,
        choices: impl Iterator<Item = (&'k str, &'k str)>,
    ) -> io::Result<()> {
        writeln!(self.output, "\n{title}:")?;
        for (key, label) in choices {
            writeln!(self.output, "  {key:<36} {label}")?;
        }
        Ok(())
    }

    /// Ask until the answer is empty or `valid` accepts it.
    fn until_valid(
        &mut self,
        question: &str,
        valid: impl Fn(&str) -> Result<(), String>,
    ) -> io::Result<Option<String>> {
        loop {
            write!(self.output, "{question} (empty to leave blank): ")?;
            self.output.flush()?;
            let mut line = String::new();
            if self.input.read_line(&mut line)? == 0 {
                writeln!(self.output)?;
                return Ok(None);
            }
            let answer = line.trim();
            if answer.is_empty() {
                return Ok(None);
            }
            match valid(answer) {
                Ok(()) => return Ok(Some(answer.to_owned())),
                Err(problem) => writeln!(self.output, "  {problem}")?,
            }
        }
    }
}

fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ' ']).map(str::trim).filter(|s| !s.is_empty())
}

/// The fields `kind` requires with `status` (all of them with a `when_status`
/// condition when the status is not known yet).
fn required_fields<'a>(kind: &'a InstrumentType, status: Option<&str>) -> Vec<&'a str> {
    kind.requires
        .iter()
        .filter(|r| match r {
            Requirement::Always(_) => true,
            Requirement::WhenStatus { when_status, .. } => status == Some(when_status.as_str()),
        })
        .map(Requirement::field)
        .collect()
}

/// The file for `draft`, which [`problems`] found nothing wrong with, under
/// the id `id`.
pub fn scaffold(draft: &Draft, classification: &Classification, id: &str) -> Scaffold {
    let kind = classification.instrument_type(&draft.kind).expect("checked by `problems`");
    let mut file = FrontMatter::default();
    file.line(&format!("id: {id}"));
    file.line(&format!("title: {}", quote(&draft.title)));
    file.line(&format!("type: {}", draft.kind));

    let bodies: Vec<&str> = classification.bodies.iter().map(|b| b.key.value.as_str()).collect();
    file.field("body", draft.body.as_deref(), &format!("one of {}", bodies.join(", ")));
    let subjects: Vec<&str> =
        classification.subjects.iter().map(|s| s.key.value.as_str()).collect();
    let list = (!draft.subjects.is_empty()).then(|| format!("[{}]", draft.subjects.join(", ")));
    let hint = format!("one or more of {}", subjects.join(", "));
    match list {
        Some(list) => file.line(&format!("subjects: {list}")),
        None => file.blank("subjects", &format!("[{BLANK}]"), &hint),
    }
    let statuses = statuses_for(classification, kind);
    file.field("status", draft.status.as_deref(), &format!("one of {}", statuses.join(", ")));

    let required = required_fields(kind, draft.status.as_deref());
    let date_hint = "YYYY, YYYY-MM or YYYY-MM-DD";
    match &draft.adopted {
        Some(adopted) => file.line(&format!("adopted: {adopted}")),
        None if required.contains(&"adopted") => file.blank("adopted", BLANK, date_hint),
        None => file.line(&format!("# adopted: {date_hint}")),
    }
    for field in required.iter().filter(|&&f| f != "adopted") {
        match draft.required.iter().find(|(f, _)| f == field) {
            Some((_, value)) if DATE_FIELDS.contains(field) => {
                file.line(&format!("{field}: {value}"));
            }
            Some((_, value)) => file.line(&format!("{field}: {}", quote(value))),
            None if DATE_FIELDS.contains(field) => file.blank(field, BLANK, date_hint),
            None => file.missing(field),
        }
    }
    if draft.status.is_none() {
        for requirement in &kind.requires {
            if let Requirement::WhenStatus { field, when_status } = requirement {
                file.line(&format!("# {field}: required when the status is {when_status}"));
            }
        }
    }
    file.optional_hints(classification);

    let path = Path::new("content/instruments").join(&draft.kind).join(format!("{id}.md"));
    Scaffold { id: id.to_owned(), path, text: file.finish(), blanks: file.blanks }
}

/// The front matter being written, and the fields left blank in it.
#[derive(Default)]
struct FrontMatter {
    text: String,
    blanks: Vec<String>,
}

impl FrontMatter {
    fn line(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
    }

    /// A vocabulary field: its value, or a blank with the choices above it.
    fn field(&mut self, field: &str, value: Option<&str>, choices: &str) {
        match value {
            Some(value) => self.line(&format!("{field}: {value}")),
            None => self.blank(field, BLANK, choices),
        }
    }

    fn blank(&mut self, field: &str, blank: &str, hint: &str) {
        self.line(&format!("# {field}: {hint}"));
        self.line(&format!("{field}: {blank}"));
        self.blanks.push(field.to_owned());
    }

    /// A required free-text field: `folio check` reports it as missing.
    fn missing(&mut self, field: &str) {
        self.line(&format!("# {field}: required by this type; write `{field}: …` here"));
        self.blanks.push(field.to_owned());
    }

    fn optional_hints(&mut self, classification: &Classification) {
        self.line("# place: where it was adopted");
        self.line("# source: the official page (https://…)");
        let kinds: Vec<&str> =
            classification.relations.iter().map(|r| r.key.value.as_str()).collect();
        if let Some(first) = kinds.first() {
            self.line(&format!("# relations:  (one list of ids per kind: {})", kinds.join(", ")));
            self.line(&format!("#   {first}: [other-id]"));
        }
    }

    fn finish(&self) -> String {
        let mut text = String::from("---\n");
        text.push_str(&self.text);
        text.push_str("---\n");
        for (heading, prompt) in [
            ("Purpose", "What the instrument is for and whom it binds or helps."),
            ("History", "Who adopted it, when and where; what amended or replaced it."),
            ("Sources", "The official text and the pages this entry was written from."),
        ] {
            let _ = write!(text, "\n## {heading}\n\n{prompt}\n");
        }
        text
    }
}

/// `text` as a YAML double-quoted scalar (a JSON string is one).
fn quote(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::diagnostics::Diagnostics;
    use crate::source::SourceFile;

    fn classification() -> Classification {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/base/content/classification.yaml");
        let file = Arc::new(SourceFile::new(
            "classification.yaml",
            &std::fs::read_to_string(path).unwrap(),
        ));
        Classification::load(&file, &mut Diagnostics::new()).expect("a valid classification")
    }

    #[test]
    fn prompts_ask_again_after_a_wrong_answer() {
        let classification = classification();
        let mut draft =
            Draft { kind: "convention".to_owned(), title: "T".to_owned(), ..Draft::default() };
        let answers = "councl\ncouncil\nprocedures, origin\ncurrent\nin-force\n1975\n1976-01\n";
        let mut output = Vec::new();
        prompt(&mut draft, &classification, &mut answers.as_bytes(), &mut output).unwrap();

        let output = String::from_utf8(output).unwrap();
        assert!(output.contains("unknown body `councl`; did you mean `council`?"), "{output}");
        assert!(output.contains("status `current` does not apply to a convention"), "{output}");
        assert_eq!(draft.body.as_deref(), Some("council"));
        assert_eq!(draft.subjects, ["procedures", "origin"]);
        assert_eq!(draft.status.as_deref(), Some("in-force"));
        assert_eq!(draft.adopted.as_deref(), Some("1975"));
        assert_eq!(draft.required, [("in_force".to_owned(), "1976-01".to_owned())]);
    }

    #[test]
    fn the_end_of_the_input_leaves_the_rest_blank() {
        let classification = classification();
        let mut draft =
            Draft { kind: "guide".to_owned(), title: "T".to_owned(), ..Draft::default() };
        prompt(&mut draft, &classification, &mut "secretariat\n".as_bytes(), &mut Vec::new())
            .unwrap();
        assert_eq!(draft.body.as_deref(), Some("secretariat"));
        assert!(draft.subjects.is_empty() && draft.status.is_none() && draft.adopted.is_none());

        let file = scaffold(&draft, &classification, "t");
        assert_eq!(file.blanks, ["subjects", "status"]);
        assert_eq!(file.path, Path::new("content/instruments/guide/t.md"));
    }

    #[test]
    fn ids_get_the_year_and_never_collide() {
        let taken: BTreeSet<String> =
            ["kyoto-convention-1973", "kyoto-convention-1973-2"].map(String::from).into();
        assert_eq!(
            new_id("Kyoto Convention", Some("1973-05-18"), &taken),
            "kyoto-convention-1973-3"
        );
        assert_eq!(
            new_id("Kyoto Convention 1973", Some("1973"), &BTreeSet::new()),
            "kyoto-convention-1973"
        );
        assert_eq!(new_id("Заголовок кириллицей", None, &BTreeSet::new()), "zagolovok-kirillitsey");
        assert_eq!(new_id("—", None, &BTreeSet::new()), "instrument");
    }

    #[test]
    fn lists_are_split_on_commas_and_spaces() {
        let parts: Vec<&str> = split_list("origin, valuation  transit,").collect();
        assert_eq!(parts, ["origin", "valuation", "transit"]);
    }
}
