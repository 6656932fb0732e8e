//! Faults around a build: an output folder that cannot be written, a full
//! disk, and builds killed at random points. In each, the previous site stays
//! byte-identical, the error names the path, and no staging folder survives
//! the next successful build (the spare, the previous site that the next
//! build writes over, is kept on purpose; see `src/output.rs`).
//!
//! The tests run as root in CI's sandbox, where `chmod 555` does not stop a
//! write; they then make the folder immutable with `chattr +i` instead, and
//! test the other unwritable outputs (a path below a file, a file where the
//! folder should be) everywhere.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::bad_input::{Run, folio, is_index_file, leftovers, site_files};

/// The one folder a build keeps beside the output on purpose: the previous
/// site, which the next build writes over (see `src/output.rs`).
const SPARE: &str = ".public.folio-spare";
use crate::build::tree;
use crate::harness::Site;

/// A folder made unwritable for the length of a test, by whichever means
/// works on this machine; undone on drop, so the temporary folder can go.
struct ReadOnly {
    path: PathBuf,
    undo: Undo,
}

enum Undo {
    Mode(fs::Permissions),
    Immutable,
}

impl ReadOnly {
    /// Make `path` unwritable: `chmod 555`, or `chattr +i` where the mode
    /// does not stop this user (root). `None` when neither works.
    fn make(path: &Path) -> Option<Self> {
        let original = fs::metadata(path).unwrap().permissions();
        fs::set_permissions(path, fs::Permissions::from_mode(0o555)).unwrap();
        if !writable(path) {
            return Some(Self { path: path.to_path_buf(), undo: Undo::Mode(original) });
        }
        fs::set_permissions(path, original).unwrap();

        let immutable = Command::new("chattr").arg("+i").arg(path).status();
        if immutable.is_ok_and(|s| s.success()) {
            let guard = Self { path: path.to_path_buf(), undo: Undo::Immutable };
            return (!writable(path)).then_some(guard);
        }
        None
    }

    fn how(&self) -> &'static str {
        match self.undo {
            Undo::Mode(_) => "chmod 555",
            Undo::Immutable => "chattr +i",
        }
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        match &self.undo {
            Undo::Mode(original) => {
                let _ = fs::set_permissions(&self.path, original.clone());
            }
            Undo::Immutable => {
                let _ = Command::new("chattr").arg("-i").arg(&self.path).status();
            }
        }
    }
}

/// Whether a file can be created in `dir` (the probe is removed again).
fn writable(dir: &Path) -> bool {
    let probe = dir.join(".folio-write-probe");
    let ok = fs::write(&probe, "").is_ok();
    let _ = fs::remove_file(&probe);
    ok
}

/// Staging folders left beside the output in `dir`, the spare aside.
fn staging_left(dir: &Path) -> Vec<String> {
    let mut left = leftovers(dir);
    left.retain(|name| name != SPARE);
    left
}

/// The name of the temporary folder a site lives in, which every path of
/// the site's error messages contains.
fn temp_name(site: &Site) -> String {
    site.root.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned()
}

/// A failed run: exit code `code`, an `error:` line naming `path`, no panic.
fn assert_clear_error(run: &Run, code: i32, path: &str) {
    assert_eq!(run.code, Some(code), "{}", run.describe());
    assert!(!run.stderr.contains("panicked"), "{}", run.describe());
    let line = run.stderr.lines().find(|l| l.starts_with("error:"));
    let line = line.unwrap_or_else(|| panic!("no `error:` line\n{}", run.describe()));
    assert!(line.contains(path), "the error does not name {path}: {line}");
}

/// A site built once into `public/`, and the bytes of that build.
fn built_site() -> (Site, std::collections::BTreeMap<String, Vec<u8>>) {
    let site = Site::fixture("sites/small");
    let first = folio(&site.root, &["build", "-q"], &[]);
    assert_eq!(first.code, Some(0), "{}", first.describe());
    let before = tree(&site.out());
    (site, before)
}

#[test]
fn a_read_only_site_folder_is_a_clear_error_and_the_previous_site_stays() {
    let (site, before) = built_site();
    let Some(guard) = ReadOnly::make(&site.root) else {
        eprintln!("note: cannot make a folder read-only here; see the tests of unwritable outputs");
        return;
    };
    let how = guard.how();

    let run = folio(&site.root, &["build", "-q"], &[]);
    drop(guard);

    assert_clear_error(&run, 3, &temp_name(&site));
    assert!(tree(&site.out()) == before, "the previous site changed ({how})");
    assert!(staging_left(&site.root).is_empty(), "left {:?} ({how})", staging_left(&site.root));
}

