//! The pages of the site, from the catalog, as files in memory.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::Hasher as _;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use minijinja::{Environment, Value, context};
use rayon::prelude::*;
use serde::Serialize;
use specbook_diagnostics::Severity;
use specbook_markdown::Document;
use specbook_markdown::SpecId;
use specbook_workspace::{Entry, lexical};

use crate::charts::bar_chart;
use crate::output::{self, Folder, Manifest, Memory, PageRecord, Sink, SiteLock};
use crate::render::render;
use crate::search::{Counted, Counter, DocCounts, DocInfo, SearchDoc, SearchIndex};
use crate::update::{self, Update};

/// The file that marks a folder as a specbook site, so `build` only ever replaces its own
/// output.
pub const SITE_MARKER: &str = ".specbook-site";

/// How the site looks.
#[derive(Clone, Debug)]
pub struct SiteOptions {
    /// The name in every page's header.
    pub title: String,
    /// A folder whose `*.html` templates and `assets/*` replace the built-in ones of the same
    /// name.
    pub theme: Option<PathBuf>,
    /// Draw `mermaid` code blocks with the Mermaid script shipped with specbook.
    pub mermaid: bool,
    /// Where a spec's file is edited: a URL with `{path}`, the file's path from the
    /// repository's root (`https://github.com/org/repo/edit/main/{path}`).
    pub edit_url: Option<String>,
    /// Colours chosen for statuses (`#rrggbb`), over the ones from the lifecycle.
    pub colors: BTreeMap<String, String>,
}

/// Mermaid 11.17.2 (MIT, see assets/vendor/mermaid.LICENSE), served from the site itself.
const MERMAID: &[u8] = include_bytes!("../assets/vendor/mermaid.min.js");

/// What the site is built from.
pub struct SiteInput<'a> {
    /// The catalog, sorted.
    pub entries: &'a [Entry],
    /// Every status in lifecycle order, terminal ones last: the board's columns.
    pub statuses: Vec<String>,
    /// Which of `statuses` end a spec's life (Superseded, Withdrawn): their colours are muted.
    pub terminal: Vec<String>,
    /// Today, `YYYY-MM-DD`, for the age of specs in review.
    pub today: jiff::civil::Date,
    /// Each entry's file from the repository's root, with `/` (for `edit_url`), in the order
    /// of `entries`; empty when not known (the entry's path is used).
    pub sources: Vec<String>,
}

/// The site: each file's path (with `/`) and content.
#[derive(Clone, Debug, Default)]
pub struct Site {
    /// Shared, not copied, between `serve`'s builds.
    pub files: BTreeMap<String, std::sync::Arc<[u8]>>,
}

#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error("template {name}: {message}")]
    Template { name: String, message: String },
    #[error("cannot read {path}: {error}")]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("cannot write {path}: {error}")]
    Write {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{path} exists and is not a specbook site (no {SITE_MARKER} file); not replacing it")]
    NotASite { path: PathBuf },
}

