//! The output folder's life: every build writes into a staging folder beside
//! the target and swaps it in at the end, so a failed or killed build leaves
//! the previous site exactly as it was.
//!
//! The staging folder sits next to the target (same file system, so the swap
//! is a rename). On Linux the swap is one atomic exchange; elsewhere it is two
//! renames.
//!
//! Deleting a site file by file is the slowest thing a build could do (on
//! some file systems every unlink waits on the disk), so the previous site is
//! not deleted: it is kept beside the target as `.<name>.folio-spare`, and
//! the next build writes over it, removing only the files it did not write
//! again. A folder that a killed build left is reused the same way. A build
//! that fills the disk is the exception: it removes its folder, so that the
//! space comes back and the next build that fits succeeds.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};

/// The file that marks a folder as folio's output, so a build never replaces
/// a folder it did not write.
pub const MARKER: &str = ".folio-build";

/// A build's output under construction.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    written: Mutex<HashSet<PathBuf>>,
    kept_folders: Mutex<Vec<PathBuf>>,
    committed: bool,
}

impl Staging {
    /// Prepare to write a new site that will replace `target`.
    pub fn new(target: &Path) -> Result<Self> {
        let target = absolute(target)?;
        if target.exists() && !is_replaceable(&target) {
            return Err(Error::Usage(format!(
                "refusing to replace {}: it is not empty and was not written by folio (no {MARKER} file)",
                target.display()
            )));
        }
        let parent = target.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        fs::create_dir_all(&parent).map_err(Error::io("create", &parent))?;

        let dir = sibling(&target, &format!("tmp-{}", std::process::id()));
        match reusable_leftover(&target) {
            Some(leftover) if leftover != dir => {
                fs::rename(&leftover, &dir).map_err(Error::io("reuse", &leftover))?;
            }
            Some(_) => {}
            None => fs::create_dir(&dir).map_err(Error::io("create", &dir))?,
        }
        fs::write(dir.join(MARKER), "").map_err(Error::io("write", dir.join(MARKER)))?;
        let written = Mutex::new(HashSet::from([PathBuf::from(MARKER)]));
        Ok(Self { dir, target, written, kept_folders: Mutex::new(Vec::new()), committed: false })
    }

    /// The folder being written.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Write `bytes` to the site-relative `path`, creating folders.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        crate::work::add(crate::work::Work::BytesWritten, bytes.len() as u64);
        let full = self.dir.join(path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent).map_err(Error::io("create", parent))?;
        }
        fs::write(&full, bytes).map_err(Error::io("write", &full))?;
        self.written.lock().expect("no panic while holding the lock").insert(PathBuf::from(path));
        Ok(())
    }

    /// An empty folder at the site-relative `path` for a writer of its own
    /// (the search index); everything in it is kept.
    pub fn fresh_folder(&self, path: &str) -> Result<PathBuf> {
        let full = self.dir.join(path);
        if full.exists() {
            fs::remove_dir_all(&full).map_err(Error::io("clear", &full))?;
        }
        fs::create_dir_all(&full).map_err(Error::io("create", &full))?;
        self.kept_folders
            .lock()
            .expect("no panic while holding the lock")
            .push(PathBuf::from(path));
        Ok(full)
    }

    /// Remove what a reused folder held that this build did not write, then
    /// replace the target with the staged site and keep the previous site as
    /// the spare.
    pub fn commit(mut self) -> Result<()> {
        self.prune()?;
        swap_in(&self.dir, &self.target)?;
        if self.dir.exists() {
            // After the exchange `dir` holds the previous site.
            let spare = sibling(&self.target, "spare");
            fs::rename(&self.dir, &spare)
                .map_err(Error::io("keep the previous site as", &spare))?;
        }
        self.committed = true;
        Ok(())
    }

    /// Delete the files this build did not write, and folders left empty.
    fn prune(&self) -> Result<()> {
        let written = self.written.lock().expect("no panic while holding the lock");
        let kept = self.kept_folders.lock().expect("no panic while holding the lock");
        let mut folders = Vec::new();
        for entry in walkdir::WalkDir::new(&self.dir).min_depth(1).contents_first(true) {
            let entry = entry.map_err(|err| Error::Io {
                action: "read",
                path: self.dir.clone(),
                source: std::io::Error::other(err.to_string()),
            })?;
            let relative = entry.path().strip_prefix(&self.dir).expect("below dir");
            if kept.iter().any(|folder| relative.starts_with(folder)) {
                continue;
            }
            if entry.file_type().is_dir() {
                folders.push(entry.path().to_path_buf());
            } else if !written.contains(relative) {
                tracing::debug!(path = %relative.display(), "removing a page this build no longer writes");
                fs::remove_file(entry.path()).map_err(Error::io("remove", entry.path()))?;
            }
        }
        for folder in folders {
            // Fails, as it should, on folders that still hold files.
            let _ = fs::remove_dir(&folder);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        if is_full(&self.dir) {
            // The disk needs its space back more than the next build needs a
            // spare; the spare, if there was one, is this very folder.
            tracing::debug!(path = %self.dir.display(), "removing the staging folder: the disk is full");
            let _ = fs::remove_dir_all(&self.dir);
        } else {
            // Keep the work as the next build's spare rather than delete it.
            let _ = fs::rename(&self.dir, sibling(&self.target, "spare"));
        }
    }
}

