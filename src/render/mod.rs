//! Rendering the catalogue: every page in every language through its view
//! model and tera template, in parallel, into the staging folder; plus
//! `catalogue.json`, `catalogue.csv`, `sitemap.xml`, the Atom feed and the theme's assets.
//!
//! Pages in the default language live at the site root, the others under
//! `<language>/`. Every page links to itself in the other languages; an
//! instrument or page without a translation shows the default-language text
//! with a note saying so.

pub mod context;
pub(crate) mod data;
mod listings;
pub mod partial;
mod pictures;
mod theme;
mod timeline;

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use crate::catalogue::{Catalogue, Entry};
use crate::chronology;
use crate::error::{Error, Result};
use crate::markdown::{self, LinkResolver, LinkTarget, Outline};
use crate::output::Staging;
use crate::progress::{Progress, Silent};
use context::{
    GroupView, InstrumentView, ItemView, LanguageLink, LinkView, ListingView, Locale, SiteView,
    TocItem, Views, VocabularyView, instrument_url,
};

/// What a render wrote.
#[derive(Debug, Default, Clone, Copy)]
pub struct RenderStats {
    /// HTML pages written.
    pub pages: usize,
    /// Bytes written, all files.
    pub bytes: u64,
}

/// The compiled templates of one site and its interface strings.
pub struct Renderer {
    tera: tera::Tera,
    locales: Vec<Locale>,
    /// Each locale's strings as a template value, converted once: pages
    /// share it instead of converting a hundred strings each.
    strings: Vec<tera::Value>,
}

impl Renderer {
    /// Compile the default templates with the site's overrides, and load the
    /// interface strings of every language in `languages` (the first is the
    /// default).
    pub fn new(root: &Path, languages: &[String]) -> Result<Self> {
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        let templates = theme::templates(root)?;
        tera.add_raw_templates(templates.iter().map(|(name, text)| (name.as_str(), text.as_str())))
            .map_err(|err| Error::Template(error_chain(&err)))?;
        let locales = languages
            .iter()
            .enumerate()
            .map(|(position, code)| {
                let prefix = if position == 0 { String::new() } else { format!("{code}/") };
                Ok(Locale {
                    code: code.clone(),
                    prefix,
                    strings: theme::strings(root, code, &languages[0])?,
                })
            })
            .collect::<Result<Vec<Locale>>>()?;
        let strings = locales.iter().map(|l| tera::Value::from_serializable(&l.strings)).collect();
        Ok(Self { tera, locales, strings })
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
        let position = self.locales.iter().position(|l| l.code == site.language).unwrap_or(0);
        context.insert_value("t", self.strings[position].clone());
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

/// Instrument and page links from a page at some depth, in its language.
struct Resolver<'a> {
    catalogue: &'a Catalogue,
    root: &'a str,
    prefix: &'a str,
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
        Some(format!("{}{}{url}{fragment}", self.root, self.prefix))
    }
}

/// Render the whole site into `staging`.
pub fn render_site(
    catalogue: &Catalogue,
    renderer: &Renderer,
    root: &Path,
    staging: &Staging,
) -> Result<RenderStats> {
    render_site_with(catalogue, renderer, root, staging, &Silent)
}