const TEMPLATES: [(&str, &str); 8] = [
    ("base.html", include_str!("../templates/base.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("board.html", include_str!("../templates/board.html")),
    ("health.html", include_str!("../templates/health.html")),
    ("spec.html", include_str!("../templates/spec.html")),
    ("source.html", include_str!("../templates/source.html")),
    ("search.html", include_str!("../templates/search.html")),
    ("graph.html", include_str!("../templates/graph.html")),
];

const ASSETS: [(&str, &str); 5] = [
    ("assets/style.css", include_str!("../assets/style.css")),
    ("assets/site.js", include_str!("../assets/site.js")),
    ("assets/search.js", include_str!("../assets/search.js")),
    ("assets/spec.js", include_str!("../assets/spec.js")),
    ("assets/nav.js", include_str!("../assets/nav.js")),
];

/// How many rows each page of the catalog shows.
const CATALOG_PAGE: usize = 250;

/// One row of the catalog, one card of the board.
#[derive(Serialize)]
struct Summary {
    id: String,
    title: String,
    url: String,
    status: String,
    status_class: String,
    team: String,
    authors: String,
    created: String,
    last_updated: String,
    /// The `[[templates]]` entry the spec is checked against (empty: the default).
    template: String,
    git: Option<Git>,
}

#[derive(Serialize)]
struct Git {
    last_changed: String,
    last_changed_by: String,
}

#[derive(Serialize)]
struct Finding {
    line: usize,
    column: usize,
    severity: &'static str,
    rule: &'static str,
    /// The message's Markdown (`code`, *emphasis*) as safe HTML.
    message: String,
    /// The line in the page of the spec's source.
    href: String,
}

/// One change of a spec's status, for its page: recorded in the file by `specbook status`
/// (with who and why), else read from git's history of the status line.
#[derive(Serialize)]
struct HistoryItem {
    date: String,
    change: String,
    by: String,
    note: String,
}

fn history_of(entry: &Entry) -> Vec<HistoryItem> {
    let recorded = &entry.meta.recorded_transitions;
    if !recorded.is_empty() {
        return recorded
            .iter()
            .map(|t| match &t.to {
                Some(to) => HistoryItem {
                    date: t.date.clone().unwrap_or_default(),
                    change: t
                        .from
                        .as_ref()
                        .map_or_else(|| to.clone(), |from| format!("{from} → {to}")),
                    by: t.by.clone().unwrap_or_default(),
                    note: match (&t.reason, t.forced) {
                        (Some(reason), true) => format!("forced: {reason}"),
                        (None, true) => "forced".to_owned(),
                        (Some(reason), false) => reason.clone(),
                        (None, false) => String::new(),
                    },
                },
                None => HistoryItem {
                    date: String::new(),
                    change: t.text.clone(),
                    by: String::new(),
                    note: String::new(),
                },
            })
            .collect();
    }
    entry
        .status_history()
        .iter()
        .map(|c| HistoryItem {
            date: c.commit.date.to_string(),
            change: match (&c.from, &c.to) {
                (Some(from), Some(to)) => format!("{from} → {to}"),
                (None, Some(to)) => format!("created as {to}"),
                (Some(from), None) => format!("{from} → (no status)"),
                (None, None) => "created".to_owned(),
            },
            by: c.commit.author.clone(),
            note: String::new(),
        })
        .collect()
}

#[derive(Serialize)]
struct Relation {
    kind: &'static str,
    id: String,
    title: String,
    url: Option<String>,
}

/// The page of a spec, relative to the site root: `specs/0007-rate-limiter.html`. A spec
/// that is its folder's README is named by its folders (`spec/core/ics-002-client/README.md`
/// -> `specs/spec-core-ics-002-client.html`), which keeps two `ics-002-client` folders in
/// different trees apart.
fn page_of(entry: &Entry) -> String {
    format!("specs/{}.html", stem_of(entry))
}

/// The page of a spec's Markdown source, numbered by line:
/// `specs/source/0007-rate-limiter.html`.
fn source_page_of(entry: &Entry) -> String {
    format!("specs/source/{}.html", stem_of(entry))
}

fn stem_of(entry: &Entry) -> String {
    if specbook_workspace::is_folder_spec(&entry.path) {
        let folders: Vec<String> = lexical(&entry.path)
            .parent()
            .into_iter()
            .flat_map(Path::components)
            .filter_map(|c| match c {
                std::path::Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        if folders.is_empty() {
            entry.id()
        } else {
            folders.join("-")
        }
    } else {
        entry
            .path
            .file_stem()
            .map_or_else(|| entry.id(), |s| s.to_string_lossy().into_owned())
    }
}

fn summary(entry: &Entry, root: &str) -> Summary {
    let meta = &entry.meta;
    let status = meta.status.clone().unwrap_or_default();
    Summary {
        id: entry.id(),
        title: entry.title_or_id(),
        url: format!("{root}{}", page_of(entry)),
        status_class: status
            .to_lowercase()
            .replace(|c: char| !c.is_alphanumeric(), "-"),
        status,
        team: meta.team.clone().unwrap_or_default(),
        authors: meta.authors.join(", "),
        created: meta.created.clone().unwrap_or_default(),
        last_updated: meta.last_updated.clone().unwrap_or_default(),
        template: meta.template.clone().unwrap_or_default(),
        git: entry.history.as_ref().map(|h| Git {
            last_changed: h.last.date.to_string(),
            last_changed_by: h.last.author.clone(),
        }),
    }
}

/// The lifecycle's statuses, then any other status a spec has.
fn all_statuses(lifecycle: &[String], entries: &[Entry]) -> Vec<String> {
    let mut statuses = lifecycle.to_vec();
    for status in entries.iter().filter_map(|e| e.meta.status.as_ref()) {
        if !status.is_empty() && !statuses.contains(status) {
            statuses.push(status.clone());
        }
    }
    statuses
}

/// Every status a page may show, in lifecycle order, and each one's colour.
struct Palette {
    statuses: Vec<String>,
    styles: BTreeMap<String, String>,
}

impl Palette {
    fn of(input: &SiteInput<'_>, options: &SiteOptions) -> Self {
        let statuses = all_statuses(&input.statuses, input.entries);
        let styles = status_styles(&statuses, &input.terminal, &options.colors);
        Self { statuses, styles }
    }
}

/// Each status's colour, from its place in the lifecycle, as the CSS variables `.status`
/// reads: the first status blue, the last of the way green, the ones between amber, violet,
/// teal..., and the terminal ones muted (grey, then red, then brown). Every status of one
/// lifecycle gets its own colour, the same on badges and the board.
/// `colors` (`#rrggbb` by status, from `[site]`) win over the lifecycle's; a value that is not
/// such a colour is left out (`build` refuses it first).
fn status_styles(
    statuses: &[String],
    terminal: &[String],
    colors: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    const BETWEEN: [u16; 5] = [38, 270, 180, 320, 90];
    const ENDED: [(u16, u8); 3] = [(220, 8), (0, 60), (25, 45)];
    let ongoing: Vec<&String> = statuses.iter().filter(|s| !terminal.contains(s)).collect();
    let ended: Vec<&String> = statuses.iter().filter(|s| terminal.contains(s)).collect();
    let mut styles = BTreeMap::new();
    for (i, status) in ongoing.iter().enumerate() {
        let hue = match i {
            0 => 212,
            _ if i + 1 == ongoing.len() => 140,
            _ => BETWEEN[(i - 1) % BETWEEN.len()],
        };
        styles.insert((*status).clone(), format!("--hue: {hue}; --sat: 70%"));
    }
    for (i, status) in ended.iter().enumerate() {
        let (hue, sat) = ENDED[i % ENDED.len()];
        styles.insert((*status).clone(), format!("--hue: {hue}; --sat: {sat}%"));
    }
    for (status, color) in colors {
        if let Some((hue, sat)) = hue_and_saturation(color) {
            styles.insert(status.clone(), format!("--hue: {hue}; --sat: {sat}%"));
        }
    }
    styles
}

/// The hue (degrees) and saturation (percent) of `#rrggbb`, which the badges' light and dark
/// shades are made from.
#[must_use]
pub fn hue_and_saturation(color: &str) -> Option<(u16, u8)> {
    let hex = color.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok().map(f64::from);
    let (r, g, b) = (
        channel(0)? / 255.0,
        channel(2)? / 255.0,
        channel(4)? / 255.0,
    );
    let (max, min) = (r.max(g).max(b), r.min(g).min(b));
    let delta = max - min;
    let light = f64::midpoint(max, min);
    if delta == 0.0 {
        return Some((0, 0));
    }
    let sat = delta / (1.0 - (2.0 * light - 1.0).abs());
    let hue = if (max - r).abs() < f64::EPSILON {
        60.0 * ((g - b) / delta).rem_euclid(6.0)
    } else if (max - g).abs() < f64::EPSILON {
        60.0 * ((b - r) / delta + 2.0)
    } else {
        60.0 * ((r - g) / delta + 4.0)
    };
    #[allow(clippy::cast_sign_loss)]
    Some((
        hue.round() as u16 % 360,
        (sat * 100.0).round().min(100.0) as u8,
    ))
}

/// Builds every page of the site.
pub fn build(input: &SiteInput<'_>, options: &SiteOptions) -> Result<Site, SiteError> {
    build_cached(input, options, &PageCache::default())
}

/// The manifest and the files of the build before.
type Before = (Manifest, BTreeMap<String, std::sync::Arc<[u8]>>);

/// The pages of the build before, kept by `serve` between its builds: a spec's page is
/// rendered again only when what it shows changed (its file, its findings, its metadata, the
/// titles of its relations, the pages its links go to, the templates).
#[derive(Default)]
pub struct PageCache {
    before: Mutex<Option<Before>>,
    /// How many spec pages the last build rendered (the others were kept).
    rendered: AtomicUsize,
}

impl PageCache {
    /// How many spec pages the last build rendered rather than reused.
    #[must_use]
    pub fn rendered(&self) -> usize {
        self.rendered.load(Ordering::Relaxed)
    }
}

/// [`build`], reusing the spec pages of `cache` that would come out the same.
pub fn build_cached(
    input: &SiteInput<'_>,
    options: &SiteOptions,
    cache: &PageCache,
) -> Result<Site, SiteError> {
    let (manifest, files) = cache
        .before
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take()
        .map_or((None, BTreeMap::new()), |(m, f)| (Some(m), f));
    let sink = Memory {
        files: Mutex::new(BTreeMap::new()),
        before: files,
    };
    let setup = Setup::of(input, options)?;
    let (manifest, rendered) = make(&setup, input, options, &sink, manifest.as_ref())?;
    drop(sink.before);
    let files = sink
        .files
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    cache.rendered.store(rendered, Ordering::Relaxed);
    *cache.before.lock().unwrap_or_else(PoisonError::into_inner) = Some((manifest, files.clone()));
    Ok(Site { files })
}

/// What [`build_into`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Built {
    /// The site's HTML pages.
    pub pages: usize,
    /// Every file of the site (but the manifest) with the hash of its content
    /// ([`crate::hash_bytes`]).
    pub files: BTreeMap<String, u64>,
    /// How many spec pages were rendered; the others were the same as in the site replaced.
    pub rendered: usize,
}

/// Builds the site into the folder `out`, replacing the specbook site there (and only one):
/// each file is written as it is made (the site is never whole in memory), spec pages that
/// would come out as the old site has them are not rendered again, and a manifest
/// ([`MANIFEST`]) tells the next build what it may keep. The result is the same, byte for
/// byte, as a build into an empty folder.
///
/// Over a site with a manifest, only the files that changed are replaced, each in one rename,
/// with the old ones kept in a journal until the build is done ([`Replace::InPlace`]); a build
/// that fails, or is killed and followed by another, leaves the old site.
pub fn build_into(
    input: &SiteInput<'_>,
    options: &SiteOptions,
    out: &Path,
) -> Result<Built, SiteError> {
    build_into_with(input, options, out, Replace::InPlace)
}

/// How [`build_into_with`] replaces the site in its folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replace {
    /// Over a site with a manifest, the files that changed, one at a time; else as `Whole`.
    InPlace,
    /// A fresh folder, its unchanged files hard links to the old ones, swapped in at the end:
    /// until then, every file read from the folder is the old site's (what `serve` reads
    /// while it builds).
    Whole,
}

/// [`build_into`], replacing the site as `replace` says.
pub fn build_into_with(
    input: &SiteInput<'_>,
    options: &SiteOptions,
    out: &Path,
    replace: Replace,
) -> Result<Built, SiteError> {
    let was_there = out.exists();
    let lock = SiteLock::take(out)?;
    output::remove_leftovers(out);
    update::recover(out);
    let built = Setup::of(input, options).and_then(|setup| {
        // A build that keeps no page (another program, template, option or spec count) is
        // faster in a fresh folder: in place, each of its files would be kept in the journal
        // and renamed over the old one (10-30% slower at 10,000 specs).
        let update = match replace {
            Replace::InPlace => Update::start(out, setup.generation)?,
            Replace::Whole => None,
        };
        if let Some(update) = update {
            let (manifest, rendered) =
                make(&setup, input, options, &update, Some(update.before()))?;
            return Ok((update.finish(manifest)?, rendered));
        }
        let folder = Folder::create(out)?;
        let (manifest, rendered) = make(&setup, input, options, &folder, folder.before())?;
        Ok((folder.finish(manifest)?, rendered))
    });
    drop(lock);
    let (files, rendered) = match built {
        Ok(built) => built,
        Err(error) => {
            // Not even an empty folder where there was none.
            if !was_there {
                let _ = std::fs::remove_dir(out);
            }
            return Err(error);
        }
    };
    let pages = files.keys().filter(|f| is_html(f)).count();
    Ok(Built {
        pages,
        files,
        rendered,
    })
}

/// Whether the file `name` is an HTML page.
pub(crate) fn is_html(name: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html"))
}

/// How many spec pages are rendered at a time: their search terms are in memory together.
const BATCH: usize = 256;

/// What every page of one build is made with: the templates, the statuses' colours and the
/// key of both ([`generation_of`]). Made once per build.
struct Setup {
    env: Environment<'static>,
    palette: Palette,
    generation: u64,
}

impl Setup {
    fn of(input: &SiteInput<'_>, options: &SiteOptions) -> Result<Self, SiteError> {
        let env = environment(options)?;
        let palette = Palette::of(input, options);
        let generation = generation_of(&env, options, input, &palette);
        Ok(Self {
            env,
            palette,
            generation,
        })
    }
}

/// Makes the site into `sink`, keeping the spec pages of `before` whose key is unchanged.
/// Returns the manifest of what was made (its files filled in by a folder) and how many spec
/// pages were rendered.
fn make(
    setup: &Setup,
    input: &SiteInput<'_>,
    options: &SiteOptions,
    sink: &dyn Sink,
    before: Option<&Manifest>,
) -> Result<(Manifest, usize), SiteError> {
    let (env, palette, generation) = (&setup.env, &setup.palette, setup.generation);
    let before = before.filter(|m| m.generation == generation);
    let spec_common = common_context(input, options, palette, ("spec", "../"));
    let source_common = common_context(input, options, palette, ("source", "../../"));
    // The overview pages (one thread) while the spec pages are made (on every core): a
    // rebuild that keeps the spec pages spends as long on either.
    let (overview, specs) = rayon::join(
        || overview_pages(env, input, options, palette, sink),
        || {
            spec_pages(
                env,
                input,
                options,
                (&spec_common, &source_common),
                sink,
                before,
            )
        },
    );
    overview?;
    let (records, infos, all_counts, rendered) = specs?;
    let all: Vec<&DocCounts> = all_counts.docs.iter().collect();
    let index = SearchIndex::from_counts(infos, &all_counts.terms, &all);
    drop(all);
    for (name, content) in index.files() {
        sink.put(&name, content)?;
    }
    drop(index);
    // The counts move into the records: one copy of them, not two.
    let mut manifest = Manifest {
        generation,
        pages: HashMap::with_capacity(records.len()),
        terms: all_counts.terms,
        files: BTreeMap::new(),
    };
    for ((entry, mut record), counts) in input.entries.iter().zip(records).zip(all_counts.docs) {
        record.counts = counts;
        manifest.pages.insert(entry.path.clone(), record);
    }
    Ok((manifest, rendered))
}

/// The spec pages made (or kept from `before`) into `sink` with the common contexts of the
/// spec and source pages: each one's record (its counts left to fill), what the results show
/// of each, their search counts, and how many were rendered.
fn spec_pages(
    env: &Environment<'_>,
    input: &SiteInput<'_>,
    options: &SiteOptions,
    (common, source_common): (&Value, &Value),
    sink: &dyn Sink,
    before: Option<&Manifest>,
) -> Result<(Vec<PageRecord>, Vec<DocInfo>, Counted, usize), SiteError> {
    let by_number = by_number(input.entries);
    let pages = pages(input.entries);
    let parts = PageParts {
        by_number: &by_number,
        pages: &pages,
        common,
        source_common,
        options,
    };
    // Two specs whose pages have the same name: the later one's is the site's.
    let mut owner: HashMap<String, usize> = HashMap::new();
    for (i, entry) in input.entries.iter().enumerate() {
        owner.insert(page_of(entry), i);
    }
    let mut counter =
        before.map_or_else(Counter::default, |m| Counter::with_terms(m.terms.clone()));
    let mut records = Vec::with_capacity(input.entries.len());
    // Each image's file, by its name in the site (the last spec showing it wins).
    let mut images: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut infos = Vec::with_capacity(input.entries.len());
    let mut rendered = 0;
    let indices: Vec<usize> = (0..input.entries.len()).collect();
    for batch in indices.chunks(BATCH) {
        // Pages are independent: made on every core, then counted in catalog order.
        let made: Vec<Result<Made, SiteError>> = batch
            .par_iter()
            .map(|&i| {
                let entry = &input.entries[i];
                let around = Around::at(input, i);
                let writes = owner.get(&page_of(entry)) == Some(&i);
                spec_page_made(env, entry, &around, &parts, (sink, writes), before)
            })
            .collect();
        for (&i, made) in batch.iter().zip(made) {
            let entry = &input.entries[i];
            let made = made?;
            match made.terms {
                Terms::Kept(counts) => counter.keep(counts),
                Terms::Counted(terms, length) => {
                    rendered += 1;
                    counter.push(terms.iter().map(|(t, f)| (t.as_str(), *f)), length);
                }
            }
            let folder = entry.path.parent().unwrap_or(Path::new(""));
            images.extend(
                made.record
                    .images
                    .iter()
                    .filter_map(|image| local_image(folder, image)),
            );
            infos.push(doc_info(entry));
            records.push(made.record);
        }
    }
    // Copied every time (their pages may be kept while they change); a page's file is not
    // replaced by an image of the same name.
    let page_files: BTreeSet<&String> = records.iter().flat_map(|r| &r.files).collect();
    images.retain(|name, _| !page_files.contains(name));
    images.into_par_iter().try_for_each(|(name, file)| {
        match specbook_workspace::read_input(&file) {
            Ok(bytes) => sink.put(&name, bytes),
            Err(_) => Ok(()),
        }
    })?;
    Ok((records, infos, counter.compacted(), rendered))
}

/// The site without its spec pages and search index: the assets, the catalog, the board, the
/// health page, the graph and the search page. What `serve` shows first, before the whole
/// site is made.
pub fn build_overview(input: &SiteInput<'_>, options: &SiteOptions) -> Result<Site, SiteError> {
    let env = environment(options)?;
    let sink = Memory {
        files: Mutex::new(BTreeMap::new()),
        before: BTreeMap::new(),
    };
    overview_pages(&env, input, options, &Palette::of(input, options), &sink)?;
    Ok(Site {
        files: sink
            .files
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner),
    })
}

/// The pages of [`build_overview`].
fn overview_pages(
    env: &Environment<'_>,
    input: &SiteInput<'_>,
    options: &SiteOptions,
    palette: &Palette,
    sink: &dyn Sink,
) -> Result<(), SiteError> {
    let specs: Vec<Summary> = input.entries.iter().map(|e| summary(e, "")).collect();
    let common = |page: &str, root: &str| common_context(input, options, palette, (page, root));
    assets(options, sink)?;
    catalog_pages(env, &common("home", ""), &specs, &palette.statuses, sink)?;
    let columns: Vec<Value> = palette
        .statuses
        .iter()
        .map(|status| {
            let cards: Vec<&Summary> = specs.iter().filter(|s| &s.status == status).collect();
            context! { status => status, cards => ser(&cards) }
        })
        .collect();
    let board = render_page(
        env,
        "board.html",
        context! { ..common("board", ""), ..context! { columns => columns } },
    )?;
    sink.put("board.html", board.into_bytes())?;
    other_pages(env, input, palette, &common, sink)
}

/// The names in the site of the page and of the source view of the spec of `entry`.
#[must_use]
pub fn spec_page_names(entry: &Entry) -> [String; 2] {
    [page_of(entry), source_page_of(entry)]
}

/// The page and the source view of `input.entries[index]`, as [`build`] makes them (its
/// images aside): what `serve` shows at once when a spec is edited, before it builds the
/// whole site again.
pub fn spec_page_files(
    input: &SiteInput<'_>,
    options: &SiteOptions,
    index: usize,
) -> Result<Vec<(String, Vec<u8>)>, SiteError> {
    let Some(entry) = input.entries.get(index) else {
        return Ok(Vec::new());
    };
    let env = environment(options)?;
    let palette = Palette::of(input, options);
    let by_number = by_number(input.entries);
    let pages = pages(input.entries);
    let parts = PageParts {
        by_number: &by_number,
        pages: &pages,
        common: &common_context(input, options, &palette, ("spec", "../")),
        source_common: &common_context(input, options, &palette, ("source", "../../")),
        options,
    };
    let around = Around::at(input, index);
    let text = spec_text(&entry.path);
    let page = spec_page(
        &env,
        entry,
        text.as_deref().map_err(String::as_str),
        &around,
        &parts,
    )?;
    Ok(page.files)
}

/// What every page's template is given: the site's title, the spec count, the page's kind
/// and its way back to the root, the statuses and their colours.
fn common_context(
    input: &SiteInput<'_>,
    options: &SiteOptions,
    palette: &Palette,
    (page, root): (&str, &str),
) -> Value {
    context! {
        site_title => options.title.clone(),
        spec_count => input.entries.len(),
        page => page,
        root => root,
        status_styles => ser(&palette.styles),
        terminal => ser(&input.terminal),
        lifecycle => ser(&palette.statuses),
    }
}

/// The key of what every page shows besides its own spec: the program, the templates, the
/// options, how many specs there are and the statuses' colours.
fn generation_of(
    env: &Environment<'_>,
    options: &SiteOptions,
    input: &SiteInput<'_>,
    palette: &Palette,
) -> u64 {
    let mut templates: Vec<(&str, String)> = env
        .templates()
        .map(|(name, t)| (name, t.source().to_owned()))
        .collect();
    templates.sort_unstable();
    key_of(&(
        env!("CARGO_PKG_VERSION"),
        templates,
        (
            &options.title,
            options.mermaid,
            &options.edit_url,
            &options.colors,
        ),
        input.entries.len(),
        &palette.statuses,
        &palette.styles,
        &input.terminal,
    ))
}

fn key_of(parts: &impl std::hash::Hash) -> u64 {
    let mut hasher = crate::output::hasher();
    parts.hash(&mut hasher);
    hasher.finish()
}

fn doc_info(entry: &Entry) -> DocInfo {
    DocInfo {
        id: entry.id(),
        title: entry.title_or_id(),
        url: page_of(entry),
        status: entry.meta.status.clone().unwrap_or_default(),
    }
}

/// What search counts of a spec: kept from the manifest (numbered as there), or counted now.
enum Terms {
    Kept(DocCounts),
    Counted(Vec<(String, u32)>, u32),
}

/// One spec's page, made or kept.
struct Made {
    record: PageRecord,
    terms: Terms,
}

/// The catalog in pages of [`CATALOG_PAGE`] rows (`index.html`, then `catalog-2.html`, ...),
/// and every row in `catalog.json` for the filters, which load it when asked.
fn catalog_pages(
    env: &Environment<'_>,
    common: &Value,
    specs: &[Summary],
    statuses: &[String],
    sink: &dyn Sink,
) -> Result<(), SiteError> {
    let teams: BTreeSet<&str> = specs
        .iter()
        .map(|s| s.team.as_str())
        .filter(|t| !t.is_empty())
        .collect();
    let catalog_pages = specs.len().div_ceil(CATALOG_PAGE).max(1);
    for number in 1..=catalog_pages {
        let rows = &specs[(number - 1) * CATALOG_PAGE..(number * CATALOG_PAGE).min(specs.len())];
        let page_name = |n: usize| {
            if n == 1 {
                "index.html".to_owned()
            } else {
                format!("catalog-{n}.html")
            }
        };
        let pager = context! {
            number => number,
            pages => catalog_pages,
            first => (number - 1) * CATALOG_PAGE + 1,
            last => (number - 1) * CATALOG_PAGE + rows.len(),
            previous => (number > 1).then(|| page_name(number - 1)),
            next => (number < catalog_pages).then(|| page_name(number + 1)),
        };
        let home = render_page(
            env,
            "home.html",
            context! { ..common.clone(), ..context! { specs => ser(&rows), total => specs.len(), pager => pager, statuses => ser(&statuses), teams => ser(&teams) } },
        )?;
        sink.put(&page_name(number), home.into_bytes())?;
    }
    // Each row as [id, title, page, status, team, authors, last updated].
    let catalog: Vec<[&str; 7]> = specs
        .iter()
        .map(|s| {
            [
                s.id.as_str(),
                s.title.as_str(),
                s.url.as_str(),
                s.status.as_str(),
                s.team.as_str(),
                s.authors.as_str(),
                s.last_updated.as_str(),
            ]
        })
        .collect();
    sink.put(
        "catalog.json",
        serde_json::to_vec(&catalog).unwrap_or_default(),
    )
}

/// The site's assets (the theme's where it has them) and its marker file.
fn assets(options: &SiteOptions, sink: &dyn Sink) -> Result<(), SiteError> {
    for (name, content) in ASSETS {
        let content = theme_file(options, name)?.unwrap_or_else(|| content.to_owned());
        sink.put(name, content.into_bytes())?;
    }
    sink.put(SITE_MARKER, b"built by specbook\n".to_vec())?;
    if options.mermaid {
        sink.put("assets/mermaid.min.js", MERMAID.to_vec())?;
    }
    Ok(())
}

/// The search page, the relation graph and the health page.
fn other_pages(
    env: &Environment<'_>,
    input: &SiteInput<'_>,
    palette: &Palette,
    common: &dyn Fn(&str, &str) -> Value,
    sink: &dyn Sink,
) -> Result<(), SiteError> {
    let (statuses, status_styles) = (&palette.statuses, &palette.styles);
    let search = render_page(env, "search.html", common("search", ""))?;
    sink.put("search.html", search.into_bytes())?;
    let graph = render_page(
        env,
        "graph.html",
        context! { ..common("graph", ""), ..context! { svg => relations_svg(input.entries, status_styles).map(Value::from_safe_string) } },
    )?;
    sink.put("graph.html", graph.into_bytes())?;

    let charts = health_charts(input, statuses, status_styles);
    let health = render_page(
        env,
        "health.html",
        context! { ..common("health", ""), ..context! { charts => charts } },
    )?;
    sink.put("health.html", health.into_bytes())
}

/// What every spec page is made with: specs by number, pages by path, the common contexts.
struct PageParts<'p, 'e> {
    by_number: &'p HashMap<SpecId, &'e Entry>,
    pages: &'p Pages<'e>,
    common: &'p Value,
    source_common: &'p Value,
    options: &'p SiteOptions,
}

/// What one spec's page shows of its place: its file from the repository's root, and the
/// specs before and after it in the catalog.
#[derive(Clone, Copy)]
struct Around<'e> {
    source: Option<&'e str>,
    previous: Option<&'e Entry>,
    next: Option<&'e Entry>,
}

