//! The live-preview benchmark: how long after saving one instrument of a
//! large catalogue `folio serve --watch` serves its rebuilt page.
//!
//! ```text
//! cargo build --release
//! cargo run --release --example watch_bench -- --count 10000 --edits 20
//! ```
//!
//! It writes a synthetic catalogue with `folio::synth` into a temporary
//! folder (or `--dir`, kept and reused), starts the `folio` binary built
//! beside this example as `folio serve --watch`, and waits for its first
//! build. Then it edits the title of one instrument `--edits` times. Each
//! time it measures, from just before the file is written:
//!
//! - page: until the instrument's page, fetched over HTTP in a loop, shows
//!   the new title;
//! - reload: until the server sends the `reload` event to open pages, which
//!   it does once the instrument pages the edit affects and the search
//!   index are written;
//! - lists: until it sends `rewritten`, once the list, point-in-time and
//!   data files the edit affects are written too.
//!
//! The clock includes the watcher's debounce. Each edit waits for the one
//! before to be written in full, and a second more, so each is its own
//! rebuild. This is a measurement to read, not a test.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use folio::synth;

/// What the command line asks for.
struct Options {
    count: usize,
    edits: usize,
    seed: u64,
    dir: Option<PathBuf>,
    folio: PathBuf,
}

/// How long any one step may take before the benchmark gives up.
const PATIENCE: Duration = Duration::from_secs(600);
/// The quiet time between two edits.
const BETWEEN_EDITS: Duration = Duration::from_secs(1);

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let options = parse_args()?;
    let scratch = tempfile::tempdir()?;
    let root = options.dir.clone().unwrap_or_else(|| scratch.path().join("site"));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("watch benchmark: {} instruments, {cores} cores", options.count);
    generate(&root, &options)?;

    let started = Instant::now();
    let server = Server::start(&options.folio, &root)?;
    let events = server.events()?;
    wait_until("the first build", || Ok(server.get("/__folio/status")?.contains("\"ok\":true")))?;
    println!("  first (full) build and start: {:.2} s", started.elapsed().as_secs_f64());

    let (path, id) = edited_instrument(&root)?;
    let page = format!("/instruments/{id}/");
    let original = std::fs::read_to_string(&path)?;
    println!("  editing the title of {id}, {} times", options.edits);
    let mut to_page = Vec::new();
    let mut to_reload = Vec::new();
    let mut to_lists = Vec::new();
    for edit in 1..=options.edits {
        std::thread::sleep(BETWEEN_EDITS);
        while events.try_recv().is_ok() {}
        let marker = format!("Benchmark edit {edit} of the title");
        let text = retitle(&original, &marker).ok_or("the instrument has no title line")?;

        let saved = Instant::now();
        std::fs::write(&path, text)?;
        wait_until("the new page", || Ok(server.get(&page)?.contains(&marker)))?;
        to_page.push(saved.elapsed());
        to_reload.push(next_event(&events, "reload")?.saturating_duration_since(saved));
        to_lists.push(next_event(&events, "rewritten")?.saturating_duration_since(saved));
    }
    std::fs::write(&path, original)?;

    println!("  from the save to        median     p90      max");
    print_row("the page served", &mut to_page);
    print_row("the reload event", &mut to_reload);
    print_row("the rewritten event", &mut to_lists);
    Ok(())
}

fn parse_args() -> Result<Options, String> {
    let beside_examples = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join("folio")))
        .unwrap_or_else(|| PathBuf::from("folio"));
    let mut options =
        Options { count: 10_000, edits: 20, seed: 1, dir: None, folio: beside_examples };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--count" => options.count = value()?.parse().map_err(|e| format!("--count: {e}"))?,
            "--edits" => options.edits = value()?.parse().map_err(|e| format!("--edits: {e}"))?,
            "--seed" => options.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--dir" => options.dir = Some(PathBuf::from(value()?)),
            "--folio" => options.folio = PathBuf::from(value()?),
            _ => {
                return Err(format!(
                    "unknown argument {arg}; expected --count N, --edits N, --seed S, --dir DIR, \
                     --folio PATH"
                ));
            }
        }
    }
    if options.edits == 0 {
        return Err("--edits must be at least 1".to_owned());
    }
    Ok(options)
}