/// Render the whole site into `staging`, reporting each page written.
pub fn render_site_with(
    catalogue: &Catalogue,
    renderer: &Renderer,
    root: &Path,
    staging: &Staging,
    progress: &dyn Progress,
) -> Result<RenderStats> {
    let jobs = page_jobs(catalogue);
    let work: Vec<(&Job, &Locale)> = renderer
        .locales
        .iter()
        .flat_map(|locale| jobs.iter().map(move |job| (job, locale)))
        .collect();
    progress.stage("render", Some(work.len() as u64));
    let listings: Vec<Lists> = renderer
        .locales
        .par_iter()
        .map(|locale| {
            let views = Views { catalogue, locale };
            Lists::of(&views, &|_| true)
        })
        .collect();

    let results: Vec<Result<u64>> = work
        .par_iter()
        .map(|&(job, locale)| {
            let url = format!("{}{}", locale.prefix, job.url);
            let position = renderer.locales.iter().position(|l| l.code == locale.code).unwrap_or(0);
            let html = render_job(job, &url, locale, catalogue, renderer, &listings[position])?;
            crate::work::count(crate::work::Work::PagesRendered);
            staging.write(&file_of(&url), html.as_bytes())?;
            progress.advance(1);
            Ok(html.len() as u64)
        })
        .collect();
    let mut stats = RenderStats::default();
    for result in results {
        stats.bytes += result?;
        stats.pages += 1;
    }

    let default = &renderer.locales[0];
    let base_url = &catalogue.config.base_url;
    let site = site_view(catalogue, renderer, default, "", None);
    let not_found = renderer.render("404.html", "404.html", &base_path(base_url), &site, &())?;
    let feed = renderer.render("feed.xml", "feed.xml", "", &site, &data::feed(catalogue))?;
    let urls: Vec<String> = work
        .iter()
        .map(|(job, locale)| absolute_url(base_url, &format!("{}{}", locale.prefix, job.url)))
        .collect();
    let sitemap = renderer.render("sitemap.xml", "sitemap.xml", "", &site, &urls)?;
    let json = data::catalogue_json(catalogue);
    let csv = crate::edition::export::catalogue_csv(catalogue);
    for (path, text) in [
        ("404.html", &not_found),
        ("feed.xml", &feed),
        ("sitemap.xml", &sitemap),
        ("catalogue.json", &json),
        ("catalogue.csv", &csv),
    ] {
        staging.write(path, text.as_bytes())?;
        stats.bytes += text.len() as u64;
    }
    for (name, bytes) in theme::assets(root)? {
        staging.write(&format!("assets/{name}"), &bytes)?;
    }
    Ok(stats)
}

/// One page to render in every language: its URL in the default language
/// and what goes on it.
struct Job {
    url: String,
    kind: JobKind,
}

enum JobKind {
    Home,
    Instrument(usize),
    Listing,
    PointInTime,
    Classification,
    Page(usize),
    Search,
}

fn page_jobs(catalogue: &Catalogue) -> Vec<Job> {
    let mut jobs = instrument_jobs(catalogue, 0..catalogue.entries.len());
    jobs.extend(site_jobs(catalogue));
    jobs
}

/// The pages of the instruments at `indices`.
fn instrument_jobs(catalogue: &Catalogue, indices: impl Iterator<Item = usize>) -> Vec<Job> {
    indices
        .map(|index| Job {
            url: instrument_url(&catalogue.entries[index].instrument.id.value),
            kind: JobKind::Instrument(index),
        })
        .collect()
}

/// Every page but the instruments' own: home, classification, search, free
/// pages, lists and points in time.
fn site_jobs(catalogue: &Catalogue) -> Vec<Job> {
    let mut jobs = vec![
        Job { url: String::new(), kind: JobKind::Home },
        Job { url: "classification/".to_owned(), kind: JobKind::Classification },
        Job { url: "search/".to_owned(), kind: JobKind::Search },
    ];
    let default = catalogue.config.default_language();
    jobs.extend(
        catalogue
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.page.language == default)
            .map(|(i, p)| Job { url: format!("{}/", p.page.id), kind: JobKind::Page(i) }),
    );
    jobs.extend(
        listings::urls(catalogue).into_iter().map(|url| Job { url, kind: JobKind::Listing }),
    );
    if let Some((first, last)) = chronology::year_range(catalogue) {
        jobs.extend(
            (first..=last)
                .map(|year| Job { url: timeline::year_url(year), kind: JobKind::PointInTime }),
        );
    }
    jobs
}

/// Whether the page of `job` in `language` shows text written in another
/// language for want of a translation.
fn falls_back(catalogue: &Catalogue, job: &Job, language: &str) -> bool {
    if language == catalogue.config.default_language() {
        return false;
    }
    match job.kind {
        JobKind::Instrument(index) => !catalogue.entries[index].translations.contains_key(language),
        JobKind::Page(index) => {
            catalogue.page_in(&catalogue.pages[index].page.id, language).is_none()
        }
        _ => false,
    }
}

