//! The real catalogue in a real browser: `tests/browser/e2e.mjs` walks the
//! site that `folio serve` serves on loopback, in Debian's headless
//! Chromium, and checks accessibility, keyboard, print and JavaScript-off
//! reading. Screenshots land in `target/screenshots/`.
//!
//! The test installs what it needs when it is missing, so that `.ci/run`
//! works on a fresh machine (as root): Debian's `chromium`, `chromium-driver`
//! and, without a `node` command, `nodejs` and `npm` with apt-get, after an
//! `apt-get update`; and the npm packages of `tests/browser/` with `npm ci`,
//! exactly as `package-lock.json` pins them.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::harness::{Site, repo};

/// Where playwright-core finds the browser.
const CHROMIUM: &str = "/usr/bin/chromium";

/// How long the server may take to say where it listens.
const STARTUP: Duration = Duration::from_secs(60);

/// How long the browser suite may run; it takes about a minute and a half.
const SUITE: Duration = Duration::from_secs(360);

#[test]
fn the_catalogue_reads_well_in_a_browser() {
    let setup = Instant::now();
    ensure_chromium();
    ensure_node();
    ensure_node_modules();
    let setup = setup.elapsed();

    let site = Site::real_catalogue();
    let outcome = site.build();
    assert!(!outcome.failed(false), "the real catalogue builds: {:#?}", outcome.diagnostics);

    let server = Server::start(&site);
    let screenshots = repo().join("target/screenshots");
    let started = Instant::now();
    let run = run_suite(&server.url, &screenshots);
    let summary = run.stdout.lines().rev().find(|line| line.starts_with('{')).unwrap_or("");
    println!("setup {setup:.1?}, browser suite {:.1?}", started.elapsed());
    println!("{summary}");

    assert!(
        run.success,
        "the browser suite failed\nsummary: {summary}\nstdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    let summary: serde_json::Value = serde_json::from_str(summary).expect("a JSON summary");
    assert_eq!(summary["ok"], true, "{summary}");
}

// --- tools ------------------------------------------------------------------

/// Hold the machine-wide setup lock while `body` runs, so that parallel
/// test processes neither install twice nor see a half-installed tool.
fn with_setup_lock<T>(body: impl FnOnce() -> T) -> T {
    let path = std::env::temp_dir().join("folio-browser-setup.lock");
    let file = File::create(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    file.lock().expect("the setup lock");
    let result = body();
    let _ = file.unlock();
    result
}

/// Debian's Chromium and ChromeDriver, from apt-get when missing.
fn ensure_chromium() {
    if Path::new(CHROMIUM).exists() {
        return;
    }
    with_setup_lock(|| {
        if Path::new(CHROMIUM).exists() {
            return;
        }
        apt_get_install(&["chromium", "chromium-driver"]);
        assert!(Path::new(CHROMIUM).exists(), "apt-get installed no {CHROMIUM}");
    });
}

/// Node.js 20 or later and npm, from apt-get when there is no `node`.
fn ensure_node() {
    with_setup_lock(|| {
        if node_major().is_none() {
            apt_get_install(&["nodejs"]);
        }
        if !succeeds(Command::new("npm").arg("--version")) {
            apt_get_install(&["npm"]);
        }
    });
    let major = node_major().expect("apt-get installed no `node`");
    assert!(major >= 20, "the browser suite needs Node.js 20 or later, found {major}");
}

/// The major version of `node` on the PATH, if there is one.
fn node_major() -> Option<u32> {
    let output = Command::new("node").arg("--version").output().ok()?;
    let version = String::from_utf8_lossy(&output.stdout);
    version.trim().trim_start_matches('v').split('.').next()?.parse().ok()
}

fn succeeds(command: &mut Command) -> bool {
    command.output().is_ok_and(|output| output.status.success())
}

/// `apt-get install` after an `apt-get update`, since a fresh machine may
/// have no package lists yet.
fn apt_get_install(packages: &[&str]) {
    eprintln!("note: installing {} with apt-get", packages.join(", "));
    run_checked(Command::new("apt-get").args(["update", "-q"]), "apt-get update");
    run_checked(
        Command::new("apt-get")
            .args(["install", "-y", "-q"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
        &format!("apt-get install {}", packages.join(" ")),
    );
}

/// playwright-core and axe-core in `tests/browser/node_modules`, exactly as
/// `package-lock.json` pins them.
fn ensure_node_modules() {
    let folder = browser_folder();
    let installed = || {
        locked_packages(&folder).iter().all(|(name, version)| {
            installed_version(&folder, name).as_deref() == Some(version.as_str())
        })
    };
    if installed() {
        return;
    }
    with_setup_lock(|| {
        if installed() {
            return;
        }
        eprintln!("note: running npm ci in tests/browser");
        run_checked(
            Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&folder),
            "npm ci in tests/browser",
        );
    });
}

/// Each package of `package-lock.json` with the version it pins.
fn locked_packages(folder: &Path) -> Vec<(String, String)> {
    let lock =
        std::fs::read_to_string(folder.join("package-lock.json")).expect("package-lock.json");
    let lock: serde_json::Value = serde_json::from_str(&lock).expect("package-lock.json is JSON");
    let packages = lock["packages"].as_object().expect("package-lock.json lists packages");
    let locked: Vec<_> = packages
        .iter()
        .filter_map(|(path, package)| {
            let name = path.strip_prefix("node_modules/")?;
            Some((name.to_owned(), package["version"].as_str()?.to_owned()))
        })
        .collect();
    assert!(!locked.is_empty(), "package-lock.json pins no package");
    locked
}

/// The version of `name` in `node_modules`, if it is there.
fn installed_version(folder: &Path, name: &str) -> Option<String> {
    let manifest = folder.join("node_modules").join(name).join("package.json");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(manifest).ok()?).ok()?;
    manifest["version"].as_str().map(str::to_owned)
}

fn browser_folder() -> PathBuf {
    repo().join("tests/browser")
}

fn run_checked(command: &mut Command, what: &str) {
    let output = command.output().unwrap_or_else(|err| panic!("{what}: {err}"));
    assert!(
        output.status.success(),
        "{what} failed ({})\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

// --- the server -------------------------------------------------------------

/// `folio serve` on a free loopback port, killed when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    /// Start it in the site folder and read the address from the line it
    /// prints: `serving DIR at http://127.0.0.1:PORT/ (Ctrl-C stops)`.
    fn start(site: &Site) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["serve", "--port", "0", "--out"])
            .arg(site.out())
            .current_dir(&site.root)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("folio serve starts");
        let stdout = child.stdout.take().unwrap();
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        let mut server = Self { child, url: String::new() };
        let line = receiver.recv_timeout(STARTUP).expect("folio serve prints its address");
        let url = line.split_whitespace().find(|word| word.starts_with("http://"));
        server.url = url.unwrap_or_else(|| panic!("no address in {line:?}")).to_owned();
        assert!(server.url.starts_with("http://127.0.0.1:"), "not loopback: {line}");
        server
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// --- the suite --------------------------------------------------------------

struct Run {
    success: bool,
    stdout: String,
    stderr: String,
}

/// `node tests/browser/e2e.mjs URL DIR`, killed when it overruns.
fn run_suite(url: &str, screenshots: &Path) -> Run {
    let mut child = Command::new("node")
        .arg(browser_folder().join("e2e.mjs"))
        .arg(url)
        .arg(screenshots)
        .current_dir(repo())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node starts (Node.js 20 or later is needed)");
    let stdout = drain(child.stdout.take().unwrap());
    let stderr = drain(child.stderr.take().unwrap());

    let deadline = Instant::now() + SUITE;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let (stdout, mut stderr) = (stdout.join().unwrap(), stderr.join().unwrap());
    if status.is_none() {
        stderr.push_str(&format!("\nkilled after {SUITE:?}"));
    }
    Run { success: status.is_some_and(|s| s.success()), stdout, stderr }
}

/// Read a pipe to its end on its own thread, so neither pipe fills up.
fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    })
}
