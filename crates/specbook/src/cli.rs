//! The command line, defined once for help, completions and the man page.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "specbook",
    version,
    about = "Technical specifications as Markdown in git: scaffold, check, track and publish",
    after_help = "Start with `specbook init`, then `specbook new \"My Feature\"` and `specbook check`."
)]
pub(crate) struct Cli {
    /// The configuration file to use [default: the nearest specbook.toml in the current
    /// folder or above]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Check every spec again instead of taking what an earlier run found for the specs whose
    /// text did not change (kept in .git/specbook/check-v1.bin, or .specbook/ outside git)
    #[arg(long, global = true)]
    pub no_cache: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check specs against their template (exit 0: no error, 1: errors found, 2: could not check)
    Check(CheckArgs),
    /// Create specbook.toml, templates/tech-spec.md and specs/ in a folder
    Init(InitArgs),
    /// Create the next numbered spec from the template and print its path
    New(NewArgs),
    /// Move a spec to another status (Draft -> Review -> Approved) when its gate passes
    Status(StatusArgs),
    /// The catalog: every spec with its status, team, authors and errors, sorted by number
    List(ListArgs),
    /// One spec: metadata, git dates, status history, relations, completeness, findings
    Show(ShowArgs),
    /// Write the catalog as a Markdown table between markers in a file (for the repository)
    Index(IndexArgs),
    /// The relation graph (supersedes, related) as Mermaid or Graphviz
    Graph(GraphArgs),
    /// Build the static site: catalog, status board, health page and a page per spec
    Build(BuildArgs),
    /// Serve the site live, rebuilt when a spec changes, pages reloading themselves
    Serve(ServeArgs),
    /// Search the specs' titles and text, ranked as the site's search ranks
    ///
    /// The index is kept between runs in `.git/specbook/search-v1.bin` (in `.specbook/` outside
    /// git); a search reads the specs whose bytes changed since, and no other. A search of
    /// some paths (`--path`) ranks among those and leaves the kept index as it is.
    Search(SearchArgs),
    /// Mark OLD as superseded by NEW: OLD's status and `Superseded By`, NEW's `Supersedes`
    Supersede(SupersedeArgs),
    /// Relate two specs: each gets the other in `Related`
    Link(LinkArgs),
    /// Give a spec the next free number and rewrite the links to it
    Renumber(RenumberArgs),
    /// List every rule with its default severity and summary
    Rules(RulesArgs),
    /// Print a rule's documentation: what it reports, why, an example, what to write instead
    Explain(ExplainArgs),
    /// Speak the Language Server Protocol on stdin and stdout: live diagnostics in editors
    Lsp(LspArgs),
    /// Print a shell completion script (e.g. `specbook completions bash > /etc/bash_completion.d/specbook`)
    Completions(CompletionsArgs),
    /// Print a man page (roff), e.g. `specbook man > specbook.1`, `specbook man check > specbook-check.1`
    Man(ManArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Editors start it themselves; docs/editors.md has the set-up for Neovim, Helix, VS Code and Zed. \
It checks each open spec of a project (a folder with specbook.toml) as `specbook check` does, \
on the text in the editor."
)]
pub(crate) struct LspArgs {
    /// What to log, on standard error only (standard output carries the protocol)
    #[arg(long, value_enum, default_value_t = LogLevel::Warn)]
    pub log_level: LogLevel,
}

/// How much `specbook lsp` logs, least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub(crate) enum LogLevel {
    Off,
    Error,
    Warn,
    Info,
    Debug,
}