fn render_job(
    job: &Job,
    url: &str,
    locale: &Locale,
    catalogue: &Catalogue,
    renderer: &Renderer,
    lists: &Lists,
) -> Result<String> {
    let root = root_of(url);
    let views = Views { catalogue, locale };
    let site = site_view(catalogue, renderer, locale, &job.url, Some(job));
    match &job.kind {
        JobKind::Home => renderer.render("home.html", url, &root, &site, &listings::home(&views)),
        JobKind::Instrument(index) => {
            let view = instrument_view(&views, *index, &root);
            renderer.render("instrument.html", url, &root, &site, &view)
        }
        JobKind::Listing => {
            let view = lists.listings.get(&job.url).expect("every list page wanted is worked out");
            if job.url == "years/" {
                let mut view = view.clone();
                view.picture = pictures::timeline(&views, &root);
                return renderer.render("listing.html", url, &root, &site, &view);
            }
            renderer.render("listing.html", url, &root, &site, view)
        }
        JobKind::Classification => {
            let view = PageView {
                title: locale.text("classification").to_owned(),
                html: String::new(),
                toc: Vec::new(),
                tables: listings::classification(&views),
                text_language: None,
            };
            renderer.render("classification.html", url, &root, &site, &view)
        }
        JobKind::Page(index) => {
            let original = &catalogue.pages[*index];
            let page = catalogue.page_in(&original.page.id, &locale.code).unwrap_or(original);
            let html =
                body_html(catalogue, page.page.markdown(), &page.outline, &root, &locale.prefix);
            let tables = match page.page.generated.as_deref() {
                Some("classification-table") => listings::classification(&views),
                _ => Vec::new(),
            };
            let text_language =
                (page.page.language != locale.code).then(|| page.page.language.clone());
            let view = PageView {
                title: page.page.title.clone(),
                html,
                toc: toc(&page.outline),
                tables,
                text_language,
            };
            renderer.render("page.html", url, &root, &site, &view)
        }
        JobKind::PointInTime => {
            let view = lists.points_in_time.get(&job.url).expect("every year wanted is worked out");
            renderer.render("in-force.html", url, &root, &site, view)
        }
        JobKind::Search => renderer.render("search.html", url, &root, &site, &()),
    }
}

/// List pages built once per language before the pages are rendered, by
/// default-language URL.
struct Lists {
    listings: HashMap<String, ListingView>,
    points_in_time: HashMap<String, timeline::PointInTimeView>,
}

impl Lists {
    /// The list and point-in-time pages whose URL is `wanted`.
    fn of(views: &Views<'_>, wanted: &dyn Fn(&str) -> bool) -> Self {
        Self {
            listings: listings::all(views, wanted).into_iter().collect(),
            points_in_time: timeline::pages(views, wanted).into_iter().collect(),
        }
    }
}

/// A free page, or the classification page.
#[derive(Serialize)]
struct PageView {
    title: String,
    html: String,
    toc: Vec<TocItem>,
    tables: Vec<VocabularyView>,
    text_language: Option<String>,
}

fn body_html(
    catalogue: &Catalogue,
    text: &str,
    outline: &Outline,
    root: &str,
    prefix: &str,
) -> String {
    let resolver = Resolver { catalogue, root, prefix };
    markdown::render(text, outline, &resolver, catalogue.config.allow_raw_html)
}

fn toc(outline: &Outline) -> Vec<TocItem> {
    outline
        .headings
        .iter()
        .filter(|h| (2..=3).contains(&h.level))
        .map(|h| TocItem { level: h.level, text: h.text.clone(), id: h.id.clone() })
        .collect()
}

