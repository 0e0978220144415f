//! `specbook status`: moves a spec along its lifecycle when the gate passes.

use std::io::Write;

use anyhow::Result;
use specbook_diagnostics::{HumanOptions, render_human};
use specbook_workspace::{Lifecycle, Recording, plan_status, resolve};

use crate::cli::StatusArgs;
use crate::exit;

pub(crate) fn run(args: &StatusArgs) -> Result<u8> {
    let project = super::project(args.template.as_deref(), &[])?;
    super::hold_writer(&project.config)?;
    let path = resolve(&project.files, &project.config.ids, &args.id)?;
    let lifecycle = Lifecycle::new(&project.checker.schema, &project.config);
    let today = super::today();
    // Recorded as printed: the name given, else git's (when it is one line of text).
    let by = args
        .by
        .clone()
        .or_else(|| super::git_user_name().filter(|name| !name.chars().any(char::is_control)));
    let recording = Recording {
        by: by.as_deref(),
        reason: args.reason.as_deref(),
    };
    let plan = plan_status(
        &project.checker,
        &lifecycle,
        path,
        &args.status,
        &today,
        recording,
    )?;
    let shown = super::shown(path);
    let from = plan.from.as_deref().unwrap_or("(no status)");
    if plan.unchanged() {
        println!("{shown} is already {}; nothing to do", plan.to);
        return Ok(exit::OK);
    }
    let mut overridden = Vec::new();
    if !plan.allowed {
        let next = lifecycle.next(plan.from.as_deref());
        let next = if next.is_empty() {
            format!("{from} is a final status: no transition leads out of it")
        } else {
            format!("from {from} a spec may go to {}", next.join(", "))
        };
        let message = format!("{from} -> {} is not an allowed transition; {next}", plan.to);
        if !args.force {
            eprintln!(
                "error: {shown}: {message}\n  to move it anyway, add --force --reason TEXT; to allow it for every spec, add \"{from} -> {}\" to `[lifecycle] transitions` in specbook.toml",
                plan.to
            );
            return Ok(exit::FINDINGS);
        }
        overridden.push(message);
    }
    let blocking = plan.blocking.diagnostics.len();
    if blocking > 0 {
        let plural = if blocking == 1 { "" } else { "s" };
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        render_human(
            std::slice::from_ref(&plan.blocking),
            HumanOptions { color: false },
            &mut out,
        )?;
        out.flush()?;
        let message = format!("{blocking} error{plural} block {} in {}", plan.to, shown);
        if !args.force {
            eprintln!(
                "error: {shown} cannot move to {}: {blocking} error{plural} above would fail `specbook check` in {} (fix them, or --force --reason TEXT)",
                plan.to, plan.to
            );
            return Ok(exit::FINDINGS);
        }
        overridden.push(message);
    }
    plan.write()?;
    let by = by.map_or_else(String::new, |by| format!(" by {by}"));
    println!("{shown}: {from} -> {}{by} on {today}", plan.to);
    if let Some(reason) = &args.reason {
        for message in &overridden {
            eprintln!("warning: forced: {message}");
        }
        eprintln!("warning: forced with reason: {reason}");
    }
    Ok(exit::OK)
}