/// Whether the file system holding `dir` is out of space (or the user out of
/// quota): a probe of 64 KiB cannot be written. Asked when a build failed,
/// whichever writer (pages or index) met the full disk first.
fn is_full(dir: &Path) -> bool {
    use std::io::ErrorKind::{QuotaExceeded, StorageFull};

    let probe = dir.join(".folio-space-probe");
    let written = fs::write(&probe, [0_u8; 64 * 1024]);
    let _ = fs::remove_file(&probe);
    written.is_err_and(|err| matches!(err.kind(), StorageFull | QuotaExceeded))
}

/// A folder beside `target` that an earlier build left (its spare, or the
/// staging folder of a killed build) and that this build can write over.
/// Further leftovers are removed.
fn reusable_leftover(target: &Path) -> Option<PathBuf> {
    let parent = target.parent()?;
    let name = target.file_name()?.to_string_lossy().into_owned();
    let prefix = format!(".{name}.folio-");
    let mut leftovers: Vec<PathBuf> = fs::read_dir(parent)
        .ok()?
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .filter(|p| p.join(MARKER).is_file())
        .collect();
    leftovers.sort();
    let chosen = leftovers.pop()?;
    for extra in leftovers {
        tracing::debug!(path = %extra.display(), "removing what an interrupted build left");
        let _ = fs::remove_dir_all(extra);
    }
    Some(chosen)
}

fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).map_err(Error::io("resolve", path))
}

fn is_replaceable(target: &Path) -> bool {
    target.join(MARKER).is_file()
        || fs::read_dir(target).is_ok_and(|mut entries| entries.next().is_none())
}

/// `.public.folio-tmp-123` beside `public`.
fn sibling(target: &Path, suffix: &str) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    target.with_file_name(format!(".{name}.folio-{suffix}"))
}

#[cfg(target_os = "linux")]
fn swap_in(staged: &Path, target: &Path) -> Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};

    if !target.exists() {
        return fs::rename(staged, target).map_err(Error::io("move into place", target));
    }
    match renameat_with(CWD, staged, CWD, target, RenameFlags::EXCHANGE) {
        // `staged` now holds the previous site; the caller keeps it.
        Ok(()) => Ok(()),
        Err(_) => swap_by_renames(staged, target),
    }
}

#[cfg(not(target_os = "linux"))]
fn swap_in(staged: &Path, target: &Path) -> Result<()> {
    if !target.exists() {
        return fs::rename(staged, target).map_err(Error::io("move into place", target));
    }
    swap_by_renames(staged, target)
}

fn swap_by_renames(staged: &Path, target: &Path) -> Result<()> {
    let old = sibling(target, &format!("old-{}", std::process::id()));
    fs::rename(target, &old).map_err(Error::io("move aside", target))?;
    if let Err(err) = fs::rename(staged, target) {
        let _ = fs::rename(&old, target);
        return Err(Error::Io {
            action: "move into place",
            path: target.to_path_buf(),
            source: err,
        });
    }
    fs::remove_dir_all(&old).map_err(Error::io("remove the previous site at", &old))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_and_drop_discards() {
        let temp = tempfile::tempdir().unwrap();
        let target = temp.path().join("public");

        let staging = Staging::new(&target).unwrap();
        staging.write("a/index.html", b"one").unwrap();
        staging.commit().unwrap();
        assert_eq!(fs::read(target.join("a/index.html")).unwrap(), b"one");

        let staging = Staging::new(&target).unwrap();
        staging.write("a/index.html", b"two").unwrap();
        drop(staging);
        assert_eq!(fs::read(target.join("a/index.html")).unwrap(), b"one");
        let mut names: Vec<_> =
            fs::read_dir(temp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        assert_eq!(names, [".public.folio-spare", "public"]);
    }

    #[test]
    fn a_reused_folder_loses_what_the_build_did_not_write() {
        let temp = tempfile::tempdir().unwrap();
        let target = temp.path().join("public");
        for pages in [&["a", "b", "c"][..], &["a", "d"], &["d"]] {
            let staging = Staging::new(&target).unwrap();
            for page in pages {
                staging.write(&format!("{page}/index.html"), page.as_bytes()).unwrap();
            }
            let index = staging.fresh_folder("search").unwrap();
            fs::write(index.join("segment"), "kept").unwrap();
            staging.commit().unwrap();

            let mut found: Vec<String> = walkdir::WalkDir::new(&target)
                .min_depth(1)
                .into_iter()
                .map(|e| {
                    e.unwrap().path().strip_prefix(&target).unwrap().to_string_lossy().into_owned()
                })
                .collect();
            found.sort();
            let mut expected: Vec<String> =
                pages.iter().flat_map(|p| [p.to_string(), format!("{p}/index.html")]).collect();
            expected.extend([MARKER.to_owned(), "search".to_owned(), "search/segment".to_owned()]);
            expected.sort();
            assert_eq!(found, expected);
        }
    }

    #[test]
    fn refuses_a_folder_it_did_not_write() {
        let temp = tempfile::tempdir().unwrap();
        fs::write(temp.path().join("notes.txt"), "keep").unwrap();
        assert!(matches!(Staging::new(temp.path()), Err(Error::Usage(_))));
    }
}
