//! Spec identity: the number in a file name, and finding a spec by number, slug or path.

use std::path::{Path, PathBuf};

use crate::WorkspaceError;

/// The number a spec's file name starts with: `0007-rate-limiter.md` -> 7.
#[must_use]
pub fn spec_number(path: &Path) -> Option<u32> {
    let name = path.file_name()?.to_str()?;
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || !name[digits..].starts_with('-') {
        return None;
    }
    name[..digits].parse().ok()
}

/// A spec number as it is shown: `0007`.
#[must_use]
pub fn format_id(number: u32) -> String {
    format!("{number:04}")
}

/// The slug of a spec's file name: `0007-rate-limiter.md` -> `rate-limiter`.
#[must_use]
pub fn spec_slug(path: &Path) -> Option<&str> {
    let stem = path.file_stem()?.to_str()?;
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    Some(
        stem[digits..]
            .strip_prefix('-')
            .filter(|_| digits > 0)
            .unwrap_or(stem),
    )
}

/// The spec among `files` that `id` names: a number (`7`, `0007`), a slug (`rate-limiter`), a
/// file name or a path.
pub fn resolve<'f>(files: &'f [PathBuf], id: &str) -> Result<&'f PathBuf, WorkspaceError> {
    let id = id.trim();
    let matches: Vec<&PathBuf> = if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
        let number: Option<u32> = id.parse().ok();
        files
            .iter()
            .filter(|f| number.is_some() && spec_number(f) == number)
            .collect()
    } else if id.contains(['/', '\\'])
        || Path::new(id)
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("md"))
    {
        let wanted = Path::new(id).canonicalize().ok();
        files
            .iter()
            .filter(|f| {
                f.file_name().and_then(|n| n.to_str()) == Some(id)
                    || (wanted.is_some() && f.canonicalize().ok() == wanted)
            })
            .collect()
    } else {
        files.iter().filter(|f| spec_slug(f) == Some(id)).collect()
    };
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(WorkspaceError::Other(format!(
            "no spec `{id}`: give a number (7 or 0007), a slug or a path (`specbook list` shows the specs)"
        ))),
        many => Err(WorkspaceError::Other(format!(
            "`{id}` names {} specs: {}; give the path, or renumber one (`specbook renumber PATH`)",
            many.len(),
            many.iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<PathBuf> {
        [
            "specs/0007-rate-limiter.md",
            "specs/0012-search.md",
            "specs/notes.md",
        ]
        .iter()
        .map(PathBuf::from)
        .collect()
    }

    #[test]
    fn ids_by_number_slug_and_name() {
        let files = files();
        for id in ["7", "0007", "rate-limiter", "0007-rate-limiter.md"] {
            assert_eq!(resolve(&files, id).unwrap(), &files[0], "{id}");
        }
        assert_eq!(resolve(&files, "notes").unwrap(), &files[2]);
        let error = resolve(&files, "8").unwrap_err().to_string();
        assert!(error.contains("no spec `8`"), "{error}");
    }

    #[test]
    fn a_shared_number_is_ambiguous() {
        let mut files = files();
        files.push(PathBuf::from("specs/0007-other.md"));
        let error = resolve(&files, "7").unwrap_err().to_string();
        assert!(error.contains("names 2 specs"), "{error}");
        assert_eq!(resolve(&files, "other").unwrap(), &files[3]);
    }

    #[test]
    fn numbers_and_slugs() {
        assert_eq!(spec_number(Path::new("0007-x.md")), Some(7));
        assert_eq!(spec_number(Path::new("0007.md")), None);
        assert_eq!(spec_slug(Path::new("a/0007-x-y.md")), Some("x-y"));
        assert_eq!(format_id(7), "0007");
    }
}
