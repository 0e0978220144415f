//! specbook's workspace: `specbook.toml`, finding spec files, checking them in parallel, and
//! writing new specs.

mod adopt;
mod baseline;
mod catalog;
mod changed;
mod check;
mod check_cache;
mod config;
mod discover;
mod error;
mod history;
mod input;
mod lifecycle;
mod listing;
mod relate;
mod scaffold;
mod status_history;
mod workspace_rules;
mod write;

pub use adopt::{Adoption, LifecycleSummary, adopt};
pub use baseline::{
    Applied, BASELINE_VERSION, Baseline, BaselineEntry, BaselineError, BaselineRoot,
};
pub use catalog::{
    IdScheme, SpecFacts, SpecMeta, format_id, is_folder_spec, lexical, resolve, spec_id,
    spec_number, spec_slug, text_hash, title_from_path,
};
pub use changed::changed_files;
pub use check::{
    CheckOutcome, Checker, FixOutcome, GitContext, INVALID_UTF8, Neighbour, Surroundings, Template,
    UNREADABLE, add_workspace_findings, check_files, fix_files,
};
pub use check_cache::{CHECK_CACHE, CheckCache};
pub use config::{
    CONFIG_FILE, Config, Selector, SiteConfig, TemplateSetting, check_rule_names,
    unknown_rule_message,
};
pub use discover::{
    Discovered, PathPattern, Skipped, Source, discover, discover_markdown, discover_sources,
    not_a_spec_with_text,
};
pub use error::WorkspaceError;
pub use history::{CommitInfo, FileHistory, History, StatusChange};
pub use input::{
    DEFAULT_MAX_FILE_SIZE, max_file_size, over_limit, read as read_input,
    read_to_string as read_input_to_string, set_max_file_size,
};
pub use lifecycle::{Lifecycle, Recording, StatusPlan, plan_status, plan_status_of_text};
pub use listing::{
    Catalog, Completeness, Entry, INDEX_END, INDEX_START, catalog_key, completeness, index_table,
    missing_ids, splice_index,
};
pub use relate::{
    FileChange, RelationEdges, Renumbering, Supersession, link, relation_edges, renumber,
    supersede, write_changes,
};
pub use scaffold::{
    DEFAULT_CONFIG, NewSpec, TEMPLATE_PATH, fill, init, new_spec, slugify, write_file,
};
/// One entry of [`SpecMeta::recorded_transitions`], parsed from the spec's status-history field.
pub use specbook_markdown::RecordedTransition;
pub use workspace_rules::{anchor_key, link_target};
pub use write::{
    Change, Mode, NotWritten, commit, crash_point, exchange, hold_writer, interrupted, state_dir,
};