impl<'e> Around<'e> {
    /// The place of `input.entries[index]`.
    fn at(input: &'e SiteInput<'_>, index: usize) -> Self {
        Self {
            source: input.sources.get(index).map(String::as_str),
            previous: index.checked_sub(1).and_then(|p| input.entries.get(p)),
            next: input.entries.get(index + 1),
        }
    }
}

/// The specs that have a number, by number.
fn by_number(entries: &[Entry]) -> HashMap<SpecId, &Entry> {
    entries
        .iter()
        .filter_map(|e| e.spec_id.map(|n| (n, e)))
        .collect()
}

/// A spec's page kept from `before` when what it shows is unchanged, else rendered; put into
/// `sink` when `writes` (else another spec's page has its name).
fn spec_page_made(
    env: &Environment<'_>,
    entry: &Entry,
    around: &Around<'_>,
    parts: &PageParts<'_, '_>,
    (sink, writes): (&dyn Sink, bool),
    before: Option<&Manifest>,
) -> Result<Made, SiteError> {
    // The file is read once, for the page and the source view, and only when the page is
    // made: the key has the hash of the text as it was checked.
    let text = entry.text_hash.is_none().then(|| spec_text(&entry.path));
    let source = match &text {
        Some(read) => Err(read.as_deref().map_err(String::as_str)),
        None => Ok(entry.text_hash.unwrap_or_default()),
    };
    let key = page_key(entry, source, around, parts);
    let folder = entry.path.parent().unwrap_or(Path::new(""));
    if let Some(old) = before.and_then(|m| m.pages.get(&entry.path))
        && old.key == key
        && old
            .links
            .iter()
            .all(|(to, page)| spec_link(folder, to, parts.pages) == *page)
        && (!writes || sink.keep(&old.files))
    {
        let mut record = old.clone();
        let counts = std::mem::take(&mut record.counts);
        if !writes {
            record.files.clear();
        }
        return Ok(Made {
            record,
            terms: Terms::Kept(counts),
        });
    }
    let text = text.unwrap_or_else(|| spec_text(&entry.path));
    let page = spec_page(
        env,
        entry,
        text.as_deref().map_err(String::as_str),
        around,
        parts,
    )?;
    let (tf, length) = crate::search::count(&page.doc);
    let terms = tf.into_iter().map(|(t, f)| (t.into_owned(), f)).collect();
    let mut files = Vec::new();
    if writes {
        for (name, bytes) in page.files {
            sink.put(&name, bytes)?;
            files.push(name);
        }
    }
    Ok(Made {
        record: PageRecord {
            key,
            links: page.links,
            images: page.images,
            files,
            counts: DocCounts::default(),
        },
        terms: Terms::Counted(terms, length),
    })
}