#[derive(Debug, Args)]
pub(crate) struct ManArgs {
    /// The command whose page to print [default: the main page]
    pub command: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ListFormat {
    /// Text for reading
    // `table` was this format's name before every command said `human`; scripts keep working.
    #[value(alias = "table")]
    Human,
    /// A JSON array
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// The rule's name, e.g. missing-section
    pub rule: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// rustc-style text with the source line underlined
    Human,
    /// One JSON object: {"diagnostics": [...], "summary": {...}}
    Json,
    /// A SARIF 2.1.0 log, for code scanning (GitHub, IDEs)
    Sarif,
    /// GitHub Actions annotations, one workflow command per finding
    Github,
    /// One line per finding, `path:line:col: severity[rule] message` (editors' quickfix lists)
    Concise,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Color {
    /// Colour when standard output is a terminal and `NO_COLOR` is not set
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "command-line flags: each is its own switch"
)]
pub(crate) struct CheckArgs {
    /// Files and folders to check; folders are searched for *.md, respecting .gitignore
    /// [default: the configured spec folder, else the current folder]
    pub paths: Vec<PathBuf>,
    /// Template to check against [default: `template` in specbook.toml, else the built-in one]
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// When to use colour in human output
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Check only these rules (comma-separated or repeated)
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not check these rules (comma-separated or repeated)
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Check only files changed since the merge base with BASE (default: the default
    /// branch), the working tree included: for pull requests
    #[arg(long, value_name = "BASE", num_args = 0..=1, default_missing_value = "")]
    pub changed: Option<String>,
    /// Apply the safe fixes to the files, then report what remains
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,
    /// Print what --fix would change as a unified diff, and change nothing (exit 1 if any)
    #[arg(long, conflicts_with = "format")]
    pub diff: bool,
    /// Report warnings as errors (exit 1 when there is one)
    #[arg(long, visible_alias = "deny-warnings")]
    pub warnings_as_errors: bool,
    /// Report only the findings that are not in this baseline file [default: `baseline` in
    /// specbook.toml]
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record today's findings in FILE as the baseline (replacing an earlier baseline there),
    /// print none of them, and exit 0
    #[arg(long, value_name = "FILE", conflicts_with_all = ["baseline", "diff"])]
    pub write_baseline: Option<PathBuf>,
    /// Print the number of findings of each rule (and how many --fix fixes) instead of the
    /// findings
    #[arg(long, conflicts_with_all = ["diff", "format"])]
    pub statistics: bool,
    /// Print the findings only: no summary line and no notes
    #[arg(short, long)]
    pub quiet: bool,
    /// Exit 0 even when errors are found (exit 2 still means specbook could not check)
    #[arg(long)]
    pub exit_zero: bool,
    /// Check every Markdown file given, even a folder's README and the index file, which
    /// are skipped with a note
    #[arg(long)]
    pub no_skip: bool,
    /// Read the spec from standard input and report it as PATH, checked with the template and
    /// configuration PATH would have (for editors checking an unsaved buffer)
    #[arg(
        long,
        value_name = "PATH",
        conflicts_with_all = ["paths", "fix", "diff", "write_baseline", "changed"]
    )]
    pub stdin_filename: Option<PathBuf>,
    /// Check again whenever a checked spec, specbook.toml or a template changes, on a
    /// cleared screen, until Ctrl-C (exit 0). Shows human or concise output; fixes nothing
    #[arg(
        long,
        conflicts_with_all = ["fix", "diff", "write_baseline", "stdin_filename"]
    )]
    pub watch: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "With --adopt, specbook reads the specs already in DIR and writes a commented \
specbook.toml for them: where they are, how they are numbered, the lifecycle field and the \
statuses in use, dates, sections most specs omit, sidecar metadata and further templates. It \
prints what it found and the findings per rule. It never overwrites a specbook.toml."
)]
pub(crate) struct InitArgs {
    /// Folder to set up
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Write the configuration for the specs already in DIR, inferred from them and their
    /// template
    #[arg(long)]
    pub adopt: bool,
    /// The corpus's template [default: a Markdown file named like a template in DIR, else
    /// the built-in one]
    #[arg(long, value_name = "FILE", requires = "adopt")]
    pub template: Option<PathBuf>,
    /// Also record today's findings in DIR/specbook-baseline.json, so that `check` reports
    /// only new ones
    #[arg(long, requires = "adopt")]
    pub baseline: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Without a title, on a terminal, specbook asks for the title, author and team."
)]
pub(crate) struct NewArgs {
    /// The spec's title, e.g. "Webhook Delivery" [default: asked on a terminal]
    pub title: Option<String>,
    /// Author [default: git config user.name]
    #[arg(long)]
    pub author: Option<String>,
    /// Owning team
    #[arg(long)]
    pub team: Option<String>,
    /// Template to scaffold from [default: `template` in specbook.toml, else the built-in one]
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// Open the new spec in $VISUAL or $EDITOR
    #[arg(long)]
    pub edit: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "The default transitions are Draft -> Review -> Approved, and any status to \
Superseded or Withdrawn; `[lifecycle] transitions` in specbook.toml changes them. Entering a \
strict status (Review, Approved) requires that `specbook check` reports no error for the spec \
in that status.

Every transition is recorded in the spec itself, as the last entry of its status-history \
field: `2026-12-02: Draft -> Review by Ana Lima (forced: security sign-off waived)`. The field \
is the template's own (`Status History`, `History`, ...), else `[lifecycle] history_field`, \
else `Status History`, written as the spec writes its fields: a bullet with one nested item \
per transition, or a YAML list. `specbook show` lists the entries."
)]
pub(crate) struct StatusArgs {
    /// The spec: its number (7 or 0007), slug or path
    pub id: String,
    /// The new status, e.g. Review
    pub status: String,
    /// Who made the change, recorded with it [default: git config user.name]
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Change the status even though the transition is not allowed or the gate fails
    #[arg(long, requires = "reason")]
    pub force: bool,
    /// Why the gate is overridden, recorded with the change (required with --force)
    #[arg(long, requires = "force", value_name = "TEXT")]
    pub reason: Option<String>,
    /// Template to check against [default: `template` in specbook.toml, else the built-in one]
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct SupersedeArgs {
    /// The spec being replaced: number, slug or path
    pub old: String,
    /// The spec replacing it
    pub new: String,
    /// Template in use [default: `template` in specbook.toml, else the built-in one]
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct LinkArgs {
    /// One spec: number, slug or path
    pub a: String,
    /// The other spec
    pub b: String,
    /// Template in use [default: `template` in specbook.toml, else the built-in one]
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(after_help = "When two specs share a number, name the one to move by its path.")]
pub(crate) struct RenumberArgs {
    /// The spec to move: number, slug or path
    pub id: String,
    /// Print what would change and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Template in use [default: `template` in specbook.toml, else the built-in one]
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum CatalogFormat {
    /// Aligned columns for reading
    // `table` was this format's name before every command said `human`; scripts keep working.
    #[value(alias = "table")]
    Human,
    /// JSON
    Json,
    /// Comma-separated values with a header row
    Csv,
}

#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Spec files and folders [default: the configured `specs`, else the current folder]
    pub paths: Vec<PathBuf>,
    /// Only specs in this status (any case)
    #[arg(long)]
    pub status: Option<String>,
    /// Only specs of this team (any case)
    #[arg(long)]
    pub team: Option<String>,
    /// Only specs with an author whose name contains this (any case)
    #[arg(long)]
    pub author: Option<String>,
    /// Only specs that `stale` reports (in Review and unchanged for too long; needs git)
    #[arg(long)]
    pub stale: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = CatalogFormat::Human)]
    pub format: CatalogFormat,
    /// Template in use [default: `template` in specbook.toml, else the built-in one]
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct ShowArgs {
    /// The spec: number (7 or 0007), slug or path
    pub id: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    /// Template in use [default: `template` in specbook.toml, else the built-in one]
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "The table goes between `<!-- specbook-index:start -->` and \
`<!-- specbook-index:end -->`; the rest of the file is left as it is. A file without the \
markers gets them at its end; a missing file is created."
)]
pub(crate) struct IndexArgs {
    /// Spec files and folders [default: the configured `specs`, else the current folder]
    pub paths: Vec<PathBuf>,
    /// The file to write [default: README.md in the spec folder]
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Change nothing; exit 1 when the file is out of date (for CI)
    #[arg(long)]
    pub check: bool,
    /// Template in use [default: `template` in specbook.toml, else the built-in one]
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum GraphFormat {
    /// A Mermaid flowchart (GitHub renders it in a `mermaid` code block)
    Mermaid,
    /// Graphviz DOT (`specbook graph --format dot | dot -Tsvg > specs.svg`)
    Dot,
}

#[derive(Debug, Args)]
pub(crate) struct GraphArgs {
    /// Spec files and folders [default: the configured `specs`, else the current folder]
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
    pub format: GraphFormat,
    /// Template in use [default: `template` in specbook.toml, else the built-in one]
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "The site needs no other host: styles, scripts and the search index are \
files of the site. Open site/index.html, or serve the folder with any static file server.\n\n\
A build over an earlier site renders again only the spec pages whose spec or what they show \
changed (its manifest, .specbook-manifest, records what each page showed); the result is the \
same as a build into an empty folder."
)]
pub(crate) struct BuildArgs {
    /// The folder to write; an earlier specbook site there is updated, any other non-empty
    /// folder is left alone
    #[arg(long, value_name = "DIR", default_value = "site")]
    pub out: PathBuf,
    #[command(flatten)]
    pub site: SiteArgs,
}

