//! Rendering the catalogue: every page through its view model and tera
//! template, in parallel, into the staging folder; plus `catalogue.json`,
//! `sitemap.xml`, the Atom feed and the theme's assets.

pub mod context;
mod data;
mod listings;
mod theme;

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use crate::catalogue::{Catalogue, Entry};
use crate::error::{Error, Result};
use crate::markdown::{self, LinkResolver, LinkTarget, Outline};
use crate::output::Staging;
use context::{
    DateView, GroupView, InstrumentView, ItemView, LinkView, ListingView, SiteView, TocItem, Views,
    VocabularyView, instrument_url,
};

/// What a render wrote.
#[derive(Debug, Default, Clone, Copy)]
pub struct RenderStats {
    /// HTML pages written.
    pub pages: usize,
    /// Bytes written, all files.
    pub bytes: u64,
}

/// The compiled templates of one site.
pub struct Renderer {
    tera: tera::Tera,
}

impl Renderer {
    /// Compile the default templates with the site's overrides.
    pub fn new(root: &Path) -> Result<Self> {
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        let templates = theme::templates(root)?;
        tera.add_raw_templates(templates.iter().map(|(name, text)| (name.as_str(), text.as_str())))
            .map_err(|err| Error::Template(err.to_string()))?;
        Ok(Self { tera })
    }

    fn render(
        &self,
        template: &str,
        url: &str,
        root: &str,
        site: &SiteView,
        page: &impl Serialize,
    ) -> Result<String> {
        let mut context = tera::Context::new();
        context.insert("site", site);
        context.insert("root", root);
        context.insert("url", url);
        context.insert("page", page);
        self.tera
            .render(template, &context)
            .map_err(|err| Error::Template(format!("{template} for /{url}: {}", error_chain(&err))))
    }
}

fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

/// The relative path from a page at `url` back to the site root.
pub fn root_of(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

/// The file a pretty URL is written to.
fn file_of(url: &str) -> String {
    if url.is_empty() || url.ends_with('/') { format!("{url}index.html") } else { url.to_owned() }
}

/// Instrument and page links from a page at some depth.
struct Resolver<'a> {
    catalogue: &'a Catalogue,
    root: &'a str,
}

impl LinkResolver for Resolver<'_> {
    fn resolve(&self, target: &LinkTarget) -> Option<String> {
        let LinkTarget::Entry { id, fragment } = target else { return None };
        let url = if self.catalogue.index_of(id).is_some() {
            instrument_url(id)
        } else if self.catalogue.page(id).is_some() {
            format!("{id}/")
        } else {
            return None;
        };
        let fragment = fragment.as_ref().map(|f| format!("#{f}")).unwrap_or_default();
        Some(format!("{}{url}{fragment}", self.root))
    }
}

/// Render the whole site into `staging`.
pub fn render_site(
    catalogue: &Catalogue,
    renderer: &Renderer,
    root: &Path,
    staging: &Staging,
) -> Result<RenderStats> {
    let site = site_view(catalogue);
    let views = Views { catalogue };
    let jobs = page_jobs(catalogue);

    let results: Vec<Result<u64>> = jobs
        .par_iter()
        .map(|job| {
            let html = render_job(job, catalogue, renderer, &views, &site)?;
            staging.write(&file_of(&job.url), html.as_bytes())?;
            Ok(html.len() as u64)
        })
        .collect();
    let mut stats = RenderStats::default();
    for result in results {
        stats.bytes += result?;
        stats.pages += 1;
    }

    let not_found = renderer.render(
        "404.html",
        "404.html",
        &base_path(&catalogue.config.base_url),
        &site,
        &(),
    )?;
    staging.write("404.html", not_found.as_bytes())?;
    let feed = renderer.render("feed.xml", "feed.xml", "", &site, &data::feed(catalogue))?;
    staging.write("feed.xml", feed.as_bytes())?;
    let urls: Vec<String> =
        jobs.iter().map(|j| absolute_url(&catalogue.config.base_url, &j.url)).collect();
    let sitemap = renderer.render("sitemap.xml", "sitemap.xml", "", &site, &urls)?;
    staging.write("sitemap.xml", sitemap.as_bytes())?;
    let json = data::catalogue_json(catalogue);
    staging.write("catalogue.json", json.as_bytes())?;
    for (name, bytes) in theme::assets(root)? {
        staging.write(&format!("assets/{name}"), &bytes)?;
    }
    stats.bytes += (not_found.len() + feed.len() + sitemap.len() + json.len()) as u64;
    Ok(stats)
}