/// The key of everything a spec's page shows but the pages its links go to (recorded apart)
/// and what every page shows ([`generation_of`]): its file, the catalog's view of it, the
/// titles of its relations and its place in the catalog.
fn page_key(
    entry: &Entry,
    text: Result<u64, Result<&str, &str>>,
    around: &Around<'_>,
    parts: &PageParts<'_, '_>,
) -> u64 {
    let relations: Vec<Option<String>> = entry
        .meta
        .supersedes
        .iter()
        .chain(&entry.meta.superseded_by)
        .chain(&entry.meta.related)
        .map(|n| parts.by_number.get(n).map(|o| o.title_or_id()))
        .collect();
    key_of(&(
        text,
        &entry.path,
        format!(
            "{:?}{:?}{:?}{:?}",
            entry.spec_id, entry.meta, entry.report.diagnostics, entry.history
        ),
        relations,
        around.source,
        around
            .previous
            .map(|e| (e.id(), e.title_or_id(), page_of(e))),
        around.next.map(|e| (e.id(), e.title_or_id(), page_of(e))),
    ))
}

/// One spec's page as rendered: its files (the page and its source view), the links it
/// looked up and where they went, its local images, and what search knows of it.
struct SpecPage {
    files: Vec<(String, Vec<u8>)>,
    links: Vec<(String, Option<String>)>,
    images: Vec<String>,
    doc: SearchDoc,
}

