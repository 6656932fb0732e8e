//! The search benchmark: how long the index of a synthetic catalogue takes to
//! build, how large it is, and how fast `Searcher::search` answers.
//!
//! ```text
//! cargo run --release --example search_bench -- --count 10000
//! ```
//!
//! It writes a synthetic catalogue with `folio::synth` (the generator behind
//! `folio synth`) into a temporary folder, or into `--dir` (kept, and reused
//! when it already holds instruments), loads and assembles it as a build
//! does, builds the index and opens it as `folio serve` does. The queries
//! are drawn from the catalogue's own title words, in equal shares: single
//! words, quoted two-word phrases, prefixes as typed (search-as-you-type),
//! a word with a type filter, and empty text with a point-in-time filter.
//! They run one after another on one thread, after a warm-up; each is timed
//! around `Searcher::search`, which is all the API adds anything around.
//!
//! This is a measurement to read, not a test: nothing fails on a slow run.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use folio::catalogue::Catalogue;
use folio::diagnostics::{Diagnostics, Severity};
use folio::search::{Query, Searcher, build_index};
use folio::synth::{self, Rng};

/// What the command line asks for.
struct Options {
    count: usize,
    queries: usize,
    seed: u64,
    dir: Option<PathBuf>,
}

/// The kinds of query drawn, in the order the report lists them.
const KINDS: [&str; 5] = ["word", "phrase", "prefix", "word + type", "in force on"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let options = parse_args()?;
    if let Ok(filter) = tracing_subscriber::EnvFilter::try_from_env("FOLIO_LOG") {
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
    }
    let scratch = tempfile::tempdir()?;
    let root = options.dir.clone().unwrap_or_else(|| scratch.path().join("site"));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("search benchmark: {} instruments, {cores} cores", options.count);

    let started = Instant::now();
    let generated = generate(&root, &options)?;
    let elapsed = started.elapsed();
    let what = if generated { "generated" } else { "reused" };
    println!("  catalogue {what} in {}", seconds(elapsed));

    let started = Instant::now();
    let (catalogue, errors) = load(&root)?;
    println!(
        "  loaded and validated in {} ({} entries, {errors} errors)",
        seconds(started.elapsed()),
        catalogue.entries.len()
    );

    let index_dir = scratch.path().join("index");
    std::fs::create_dir(&index_dir)?;
    let stats = build_index(&catalogue, &index_dir)?;
    println!("  index build   {}  ({} documents)", seconds(stats.elapsed), stats.documents);
    println!("  index size    {:.1} MiB", stats.bytes as f64 / 1024.0 / 1024.0);

    let started = Instant::now();
    let searcher = Searcher::open(&index_dir)?;
    println!("  index open    {}", seconds(started.elapsed()));

    let queries = draw_queries(&catalogue, options.queries, options.seed);
    for query in queries.iter().take(200) {
        searcher.search(&query.1)?;
    }
    let mut by_kind: Vec<Vec<Duration>> = vec![Vec::new(); KINDS.len()];
    let mut totals = 0usize;
    for (kind, query) in &queries {
        let started = Instant::now();
        let results = searcher.search(query)?;
        by_kind[*kind].push(started.elapsed());
        totals += results.total;
    }

    println!(
        "  query latency over {} queries (mean matches {}):",
        queries.len(),
        totals / queries.len().max(1)
    );
    println!("    {:<12} {:>6} {:>9} {:>9} {:>9}", "kind", "count", "p50 ms", "p99 ms", "max ms");
    let mut all: Vec<Duration> = Vec::new();
    for (kind, times) in KINDS.iter().zip(&mut by_kind) {
        all.extend(times.iter());
        print_latency(kind, times);
    }
    print_latency("all", &mut all);
    Ok(())
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options { count: 10_000, queries: 3_000, seed: 1, dir: None };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--count" => options.count = value()?.parse().map_err(|e| format!("--count: {e}"))?,
            "--queries" => {
                options.queries = value()?.parse().map_err(|e| format!("--queries: {e}"))?;
            }
            "--seed" => options.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--dir" => options.dir = Some(PathBuf::from(value()?)),
            _ => {
                return Err(format!(
                    "unknown argument {arg}; expected --count N, --queries N, --seed S, --dir DIR"
                ));
            }
        }
    }
    Ok(options)
}

/// Write the synthetic catalogue, unless `--dir` already holds one; `true`
/// when it was written.
fn generate(root: &Path, options: &Options) -> Result<bool, folio::error::Error> {
    let instruments = root.join("content/instruments");
    if options.dir.is_some() && instruments.is_dir() {
        return Ok(false);
    }
    let synth_options = synth::Options { count: options.count, seed: options.seed, replace: true };
    synth::write(root, &synth_options)?;
    Ok(true)
}

/// Load, assemble and validate as `folio build` does; the error count says
/// whether the generator wrote a valid catalogue.
fn load(root: &Path) -> Result<(Catalogue, usize), Box<dyn std::error::Error>> {
    let mut diagnostics = Diagnostics::new();
    let content = folio::content::load(root, &mut diagnostics)?
        .ok_or("the synthetic catalogue's settings did not load")?;
    let catalogue = Catalogue::assemble(content);
    folio::validate::validate(&catalogue, &mut diagnostics);
    Ok((catalogue, diagnostics.count(Severity::Error)))
}

/// `count` queries of every kind in turn, from the catalogue's titles.
fn draw_queries(catalogue: &Catalogue, count: usize, seed: u64) -> Vec<(usize, Query)> {
    let titles: Vec<Vec<String>> = catalogue
        .entries
        .iter()
        .map(|e| {
            e.instrument
                .title
                .value
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() >= 2)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|words| !words.is_empty())
        .collect();
    let kinds: Vec<String> =
        catalogue.entries.iter().map(|e| e.instrument.kind.value.clone()).collect();
    let years = folio::chronology::year_range(catalogue).unwrap_or((2000, 2000));

    let mut rng = Rng::new(seed);
    let mut queries = Vec::with_capacity(count);
    for n in 0..count {
        let kind = n % KINDS.len();
        let title = &titles[rng.below(titles.len())];
        let at = rng.below(title.len());
        let word = title[at].clone();
        let query = match kind {
            0 => Query::text(word),
            1 => match title.get(at + 1) {
                Some(next) => Query::text(format!("\"{word} {next}\"")),
                None => Query::text(format!("\"{} {word}\"", title[at.saturating_sub(1)])),
            },
            2 => {
                let chars: Vec<char> = word.chars().collect();
                let typed = 2 + rng.below(chars.len().saturating_sub(1).max(1));
                let prefix: String = chars[..typed.min(chars.len())].iter().collect();
                Query { prefix: true, ..Query::text(prefix) }
            }
            3 => {
                let kind = kinds[rng.below(kinds.len())].clone();
                Query { types: vec![kind], ..Query::text(word) }
            }
            _ => {
                let span = (years.1 - years.0 + 1) as usize;
                let year = years.0 + rng.below(span) as i32;
                Query { in_force_on: Some(year.to_string()), ..Query::default() }
            }
        };
        queries.push((kind, query));
    }
    queries
}

fn print_latency(kind: &str, times: &mut [Duration]) {
    if times.is_empty() {
        return;
    }
    times.sort_unstable();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "    {kind:<12} {:>6} {:>9.3} {:>9.3} {:>9.3}",
        times.len(),
        ms(at(0.50)),
        ms(at(0.99)),
        ms(times[times.len() - 1])
    );
}

fn seconds(elapsed: Duration) -> String {
    format!("{:.2} s", elapsed.as_secs_f64())
}
