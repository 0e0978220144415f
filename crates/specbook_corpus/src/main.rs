//! `specbook-corpus`: writes a generated corpus and prints the planted totals as JSON.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: specbook-corpus --out DIR --count N [--seed S] [--defects PERCENT] [--manifest FILE]

Writes N generated specs (NNNN-slug.md) into DIR and prints the planted defect totals as a
JSON object {\"rule\": count, ...} on stdout.

  --out DIR          folder to write into (created if missing)
  --count N          number of specs
  --seed S           PRNG seed (default 1)
  --defects PERCENT  chance that a spec gets 1-3 planted defects (default 30)
  --manifest FILE    also write {\"NNNN-slug.md\": {\"rule\": count}, ...} for every spec";

struct Args {
    out: PathBuf,
    count: usize,
    seed: u64,
    defects: u32,
    manifest: Option<PathBuf>,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut out = None;
    let mut count = None;
    let mut seed = 1;
    let mut defects = 30;
    let mut manifest = None;
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            return Err(String::new());
        }
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
            None => (flag.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name.as_str() {
            "--out" => out = Some(PathBuf::from(value()?)),
            "--count" => count = Some(number(&name, &value()?)?),
            "--seed" => seed = number(&name, &value()?)?,
            "--defects" => {
                defects = number(&name, &value()?)?;
                if defects > 100 {
                    return Err("--defects is a percentage, 0 to 100".into());
                }
            }
            "--manifest" => manifest = Some(PathBuf::from(value()?)),
            _ => return Err(format!("unexpected argument '{flag}'")),
        }
    }
    Ok(Args {
        out: out.ok_or("--out is required")?,
        count: count.ok_or("--count is required")?,
        seed,
        defects,
        manifest,
    })
}

fn number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{flag} expects a non-negative integer, got '{value}'"))
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) if message.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut manifest = serde_json::Map::new();
    let record = args.manifest.is_some();
    let totals = specbook_corpus::write_corpus_with(
        &args.out,
        args.count,
        args.seed,
        args.defects,
        |spec| {
            if record {
                manifest.insert(
                    spec.file_name.clone(),
                    serde_json::to_value(&spec.planted).unwrap_or_default(),
                );
            }
        },
    );
    let totals = match totals {
        Ok(totals) => totals,
        Err(err) => {
            eprintln!(
                "error: cannot write the corpus to {}: {err}",
                args.out.display()
            );
            return ExitCode::from(2);
        }
    };
    if let Some(path) = &args.manifest {
        let text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
        if let Err(err) = std::fs::write(path, text + "\n") {
            eprintln!("error: cannot write the manifest {}: {err}", path.display());
            return ExitCode::from(2);
        }
    }
    println!("{}", serde_json::to_string(&totals).unwrap_or_default());
    ExitCode::SUCCESS
}
