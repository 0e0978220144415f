//! Spec ids: a number with an optional letter series (`0007`, `A14`, `SE-0300`), read from a
//! path component or from a relation entry.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

/// The longest letter series an id may have (`KEP`, `RFC`, `SE`, `A`).
const MAX_SERIES: usize = 8;

/// A spec's identity: the letters of its series (none for plain numbers) and its number.
/// Two ids are the same when their series agree ignoring case and their numbers agree:
/// `0007` is `7`, `A14` is `a14`, and `A14` differs from `G14` and from `14`. How the id was
/// written (digits, a `-` after the series) is kept for display only.
#[derive(Clone, Copy, Debug)]
pub struct SpecId {
    /// Upper-case ASCII letters, `series_len` of them.
    series: [u8; MAX_SERIES],
    series_len: u8,
    /// Whether a `-` separates the series from the number when shown (`SE-0300`).
    dash: bool,
    /// Digits shown, zero-padded (`0007`: 4).
    width: u8,
    pub number: u32,
}

impl SpecId {
    /// A plain number, shown with four digits (`0007`).
    #[must_use]
    pub fn number(number: u32) -> Self {
        Self {
            series: [0; MAX_SERIES],
            series_len: 0,
            dash: false,
            width: 4,
            number,
        }
    }

    /// `letters` + `digits` as written, when they make an id.
    fn from_parts(letters: &str, dash: bool, digits: &str) -> Option<Self> {
        if letters.len() > MAX_SERIES
            || !letters.bytes().all(|b| b.is_ascii_alphabetic())
            || digits.is_empty()
            || digits.len() > 9
            || !digits.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let mut series = [0; MAX_SERIES];
        for (slot, b) in series.iter_mut().zip(letters.bytes()) {
            *slot = b.to_ascii_uppercase();
        }
        Some(Self {
            series,
            series_len: letters.len() as u8,
            dash: dash && !letters.is_empty(),
            width: digits.len() as u8,
            number: digits.parse().ok()?,
        })
    }

    /// The id a file or folder name carries: its first word when that is a number or letters
    /// directly followed by a number (`0007-x`, `A14-channelz`, `0042`), else its first word
    /// that is a number (`eip-1559`, `ics-002-client-semantics`). Words are separated by `-`,
    /// `_`, `.` and spaces; a name of a file should be given without its extension.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        let mut words = name.split(['-', '_', '.', ' ']).filter(|w| !w.is_empty());
        let first = words.next()?;
        let letters = first.bytes().take_while(u8::is_ascii_alphabetic).count();
        if let Some(id) = Self::from_parts(&first[..letters], false, &first[letters..]) {
            return Some(id);
        }
        words
            .find(|w| w.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|w| Self::from_parts("", false, w))
    }

    /// The id a relation entry or a command-line argument names: `7`, `0007`, `#7`,
    /// `0007-slug`, `A14`, `SE-0300`, `[SE-0300](0300-x.md)`, `**0007**`.
    #[must_use]
    pub fn parse(entry: &str) -> Option<Self> {
        let entry = entry
            .trim()
            .trim_matches(|c| c == '*' || c == '`' || c == '_');
        // `[0007](0007-x.md)` or `[0007]`: the link text.
        let entry = match entry.strip_prefix('[') {
            Some(rest) => &rest[..rest.find(']')?],
            None => entry,
        };
        let entry = entry.trim().trim_start_matches('#');
        let letters = entry.bytes().take_while(u8::is_ascii_alphabetic).count();
        let (series, rest) = entry.split_at(letters);
        let (dash, rest) = match rest.strip_prefix(['-', ' ']) {
            Some(after) if letters > 0 => (true, after),
            _ => (false, rest),
        };
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let after = &rest[digits..];
        if !(after.is_empty() || after.starts_with(['-', ' ', '.', ':', '_'])) {
            return None;
        }
        Self::from_parts(series, dash, &rest[..digits])
    }

    /// The letters of the series, upper case (empty for a plain number).
    #[must_use]
    pub fn series(&self) -> &str {
        std::str::from_utf8(&self.series[..usize::from(self.series_len)])
            .expect("the series holds ASCII letters only")
    }

    /// The same id in the series of `prefix` (`SE-`), when it has no series of its own: how
    /// a corpus's display prefix applies to ids read from file names.
    #[must_use]
    pub fn in_series(self, prefix: &str) -> Self {
        let letters = prefix.bytes().take_while(u8::is_ascii_alphabetic).count();
        let rest = &prefix[letters..];
        if !(rest.is_empty() || rest == "-") {
            return self;
        }
        match Self::from_parts(&prefix[..letters], !rest.is_empty(), "0") {
            Some(series) => self.in_series_of(series),
            None => self,
        }
    }

    /// The same id in `other`'s series (written as `other` writes it), when it has none.
    #[must_use]
    pub fn in_series_of(self, other: Self) -> Self {
        if self.series_len > 0 {
            return self;
        }
        Self {
            series: other.series,
            series_len: other.series_len,
            dash: other.dash,
            ..self
        }
    }
}

impl PartialEq for SpecId {
    fn eq(&self, other: &Self) -> bool {
        self.number == other.number && self.series() == other.series()
    }
}

