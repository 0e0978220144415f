//! `specbook explain RULE`: a rule's full documentation.

use anyhow::{Result, bail};
use specbook_linter::{RULES, nearest, rule};

use crate::cli::ExplainArgs;
use crate::exit;

pub(crate) fn run(args: &ExplainArgs) -> Result<u8> {
    if let Some((name, summary, doc)) = super::check::READER_RULES
        .iter()
        .find(|(name, _, _)| *name == args.rule)
    {
        print!("# {name}\n\n{summary}\n\nDefault severity: error. Fixable: no.\n\n{doc}");
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