/// One page to render: its URL and what goes on it.
struct Job {
    url: String,
    kind: JobKind,
}

enum JobKind {
    Home,
    Instrument(usize),
    Listing(ListingView),
    Classification,
    Page(usize),
    Search,
}

fn page_jobs(catalogue: &Catalogue) -> Vec<Job> {
    let mut jobs = vec![
        Job { url: String::new(), kind: JobKind::Home },
        Job { url: "classification/".to_owned(), kind: JobKind::Classification },
        Job { url: "search/".to_owned(), kind: JobKind::Search },
    ];
    jobs.extend(catalogue.entries.iter().enumerate().map(|(i, e)| Job {
        url: instrument_url(&e.instrument.id.value),
        kind: JobKind::Instrument(i),
    }));
    jobs.extend(
        catalogue
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| Job { url: format!("{}/", p.page.id), kind: JobKind::Page(i) }),
    );
    jobs.extend(
        listings::all(catalogue)
            .into_iter()
            .map(|(url, view)| Job { url, kind: JobKind::Listing(view) }),
    );
    jobs
}

fn render_job(
    job: &Job,
    catalogue: &Catalogue,
    renderer: &Renderer,
    views: &Views<'_>,
    site: &SiteView,
) -> Result<String> {
    let root = root_of(&job.url);
    match &job.kind {
        JobKind::Home => {
            renderer.render("home.html", &job.url, &root, site, &listings::home(catalogue))
        }
        JobKind::Instrument(index) => {
            let view = instrument_view(catalogue, views, &catalogue.entries[*index], &root);
            renderer.render("instrument.html", &job.url, &root, site, &view)
        }
        JobKind::Listing(view) => renderer.render("listing.html", &job.url, &root, site, view),
        JobKind::Classification => {
            let view = PageView {
                title: "Classification".to_owned(),
                html: String::new(),
                toc: Vec::new(),
                tables: listings::classification(catalogue),
            };
            renderer.render("classification.html", &job.url, &root, site, &view)
        }
        JobKind::Page(index) => {
            let page = &catalogue.pages[*index];
            let html = body_html(catalogue, page.page.markdown(), &page.outline, &root);
            let tables = match page.page.generated.as_deref() {
                Some("classification-table") => listings::classification(catalogue),
                _ => Vec::new(),
            };
            let view =
                PageView { title: page.page.title.clone(), html, toc: toc(&page.outline), tables };
            renderer.render("page.html", &job.url, &root, site, &view)
        }
        JobKind::Search => renderer.render("search.html", &job.url, &root, site, &()),
    }
}

/// A free page, or the classification page.
#[derive(Serialize)]
struct PageView {
    title: String,
    html: String,
    toc: Vec<TocItem>,
    tables: Vec<VocabularyView>,
}

fn body_html(catalogue: &Catalogue, markdown_text: &str, outline: &Outline, root: &str) -> String {
    let resolver = Resolver { catalogue, root };
    markdown::render(markdown_text, outline, &resolver, catalogue.config.allow_raw_html)
}

fn toc(outline: &Outline) -> Vec<TocItem> {
    outline
        .headings
        .iter()
        .filter(|h| (2..=3).contains(&h.level))
        .map(|h| TocItem { level: h.level, text: h.text.clone(), id: h.id.clone() })
        .collect()
}