#[test]
fn a_read_only_output_folder_is_a_clear_error_and_the_previous_site_stays() {
    let (site, before) = built_site();
    let Some(guard) = ReadOnly::make(&site.out()) else {
        eprintln!("note: cannot make a folder read-only here; see the tests of unwritable outputs");
        return;
    };
    let how = guard.how();

    let run = folio(&site.root, &["build", "-q"], &[]);
    drop(guard);

    assert_clear_error(&run, 3, "public");
    assert!(tree(&site.out()) == before, "the previous site changed ({how})");
    assert!(staging_left(&site.root).is_empty(), "left {:?} ({how})", staging_left(&site.root));
}

#[test]
fn an_output_folder_below_a_file_is_a_clear_error() {
    let (site, before) = built_site();
    site.write("blocker", "a file where a folder should be");

    let run = folio(&site.root, &["build", "-q", "--out", "blocker/public"], &[]);

    assert_clear_error(&run, 3, "blocker");
    assert_eq!(
        fs::read_to_string(site.root.join("blocker")).unwrap(),
        "a file where a folder should be"
    );
    assert!(tree(&site.out()) == before, "the previous site changed");
}

/// folio never replaces what it did not write: a file named like the output
/// folder is refused before any work, as a usage error (exit 2).
#[test]
fn an_output_path_holding_a_file_is_refused_and_kept() {
    let site = Site::fixture("sites/small");
    site.write("public", "a file, not a folder");

    let run = folio(&site.root, &["build", "-q"], &[]);

    assert_clear_error(&run, 2, "public");
    assert_eq!(fs::read_to_string(site.out()).unwrap(), "a file, not a folder");
    assert!(staging_left(&site.root).is_empty(), "left {:?}", staging_left(&site.root));
}

/// A tmpfs mounted for the length of a test; unmounted on drop.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    /// Mount a tmpfs of `size` (`2m`) on `dir`; `None` where mounting is not
    /// permitted (no `CAP_SYS_ADMIN`, as in most containers).
    fn mount(dir: &Path, size: &str) -> Option<Self> {
        fs::create_dir_all(dir).unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .stderr(std::process::Stdio::null())
            .status();
        status.is_ok_and(|s| s.success()).then(|| Self { dir: dir.to_path_buf() })
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let unmounted = Command::new("umount").arg(&self.dir).status();
        if !unmounted.is_ok_and(|s| s.success()) {
            let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
        }
    }
}

/// `count` more guides, each with a body of a few kilobytes.
fn add_bulk(site: &Site, count: usize) {
    for n in 0..count {
        site.write(
            &format!("content/instruments/bulk/bulk-guide-{n}.md"),
            format!(
                "---\nid: bulk-guide-{n}\ntitle: Bulk guide {n}\ntype: guide\n\
                 body: secretariat\nsubjects: [origin]\nstatus: current\n\
                 source: https://fixture.example.org/{n}\n---\n\
                 ## Text\n\n{}See [beta](beta-convention-1990).\n",
                "A paragraph of words for the guide. ".repeat(40)
            ),
        );
    }
}

/// A site built into a 2 MB tmpfs, which holds it with room to spare but not
/// a second, much bigger site beside it; `None` where `mount` is not
/// permitted (no `CAP_SYS_ADMIN`).
fn site_on_a_small_disk() -> Option<(Site, Tmpfs, PathBuf)> {
    let site = Site::fixture("sites/small");
    let disk = site.root.join("disk");
    let mounted = Tmpfs::mount(&disk, "2m")?;
    let out = disk.join("public");
    let first = folio(&site.root, &["build", "-q", "--out", &out.to_string_lossy()], &[]);
    assert_eq!(first.code, Some(0), "the small site does not fit: {}", first.describe());
    Some((site, mounted, out))
}

/// Needs `mount`; where it is not permitted the test prints a note and
/// passes. That is the one skip of this suite.
#[test]
fn a_full_disk_is_a_clear_error_and_the_previous_site_stays() {
    let Some((site, _mounted, out)) = site_on_a_small_disk() else {
        eprintln!("note: mount is not permitted here; the full-disk test is skipped");
        return;
    };
    let out_arg = out.to_string_lossy().into_owned();
    let before = tree(&out);

    add_bulk(&site, 400);
    let run = folio(&site.root, &["build", "-q", "--out", &out_arg], &[]);

    assert_clear_error(&run, 3, "disk");
    assert!(run.stderr.contains("No space left on device"), "{}", run.describe());
    assert!(tree(&out) == before, "the previous site changed");
    let disk = out.parent().unwrap();
    assert!(staging_left(disk).is_empty(), "left {:?}", staging_left(disk));
}