/// The page of `entry` from its `text` (or why it cannot be read).
fn spec_page(
    env: &Environment<'_>,
    entry: &Entry,
    text: Result<&str, &str>,
    around: &Around<'_>,
    parts: &PageParts<'_, '_>,
) -> Result<SpecPage, SiteError> {
    let by_number = parts.by_number;
    let (rendered, plain, links, error) = match text {
        Ok(text) => {
            let (rendered, plain, links) =
                render_spec(entry, text, parts.pages, parts.options.mermaid);
            (rendered, plain, links, None)
        }
        Err(message) => (
            crate::Rendered::default(),
            String::new(),
            Vec::new(),
            Some(message),
        ),
    };
    let mut files: Vec<(String, Vec<u8>)> = Vec::with_capacity(2);
    let diagrams = rendered.diagrams > 0;
    let (body, toc) = (rendered.html, rendered.toc);
    let source_url = format!("../{}", source_page_of(entry));
    let findings = findings_of(entry, &source_url);
    let path = around.source.map_or_else(
        || entry.path.to_string_lossy().replace('\\', "/"),
        str::to_owned,
    );
    let edit_url = parts
        .options
        .edit_url
        .as_ref()
        .map(|pattern| pattern.replace("{path}", &path));
    let neighbour = |e: Option<&Entry>| {
        e.map(|e| context! { id => e.id(), title => e.title_or_id(), url => format!("../{}", page_of(e)) })
    };
    let meta = &entry.meta;
    let relations: Vec<Relation> = [
        ("Supersedes", &meta.supersedes),
        ("Superseded by", &meta.superseded_by),
        ("Related", &meta.related),
    ]
    .into_iter()
    .flat_map(|(kind, ids)| {
        ids.iter().map(move |&n| {
            let other = by_number.get(&n);
            Relation {
                kind,
                id: n.to_string(),
                title: other.map(|o| o.title_or_id()).unwrap_or_default(),
                url: other.map(|o| format!("../{}", page_of(o))),
            }
        })
    })
    .collect();
    let html = render_page(
        env,
        "spec.html",
        context! {
            ..parts.common.clone(),
            ..context! {
                source_url => source_url,
                edit_url => edit_url.clone(),
                path => path,
                previous => neighbour(around.previous),
                next => neighbour(around.next),
                spec => ser(&summary(entry, "../")),
                toc => ser(&toc.iter().collect::<Vec<_>>()),
                body => body,
                error => error,
                findings => ser(&findings),
                history => ser(&history_of(entry)),
                relations => ser(&relations),
                diagrams => diagrams,
            }
        },
    )?;
    files.push((page_of(entry), html.into_bytes()));
    if let Ok(text) = text {
        let source = source_page(env, entry, text, parts, (&findings, edit_url.as_deref()))?;
        files.push((source_page_of(entry), source.into_bytes()));
    }
    Ok(SpecPage {
        files,
        links,
        images: rendered.images,
        doc: search_doc(entry, toc.iter().map(|t| t.text.clone()).collect(), plain),
    })
}

