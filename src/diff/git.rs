//! Reading `content/` as a git revision holds it, with the `git` binary: the
//! files are listed with `ls-tree`, read in one `cat-file --batch` process
//! and written into a temporary folder that the loader reads like any site.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::{Error, Result};

/// A blob of the revision: its object id and its path below the site folder.
struct Blob {
    object: String,
    path: PathBuf,
}

/// Write `content/` of revision `rev` of the repository holding `root` into
/// a new temporary folder, as `<folder>/content/…`. Paths are taken relative
/// to `root`, so a site in a subfolder of its repository works too.
pub fn checkout_content(root: &Path, rev: &str) -> Result<tempfile::TempDir> {
    if rev.starts_with('-') {
        return Err(Error::Usage(format!("`{rev}` is not a revision")));
    }
    let tree = format!("{rev}^{{tree}}");
    git(root, &["rev-parse", "--verify", "--quiet", &tree], None).map_err(|err| match err {
        Error::Usage(_) => Error::Usage(format!(
            "`{rev}` is not a revision of the git repository at {}",
            root.display()
        )),
        other => other,
    })?;
    let listing = git(root, &["ls-tree", "-r", "-z", rev, "--", "content"], None)?;
    let blobs = parse_listing(&listing);
    if blobs.is_empty() {
        return Err(Error::Usage(format!("revision `{rev}` has no content/ folder")));
    }

    let dir = tempfile::tempdir().map_err(Error::io("create", std::env::temp_dir()))?;
    let objects: String = blobs.iter().map(|b| format!("{}\n", b.object)).collect();
    let batch = git(root, &["cat-file", "--batch"], Some(objects.into_bytes()))?;
    let mut reader = BufReader::new(batch.as_slice());
    for blob in &blobs {
        let bytes = next_object(&mut reader, &blob.object)?;
        let target = dir.path().join(&blob.path);
        let parent = target.parent().expect("a blob path has a folder");
        std::fs::create_dir_all(parent).map_err(Error::io("create", parent))?;
        std::fs::write(&target, bytes).map_err(Error::io("write", &target))?;
    }
    Ok(dir)
}

/// Run `git -C root args`, feeding `input`; its standard output. A refusal
/// by git is a usage error with git's own message.
fn git(root: &Path, args: &[&str], input: Option<Vec<u8>>) -> Result<Vec<u8>> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(Error::io("run", "git"))?;

    // Feed the input from another thread so that a full output pipe cannot
    // block the writer.
    let feeder = input.map(|bytes| {
        let mut stdin = child.stdin.take().expect("stdin is piped");
        std::thread::spawn(move || stdin.write_all(&bytes))
    });
    let output = child.wait_with_output().map_err(Error::io("run", "git"))?;
    if let Some(feeder) = feeder {
        feeder.join().expect("the feeder does not panic").map_err(Error::io("write to", "git"))?;
    }

    if output.status.success() {
        return Ok(output.stdout);
    }
    let message = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    Err(Error::Usage(format!("git {}: {message}", args.join(" "))))
}

/// The regular files of `ls-tree -r -z` output; links and submodules are
/// left out, as the loader would not read them either.
fn parse_listing(listing: &[u8]) -> Vec<Blob> {
    listing
        .split(|&b| b == 0)
        .filter_map(|record| {
            let record = std::str::from_utf8(record).ok()?;
            let (meta, path) = record.split_once('\t')?;
            let mut meta = meta.split(' ');
            let (mode, kind, object) = (meta.next()?, meta.next()?, meta.next()?);
            (kind == "blob" && mode != "120000")
                .then(|| Blob { object: object.to_owned(), path: PathBuf::from(path) })
        })
        .collect()
}

/// The next object of `cat-file --batch` output: a `<id> <type> <size>`
/// line, the bytes, and a newline.
fn next_object(reader: &mut impl BufRead, object: &str) -> Result<Vec<u8>> {
    let broken = || {
        let message = format!("git cat-file gave no object {object}");
        Error::io("read", "git cat-file")(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            message,
        ))
    };
    let mut header = String::new();
    reader.read_line(&mut header).map_err(Error::io("read", "git output"))?;
    let size: usize =
        header.split_whitespace().nth(2).and_then(|size| size.parse().ok()).ok_or_else(broken)?;
    let mut bytes = vec![0; size + 1];
    reader.read_exact(&mut bytes).map_err(|_| broken())?;
    bytes.pop();
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listings_keep_regular_files_only() {
        let records = [
            "100644 blob aaa\tcontent/site.yaml",
            "120000 blob bbb\tcontent/link.md",
            "160000 commit ccc\tcontent/module",
        ];
        let blobs = parse_listing(records.join("\0").as_bytes());
        assert_eq!(blobs.len(), 1);
        assert_eq!(blobs[0].path, Path::new("content/site.yaml"));
    }

    #[test]
    fn batch_output_is_read_object_by_object() {
        let mut output: &[u8] = b"aaa blob 3\nabc\nbbb blob 0\n\n";
        assert_eq!(next_object(&mut output, "aaa").unwrap(), b"abc");
        assert_eq!(next_object(&mut output, "bbb").unwrap(), b"");
    }
}
