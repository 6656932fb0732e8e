//! Rendering part of the site again, for `serve --watch`: the pages an edit
//! affects, in every language, exactly as [`super::render_site`] renders
//! them. Only the choice of pages and where the bytes go differ.

use std::collections::BTreeSet;

use rayon::prelude::*;

use super::context::Views;
use super::{Lists, RenderStats, Renderer, data, file_of, instrument_jobs};
use super::{render_job, site_jobs, site_view, timeline};
use crate::catalogue::Catalogue;
use crate::error::Result;

/// Where a rendered file goes: its site-relative path and its bytes.
pub type Sink<'a> = dyn Fn(&str, &[u8]) -> Result<()> + Sync + 'a;

/// The default-language URL of every page the site has besides the
/// instruments' own, each rendered once per language.
pub fn site_page_urls(catalogue: &Catalogue) -> Vec<String> {
    site_jobs(catalogue).into_iter().map(|job| job.url).collect()
}

/// Render the pages whose default-language URL is in `urls`, in every
/// language, and hand each to `sink`. List pages are worked out only when
/// one of them is wanted.
pub fn render_pages(
    catalogue: &Catalogue,
    renderer: &Renderer,
    urls: &BTreeSet<String>,
    sink: &Sink<'_>,
) -> Result<RenderStats> {
    let instruments = urls.iter().filter_map(|url| {
        let id = url.strip_prefix("instruments/")?.strip_suffix('/')?;
        catalogue.index_of(id)
    });
    let mut jobs = instrument_jobs(catalogue, instruments);
    jobs.extend(site_jobs(catalogue).into_iter().filter(|j| urls.contains(&j.url)));
    let wanted = |url: &str| urls.contains(url);
    let lists: Vec<Lists> = renderer
        .locales
        .par_iter()
        .map(|locale| Lists::of(&Views { catalogue, locale }, &wanted))
        .collect();

    let work: Vec<_> = (0..renderer.locales.len())
        .flat_map(|position| jobs.iter().map(move |job| (job, position)))
        .collect();
    let sizes: Vec<Result<u64>> = work
        .par_iter()
        .map(|&(job, position)| {
            let locale = &renderer.locales[position];
            let url = format!("{}{}", locale.prefix, job.url);
            let html = render_job(job, &url, locale, catalogue, renderer, &lists[position])?;
            sink(&file_of(&url), html.as_bytes())?;
            Ok(html.len() as u64)
        })
        .collect();
    let mut stats = RenderStats::default();
    for size in sizes {
        stats.bytes += size?;
        stats.pages += 1;
    }
    Ok(stats)
}

/// Render the files made from the whole catalogue's data again:
/// `catalogue.json`, `catalogue.csv` and the feed. The sitemap and the 404
/// page depend only on which pages exist.
pub fn render_data(
    catalogue: &Catalogue,
    renderer: &Renderer,
    sink: &Sink<'_>,
) -> Result<RenderStats> {
    let site = site_view(catalogue, renderer, &renderer.locales[0], "", None);
    let feed = renderer.render("feed.xml", "feed.xml", "", &site, &data::feed(catalogue))?;
    let json = data::catalogue_json(catalogue);
    let csv = crate::edition::export::catalogue_csv(catalogue);
    let mut stats = RenderStats::default();
    for (path, text) in [("feed.xml", &feed), ("catalogue.json", &json), ("catalogue.csv", &csv)] {
        sink(path, text.as_bytes())?;
        stats.bytes += text.len() as u64;
    }
    Ok(stats)
}

/// The default-language URL of the point-in-time page of `year`.
pub fn year_url(year: i32) -> String {
    timeline::year_url(year)
}

/// The URL prefix of each language's pages (`""` for the default, `ru/`).
pub fn language_prefixes(renderer: &Renderer) -> Vec<String> {
    renderer.locales.iter().map(|locale| locale.prefix.clone()).collect()
}