/// The findings of `entry` as its page lists them, linked to their lines in its source view
/// at `source_url`.
fn findings_of(entry: &Entry, source_url: &str) -> Vec<Finding> {
    entry
        .report
        .diagnostics
        .iter()
        .map(|d| Finding {
            line: d.line,
            column: d.column,
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            },
            rule: d.rule,
            message: crate::render::render_inline(&d.message),
            // A finding in another file (a sidecar) has no line in this spec's source.
            href: if d.file.is_none() {
                format!("{source_url}#L{}", d.line)
            } else {
                String::new()
            },
        })
        .collect()
}

/// The page of a spec's Markdown `text`, a line per line with `#L<n>` anchors and its
/// findings' lines marked.
fn source_page(
    env: &Environment<'_>,
    entry: &Entry,
    text: &str,
    parts: &PageParts<'_, '_>,
    (findings, edit_url): (&[Finding], Option<&str>),
) -> Result<String, SiteError> {
    let flagged: BTreeSet<usize> = findings.iter().map(|f| f.line).collect();
    let view = specbook_markdown::lf_view(text);
    let mut lines = String::with_capacity(view.len() + view.len() / 4);
    for (n, line) in view.split_terminator('\n').enumerate() {
        let n = n + 1;
        let class = if flagged.contains(&n) {
            " class=\"flagged\""
        } else {
            ""
        };
        lines.push_str(&format!("<span id=\"L{n}\"{class}>"));
        crate::render::escape_into(&mut lines, line);
        lines.push_str("</span>\n");
    }
    render_page(
        env,
        "source.html",
        context! {
            ..parts.source_common.clone(),
            ..context! {
                spec => ser(&summary(entry, "../../")),
                lines => Value::from_safe_string(lines),
                edit_url => edit_url,
                findings => ser(&findings),
            }
        },
    )
}

/// A spec's text, or why it cannot be shown.
fn spec_text(path: &Path) -> Result<String, String> {
    let bytes = specbook_workspace::read_input(path)
        .map_err(|error| format!("This file cannot be read: {error}"))?;
    String::from_utf8(bytes)
        .map_err(|_| "This file is not valid UTF-8, so it cannot be shown.".to_owned())
}

/// A spec's `text` rendered for its page, its text from the end of any YAML front matter,
/// and each link looked up among the specs' pages with where it went (in the order first
/// looked up).
fn render_spec(
    entry: &Entry,
    text: &str,
    pages: &Pages<'_>,
    mermaid: bool,
) -> (crate::Rendered, String, Vec<(String, Option<String>)>) {
    let folder = entry.path.parent().unwrap_or(Path::new(""));
    let view = specbook_markdown::lf_view(text);
    let doc = Document::parse(&view);
    let placeholders: Vec<_> = doc.placeholders.iter().map(|p| p.span.clone()).collect();
    let links = std::cell::RefCell::new(Vec::new());
    let link = |destination: &str| {
        let page = spec_link(folder, destination, pages);
        let mut links = links.borrow_mut();
        if !links.iter().any(|(to, _)| to == destination) {
            links.push((destination.to_owned(), page.clone()));
        }
        page
    };
    let skip = shown_elsewhere(&doc, entry.meta.title.as_deref());
    let rendered = render(text, doc.body_start, &skip, &placeholders, &link, mermaid);
    let plain = text[doc.body_start.min(text.len())..].to_owned();
    (rendered, plain, links.into_inner())
}

/// The search index of `entries`, as `build` makes it for the site: what `specbook search`'s
/// kept index is compared with.
#[cfg(test)]
pub(crate) fn search_index(entries: &[Entry]) -> SearchIndex {
    let pages = pages(entries);
    let documents: Vec<SearchDoc> = entries
        .par_iter()
        .map(|entry| {
            let (rendered, plain, _) = spec_text(&entry.path)
                .map(|text| render_spec(entry, &text, &pages, false))
                .unwrap_or_default();
            search_doc(
                entry,
                rendered.toc.into_iter().map(|t| t.text).collect(),
                plain,
            )
        })
        .collect();
    SearchIndex::build(&documents)
}

/// What is searched in the spec of `entry` with text `text` (`None`: it cannot be read), as
/// the site's page makes it (headings as its table of contents, a test over the corpora).
pub(crate) fn search_doc_of(entry: &Entry, text: Option<&str>) -> SearchDoc {
    let Some(text) = text else {
        return search_doc(entry, Vec::new(), String::new());
    };
    let view = specbook_markdown::lf_view(text);
    let doc = Document::parse(&view);
    let placeholders: Vec<_> = doc.placeholders.iter().map(|p| p.span.clone()).collect();
    let skip = shown_elsewhere(&doc, entry.meta.title.as_deref());
    let headings = crate::render::heading_texts(text, doc.body_start, &skip, &placeholders);
    let plain = text[doc.body_start.min(text.len())..].to_owned();
    search_doc(entry, headings, plain)
}

fn search_doc(entry: &Entry, headings: Vec<String>, body: String) -> SearchDoc {
    SearchDoc {
        id: entry.id(),
        title: entry.title_or_id(),
        url: page_of(entry),
        status: entry.meta.status.clone().unwrap_or_default(),
        headings,
        body,
    }
}

/// The parts of a spec the page shows outside its body: the title heading (the page's H1)
/// and the front matter section (the metadata card).
fn shown_elsewhere(doc: &Document<'_>, title: Option<&str>) -> Vec<std::ops::Range<usize>> {
    let mut skip = Vec::new();
    // Only the heading the title came from: `# Summary` in a corpus of H1 sections stays.
    let is_title = |h: usize| title.is_some_and(|t| doc.heading_title(h).contains(t));
    if let Some(title) = doc.title_heading().filter(|&h| is_title(h)) {
        let span = &doc.headings[title].span;
        skip.push(span.start..span.end);
    }
    if let Some(front) = doc.headings.iter().position(|h| h.key == "front matter") {
        let start = doc.headings[front].span.start;
        skip.push(start..doc.section_body(front).end);
    }
    skip.sort_by_key(|r| r.start);
    skip
}