fn instrument_view(views: &Views<'_>, index: usize, root: &str) -> InstrumentView {
    let catalogue = views.catalogue;
    let entry = &catalogue.entries[index];
    let language = views.locale.code.as_str();
    let classification = &catalogue.classification;
    let original = &entry.instrument;
    let (text, outline) =
        entry.translations.get(language).map_or((original, &entry.outline), |(t, o)| (t, o));
    let kind = classification.instrument_type(&original.kind.value).expect("validated");
    let category = classification.category(&kind.category.value).expect("validated");
    let body = classification.body(&original.body.value).expect("validated");
    let status = classification.status(&original.status.value).expect("validated");
    let url = instrument_url(&original.id.value);
    let permanent_url = absolute_url(&catalogue.config.base_url, &views.url(&url));
    let link = |title: &str, folder: &str, key: &str| LinkView {
        title: title.to_owned(),
        url: views.url(&format!("{folder}/{key}/")),
    };
    let subjects = original
        .subjects
        .iter()
        .filter_map(|s| classification.subject(&s.value))
        .map(|s| link(s.label_in(language), "subjects", &s.key.value))
        .collect();
    InstrumentView {
        id: original.id.value.clone(),
        title: text.title.value.clone(),
        short_title: text.short_title.as_ref().map(|s| s.value.clone()),
        category: link(category.label_in(language), "categories", &category.key.value),
        kind: link(kind.label_in(language), "types", &kind.key.value),
        body: link(body.label_in(language), "bodies", &body.key.value),
        subjects,
        status: link(status.label_in(language), "statuses", &status.key.value),
        adopted: original.adopted.as_ref().map(|d| views.date(&d.value)),
        place: original.place.clone(),
        in_force: original.in_force.as_ref().map(|d| views.date(&d.value)),
        reviewed: original.reviewed.as_ref().map(|d| views.date(&d.value)),
        parties: original.parties.as_ref().map(|p| p.count),
        parties_as_of: original
            .parties
            .as_ref()
            .and_then(|p| p.as_of.as_ref())
            .map(|d| views.date(d)),
        source: original.source.clone(),
        parties_table: original.parties_table.as_ref().map(|table| parties_view(views, table)),
        html: body_html(catalogue, text.markdown(), outline, root, &views.locale.prefix),
        toc: toc(outline),
        relations: views.relations(entry),
        referenced_by: entry.referenced_by.iter().map(|&i| views.link(i)).collect(),
        citation: views.citation(
            &text.title.value,
            original.adopted.as_ref().map(|d| &d.value),
            &permanent_url,
        ),
        permanent_url: permanent_url.clone(),
        url: views.url(&url),
        description: truncate(&outline.summary, 200),
        text_language: (text.language != language).then(|| text.language.clone()),
        history: timeline::history(views, index),
        diagram: pictures::relations(views, entry, text.display_title(), root),
        json_ld: json_ld(views, index, &permanent_url),
        successors: timeline::successors(views, index),
    }
}

/// schema.org `Legislation` metadata of an instrument, as JSON that is safe
/// inside a `<script type="application/ld+json">` element.
fn json_ld(views: &Views<'_>, index: usize, permanent_url: &str) -> String {
    let catalogue = views.catalogue;
    let language = views.locale.code.as_str();
    let entry = &catalogue.entries[index];
    let original = &entry.instrument;
    let text = entry.translations.get(language).map_or(original, |(t, _)| t);
    let classification = &catalogue.classification;
    let absolute = |other: usize| {
        let id = &catalogue.entries[other].instrument.id.value;
        serde_json::json!({ "@id": absolute_url(&catalogue.config.base_url, &views.url(&instrument_url(id))) })
    };
    let related = |key: &str, inverse: bool| -> Vec<serde_json::Value> {
        entry
            .relations
            .iter()
            .filter(|r| r.inverse == inverse && classification.relations[r.kind].key.value == key)
            .map(|r| absolute(r.other))
            .collect()
    };
    let active = classification.status(&original.status.value).is_some_and(|s| s.active);
    let mut data = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Legislation",
        "@id": permanent_url,
        "url": permanent_url,
        "name": text.title.value,
        "legislationIdentifier": original.id.value,
        "legislationType": classification.instrument_type(&original.kind.value).map(|t| t.label_in(language)),
        "legislationLegalForce": if active { "https://schema.org/InForce" } else { "https://schema.org/NotInForce" },
        "legislationPassedBy": { "@type": "Organization", "name": classification.body(&original.body.value).map(|b| b.label_in(language)) },
        "inLanguage": text.language,
        "keywords": original.subjects.iter().filter_map(|s| classification.subject(&s.value)).map(|s| s.label_in(language)).collect::<Vec<_>>(),
        "isPartOf": { "@type": "Collection", "name": catalogue.config.title_in(language), "url": catalogue.config.base_url },
    });
    let object = data.as_object_mut().expect("built as an object");
    let mut put = |key: &str, value: serde_json::Value| {
        let empty = value.is_null() || value.as_array().is_some_and(Vec::is_empty);
        if !empty {
            object.insert(key.to_owned(), value);
        }
    };
    put("alternateName", serde_json::json!(text.short_title.as_ref().map(|s| &s.value)));
    put("legislationDate", serde_json::json!(original.adopted.as_ref().map(|d| d.value.iso())));
    put("legislationDateVersion", serde_json::json!(catalogue.config.current_to.map(|d| d.iso())));
    put("legislationAmends", serde_json::json!(related("amends", false)));
    put("legislationChanges", serde_json::json!(related("supersedes", false)));
    put("hasPart", serde_json::json!(related("part-of", true)));
    put("citation", serde_json::json!(original.source));
    let json = serde_json::to_string(&data).expect("metadata always serialises");
    json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

