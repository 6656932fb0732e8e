//! `folio new`: write a new instrument file from the classification, asking
//! for what the options leave out when a person is at the terminal.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use folio::content;
use folio::diagnostics::{self, Diagnostics, Format};
use folio::error::{Error, Result};
use folio::scaffold::{self, BLANK, Draft};

use super::Global;

/// Options of `folio new`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The type, a key of `types` in classification.yaml.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: String,

    /// The full title.
    #[arg(long)]
    pub title: String,

    /// The id (default: made from the title and the adoption year).
    #[arg(long)]
    pub id: Option<String>,

    /// The issuing body, a key of `bodies`.
    #[arg(long)]
    pub body: Option<String>,

    /// A subject, a key of `subjects`; repeat it or separate with commas.
    #[arg(long = "subject", value_name = "SUBJECT", value_delimiter = ',')]
    pub subjects: Vec<String>,

    /// The status, a key of `statuses`.
    #[arg(long)]
    pub status: Option<String>,

    /// The date of adoption: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[arg(long, value_name = "DATE")]
    pub adopted: Option<String>,

    /// Never ask; leave what the options do not give as marked blanks.
    #[arg(long)]
    pub no_prompt: bool,
}

/// Check the values, ask for the rest, write the file and print its path.
pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let mut found = Diagnostics::new();
    let Some(content) = content::load(&global.root, &mut found)? else {
        eprint!("{}", diagnostics::render(&found.into_sorted(), Format::Human, false));
        return Ok(ExitCode::from(1));
    };
    let classification = &content.classification;

    let mut draft = Draft {
        kind: args.kind.clone(),
        title: args.title.trim().to_owned(),
        id: args.id.clone(),
        body: args.body.clone(),
        subjects: args.subjects.iter().map(|s| s.trim().to_owned()).collect(),
        status: args.status.clone(),
        adopted: args.adopted.clone(),
        required: Vec::new(),
    };
    let mut seen = std::collections::BTreeSet::new();
    draft.subjects.retain(|s| !s.is_empty() && seen.insert(s.clone()));
    let problems = scaffold::problems(&draft, classification);
    if !problems.is_empty() {
        return Err(Error::Usage(problems.join("\nerror: ")));
    }

    let taken = scaffold::taken_ids(&global.root, &content);
    if let Some(id) = &draft.id
        && taken.contains(id)
    {
        return Err(Error::Usage(format!("the id `{id}` is already used; choose another")));
    }
    if !args.no_prompt && std::io::stdin().is_terminal() {
        let mut input = std::io::stdin().lock();
        scaffold::prompt(&mut draft, classification, &mut input, &mut std::io::stderr())
            .map_err(Error::io("read", "the terminal"))?;
    }

    let id = match &draft.id {
        Some(id) => id.clone(),
        None => scaffold::new_id(&draft.title, draft.adopted.as_deref(), &taken),
    };
    let file = scaffold::scaffold(&draft, classification, &id);
    write_new(&global.root.join(&file.path), &file.text)?;

    println!("{}", shown(&global.root, &file.path).display());
    if !file.blanks.is_empty() {
        eprintln!(
            "left blank: {}. Fill in the lines marked `{BLANK}` or `# required`; \
             `folio check` reports them until then.",
            file.blanks.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Create `path` with `text`, refusing to replace a file that exists.
fn write_new(path: &Path, text: &str) -> Result<()> {
    let folder = path.parent().expect("the path has a folder");
    std::fs::create_dir_all(folder).map_err(Error::io("create", folder))?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(Error::io("create", path))?;
    file.write_all(text.as_bytes()).map_err(Error::io("write", path))
}

/// The path as the user would type it from where they ran folio.
fn shown(root: &Path, relative: &Path) -> std::path::PathBuf {
    if root == Path::new(".") { relative.to_path_buf() } else { root.join(relative) }
}
