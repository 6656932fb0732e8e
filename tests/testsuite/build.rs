//! Building small sites end to end and reading the HTML a reader would get.

use std::collections::BTreeMap;
use std::path::Path;

use crate::harness::Site;

/// Every `href="…"` and `src="…"` of an HTML text.
pub fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attribute) {
            rest = &rest[at + attribute.len()..];
            let end = rest.find('"').unwrap();
            found.push(rest[..end].replace("&amp;", "&"));
        }
    }
    found
}

/// The file a relative link from `page` (a file below `out`) leads to.
pub fn resolve(out: &Path, page: &Path, href: &str) -> Option<std::path::PathBuf> {
    if href.starts_with("http:") || href.starts_with("https:") || href.starts_with("mailto:") {
        return None;
    }
    let (path, _) = href.split_once('#').unwrap_or((href, ""));
    let mut target =
        if path.is_empty() { page.to_path_buf() } else { page.parent().unwrap().join(path) };
    if path.ends_with('/') || path.is_empty() && target.is_dir() {
        target = target.join("index.html");
    }
    let mut clean = std::path::PathBuf::new();
    for part in target.strip_prefix(out).unwrap_or(&target).components() {
        match part {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::Normal(p) => clean.push(p),
            _ => {}
        }
    }
    Some(out.join(clean))
}

/// Every HTML file of a built site, by path relative to the output.
pub fn html_files(out: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let relative = e.path().strip_prefix(out).unwrap().to_string_lossy().into_owned();
            (relative, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// Snapshot of every file of a folder: path → bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_internal_link_resolves_to_a_file() {
    let site = Site::fixture("sites/small");
    let outcome = site.build();
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    let out = site.out();
    for (page, html) in html_files(&out) {
        if page == "404.html" {
            continue;
        }
        for href in links(&html) {
            let Some(target) = resolve(&out, &out.join(&page), &href) else { continue };
            assert!(target.is_file(), "{page}: link {href} leads to missing {}", target.display());
        }
    }
}

#[test]
fn relations_appear_on_both_sides_with_inverse_labels() {
    let site = Site::fixture("sites/small");
    site.build();
    let alpha = site.read_out("instruments/alpha-convention-1970/index.html");
    let beta = site.read_out("instruments/beta-convention-1990/index.html");
    let gamma = site.read_out("instruments/gamma-guide-2005/index.html");

    assert!(beta.contains("<dt>Supersedes</dt>"), "{beta}");
    assert!(alpha.contains("<dt>Superseded by</dt>"), "{alpha}");
    assert!(alpha.contains("href=\"../../instruments/beta-convention-1990/\""));
    assert!(gamma.contains("<dt>Complements</dt>") && beta.contains("<dt>Complements</dt>"));
    // Body links become backlinks on the target.
    assert!(beta.contains("id=\"referenced-by\""));
    assert!(alpha.contains("href=\"../../instruments/beta-convention-1990/#history\""));
}

#[test]
fn cyrillic_headings_keep_readable_anchors() {
    let site = Site::fixture("sites/small");
    site.build();
    let alpha = site.read_out("instruments/alpha-convention-1970/index.html");
    assert!(alpha.contains("<h2 id=\"обработка-данных\">"), "{alpha}");
}

#[test]
fn titles_are_escaped_once_wherever_they_land() {
    let site = Site::fixture("sites/small");
    site.build();
    let raw = ["<script>alert", "<b>\"best\"", "&amp;amp;"];
    for file in [
        "instruments/alpha-convention-1970/index.html",
        "instruments/index.html",
        "types/convention/index.html",
        "feed.xml",
        "sitemap.xml",
    ] {
        let text = site.read_out(file);
        for bad in raw {
            assert!(!text.contains(bad), "{file} contains raw {bad:?}");
        }
    }
    let page = site.read_out("instruments/alpha-convention-1970/index.html");
    assert!(page.contains("<h1>Fish &amp; Chips &lt;script&gt;alert(&quot;x&quot;)"), "{page}");
    let feed = site.read_out("feed.xml");
    assert!(feed.contains("Fish &amp; Chips &lt;script&gt;"), "{feed}");

    // JSON holds the plain text, exactly as written.
    let json: serde_json::Value = serde_json::from_str(&site.read_out("catalogue.json")).unwrap();
    let alpha = json["instruments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "alpha-convention-1970")
        .unwrap();
    assert_eq!(alpha["title"], "Fish & Chips <script>alert(\"x\")</script> it's");
    assert_eq!(alpha["relations"]["superseded-by"][0], "beta-convention-1990");
}

#[test]
fn a_failed_build_writes_nothing() {
    let site = Site::fixture("sites/small");
    site.build();
    let before = tree(&site.out());
    site.write("content/instruments/broken.md", "---\nid: broken\n");
    let outcome = site.build();
    assert!(outcome.failed(false));
    assert!(outcome.written.is_none());
    assert_eq!(tree(&site.out()), before);
}

#[test]
fn a_killed_build_leaves_the_previous_site_intact() {
    let site = Site::fixture("sites/small");
    for n in 0..1500 {
        site.write(
            &format!("content/instruments/bulk/bulk-guide-{n}.md"),
            format!(
                "---\nid: bulk-guide-{n}\ntitle: Bulk guide {n}\ntype: guide\nbody: secretariat\nsubjects: [origin]\n\
                 status: current\nsource: https://fixture.example.org/{n}\n---\n## Text\n\n{}See [beta](beta-convention-1990).\n",
                "A paragraph of words for the guide. ".repeat(40)
            ),
        );
    }
    let built = site.folio(&["build", "-q"]);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let before = tree(&site.out());

    for delay_ms in [5, 40, 90, 150, 250, 400] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["build", "-q"])
            .current_dir(&site.root)
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(tree(&site.out()).len(), before.len(), "killed after {delay_ms} ms");
        assert!(tree(&site.out()) == before, "output changed after a kill at {delay_ms} ms");
    }

    let rebuilt = site.folio(&["build", "-q"]);
    assert!(rebuilt.status.success());
    // The previous site stays beside the output as the next build's spare;
    // nothing else a killed build started may remain.
    let leftovers: Vec<String> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("folio-") && name != ".public.folio-spare")
        .collect();
    assert!(leftovers.is_empty(), "temporary folders left behind: {leftovers:?}");
}
