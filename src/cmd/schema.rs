//! `folio schema`: print the JSON Schema of instrument front matter, made from
//! the site's classification, for editors.

use std::process::ExitCode;

use folio::diagnostics::{self, Format};
use folio::error::Result;
use folio::schema::{self, Target};

use super::{Global, print_stdout};

/// Options of `folio schema`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Describe translation files (`<id>.<language>.md`), which set only the
    /// id and their own titles.
    #[arg(long)]
    pub translation: bool,
}

/// Print the schema to standard output.
pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let classification = match schema::read_classification(&global.root)? {
        Ok(classification) => classification,
        Err(found) => {
            eprint!("{}", diagnostics::render(&found, Format::Human, false));
            return Ok(ExitCode::from(1));
        }
    };

    let target = if args.translation { Target::Translation } else { Target::Instrument };
    let schema = schema::front_matter(&classification, target);
    let mut text = serde_json::to_string_pretty(&schema).expect("a JSON value serialises");
    text.push('\n');
    print_stdout(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
