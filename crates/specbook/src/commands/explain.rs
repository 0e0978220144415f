//! `specbook explain RULE`: a rule's full documentation.

use anyhow::{Result, bail};
use specbook_linter::{RULES, nearest, rule};

use crate::cli::ExplainArgs;
use crate::exit;

pub(crate) fn run(args: &ExplainArgs) -> Result<u8> {
    if args.rule == "invalid-utf8" {
        let doc = super::check::INVALID_UTF8_DOC;
        print!(
            "# invalid-utf8\n\n{}\n\nDefault severity: error. Fixable: no.\n\n{}",
            super::check::INVALID_UTF8_SUMMARY,
            doc
        );
        return Ok(exit::OK);
    }
    let Some(rule) = rule(&args.rule) else {
        let hint = nearest(&args.rule, RULES.iter().map(|r| r.name))
            .map_or_else(String::new, |name| format!("; did you mean `{name}`?"));
        bail!(
            "no rule is called `{}`{hint} (`specbook rules` lists them)",
            args.rule
        );
    };
    print!("{}", rule.page());
    Ok(exit::OK)
}