fn instrument_view(
    catalogue: &Catalogue,
    views: &Views<'_>,
    entry: &Entry,
    root: &str,
) -> InstrumentView {
    let classification = &catalogue.classification;
    let instrument = &entry.instrument;
    let kind = classification.instrument_type(&instrument.kind.value).expect("validated");
    let category = classification.category(&kind.category.value).expect("validated");
    let body = classification.body(&instrument.body.value).expect("validated");
    let status = classification.status(&instrument.status.value).expect("validated");
    let url = instrument_url(&instrument.id.value);
    let permanent_url = absolute_url(&catalogue.config.base_url, &url);
    let subjects = instrument
        .subjects
        .iter()
        .filter_map(|s| classification.subject(&s.value))
        .map(|s| LinkView { title: s.label.clone(), url: format!("subjects/{}/", s.key.value) })
        .collect();
    let description = truncate(&entry.outline.summary, 200);
    InstrumentView {
        id: instrument.id.value.clone(),
        title: instrument.title.value.clone(),
        short_title: instrument.short_title.as_ref().map(|s| s.value.clone()),
        category: LinkView {
            title: category.label.clone(),
            url: format!("categories/{}/", category.key.value),
        },
        kind: LinkView { title: kind.label.clone(), url: format!("types/{}/", kind.key.value) },
        body: LinkView { title: body.label.clone(), url: format!("bodies/{}/", body.key.value) },
        subjects,
        status: LinkView {
            title: status.label.clone(),
            url: format!("statuses/{}/", status.key.value),
        },
        adopted: instrument.adopted.as_ref().map(|d| DateView::from(&d.value)),
        place: instrument.place.clone(),
        in_force: instrument.in_force.as_ref().map(|d| DateView::from(&d.value)),
        reviewed: instrument.reviewed.as_ref().map(|d| DateView::from(&d.value)),
        parties: instrument.parties.as_ref().map(|p| p.count),
        parties_as_of: instrument
            .parties
            .as_ref()
            .and_then(|p| p.as_of.as_ref())
            .map(DateView::from),
        source: instrument.source.clone(),
        html: body_html(catalogue, instrument.markdown(), &entry.outline, root),
        toc: toc(&entry.outline),
        relations: views.relations(entry),
        referenced_by: entry.referenced_by.iter().map(|&i| views.link(i)).collect(),
        citation: views.citation(instrument, &permanent_url),
        permanent_url,
        url,
        description,
    }
}

fn truncate(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut
        .rsplit_once(' ')
        .map_or(cut.as_str(), |(head, _)| head)
        .trim_end_matches([',', ';', ':']);
    format!("{cut}…")
}

fn site_view(catalogue: &Catalogue) -> SiteView {
    let config = &catalogue.config;
    let mut nav = vec![
        LinkView { title: "Instruments".to_owned(), url: "instruments/".to_owned() },
        LinkView { title: "Classification".to_owned(), url: "classification/".to_owned() },
        LinkView { title: "Years".to_owned(), url: "years/".to_owned() },
        LinkView { title: "Search".to_owned(), url: "search/".to_owned() },
    ];
    nav.extend(
        catalogue
            .pages
            .iter()
            .map(|p| LinkView { title: p.page.title.clone(), url: format!("{}/", p.page.id) }),
    );
    SiteView {
        title: config.title.clone(),
        description: config.description.clone(),
        base_url: config.base_url.clone(),
        language: config.default_language().to_owned(),
        current_to: config.current_to.as_ref().map(|d| d.long()),
        nav,
    }
}

/// The absolute URL of a site-relative one, each path segment
/// percent-encoded exactly once.
pub fn absolute_url(base_url: &str, url: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
    let encoded: Vec<String> = url
        .split('/')
        .map(|s| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string())
        .collect();
    format!("{base_url}{}", encoded.join("/"))
}

/// The path part of the base URL (`/` for a site at the root of its host),
/// for pages such as 404 that are served from any address.
fn base_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    after_scheme.find('/').map_or_else(|| "/".to_owned(), |at| after_scheme[at..].to_owned())
}

/// Group instruments for a list page; items sorted by date, then id.
fn group(
    heading: String,
    id: String,
    url: Option<String>,
    views: &Views<'_>,
    mut members: Vec<&Entry>,
) -> GroupView {
    members.sort_by(|a, b| {
        let date = |e: &Entry| e.instrument.adopted.as_ref().map(|d| d.value);
        (date(a).is_none(), date(a), &a.instrument.id.value).cmp(&(
            date(b).is_none(),
            date(b),
            &b.instrument.id.value,
        ))
    });
    GroupView {
        heading,
        id,
        url,
        items: members.into_iter().map(|e| views.item(e)).collect::<Vec<ItemView>>(),
    }
}