/// How the site looks, for `build` and `serve`.
#[derive(Clone, Debug, Args)]
pub(crate) struct SiteArgs {
    /// Spec files and folders [default: the configured `specs`, else the current folder]
    pub paths: Vec<PathBuf>,
    /// The name in every page's header [default: `[site] title` in specbook.toml, else Specs]
    #[arg(long)]
    pub title: Option<String>,
    /// A folder of templates (base.html, home.html, board.html, health.html, spec.html) and
    /// assets (assets/style.css, assets/site.js, assets/search.js) that replace the built-in
    /// ones [default: `[site] theme` in specbook.toml]
    #[arg(long, value_name = "DIR")]
    pub theme: Option<PathBuf>,
    /// Template in use [default: `template` in specbook.toml, else the built-in one]
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Serves only GET and HEAD, only the site's own files, only to requests whose Host \
is the address it listens on (or localhost). Binds 127.0.0.1; another --host makes the specs \
readable by anyone who can reach this machine."
)]
pub(crate) struct ServeArgs {
    /// The port to listen on (0: any free port)
    #[arg(long, default_value_t = 4000)]
    pub port: u16,
    /// The address to listen on
    #[arg(long, default_value = "127.0.0.1")]
    pub host: std::net::IpAddr,
    /// Open the site in the default browser
    #[arg(long)]
    pub open: bool,
    #[command(flatten)]
    pub site: SiteArgs,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit 1 when nothing matches. Words match whole words or their start (`web` finds `webhook`); a word in \
a title counts most. The site's search box ranks the same way."
)]
pub(crate) struct SearchArgs {
    /// The words to look for
    #[arg(required = true)]
    pub query: Vec<String>,
    /// Search only these spec files and folders (repeatable) [default: the configured `specs`]
    #[arg(long = "path", value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Only specs in this status (any case)
    #[arg(long)]
    pub status: Option<String>,
    /// At most this many results
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    /// Template in use [default: `template` in specbook.toml, else the built-in one]
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
}
