//! The output folder's life: every build writes into a fresh staging folder
//! beside the target and swaps it in at the end, so a failed or killed build
//! leaves the previous site exactly as it was.
//!
//! The staging folder sits next to the target (same file system, so the swap
//! is a rename). On Linux the swap is one atomic exchange; elsewhere it is two
//! renames. Leftovers of a killed build are removed by the next one.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The file that marks a folder as folio's output, so a build never replaces
/// a folder it did not write.
pub const MARKER: &str = ".folio-build";

/// A build's output under construction.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
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
        remove_leftovers(&target);

        let dir = sibling(&target, &format!("tmp-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(Error::io("remove", &dir))?;
        }
        fs::create_dir(&dir).map_err(Error::io("create", &dir))?;
        fs::write(dir.join(MARKER), "").map_err(Error::io("write", dir.join(MARKER)))?;
        Ok(Self { dir, target, committed: false })
    }

    /// The folder being written.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Write `bytes` to the site-relative `path`, creating folders.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        let full = self.dir.join(path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent).map_err(Error::io("create", parent))?;
        }
        fs::write(&full, bytes).map_err(Error::io("write", &full))
    }

    /// Replace the target with the staged site.
    pub fn commit(mut self) -> Result<()> {
        swap_in(&self.dir, &self.target)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
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

/// Remove staging and old folders that a killed build left beside `target`.
fn remove_leftovers(target: &Path) {
    let Some(parent) = target.parent() else { return };
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let prefix = format!(".{name}.folio-");
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            tracing::debug!(path = %entry.path().display(), "removing what an interrupted build left");
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(target_os = "linux")]
fn swap_in(staged: &Path, target: &Path) -> Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};

    if !target.exists() {
        return fs::rename(staged, target).map_err(Error::io("move into place", target));
    }
    match renameat_with(CWD, staged, CWD, target, RenameFlags::EXCHANGE) {
        Ok(()) => {
            // `staged` now holds the previous site.
            fs::remove_dir_all(staged).map_err(Error::io("remove the previous site at", staged))
        }
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
        let names: Vec<_> =
            fs::read_dir(temp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["public"]);
    }

    #[test]
    fn refuses_a_folder_it_did_not_write() {
        let temp = tempfile::tempdir().unwrap();
        fs::write(temp.path().join("notes.txt"), "keep").unwrap();
        assert!(matches!(Staging::new(temp.path()), Err(Error::Usage(_))));
    }
}