/// Each spec's page by its file's path (`a/./b` and `a/b` alike).
type Pages<'e> = HashMap<PathBuf, &'e Entry>;

fn pages(entries: &[Entry]) -> Pages<'_> {
    entries.iter().map(|e| (lexical(&e.path), e)).collect()
}

/// Where a relative link of a spec in `folder` goes on the site: another spec's page.
fn spec_link(folder: &Path, destination: &str, pages: &Pages<'_>) -> Option<String> {
    let (path, fragment) = match destination.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (destination, None),
    };
    if path.is_empty() || !path.to_ascii_lowercase().ends_with(".md") || path.contains("://") {
        return None;
    }
    let entry = pages.get(&lexical(&folder.join(path)))?;
    let page = page_of(entry);
    let name = page.strip_prefix("specs/").unwrap_or(&page);
    Some(match fragment {
        Some(fragment) => format!("{name}#{fragment}"),
        None => name.to_owned(),
    })
}

/// A spec's local image as the site has it beside its page, when it stays inside the spec
/// folder: its name in the site and its file (`img/flow.png` -> `specs/img/flow.png`).
fn local_image(folder: &Path, image: &str) -> Option<(String, PathBuf)> {
    let path = image.split(['#', '?']).next().unwrap_or_default();
    let relative = Path::new(path);
    if relative.is_absolute()
        || relative
            .components()
            .any(|c| matches!(c, Component::ParentDir | Component::Prefix(_)))
    {
        return None;
    }
    // A symlink may point anywhere: only files that really are inside the spec folder go in.
    let folder_real = folder.canonicalize().ok()?;
    let file_real = folder.join(relative).canonicalize().ok()?;
    if !file_real.starts_with(folder_real) {
        return None;
    }
    let name = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    Some((format!("specs/{name}"), file_real))
}

/// The relation graph of the catalog: every spec that supersedes, is superseded by or
/// relates to another.
fn relations_svg(entries: &[Entry], styles: &BTreeMap<String, String>) -> Option<String> {
    let edges = specbook_workspace::relation_edges(entries);
    let by_number: HashMap<SpecId, &Entry> = entries
        .iter()
        .filter_map(|e| e.spec_id.map(|n| (n, e)))
        .collect();
    let nodes: Vec<crate::graph::Node> = edges
        .specs()
        .into_iter()
        .map(|id| {
            let entry = by_number.get(&id);
            let status = entry
                .and_then(|e| e.meta.status.clone())
                .unwrap_or_default();
            crate::graph::Node {
                id,
                label: entry.map_or_else(
                    || format!("{id} (no such spec)"),
                    |e| format!("{} {}", e.id(), e.title_or_id()),
                ),
                title: entry.map_or_else(String::new, |e| {
                    format!(
                        "{} {} ({})",
                        e.id(),
                        e.title_or_id(),
                        if status.is_empty() {
                            "no status"
                        } else {
                            &status
                        }
                    )
                }),
                url: entry.map(|e| page_of(e)),
                style: styles.get(&status).cloned().unwrap_or_default(),
            }
        })
        .collect();
    crate::graph::relation_graph(&nodes, &edges.supersedes, &edges.related)
}

/// The charts of the health page.
fn health_charts(
    input: &SiteInput<'_>,
    statuses: &[String],
    styles: &BTreeMap<String, String>,
) -> Vec<Value> {
    let entries = input.entries;
    let by_status: Vec<(String, usize)> = statuses
        .iter()
        .map(|s| {
            let count = entries
                .iter()
                .filter(|e| e.meta.status.as_deref() == Some(s))
                .count();
            (s.clone(), count)
        })
        .collect();
    let mut teams: BTreeMap<String, usize> = BTreeMap::new();
    for entry in entries {
        *teams
            .entry(
                entry
                    .meta
                    .team
                    .clone()
                    .unwrap_or_else(|| "(no team)".to_owned()),
            )
            .or_default() += 1;
    }
    // Specs waiting in a status under way (after the first, before the last), by days since
    // their last change.
    // Terminal statuses (Superseded, Withdrawn) wait for nothing.
    let ongoing: Vec<&str> = statuses
        .iter()
        .map(String::as_str)
        .filter(|s| !input.terminal.iter().any(|t| t == s))
        .collect();
    let waiting: Vec<&str> = ongoing
        .get(1..ongoing.len().saturating_sub(1))
        .unwrap_or_default()
        .to_vec();
    let buckets = [
        (7, "up to a week"),
        (30, "up to a month"),
        (90, "up to 3 months"),
        (i32::MAX, "longer"),
    ];
    let mut ages = vec![0usize; buckets.len()];
    for entry in entries.iter().filter(|e| {
        e.meta
            .status
            .as_deref()
            .is_some_and(|s| waiting.contains(&s))
    }) {
        let changed = entry.history.as_ref().map(|h| h.last.date).or_else(|| {
            entry
                .meta
                .last_updated
                .as_deref()
                .and_then(|d| d.parse().ok())
        });
        let Some(changed) = changed else { continue };
        let days = changed.until(input.today).map_or(0, |span| span.get_days());
        let bucket = buckets
            .iter()
            .position(|(limit, _)| days <= *limit)
            .unwrap_or(buckets.len() - 1);
        ages[bucket] += 1;
    }
    let mut rules: BTreeMap<&str, usize> = BTreeMap::new();
    for entry in entries {
        for finding in &entry.report.diagnostics {
            *rules.entry(finding.rule).or_default() += 1;
        }
    }
    let mut rules: Vec<(String, usize)> =
        rules.into_iter().map(|(r, n)| (r.to_owned(), n)).collect();
    rules.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let waiting_title = if waiting.is_empty() {
        "Specs waiting in review, by days since their last change".to_owned()
    } else {
        format!(
            "Specs waiting in {}, by days since their last change",
            waiting.join(" or ")
        )
    };
    [
        ("Specs by status".to_owned(), by_status),
        ("Specs by team".to_owned(), teams.into_iter().collect()),
        (
            waiting_title,
            buckets
                .iter()
                .zip(ages)
                .map(|((_, label), n)| ((*label).to_owned(), n))
                .collect(),
        ),
        ("Findings by rule".to_owned(), rules),
    ]
    .into_iter()
    .enumerate()
    // The first chart, specs by status, has each bar in its status's colour.
    .map(|(i, (title, rows))| {
        let svg = bar_chart(&title, &rows, (i == 0).then_some(styles));
        context! { svg => svg, title => title }
    })
    .collect()
}

/// The built-in templates, each replaced by the theme's file of the same name if there is one.
fn environment(options: &SiteOptions) -> Result<Environment<'static>, SiteError> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    for (name, source) in TEMPLATES {
        let source = theme_file(options, name)?.unwrap_or_else(|| source.to_owned());
        env.add_template_owned(name, source)
            .map_err(|error| template_error(name, &error))?;
    }
    Ok(env)
}

fn theme_file(options: &SiteOptions, name: &str) -> Result<Option<String>, SiteError> {
    let Some(theme) = &options.theme else {
        return Ok(None);
    };
    let path = theme.join(name);
    match specbook_workspace::read_input_to_string(&path) {
        Ok(text) => Ok(Some(text)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(SiteError::Read { path, error }),
    }
}

/// A template value from anything serde can write.
fn ser<T: Serialize>(value: &T) -> Value {
    Value::from(minijinja::value::Serde(value))
}

fn render_page(env: &Environment<'_>, name: &str, ctx: Value) -> Result<String, SiteError> {
    env.get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|error| template_error(name, &error))
}

