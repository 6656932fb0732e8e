//! `folio search`: query the built site's index from a terminal. The hits
//! are ranked as on the site; `--json` prints what the search API answers.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use folio::error::{Error, Result};
use folio::pipeline;
use folio::search::{Query, Searcher};
use folio::serve::api::{ApiHit, ApiResults};

use super::{Global, print_stdout};

/// Options of `folio search`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to look for: words, "quoted phrases", `prefix*` and filters such
    /// as `type:convention`.
    #[arg(required = true, value_name = "QUERY")]
    pub words: Vec<String>,

    /// The built site (default: `public/` in the site folder).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Only this type (repeat for any of several).
    #[arg(long = "type", value_name = "KEY")]
    pub types: Vec<String>,

    /// Only this subject or its children (repeatable).
    #[arg(long = "subject", value_name = "KEY")]
    pub subjects: Vec<String>,

    /// Only this status (repeatable).
    #[arg(long = "status", value_name = "KEY")]
    pub statuses: Vec<String>,

    /// Adopted in this year or later.
    #[arg(long, value_name = "YEAR")]
    pub from: Option<i32>,

    /// Adopted in this year or earlier.
    #[arg(long, value_name = "YEAR")]
    pub to: Option<i32>,

    /// Only what was in force (or current, for tools) on this date:
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; a year or month means its last day.
    #[arg(long, value_name = "DATE")]
    pub in_force_on: Option<String>,

    /// The language to search (`all` for every language).
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,

    /// The page of results, from 1.
    #[arg(long, default_value_t = 1)]
    pub page: usize,

    /// Hits per page (at most 100).
    #[arg(long, default_value_t = 10)]
    pub per_page: usize,

    /// Print the answer of the search API as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Search and print the hits.
pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let out = args.out.clone().unwrap_or_else(|| pipeline::default_out(&global.root));
    let searcher = Searcher::open(&out.join("search")).map_err(|err| match err {
        Error::MissingInput { path, .. } => Error::Search(format!(
            "no index in {}; build the site with `folio build` first",
            path.display()
        )),
        other => other,
    })?;

    let query = Query {
        text: args.words.join(" "),
        language: args.lang.clone(),
        types: args.types.clone(),
        subjects: args.subjects.clone(),
        statuses: args.statuses.clone(),
        from_year: args.from,
        to_year: args.to,
        in_force_on: args.in_force_on.clone(),
        page: args.page.max(1),
        per_page: args.per_page,
        ..Query::default()
    };
    let results = ApiResults::new(searcher.search(&query)?, &query);

    let text = if args.json {
        let mut json = serde_json::to_string_pretty(&results).expect("plain data serialises");
        json.push('\n');
        json
    } else {
        let bold = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        human(&results, &query.text, bold)
    };
    print_stdout(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// Numbered hits with type, year, URL and snippet.
fn human(results: &ApiResults, text: &str, bold: bool) -> String {
    let mut out = String::new();
    let noun = if results.total == 1 { "result" } else { "results" };
    let _ = writeln!(out, "{} {noun} for \"{text}\" ({:.1} ms)", results.total, results.took_ms);
    if results.relaxed {
        out.push_str("no entry has every word; these have some of them\n");
    }
    let first = (results.page - 1) * results.per_page + 1;
    for (i, hit) in results.hits.iter().enumerate() {
        out.push('\n');
        let _ = writeln!(out, "{:>3}. {}", first + i, hit.title);
        let _ = writeln!(out, "     {}", meta(hit));
        let snippet = plain_snippet(&hit.snippet, bold);
        if !snippet.is_empty() {
            let _ = writeln!(out, "     {snippet}");
        }
    }
    let shown = first - 1 + results.hits.len();
    if shown < results.total {
        let _ = writeln!(
            out,
            "\n{shown} of {}; `--page {}` shows more",
            results.total,
            results.page + 1
        );
    }
    out
}

/// `convention · 1973 · instruments/kyoto-convention-1973/`.
fn meta(hit: &ApiHit) -> String {
    let mut parts =
        vec![if hit.type_label.is_empty() { hit.kind.clone() } else { hit.type_label.clone() }];
    if let Some(year) = hit.year {
        parts.push(year.to_string());
    }
    parts.push(hit.url.clone());
    parts.join(" · ")
}

/// A snippet's HTML as terminal text: entities decoded, matches in bold on
/// a terminal and in brackets elsewhere.
fn plain_snippet(html: &str, bold: bool) -> String {
    let (open, close) = if bold { ("\x1b[1m", "\x1b[0m") } else { ("[", "]") };
    let text = html.replace("<mark>", open).replace("</mark>", close);
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_become_terminal_text() {
        let html = "Fish &amp; <mark>Chips</mark> &lt;b&gt; &#39;x&#39; &amp;lt;";
        assert_eq!(plain_snippet(html, false), "Fish & [Chips] <b> 'x' &lt;");
        assert_eq!(plain_snippet("<mark>a</mark>", true), "\x1b[1ma\x1b[0m");
    }
}
