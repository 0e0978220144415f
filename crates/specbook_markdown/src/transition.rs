//! A status transition recorded in a spec's status-history field, one list entry each:
//! `2026-12-02: Draft -> Review by Ana Lima (forced: security sign-off waived)`.

use std::fmt;

/// The field `specbook status` records transitions in when the template declares none.
pub const DEFAULT_HISTORY_FIELD: &str = "Status History";

/// What an entry says for a spec that had no status before.
const NO_STATUS: &str = "(no status)";

/// One entry of a status-history field. Every entry is kept with its text; an entry written by
/// hand in another form has only `text` (the other parts are `None`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RecordedTransition {
    /// The day of the change, as written (`YYYY-MM-DD` when `specbook status` wrote it).
    pub date: Option<String>,
    /// The status before; `None` for a spec that had none (or an entry of another form).
    pub from: Option<String>,
    /// The status after.
    pub to: Option<String>,
    /// Who made the change (`--by`, else git's `user.name`).
    pub by: Option<String>,
    /// Whether the change overrode the lifecycle: a transition it does not allow, or a gate
    /// that failed (`--force`).
    pub forced: bool,
    /// Why (`--reason`).
    pub reason: Option<String>,
    /// The entry as written.
    pub text: String,
}

impl RecordedTransition {
    /// A transition to write: `from` (`None`: the spec had no status) to `to` on `date`.
    #[must_use]
    pub fn new(date: &str, from: Option<&str>, to: &str) -> Self {
        let mut record = Self {
            date: Some(date.to_owned()),
            from: from.map(str::to_owned),
            to: Some(to.to_owned()),
            ..Self::default()
        };
        record.text = record.to_string();
        record
    }

    /// The same transition made by `by`, with `reason`, `forced` or not.
    #[must_use]
    pub fn with(mut self, by: Option<&str>, forced: bool, reason: Option<&str>) -> Self {
        self.by = by.map(str::to_owned);
        self.forced = forced;
        self.reason = reason.map(str::to_owned);
        self.text = self.to_string();
        self
    }

    /// Reads one entry: `DATE: FROM -> TO`, then optionally ` by NAME`, then optionally
    /// ` (forced: REASON)`, ` (forced)` or ` (reason: REASON)`. Any other text is kept as the
    /// entry's text alone.
    #[must_use]
    pub fn parse(entry: &str) -> Self {
        let text = entry.trim();
        let unread = Self {
            text: text.to_owned(),
            ..Self::default()
        };
        let Some((date, change)) = text.split_once(": ") else {
            return unread;
        };
        let date = date.trim();
        let is_date = !date.is_empty() && date.bytes().all(|b| b.is_ascii_digit() || b == b'-');
        let Some((from, rest)) = change.split_once(" -> ").filter(|_| is_date) else {
            return unread;
        };
        let (rest, forced, reason) = match rest.find(" (forced").or_else(|| rest.find(" (reason: "))
        {
            Some(at) if rest.ends_with(')') => {
                let note = &rest[at + 2..rest.len() - 1];
                let (forced, reason) = match note.strip_prefix("forced") {
                    Some(after) => (true, after.strip_prefix(':')),
                    None => (false, note.strip_prefix("reason:")),
                };
                let reason = reason.map(str::trim).filter(|r| !r.is_empty());
                (&rest[..at], forced, reason.map(str::to_owned))
            }
            _ => (rest, false, None),
        };
        let (to, by) = match rest.split_once(" by ") {
            Some((to, by)) => (to, Some(by.trim().to_owned()).filter(|b| !b.is_empty())),
            None => (rest, None),
        };
        let from = from.trim();
        let to = to.trim();
        if to.is_empty() {
            return unread;
        }
        Self {
            date: Some(date.to_owned()),
            from: (!from.is_empty() && from != NO_STATUS).then(|| from.to_owned()),
            to: Some(to.to_owned()),
            by,
            forced,
            reason,
            text: text.to_owned(),
        }
    }
}

impl fmt::Display for RecordedTransition {
    /// The entry as `specbook status` writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (Some(date), Some(to)) = (&self.date, &self.to) else {
            return f.write_str(&self.text);
        };
        let from = self.from.as_deref().unwrap_or(NO_STATUS);
        write!(f, "{date}: {from} -> {to}")?;
        if let Some(by) = &self.by {
            write!(f, " by {by}")?;
        }
        match (self.forced, &self.reason) {
            (true, Some(reason)) => write!(f, " (forced: {reason})"),
            (true, None) => f.write_str(" (forced)"),
            (false, Some(reason)) => write!(f, " (reason: {reason})"),
            (false, None) => Ok(()),
        }
    }
}

/// Whether a field named with `key` (see [`crate::field_key`]) holds a status history, for a
/// lifecycle field whose key is `lifecycle` (`status`, `stage`): `Status History`, `History`,
/// `Stage History`, `Status Log`, `Status Changes`.
#[must_use]
pub fn is_history_key(key: &str, lifecycle: &str) -> bool {
    let Some(stem) = ["history", "log", "changes", "transitions"]
        .iter()
        .find_map(|word| key.strip_suffix(word))
    else {
        return false;
    };
    let stem = stem.trim_end();
    key == "history" || stem == "status" || stem == "lifecycle" || stem == lifecycle
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_read_back_as_written() {
        for (record, text) in [
            (
                RecordedTransition::new("2026-12-02", Some("Draft"), "Review"),
                "2026-12-02: Draft -> Review",
            ),
            (
                RecordedTransition::new("2026-12-02", Some("Draft"), "Review").with(
                    Some("Ana Lima"),
                    true,
                    Some("security sign-off waived"),
                ),
                "2026-12-02: Draft -> Review by Ana Lima (forced: security sign-off waived)",
            ),
            (
                RecordedTransition::new("2026-12-02", None, "Draft").with(
                    Some("Ana (QA)"),
                    false,
                    Some("re-filed: see #12 (old)"),
                ),
                "2026-12-02: (no status) -> Draft by Ana (QA) (reason: re-filed: see #12 (old))",
            ),
            (
                RecordedTransition::new("2026-12-02", Some("Review"), "Approved")
                    .with(None, true, None),
                "2026-12-02: Review -> Approved (forced)",
            ),
        ] {
            assert_eq!(record.text, text);
            assert_eq!(RecordedTransition::parse(text), record, "{text}");
        }
    }

    #[test]
    fn other_entries_keep_their_text_only() {
        for text in [
            "approved in the design review",
            "2026-12-02 Draft -> Review",
            "Tuesday: Draft -> Review",
            "2026-12-02: Draft -> ",
        ] {
            let record = RecordedTransition::parse(text);
            assert_eq!(record.to, None, "{text}");
            assert_eq!(record.text, text.trim());
            assert_eq!(record.to_string(), text.trim());
        }
    }

    #[test]
    fn history_keys() {
        for key in [
            "status history",
            "history",
            "stage history",
            "status log",
            "lifecycle history",
        ] {
            assert!(is_history_key(key, "stage"), "{key}");
        }
        for key in ["status", "changelog", "approvals", "review history"] {
            assert!(!is_history_key(key, "stage"), "{key}");
        }
    }
}