/// Write the synthetic catalogue, unless `--dir` already holds one.
fn generate(root: &Path, options: &Options) -> Result<(), folio::error::Error> {
    if options.dir.is_some() && root.join("content/instruments").is_dir() {
        println!("  reusing the catalogue in {}", root.display());
        return Ok(());
    }
    let synth_options = synth::Options { count: options.count, seed: options.seed, replace: true };
    synth::write(root, &synth_options)?;
    Ok(())
}

/// The instrument in the middle of the catalogue, by path, in the default
/// language: its file and id.
fn edited_instrument(root: &Path) -> Result<(PathBuf, String), Box<dyn std::error::Error>> {
    let mut files: Vec<PathBuf> = walk(&root.join("content/instruments"))?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| p.file_stem().is_some_and(|s| !s.to_string_lossy().contains('.')))
        .collect();
    files.sort();
    let path = files.get(files.len() / 2).ok_or("the catalogue has no instruments")?.clone();
    let text = std::fs::read_to_string(&path)?;
    let id = text
        .lines()
        .find_map(|line| line.strip_prefix("id:"))
        .map(|id| id.trim().trim_matches('"').to_owned())
        .ok_or("the instrument has no id line")?;
    Ok((path, id))
}

fn walk(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            files.extend(walk(&path)?);
        } else {
            files.push(path);
        }
    }
    Ok(files)
}

/// The file with its front matter's title replaced by `title`.
fn retitle(text: &str, title: &str) -> Option<String> {
    let start = text.find("\ntitle:")? + 1;
    let end = text[start..].find('\n').map_or(text.len(), |at| start + at);
    Some(format!("{}title: \"{title}\"{}", &text[..start], &text[end..]))
}

/// A running `folio serve --watch`, stopped when dropped.
struct Server {
    child: Child,
    address: SocketAddr,
}

impl Server {
    fn start(folio: &Path, root: &Path) -> Result<Self, Box<dyn std::error::Error>> {
        let mut child = Command::new(folio)
            .args(["serve", "--watch", "--port", "0", "--quiet", "--root"])
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|err| format!("cannot start {}: {err}", folio.display()))?;
        let stdout = child.stdout.take().ok_or("no output from folio serve")?;
        let mut lines = BufReader::new(stdout).lines();
        let line = lines.next().ok_or("folio serve stopped before it printed its address")??;
        // Keep reading, so that what the server prints later finds a reader.
        std::thread::spawn(move || lines.for_each(drop));
        let url = line.split_whitespace().find(|w| w.starts_with("http://"));
        let address = url
            .ok_or_else(|| format!("folio serve printed no address: {line}"))?
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()?;
        Ok(Self { child, address })
    }

    /// The body of `GET path`.
    fn get(&self, path: &str) -> std::io::Result<String> {
        let mut stream = TcpStream::connect(self.address)?;
        stream.set_read_timeout(Some(PATIENCE))?;
        write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")?;
        let mut reply = Vec::new();
        stream.read_to_end(&mut reply)?;
        Ok(String::from_utf8_lossy(&reply).into_owned())
    }

    /// Each live-reload event's name and the moment it arrived, from a
    /// thread that listens.
    fn events(&self) -> std::io::Result<Receiver<(String, Instant)>> {
        let mut stream = TcpStream::connect(self.address)?;
        stream.write_all(b"GET /__folio/reload HTTP/1.1\r\nHost: localhost\r\n\r\n")?;
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let Some(name) = line.trim_end().strip_prefix("event: ") else { continue };
                if sender.send((name.to_owned(), Instant::now())).is_err() {
                    return;
                }
            }
        });
        Ok(receiver)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// When the next event called `name` arrived.
fn next_event(
    events: &Receiver<(String, Instant)>,
    name: &str,
) -> Result<Instant, Box<dyn std::error::Error>> {
    loop {
        let (event, at) = events.recv_timeout(PATIENCE)?;
        if event == name {
            return Ok(at);
        }
    }
}

/// Ask `ready` every millisecond until it says yes.
fn wait_until(
    what: &str,
    mut ready: impl FnMut() -> std::io::Result<bool>,
) -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    while !ready()? {
        if started.elapsed() > PATIENCE {
            return Err(format!("gave up waiting for {what}").into());
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    Ok(())
}

fn print_row(what: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "    {what:<20} {:>7.1} ms {:>7.1} ms {:>7.1} ms",
        ms(at(0.5)),
        ms(at(0.9)),
        ms(times[times.len() - 1])
    );
}