fn template_error(name: &str, error: &minijinja::Error) -> SiteError {
    SiteError::Template {
        name: name.to_owned(),
        message: format!("{error:#}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use specbook_workspace::{Catalog, Checker, Surroundings};

    /// The shared corpora (`../shared/corpora`, or `$CORPORA`).
    fn corpora() -> PathBuf {
        let candidates: Vec<PathBuf> = match std::env::var_os("CORPORA") {
            Some(dir) => vec![PathBuf::from(dir)],
            None => vec![
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora"),
                PathBuf::from("/work/shared/corpora"),
            ],
        };
        candidates
            .iter()
            .find(|dir| dir.join("README.md").is_file())
            .cloned()
            .unwrap_or_else(|| {
                panic!(
                    "no shared corpora at {} (set CORPORA)",
                    candidates[0].display()
                )
            })
    }

    /// Every document of the shared corpora: the headings `specbook search` indexes (read from
    /// the Markdown alone) are the table of contents of the site's page.
    #[test]
    fn search_headings_are_the_pages_contents_in_every_corpus() {
        fn markdown(dir: &Path, out: &mut Vec<PathBuf>) {
            for path in std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()) {
                if path.is_dir() {
                    markdown(&path, out);
                } else if path.extension().is_some_and(|e| e == "md") {
                    out.push(path);
                }
            }
        }
        let mut files = Vec::new();
        markdown(&corpora(), &mut files);
        assert!(files.len() > 2000, "{} files", files.len());
        let checker = Checker::new(
            specbook_markdown::Schema::builtin(),
            specbook_linter::Settings::default(),
            specbook_workspace::IdScheme::default(),
        );
        let differ: Vec<String> = files
            .par_iter()
            .filter_map(|path| {
                let bytes = std::fs::read(path).ok()?;
                let text = std::str::from_utf8(&bytes).ok()?;
                let display = path.display().to_string();
                let meta = checker.check_bytes_with_facts(&display, &bytes).1.meta;
                let entry = Entry {
                    spec_id: None,
                    path: path.clone(),
                    meta,
                    report: specbook_diagnostics::FileReport {
                        path: display,
                        diagnostics: Vec::new(),
                    },
                    history: None,
                    text_hash: None,
                };
                let page: Vec<String> = render_spec(&entry, text, &Pages::default(), false)
                    .0
                    .toc
                    .into_iter()
                    .map(|t| t.text)
                    .collect();
                let indexed = search_doc_of(&entry, Some(text));
                (indexed.headings != page || indexed.body.is_empty() != text.trim().is_empty())
                    .then(|| path.display().to_string())
            })
            .collect();
        assert!(
            differ.is_empty(),
            "{} differ: {:?}",
            differ.len(),
            &differ[..differ.len().min(10)]
        );
    }

    fn catalog(files: &[PathBuf]) -> Catalog {
        let checker = Checker::new(
            specbook_markdown::Schema::builtin(),
            specbook_linter::Settings::default(),
            specbook_workspace::IdScheme::default(),
        );
        Catalog::load(&checker, files, &Surroundings::of(files, &checker.ids))
    }

    #[test]
    fn a_rebuild_renders_only_the_pages_that_changed() {
        let dir = tempfile::tempdir().unwrap();
        let files: Vec<PathBuf> = ["0001-a.md", "0002-b.md"]
            .iter()
            .map(|name| dir.path().join(name))
            .collect();
        std::fs::write(&files[0], "# A Technical Specification\n\nText.\n").unwrap();
        std::fs::write(&files[1], "# B Technical Specification\n\nMore.\n").unwrap();
        let options = SiteOptions {
            title: "Specs".into(),
            theme: None,
            mermaid: false,
            edit_url: Some("https://git.example/edit/{path}".into()),
            colors: BTreeMap::new(),
        };
        let cache = PageCache::default();
        let build = |cache: &PageCache| {
            let catalog = catalog(&files);
            let input = SiteInput {
                entries: &catalog.entries,
                statuses: vec!["Draft".into()],
                terminal: Vec::new(),
                today: jiff::civil::date(2026, 11, 27),
                sources: vec!["docs/0001-a.md".into(), "docs/0002-b.md".into()],
            };
            build_cached(&input, &options, cache).unwrap()
        };
        let first = build(&cache);
        assert_eq!(cache.rendered(), 2);
        let second = build(&cache);
        assert_eq!(cache.rendered(), 0);
        assert_eq!(first.files, second.files);
        std::fs::write(&files[1], "# B Technical Specification\n\nChanged.\n").unwrap();
        let third = build(&cache);
        assert_eq!(cache.rendered(), 1);
        assert_eq!(third.files, build(&PageCache::default()).files);
        let page =
            String::from_utf8_lossy(&third.files["specs/0002-b.html"]).replace("&#x2f;", "/");
        assert!(page.contains("Changed."));
        assert!(
            page.contains("<a class=\"edit\" href=\"https://git.example/edit/docs/0002-b.md\">"),
            "{page}"
        );
        assert!(
            page.contains("<a rel=\"prev\" href=\"../specs/0001-a.html\">"),
            "{page}"
        );
        let source = String::from_utf8_lossy(&third.files["specs/source/0002-b.html"]);
        assert!(
            source.contains("<span id=\"L3\">Changed.</span>"),
            "{source}"
        );
    }

    #[test]
    fn a_spec_that_is_not_text_gets_a_page_that_says_so_and_no_source_view() {
        let dir = tempfile::tempdir().unwrap();
        let files = vec![dir.path().join("0001-a.md")];
        std::fs::write(&files[0], b"# A Technical Specification\n\n\xff\xfe\n").unwrap();
        let catalog = catalog(&files);
        let input = SiteInput {
            entries: &catalog.entries,
            statuses: vec!["Draft".into()],
            terminal: Vec::new(),
            today: jiff::civil::date(2026, 12, 2),
            sources: Vec::new(),
        };
        let options = SiteOptions {
            title: "Specs".into(),
            theme: None,
            mermaid: false,
            edit_url: None,
            colors: BTreeMap::new(),
        };
        let site = build(&input, &options).unwrap();
        let page = String::from_utf8_lossy(&site.files["specs/0001-a.html"]);
        assert!(
            page.contains("This file is not valid UTF-8, so it cannot be shown."),
            "{page}"
        );
        assert!(!site.files.contains_key("specs/source/0001-a.html"));
    }

    #[test]
    fn colours_are_read_from_hex() {
        assert_eq!(hue_and_saturation("#2da44e"), Some((137, 57)));
        assert_eq!(hue_and_saturation("#ff0000"), Some((0, 100)));
        assert_eq!(hue_and_saturation("#808080"), Some((0, 0)));
        assert_eq!(hue_and_saturation("red"), None);
        assert_eq!(hue_and_saturation("#12345"), None);
        let styles = status_styles(
            &["Draft".into(), "Done".into()],
            &[],
            &BTreeMap::from([("Done".to_owned(), "#ff0000".to_owned())]),
        );
        assert_eq!(styles["Done"], "--hue: 0; --sat: 100%");
        assert_eq!(styles["Draft"], "--hue: 212; --sat: 70%");
    }
}
