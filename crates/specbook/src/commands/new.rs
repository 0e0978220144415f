//! `specbook new`: the next numbered spec, filled in from the template.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Context as _, Result, bail};
use specbook_workspace::{NewSpec, new_spec};

use crate::cli::NewArgs;
use crate::exit;

pub(crate) fn run(args: &NewArgs) -> Result<u8> {
    let mut config = super::config()?;
    let (schema, _) = super::load_schema(args.template.as_deref(), &mut config)?;
    let mut author = match args.author.as_deref().map(str::trim) {
        Some("") => None,
        Some(author) => Some(author.to_owned()),
        None => super::git_user_name(),
    };
    let mut team = args
        .team
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    let title = match &args.title {
        Some(title) => title.trim().to_owned(),
        None if std::io::stdin().is_terminal() => {
            let stdin = std::io::stdin();
            let mut input = stdin.lock();
            let mut output = std::io::stderr();
            let answers = ask_details(&mut input, &mut output, author.as_deref(), team.as_deref())?;
            author = answers.author;
            team = answers.team;
            answers.title
        }
        None => bail!(
            "give the spec's title, e.g. `specbook new \"Webhook Delivery\"` (on a terminal, specbook asks for it)"
        ),
    };
    let today = super::today();
    let spec = NewSpec {
        title: &title,
        author: author.as_deref(),
        team: team.as_deref(),
        today: &today,
    };
    let path = new_spec(&config, &schema, &spec).context("cannot create the spec")?;
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    println!("{}", super::shown(path.strip_prefix(&cwd).unwrap_or(&path)));
    if args.edit {
        open_in_editor(&path)?;
    }
    Ok(exit::OK)
}

/// What `new` asks on a terminal.
#[derive(Debug, PartialEq, Eq)]
struct Answers {
    title: String,
    author: Option<String>,
    team: Option<String>,
}

/// Asks for the title (until one is given), the author and the team; an empty answer keeps the
/// default shown in brackets.
fn ask_details(
    input: &mut dyn BufRead,
    output: &mut dyn Write,
    author: Option<&str>,
    team: Option<&str>,
) -> Result<Answers> {
    let title = loop {
        match ask(input, output, "Title", None)? {
            Answer::Given(title) => break title,
            Answer::Empty => {}
            Answer::EndOfInput => bail!("no title given; nothing created"),
        }
    };
    let author = ask(input, output, "Author", author)?.or(author);
    let team = ask(input, output, "Team", team)?.or(team);
    Ok(Answers {
        title,
        author,
        team,
    })
}

/// A reply to one question.
enum Answer {
    Given(String),
    Empty,
    EndOfInput,
}

impl Answer {
    /// The answer, else `default`.
    fn or(self, default: Option<&str>) -> Option<String> {
        match self {
            Answer::Given(answer) => Some(answer),
            Answer::Empty | Answer::EndOfInput => default.map(str::to_owned),
        }
    }
}

/// One question, showing its default in brackets.
fn ask(
    input: &mut dyn BufRead,
    output: &mut dyn Write,
    question: &str,
    default: Option<&str>,
) -> Result<Answer> {
    match default {
        Some(default) => write!(output, "{question} [{default}]: ")?,
        None => write!(output, "{question}: ")?,
    }
    output.flush()?;
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        writeln!(output)?;
        return Ok(Answer::EndOfInput);
    }
    let answer = line.trim();
    Ok(if answer.is_empty() {
        Answer::Empty
    } else {
        Answer::Given(answer.to_owned())
    })
}

/// Opens `path` in `$VISUAL`, else `$EDITOR`, through the shell as git does (so `code -w` works),
/// and waits for it.
fn open_in_editor(path: &std::path::Path) -> Result<()> {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()));
    let Some(editor) = editor else {
        bail!(
            "--edit: set $VISUAL or $EDITOR to your editor (the spec is created: {})",
            path.display()
        );
    };
    let status = if cfg!(windows) {
        let mut parts = editor.split_whitespace();
        let program = parts.next().unwrap_or_default();
        std::process::Command::new(program)
            .args(parts)
            .arg(path)
            .status()
    } else {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{editor} \"$@\""))
            .arg(&editor)
            .arg(path)
            .status()
    }
    .with_context(|| format!("cannot start the editor `{editor}`"))?;
    if !status.success() {
        bail!("the editor `{editor}` exited with {status}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_keep_defaults_and_insist_on_a_title() {
        let mut input = std::io::Cursor::new("\n  Webhook Delivery \n\nPayments\n");
        let mut output = Vec::new();
        let answers = ask_details(&mut input, &mut output, Some("Ada"), None).unwrap();
        assert_eq!(
            answers,
            Answers {
                title: "Webhook Delivery".into(),
                author: Some("Ada".into()),
                team: Some("Payments".into()),
            }
        );
        assert_eq!(
            String::from_utf8(output).unwrap(),
            "Title: Title: Author [Ada]: Team: "
        );
    }

    #[test]
    fn end_of_input_without_a_title_creates_nothing() {
        let mut input = std::io::Cursor::new("");
        let error = ask_details(&mut input, &mut Vec::new(), None, None).unwrap_err();
        assert!(error.to_string().contains("no title given"), "{error}");
    }
}