impl Eq for SpecId {}

impl Hash for SpecId {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.series().hash(state);
        self.number.hash(state);
    }
}

impl PartialOrd for SpecId {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SpecId {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.series(), self.number).cmp(&(other.series(), other.number))
    }
}

impl fmt::Display for SpecId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dash = if self.dash { "-" } else { "" };
        write!(
            f,
            "{}{dash}{:0width$}",
            self.series(),
            self.number,
            width = usize::from(self.width)
        )
    }
}

impl serde::Serialize for SpecId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl SpecId {
    /// The id shown as `shown` by its `Display`: the series, `-` when shown with one, and
    /// the digits as shown (so the width round-trips).
    fn from_shown(shown: &str) -> Option<Self> {
        let letters = shown.bytes().take_while(u8::is_ascii_alphabetic).count();
        let (series, rest) = shown.split_at(letters);
        let (dash, digits) = match rest.strip_prefix('-') {
            Some(digits) => (true, digits),
            None => (false, rest),
        };
        if dash && letters == 0 {
            return None;
        }
        Self::from_parts(series, dash, digits)
    }
}

/// The inverse of the `Serialize` form, for what specbook stores between runs.
impl<'de> serde::Deserialize<'de> for SpecId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let shown = String::deserialize(deserializer)?;
        Self::from_shown(&shown)
            .ok_or_else(|| serde::de::Error::custom(format!("`{shown}` is not a spec id")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_read_back_from_its_serialised_form_is_the_same_and_shown_the_same() {
        for written in ["0007", "7", "A14", "SE-0300", "eip-1559", "123456789"] {
            let id = SpecId::parse(written).unwrap();
            let json = serde_json::to_string(&id).unwrap();
            let back: SpecId = serde_json::from_str(&json).unwrap();
            assert_eq!((back, back.to_string()), (id, id.to_string()), "{written}");
        }
        let plain = SpecId::number(12);
        let back: SpecId = serde_json::from_str(&serde_json::to_string(&plain).unwrap()).unwrap();
        assert_eq!((back, back.to_string()), (plain, "0012".to_owned()));
        for not_an_id in ["", "-7", "SE-", "7x", "A-B1", "12345678901"] {
            assert!(
                serde_json::from_str::<SpecId>(&format!("{not_an_id:?}")).is_err(),
                "{not_an_id}"
            );
        }
    }

    fn name(text: &str) -> Option<String> {
        SpecId::from_name(text).map(|id| id.to_string())
    }

    #[test]
    fn ids_from_names() {
        assert_eq!(name("0007-rate-limiter").as_deref(), Some("0007"));
        assert_eq!(name("0042").as_deref(), Some("0042"));
        assert_eq!(name("A14-channelz").as_deref(), Some("A14"));
        assert_eq!(name("G1-true-binary-metadata").as_deref(), Some("G1"));
        assert_eq!(name("eip-1559").as_deref(), Some("1559"));
        assert_eq!(name("ics-002-client-semantics").as_deref(), Some("002"));
        assert_eq!(name("README"), None);
        assert_eq!(name("how-to-v2"), None);
        assert_eq!(name("IBC_V2"), None);
        assert_eq!(name("notes"), None);
        assert_eq!(name("2fa-login"), None);
    }

    #[test]
    fn series_make_ids_differ() {
        let a14 = SpecId::from_name("A14-x").unwrap();
        assert_ne!(a14, SpecId::from_name("G14-x").unwrap());
        assert_ne!(a14, SpecId::number(14));
        assert_eq!(a14, SpecId::parse("a14").unwrap());
        assert_eq!(SpecId::parse("0007").unwrap(), SpecId::number(7));
        assert!(SpecId::number(7) < SpecId::number(12));
    }

    #[test]
    fn entries() {
        for (entry, shown) in [
            ("7", "7"),
            ("#7", "7"),
            ("0007-slug", "0007"),
            ("[0005](0005-x.md)", "0005"),
            ("**0007**", "0007"),
            ("A14", "A14"),
            ("SE-0300", "SE-0300"),
            ("[SE-0300](0300-continuation.md)", "SE-0300"),
        ] {
            assert_eq!(
                SpecId::parse(entry).map(|id| id.to_string()).as_deref(),
                Some(shown),
                "{entry}"
            );
        }
        for entry in ["later", "v2x", "12abc", "", "ABCDEFGHIJ1"] {
            assert_eq!(SpecId::parse(entry), None, "{entry}");
        }
    }

    #[test]
    fn display_prefix() {
        let id = SpecId::from_name("0300-continuation")
            .unwrap()
            .in_series("SE-");
        assert_eq!(id.to_string(), "SE-0300");
        assert_eq!(id, SpecId::parse("se-300").unwrap());
        assert_eq!(id.series(), "SE");
        let kep = SpecId::from_name("2625-x").unwrap().in_series("KEP-");
        assert_eq!(kep.to_string(), "KEP-2625");
        // An id with its own series keeps it.
        let a14 = SpecId::from_name("A14-x").unwrap().in_series("SE-");
        assert_eq!(a14.to_string(), "A14");
    }
}