fn parties_view(
    views: &Views<'_>,
    table: &crate::content::parties::PartiesTable,
) -> context::PartiesView {
    let date = |d: &Option<crate::content::date::PartialDate>| d.as_ref().map(|d| views.date(d));
    let rows = table
        .parties
        .iter()
        .map(|p| context::PartyRow {
            name: p.name.clone(),
            signature: date(&p.signature),
            consent: p
                .consent
                .as_ref()
                .map(|c| views.locale.text(&format!("consent_{c}")).to_owned()),
            consent_date: date(&p.consent_date),
            in_force: date(&p.in_force),
            reservations: p.reservations.clone(),
        })
        .collect();
    context::PartiesView {
        bound: table.bound(),
        signatories_only: table.signatories_only(),
        as_of: date(&table.as_of()),
        rows,
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

/// The site-wide view of one page: navigation, strings and the same page in
/// every language. `job` is `None` for pages outside the language tree.
fn site_view(
    catalogue: &Catalogue,
    renderer: &Renderer,
    locale: &Locale,
    base: &str,
    job: Option<&Job>,
) -> SiteView {
    let config = &catalogue.config;
    let language = locale.code.as_str();
    let prefixed = |url: &str| format!("{}{url}", locale.prefix);
    let mut nav: Vec<LinkView> = [
        ("instruments", "instruments/"),
        ("classification", "classification/"),
        ("years", "years/"),
        ("search", "search/"),
    ]
    .into_iter()
    .map(|(key, url)| LinkView { title: locale.text(key).to_owned(), url: prefixed(url) })
    .collect();
    let default = config.default_language();
    nav.extend(catalogue.pages.iter().filter(|p| p.page.language == default).map(|p| LinkView {
        title: catalogue.page_in(&p.page.id, language).unwrap_or(p).page.title.clone(),
        url: prefixed(&format!("{}/", p.page.id)),
    }));
    let languages = renderer
        .locales
        .iter()
        .map(|other| {
            let url = format!("{}{base}", other.prefix);
            LanguageLink {
                code: other.code.clone(),
                name: other.text("language_name").to_owned(),
                absolute_url: absolute_url(&config.base_url, &url),
                url,
                current: other.code == locale.code,
                fallback: job.is_some_and(|job| falls_back(catalogue, job, &other.code)),
            }
        })
        .collect();
    SiteView {
        title: config.title_in(language).to_owned(),
        description: config.description_in(language).map(str::to_owned),
        base_url: config.base_url.clone(),
        language: language.to_owned(),
        current_to: config.current_to.as_ref().map(|d| d.long_in(language)),
        nav,
        languages,
        home: locale.prefix.clone(),
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
    crate::work::add(crate::work::Work::GroupedItems, members.len() as u64);
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