/// After a full disk, the content is cut back to fit: the next build on the
/// same disk succeeds. Needs `mount`, like the test above.
#[test]
fn after_a_full_disk_the_next_build_that_fits_succeeds() {
    let Some((site, _mounted, out)) = site_on_a_small_disk() else {
        eprintln!("note: mount is not permitted here; the full-disk test is skipped");
        return;
    };
    let out_arg = out.to_string_lossy().into_owned();
    let mut before = tree(&out);
    before.retain(|path, _| !is_index_file(path));
    add_bulk(&site, 400);
    let full = folio(&site.root, &["build", "-q", "--out", &out_arg], &[]);
    assert_eq!(full.code, Some(3), "{}", full.describe());

    fs::remove_dir_all(site.root.join("content/instruments/bulk")).unwrap();
    let again = folio(&site.root, &["build", "-q", "--out", &out_arg], &[]);

    assert_eq!(again.code, Some(0), "no recovery after a full disk: {}", again.describe());
    assert!(site_files(&out) == before, "the rebuilt site differs");
}

/// A failed build on a full disk gives the space it took back, so that the
/// disk is not left full for everything else on the machine.
///
/// Needs `mount`, like the test above.
#[test]
fn a_build_that_fills_the_disk_gives_the_space_back() {
    let Some((site, _mounted, out)) = site_on_a_small_disk() else {
        eprintln!("note: mount is not permitted here; the full-disk test is skipped");
        return;
    };
    let disk = out.parent().unwrap();
    let used = |dir: &Path| tree(dir).values().map(Vec::len).sum::<usize>();
    let before = used(disk);

    add_bulk(&site, 400);
    let run = folio(&site.root, &["build", "-q", "--out", &out.to_string_lossy()], &[]);
    assert_eq!(run.code, Some(3), "{}", run.describe());

    let after = used(disk);
    assert!(
        after <= before * 2,
        "the failed build keeps {} KB on the full disk beside the {} KB site: {:?}",
        (after - before) / 1024,
        before / 1024,
        leftovers(disk)
    );
}

/// A small random number generator (SplitMix64): the kill points are random
/// but each run can be repeated from its seed.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound`.
    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }
}

/// Start `folio build`, wait `delay`, and end it with `signal`.
fn kill_build_after(root: &Path, delay: Duration, signal: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["build", "-q"])
        .current_dir(root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    if signal == "KILL" {
        let _ = child.kill();
    } else {
        let _ = Command::new("kill").args(["-s", signal, &child.id().to_string()]).status();
    }
    let _ = child.wait();
}

/// Set `FOLIO_FAULT_SEED` to repeat a run; the seed is printed either way.
#[test]
fn builds_killed_at_twenty_random_points_leave_the_previous_site_intact() {
    let seed = std::env::var("FOLIO_FAULT_SEED")
        .ok()
        .and_then(|s| u64::from_str_radix(s.trim_start_matches("0x"), 16).ok())
        .unwrap_or(0x0F01_10F0_0009);
    eprintln!("kill points from seed {seed:#x} (FOLIO_FAULT_SEED)");

    let site = Site::fixture("sites/small");
    add_bulk(&site, 800);
    let start = Instant::now();
    let built = folio(&site.root, &["build", "-q"], &[]);
    let full = start.elapsed();
    assert_eq!(built.code, Some(0), "{}", built.describe());
    let before = site_files(&site.out());
    let had_index = site.out().join("search/meta.json").is_file();

    let mut random = SplitMix(seed);
    let window = u64::try_from(full.as_millis()).unwrap() * 11 / 10;
    for round in 0..20 {
        let delay = Duration::from_millis(random.below(window));
        let signal = ["KILL", "TERM", "INT"][round % 3];
        kill_build_after(&site.root, delay, signal);

        let at =
            format!("round {round}: SIG{signal} after {} ms of ~{} ms", delay.as_millis(), window);
        assert!(site_files(&site.out()) == before, "the previous site changed ({at})");
        assert!(
            !had_index || site.out().join("search/meta.json").is_file(),
            "the index is gone ({at})"
        );
        let mut names: Vec<String> = fs::read_dir(&site.root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| !name.starts_with(".public.folio-"))
            .collect();
        names.sort();
        assert_eq!(names, ["content", "public"], "unexpected files in the site folder ({at})");
    }

    let rebuilt = folio(&site.root, &["build", "-q"], &[]);
    assert_eq!(rebuilt.code, Some(0), "{}", rebuilt.describe());
    assert!(staging_left(&site.root).is_empty(), "left behind: {:?}", staging_left(&site.root));
    assert!(site_files(&site.out()) == before, "the rebuilt site differs");
}
