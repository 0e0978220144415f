//! `specbook serve`: the site from memory, rebuilt when specs, the template or the config
//! change.

use std::io::Write as _;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use specbook_server::{Builder, ServeOptions};
use specbook_site::PageCache;

use crate::cli::ServeArgs;
use crate::exit;

pub(crate) fn run(args: &ServeArgs) -> Result<u8> {
    let project = super::project(args.site.template.as_deref(), &args.site.paths)?;
    if !args.host.is_loopback() {
        eprintln!(
            "warning: listening on {}: anyone who can reach this machine can read the specs",
            args.host
        );
    }
    let mut watch = if args.site.paths.is_empty() {
        project.config.spec_folders()
    } else {
        args.site.paths.clone()
    };
    watch.extend(project.config.path.clone());
    watch.extend(project.templates.clone());
    watch.extend(
        args.site
            .theme
            .clone()
            .or_else(|| project.config.site.theme.clone()),
    );
    let site = args.site.clone();
    // Kept between rebuilds: only the pages whose spec (or what it shows) changed are rendered.
    let cache = PageCache::default();
    let build: Builder = Arc::new(move || {
        super::build::site(&site, &cache)
            .map(|(site, _)| site)
            .map_err(|error| format!("{error:#}"))
    });
    let options = ServeOptions {
        address: (args.host, args.port).into(),
        watch,
        debounce: Duration::from_millis(150),
        // Tests shorten the wait for a client's headers.
        header_timeout: std::env::var("SPECBOOK_HEADER_TIMEOUT_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map_or(specbook_server::HEADER_TIMEOUT, Duration::from_millis),
    };
    let open = args.open;
    specbook_server::serve(&options, &build, |address| {
        let url = format!("http://{address}/");
        println!("serving the specs at {url} (Ctrl-C to stop)");
        let _ = std::io::stdout().flush();
        if open {
            open_browser(&url);
        }
    })?;
    Ok(exit::OK)
}

/// Opens `url` with the system's opener; a failure only costs the convenience.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(error) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("warning: cannot open a browser ({opener}: {error}); open {url} yourself");
    }
}
