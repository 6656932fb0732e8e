//! The default templates and theme, compiled into the binary, and a site's
//! own `templates/` and `theme/` folders that override them file by file.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Result};

#[derive(rust_embed::Embed)]
#[folder = "templates/"]
struct DefaultTemplates;

#[derive(rust_embed::Embed)]
#[folder = "theme/"]
struct DefaultTheme;

/// Template sources by name: the defaults, then the site's overrides.
pub fn templates(root: &Path) -> Result<BTreeMap<String, String>> {
    let mut templates = BTreeMap::new();
    for name in DefaultTemplates::iter() {
        let file = DefaultTemplates::get(&name).expect("listed by iter");
        let text = String::from_utf8(file.data.into_owned())
            .map_err(|_| Error::Template(format!("default template {name} is not UTF-8")))?;
        templates.insert(name.into_owned(), text);
    }
    for (name, bytes) in site_files(&root.join("templates"))? {
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::Template(format!("templates/{name} is not UTF-8")))?;
        tracing::debug!(template = %name, "the site's own template replaces the default");
        templates.insert(name, text);
    }
    Ok(templates)
}

/// The interface strings of `language`: the default language's strings,
/// overlaid by the language's own (`theme/i18n/<language>.yaml`, the
/// site's file replacing the built-in one).
pub fn strings(root: &Path, language: &str, default: &str) -> Result<BTreeMap<String, String>> {
    let mut strings = strings_file(root, default)?.unwrap_or_default();
    if language != default {
        match strings_file(root, language)? {
            Some(own) => strings.extend(own),
            None => {
                tracing::warn!(language, "no interface strings for this language; using {default}")
            }
        }
    }
    Ok(strings)
}

fn strings_file(root: &Path, language: &str) -> Result<Option<BTreeMap<String, String>>> {
    let name = format!("i18n/{language}.yaml");
    let site_file = root.join("theme").join(&name);
    let text = if site_file.is_file() {
        std::fs::read_to_string(&site_file).map_err(Error::io("read", &site_file))?
    } else if let Some(file) = DefaultTheme::get(&name) {
        String::from_utf8_lossy(&file.data).into_owned()
    } else {
        return Ok(None);
    };
    crate::content::yaml::parse(&text).map(Some).map_err(|err| {
        Error::Template(format!("theme/{name}: {} at {:?}", err.message, err.line_column))
    })
}

/// Asset files by path below `assets/`: the defaults, then the site's.
pub fn assets(root: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut assets: BTreeMap<String, Vec<u8>> = DefaultTheme::iter()
        .map(|name| {
            let data = DefaultTheme::get(&name).expect("listed by iter").data.into_owned();
            (name.into_owned(), data)
        })
        .collect();
    assets.extend(site_files(&root.join("theme"))?);
    assets.retain(|name, _| !name.starts_with("i18n/"));
    Ok(assets)
}

/// Every file below `dir`, by forward-slash path relative to it.
fn site_files(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|err| Error::Io {
            action: "read",
            path: dir.to_path_buf(),
            source: std::io::Error::other(err.to_string()),
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(dir).expect("below dir");
        let name = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let bytes = std::fs::read(entry.path()).map_err(Error::io("read", entry.path()))?;
        files.push((name, bytes));
    }
    Ok(files)
}
