//! specbook's static site, built in memory from the catalog: a home page with the catalog
//! table, a status board, a health page with charts drawn as inline SVG, and a page per spec.
//! Nothing is fetched from another host: styles and scripts are files of the site.

mod charts;
mod graph;
mod highlight;
mod output;
mod render;
mod search;
mod site;
mod stored;
mod update;

pub use output::{MANIFEST, Manifest, hash_bytes};
pub use render::{Rendered, TocEntry, render};
pub use search::{DocInfo, Hit, SearchDoc, SearchIndex, tokens};
pub use site::{
    Built, PageCache, Replace, SITE_MARKER, Site, SiteError, SiteInput, SiteOptions, build,
    build_cached, build_into, build_into_with, build_overview, hue_and_saturation, spec_page_files,
    spec_page_names,
};
pub use stored::{Found, Origin, Searched, key_of, search as search_stored};
