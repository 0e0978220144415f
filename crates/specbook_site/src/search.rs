//! Search: a ranked, prefix-matching index built with the site, shared by the browser (as
//! static files under `search/`) and `specbook search` (in memory), so both rank alike.
//!
//! Each term keeps the documents it scores best in (BM25 over the title, headings and body,
//! the title weighted most), at most [`MAX_POSTINGS`] of them, so the index stays small. The
//! terms are split into files by their first two characters: a query loads only the files
//! of its words' first two characters.

use std::borrow::Cow;
use std::collections::BTreeMap;

// Counting terms hashes every word of every spec: SipHash was a seventh of a 10,000-spec build.
use foldhash::{HashMap, HashMapExt as _};
use std::fmt::Write as _;

use rayon::prelude::*;
use serde::Serialize;

/// How many documents each file of `search/d/` holds.
pub const DOC_CHUNK: usize = 32;

/// About how many (document, term) pairs are gathered at a time when the index is made: the
/// counts of 10,000 specs hold about 8 million.
const TERM_GROUP_PAIRS: usize = 2_000_000;

/// How many documents a term keeps: the best-scoring ones.
pub const MAX_POSTINGS: usize = 100;
const TITLE_WEIGHT: u32 = 5;
const HEADING_WEIGHT: u32 = 2;
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// A word that is only the start of an indexed term counts this much of a whole-word match.
pub const PREFIX_FACTOR: f64 = 0.8;

/// What is searched in one spec.
#[derive(Clone, Debug)]
pub struct SearchDoc {
    pub id: String,
    pub title: String,
    /// The page, relative to the site root.
    pub url: String,
    pub status: String,
    pub headings: Vec<String>,
    pub body: String,
}

/// A document as the results show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct DocInfo {
    pub id: String,
    pub title: String,
    pub url: String,
    pub status: String,
}

/// A term's best documents: `(document, score × 1000)`, best first.
pub(crate) type Postings = Vec<(u32, u32)>;

/// The index: documents, and for each term its best documents with integer scores.
#[derive(Debug, Default)]
pub struct SearchIndex {
    pub docs: Vec<DocInfo>,
    terms: BTreeMap<String, Postings>,
}

/// A result: the document's index and its score.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    pub doc: usize,
    pub score: f64,
}

/// Lower-case words of letters and digits, two characters or more.
pub fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    words(text).map(Cow::into_owned)
}

/// [`tokens`], borrowed from `text` when a word is already lower case (most are, and a
/// 10,000-spec build counts millions of them).
fn words(text: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 2 && (w.len() >= 8 || w.chars().nth(1).is_some()))
        .map(|w| {
            if w.chars().any(char::is_uppercase) {
                Cow::Owned(w.to_lowercase())
            } else {
                Cow::Borrowed(w)
            }
        })
}

/// The file (under `search/`) holding the terms that start like `term`.
#[must_use]
pub fn shard(term: &str) -> String {
    let start: String = term.chars().take(2).collect();
    let hex = start.bytes().fold(String::new(), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    });
    format!("t/{hex}.json")
}

/// The weighted term counts of documents, with their terms numbered: what BM25 needs of
/// them, and what `specbook search` keeps between runs (see `stored`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Counted {
    /// Each term once; documents name terms by their place here.
    pub terms: Vec<String>,
    pub docs: Vec<DocCounts>,
}

/// One document's terms (their numbers in [`Counted::terms`]) with their weighted counts,
/// and its length in words.
///
/// The pairs are packed: each term as its difference from the term before (wrapping, so that
/// pairs in any order come back as they were) and its count, as LEB128 numbers, mostly a byte
/// or two each. Eight bytes a pair were the largest part of a 40,000-spec build's memory. They
/// are serialized as those bytes, read back in one copy (a build reads every spec's counts).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocCounts {
    /// Shared by the copies: a rebuild's manifest keeps the counts of the old one's pages.
    packed: std::sync::Arc<[u8]>,
    pairs: u32,
    pub length: u32,
}

impl DocCounts {
    /// The counts of a document of `length` words with the `(term, count)` pairs `terms`, in
    /// the order given (sorted by term, as a counter gives them).
    #[must_use]
    pub fn new(terms: impl IntoIterator<Item = (u32, u32)>, length: u32) -> Self {
        let mut packed = Vec::new();
        let mut pairs = 0u32;
        let mut last = 0u32;
        for (term, count) in terms {
            for mut value in [term.wrapping_sub(last), count] {
                while value >= 0x80 {
                    #[expect(clippy::cast_possible_truncation, reason = "the low seven bits")]
                    packed.push((value as u8) | 0x80);
                    value >>= 7;
                }
                #[expect(clippy::cast_possible_truncation, reason = "under 0x80")]
                packed.push(value as u8);
            }
            pairs += 1;
            last = term;
        }
        Self {
            packed: packed.into(),
            pairs,
            length,
        }
    }

    /// The `(term, count)` pairs, in their order.
    #[must_use]
    pub fn iter(&self) -> Pairs<'_> {
        Pairs {
            differences: Differences {
                bytes: &self.packed,
                left: self.pairs,
            },
            last: 0,
        }
    }

    /// How many terms the document has.
    #[must_use]
    pub fn len(&self) -> usize {
        self.pairs as usize
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.pairs == 0
    }
}

/// A document's packed (difference, count) pairs, unpacked one at a time.
#[derive(Clone)]
struct Differences<'a> {
    bytes: &'a [u8],
    left: u32,
}

impl Differences<'_> {
    fn number(&mut self) -> u32 {
        let mut value = 0u32;
        let mut shift = 0;
        while let Some((&byte, rest)) = self.bytes.split_first() {
            self.bytes = rest;
            if shift < 32 {
                value |= u32::from(byte & 0x7F) << shift;
            }
            shift += 7;
            if byte < 0x80 {
                break;
            }
        }
        value
    }
}

impl Iterator for Differences<'_> {
    type Item = (u32, u32);

    fn next(&mut self) -> Option<(u32, u32)> {
        self.left = self.left.checked_sub(1)?;
        Some((self.number(), self.number()))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left as usize, Some(self.left as usize))
    }
}

/// The `(term, count)` pairs of a [`DocCounts`].
#[derive(Clone)]
pub struct Pairs<'a> {
    differences: Differences<'a>,
    last: u32,
}

impl Iterator for Pairs<'_> {
    type Item = (u32, u32);

    fn next(&mut self) -> Option<(u32, u32)> {
        let (difference, count) = self.differences.next()?;
        self.last = self.last.wrapping_add(difference);
        Some((self.last, count))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.differences.size_hint()
    }
}

impl Serialize for DocCounts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;

        /// The packed pairs as bytes: one copy to read back, not a number at a time.
        struct Packed<'a>(&'a [u8]);
        impl Serialize for Packed<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_bytes(self.0)
            }
        }
        let mut fields = serializer.serialize_struct("DocCounts", 3)?;
        fields.serialize_field("pairs", &self.pairs)?;
        fields.serialize_field("length", &self.length)?;
        fields.serialize_field("packed", &Packed(&self.packed))?;
        fields.end()
    }
}

impl<'de> serde::Deserialize<'de> for DocCounts {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// The packed pairs, read as bytes.
        struct Packed(Vec<u8>);
        impl<'de> serde::Deserialize<'de> for Packed {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl<'de> serde::de::Visitor<'de> for Visitor {
                    type Value = Packed;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("the packed (difference, count) pairs")
                    }
                    fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Packed, E> {
                        Ok(Packed(bytes.to_vec()))
                    }
                    fn visit_byte_buf<E: serde::de::Error>(
                        self,
                        bytes: Vec<u8>,
                    ) -> Result<Packed, E> {
                        Ok(Packed(bytes))
                    }
                    fn visit_seq<A: serde::de::SeqAccess<'de>>(
                        self,
                        mut seq: A,
                    ) -> Result<Packed, A::Error> {
                        let mut bytes =
                            Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 16));
                        while let Some(byte) = seq.next_element::<u8>()? {
                            bytes.push(byte);
                        }
                        Ok(Packed(bytes))
                    }
                }
                deserializer.deserialize_byte_buf(Visitor)
            }
        }
        #[derive(serde::Deserialize)]
        #[serde(rename = "DocCounts")]
        struct Fields {
            pairs: u32,
            length: u32,
            packed: Packed,
        }
        let Fields {
            pairs,
            length,
            packed: Packed(packed),
        } = Fields::deserialize(deserializer)?;
        // Each pair is two numbers, each ending in a byte under 0x80: a damaged file is an
        // error, not billions of pairs read from nothing.
        let ends = packed.iter().filter(|&&b| b < 0x80).count();
        if ends != 2 * pairs as usize || packed.last().is_some_and(|&b| b >= 0x80) {
            return Err(serde::de::Error::custom(format!(
                "{} bytes do not hold {pairs} (difference, count) pairs",
                packed.len()
            )));
        }
        Ok(DocCounts {
            packed: packed.into(),
            pairs,
            length,
        })
    }
}

/// A document's weighted term frequencies and its length in words.
pub(crate) fn count(doc: &SearchDoc) -> (HashMap<Cow<'_, str>, u32>, u32) {
    let mut tf: HashMap<Cow<'_, str>, u32> = HashMap::with_capacity(512);
    let mut length = 0u32;
    for (text, weight) in std::iter::once((doc.title.as_str(), TITLE_WEIGHT))
        .chain(doc.headings.iter().map(|h| (h.as_str(), HEADING_WEIGHT)))
        .chain(std::iter::once((doc.body.as_str(), 1)))
    {
        for word in words(text) {
            if let Some(count) = tf.get_mut(word.as_ref()) {
                *count += weight;
            } else {
                tf.insert(word, weight);
            }
            length += 1;
        }
    }
    (tf, length)
}

impl Counted {
    /// The counts of `docs`, in their order.
    #[must_use]
    pub fn of(docs: &[SearchDoc]) -> Self {
        let mut counted = Self::default();
        counted.extend(docs);
        counted
    }

    /// Adds the counts of `docs` after those already there.
    pub fn extend(&mut self, docs: &[SearchDoc]) {
        // Counted on every core; numbered in order, so the numbers do not depend on threads.
        let tfs: Vec<(HashMap<Cow<'_, str>, u32>, u32)> = docs.par_iter().map(count).collect();
        let mut numbers: HashMap<&str, u32> = HashMap::with_capacity(self.terms.len() + (1 << 16));
        let known = self.terms.len();
        for (i, term) in self.terms.iter().enumerate() {
            numbers.insert(term.as_str(), u32::try_from(i).unwrap_or(u32::MAX));
        }
        let mut added: Vec<&str> = Vec::new();
        let mut counts = Vec::with_capacity(tfs.len());
        for (tf, length) in &tfs {
            let mut terms: Vec<(u32, u32)> = tf
                .iter()
                .map(|(term, &frequency)| {
                    let next = u32::try_from(known + added.len()).unwrap_or(u32::MAX);
                    let number = *numbers.entry(term.as_ref()).or_insert_with(|| {
                        added.push(term.as_ref());
                        next
                    });
                    (number, frequency)
                })
                .collect();
            terms.sort_unstable();
            counts.push(DocCounts::new(terms, *length));
        }
        let added: Vec<String> = added.into_iter().map(str::to_owned).collect();
        self.terms.extend(added);
        self.docs.extend(counts);
    }
}

/// Keeps the [`MAX_POSTINGS`] best of `postings`, best first, ties to the document listed
/// first. That is a total order, so selecting the best before sorting them keeps the ones a
/// whole sort would, in the same order.
fn best(postings: &mut Postings) {
    let order = |a: &(u32, u32), b: &(u32, u32)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
    if postings.len() > MAX_POSTINGS {
        postings.select_nth_unstable_by(MAX_POSTINGS - 1, order);
        postings.truncate(MAX_POSTINGS);
        // A common term's list held every document: kept, its room would make the index as
        // large as all the counts (335 MB of a 40,000-spec build).
        postings.shrink_to_fit();
    }
    postings.sort_unstable_by(order);
}

impl SearchIndex {
    #[must_use]
    pub fn build(docs: &[SearchDoc]) -> Self {
        let infos = docs
            .iter()
            .map(|d| DocInfo {
                id: d.id.clone(),
                title: d.title.clone(),
                url: d.url.clone(),
                status: d.status.clone(),
            })
            .collect();
        let counted = Counted::of(docs);
        let all: Vec<&DocCounts> = counted.docs.iter().collect();
        Self::from_counts(infos, &counted.terms, &all)
    }

    /// The index of documents `docs` with term counts `counts` (one per document, in the same
    /// order, naming terms by their place in `terms`): [`SearchIndex::build`] of the same
    /// documents, without reading them again.
    #[must_use]
    pub fn from_counts(docs: Vec<DocInfo>, terms: &[String], counts: &[&DocCounts]) -> Self {
        Self::from_counts_in_groups(docs, terms, counts, TERM_GROUP_PAIRS)
    }

    /// [`SearchIndex::from_counts`], gathering about `group_pairs` (document, term) pairs at
    /// a time.
    fn from_counts_in_groups(
        docs: Vec<DocInfo>,
        terms: &[String],
        counts: &[&DocCounts],
        group_pairs: usize,
    ) -> Self {
        let count = f64::from(u32::try_from(counts.len()).unwrap_or(u32::MAX));
        let lengths: Vec<f64> = counts.iter().map(|c| f64::from(c.length.max(1))).collect();
        let average = lengths.iter().sum::<f64>() / count.max(1.0);
        let norms: Vec<f64> = lengths
            .iter()
            .map(|length| K1 * (1.0 - B + B * length / average))
            .collect();
        // The terms a group at a time (each document's terms are sorted by number, so its
        // part of a group is one slice): the postings of one group are in memory together,
        // not those of every term.
        let total: usize = counts.iter().map(|c| c.len()).sum();
        // Each term's document frequency, so that its list is made at its size (grown pair by
        // pair, the lists' copies and fresh pages were most of the time), and whether every
        // document's terms are in order: one pass over the pairs.
        let mut frequencies = vec![0u32; terms.len()];
        let mut sorted = true;
        for counts in counts {
            let mut last = 0;
            for (term, _) in counts.iter() {
                if let Some(df) = frequencies.get_mut(term as usize) {
                    *df += 1;
                }
                sorted &= term >= last;
                last = term;
            }
        }
        // Terms not in order (no counter makes them so) are gathered in one group.
        let groups = if sorted {
            (total / group_pairs.max(1)).max(1)
        } else {
            1
        };
        let per_group = terms.len().div_ceil(groups).max(1);
        let mut scored: BTreeMap<String, Postings> = BTreeMap::new();
        // Where each document's pairs are: each group takes the pairs below its end.
        let mut cursors: Vec<std::iter::Peekable<Pairs<'_>>> =
            counts.iter().map(|c| c.iter().peekable()).collect();
        for low in (0..terms.len()).step_by(per_group) {
            let high = (low + per_group).min(terms.len());
            let (low32, high32) = (
                u32::try_from(low).unwrap_or(u32::MAX),
                u32::try_from(high).unwrap_or(u32::MAX),
            );
            // Each term's documents with their frequencies; the document frequency is its
            // length.
            let mut by_term: Vec<Vec<(u32, u32)>> = frequencies[low..high]
                .iter()
                .map(|&df| Vec::with_capacity(df as usize))
                .collect();
            for (doc, pairs) in cursors.iter_mut().enumerate() {
                let doc = u32::try_from(doc).unwrap_or(u32::MAX);
                let last_group = high == terms.len();
                while let Some((term, frequency)) =
                    pairs.next_if(|&(term, _)| last_group || term < high32)
                {
                    if let Some(list) = term
                        .checked_sub(low32)
                        .and_then(|t| by_term.get_mut(t as usize))
                    {
                        list.push((doc, frequency));
                    }
                }
            }
            let group: Vec<(String, Postings)> = by_term
                .into_par_iter()
                .enumerate()
                .filter(|(_, list)| !list.is_empty())
                .map(|(term, list)| {
                    let df = f64::from(u32::try_from(list.len()).unwrap_or(u32::MAX));
                    let idf = (1.0 + (count - df + 0.5) / (df + 0.5)).ln();
                    let mut postings: Postings = list
                        .into_iter()
                        .map(|(doc, frequency)| {
                            let frequency = f64::from(frequency);
                            let score =
                                idf * frequency * (K1 + 1.0) / (frequency + norms[doc as usize]);
                            #[expect(clippy::cast_sign_loss, reason = "scores are positive")]
                            let score = (score * 1000.0).round().max(1.0) as u32;
                            (doc, score)
                        })
                        .collect();
                    best(&mut postings);
                    (terms[low + term].clone(), postings)
                })
                .collect();
            scored.extend(group);
        }
        Self {
            docs,
            terms: scored,
        }
    }

    /// An index of `docs` holding only `terms`: it answers a query whose words' terms are all
    /// there as the whole index does.
    pub(crate) fn from_parts(docs: Vec<DocInfo>, terms: BTreeMap<String, Postings>) -> Self {
        Self { docs, terms }
    }

    /// The terms split into shards by their first two characters: each shard's name
    /// ([`shard`]) and its terms.
    pub(crate) fn shards(&self) -> BTreeMap<String, BTreeMap<&str, &Postings>> {
        let mut shards: BTreeMap<String, BTreeMap<&str, &Postings>> = BTreeMap::new();
        for (term, postings) in &self.terms {
            shards
                .entry(shard(term))
                .or_default()
                .insert(term, postings);
        }
        shards
    }

    /// The documents matching `query`, best first: each word scores a document by its best
    /// term that is the word or starts with it (a prefix counts [`PREFIX_FACTOR`]); the word
    /// scores add up. Ties go to the document listed first.
    #[must_use]
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let mut totals: BTreeMap<usize, f64> = BTreeMap::new();
        for word in tokens(query) {
            let mut best: HashMap<usize, f64> = HashMap::new();
            for (term, postings) in self.terms.range(word.clone()..) {
                if !term.starts_with(&word) {
                    break;
                }
                let factor = if *term == word { 1.0 } else { PREFIX_FACTOR };
                for &(doc, score) in postings {
                    let score = f64::from(score) * factor;
                    let entry = best.entry(doc as usize).or_insert(0.0);
                    *entry = entry.max(score);
                }
            }
            for (doc, score) in best {
                *totals.entry(doc).or_insert(0.0) += score;
            }
        }
        let mut hits: Vec<Hit> = totals
            .into_iter()
            .map(|(doc, score)| Hit { doc, score })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
        hits
    }

    /// The index as static files: one `search/t/XXXX.json` per two-character start, each a
    /// JSON object of term -> `[[doc, score], ...]`; the documents in `search/d/K.json`,
    /// [`DOC_CHUNK`] at a time (document `n` is item `n % DOC_CHUNK` of chunk
    /// `n / DOC_CHUNK`), so a query fetches those of the results it shows; and all of them
    /// in `search/docs.json`, for the list of every spec.
    #[must_use]
    pub fn files(&self) -> Vec<(String, Vec<u8>)> {
        let shards = self.shards();
        let mut files = vec![(
            "search/docs.json".to_owned(),
            serde_json::to_vec(&self.docs).unwrap_or_default(),
        )];
        files.extend(self.docs.chunks(DOC_CHUNK).enumerate().map(|(k, docs)| {
            (
                format!("search/d/{k}.json"),
                serde_json::to_vec(docs).unwrap_or_default(),
            )
        }));
        files.extend(shards.into_iter().map(|(name, terms)| {
            (
                format!("search/{name}"),
                serde_json::to_vec(&terms).unwrap_or_default(),
            )
        }));
        files
    }
}

/// [`Counted`] made one document at a time.
#[derive(Default)]
pub(crate) struct Counter {
    counted: Counted,
    numbers: foldhash::HashMap<String, u32>,
}

impl Counter {
    /// A counter that numbers `terms` as they are numbered there, and new ones after them.
    pub(crate) fn with_terms(terms: Vec<String>) -> Self {
        Self {
            counted: Counted {
                terms,
                docs: Vec::new(),
            },
            numbers: foldhash::HashMap::default(),
        }
    }

    /// The counts, numbered afresh when more than half of the terms are no document's any
    /// more (the terms of edited or removed specs), so the table does not grow edit by edit.
    pub(crate) fn compacted(self) -> Counted {
        let mut used = vec![false; self.counted.terms.len()];
        for doc in &self.counted.docs {
            for (term, _) in doc.iter() {
                if let Some(slot) = used.get_mut(term as usize) {
                    *slot = true;
                }
            }
        }
        let in_use = used.iter().filter(|&&u| u).count();
        if in_use * 2 >= used.len() {
            return self.counted;
        }
        let Counted { terms, docs } = self.counted;
        let mut fresh = Self::default();
        for doc in &docs {
            fresh.push(
                doc.iter()
                    .filter_map(|(t, f)| Some((terms.get(t as usize)?.as_str(), f))),
                doc.length,
            );
        }
        fresh.counted
    }

    /// Adds a document counted with the terms this counter started with.
    pub(crate) fn keep(&mut self, counts: DocCounts) {
        self.counted.docs.push(counts);
    }

    /// Adds a document with `terms` and their weighted counts, and its length in words.
    pub(crate) fn push<'t>(&mut self, terms: impl Iterator<Item = (&'t str, u32)>, length: u32) {
        // The numbers of the terms already there, looked up from the first new document on.
        if self.numbers.len() < self.counted.terms.len() {
            for (number, term) in self
                .counted
                .terms
                .iter()
                .enumerate()
                .skip(self.numbers.len())
            {
                self.numbers
                    .insert(term.clone(), u32::try_from(number).unwrap_or(u32::MAX));
            }
        }
        let mut numbered: Vec<(u32, u32)> = terms
            .map(|(term, frequency)| {
                let number = if let Some(&number) = self.numbers.get(term) {
                    number
                } else {
                    let number = u32::try_from(self.counted.terms.len()).unwrap_or(u32::MAX);
                    self.counted.terms.push(term.to_owned());
                    self.numbers.insert(term.to_owned(), number);
                    number
                };
                (number, frequency)
            })
            .collect();
        numbered.sort_unstable();
        self.counted.docs.push(DocCounts::new(numbered, length));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index made a few terms at a time is the index made at once, and counts whose terms
    /// are not in order still count.
    #[test]
    fn the_index_made_in_groups_is_the_index_made_at_once() {
        let docs: Vec<SearchDoc> = (0..40)
            .map(|i| {
                let words: Vec<String> = (0..60)
                    .map(|w| format!("w{}", (i * 7 + w * w) % 97))
                    .collect();
                let body = words.join(" ");
                doc(&format!("{i:04}"), &format!("Spec {i} w{}", i % 5), &body)
            })
            .collect();
        let counted = Counted::of(&docs);
        let all: Vec<&DocCounts> = counted.docs.iter().collect();
        let infos: Vec<DocInfo> = SearchIndex::build(&docs).docs;
        let whole =
            SearchIndex::from_counts_in_groups(infos.clone(), &counted.terms, &all, usize::MAX);
        for group in [1, 7, 100, 1_000] {
            let grouped =
                SearchIndex::from_counts_in_groups(infos.clone(), &counted.terms, &all, group);
            assert_eq!(grouped.terms, whole.terms, "groups of {group} pairs");
        }
        let mut shuffled = counted.docs.clone();
        for counts in &mut shuffled {
            let mut pairs: Vec<(u32, u32)> = counts.iter().collect();
            pairs.reverse();
            *counts = DocCounts::new(pairs, counts.length);
        }
        let all: Vec<&DocCounts> = shuffled.iter().collect();
        let unsorted = SearchIndex::from_counts_in_groups(infos, &counted.terms, &all, 7);
        assert_eq!(unsorted.terms, whole.terms);
    }

    #[test]
    fn counts_come_back_as_they_were_stored_in_fewer_bytes() {
        use bincode::Options as _;
        let options = bincode::DefaultOptions::new();
        for terms in [
            vec![],
            vec![(0, 1), (7, 2), (300, 1), (70_000, 9), (u32::MAX, 3)],
            vec![(500, 1), (3, 4), (u32::MAX, 1), (0, 2)],
        ] {
            let counts = DocCounts::new(terms.iter().copied(), 42);
            assert_eq!(counts.iter().collect::<Vec<_>>(), terms);
            assert_eq!(counts.len(), terms.len());
            let bytes = options.serialize(&counts).unwrap();
            let back: DocCounts = options.deserialize(&bytes).unwrap();
            assert_eq!(back, counts);
            assert_eq!(back.iter().collect::<Vec<_>>(), terms);
            // Damaged bytes are an error, not pairs made up.
            let mut damaged = bytes.clone();
            if let Some(last) = damaged.last_mut() {
                *last |= 0x80;
                assert!(options.deserialize::<DocCounts>(&damaged).is_err());
            }
        }
        let dense = DocCounts::new((100_000..100_500).map(|t| (t, 1)), 500);
        let bytes = options.serialize(&dense).unwrap();
        assert!(bytes.len() < 1_100, "{} bytes", bytes.len());
        // In memory too: two bytes a pair, not eight.
        assert!(dense.packed.len() <= 1_003, "{} bytes", dense.packed.len());
    }

    fn doc(id: &str, title: &str, body: &str) -> SearchDoc {
        SearchDoc {
            id: id.into(),
            title: title.into(),
            url: format!("specs/{id}.html"),
            status: "Draft".into(),
            headings: vec![],
            body: body.into(),
        }
    }

    fn ids(index: &SearchIndex, query: &str) -> Vec<String> {
        index
            .search(query)
            .iter()
            .map(|h| index.docs[h.doc].id.clone())
            .collect()
    }

    #[test]
    fn titles_outrank_bodies_and_prefixes_match() {
        let index = SearchIndex::build(&[
            doc(
                "0001",
                "Webhook Delivery",
                "Retries with backoff. Delivery is at least once.",
            ),
            doc("0002", "Rate Limiter", "Limits webhook traffic per tenant."),
            doc("0003", "Search", "Nothing about hooks."),
        ]);
        assert_eq!(ids(&index, "webhook"), vec!["0001", "0002"]);
        assert_eq!(ids(&index, "web"), vec!["0001", "0002"]);
        assert_eq!(ids(&index, "WEBHOOK limits"), vec!["0002", "0001"]);
        assert_eq!(ids(&index, "x"), Vec::<String>::new());
        assert_eq!(ids(&index, "zebra"), Vec::<String>::new());
    }

    #[test]
    fn shards_are_named_by_the_first_two_characters() {
        assert_eq!(shard("webhook"), "t/7765.json");
        assert_eq!(shard("über"), "t/c3bc62.json");
        let index = SearchIndex::build(&[doc("0001", "Webhook", "web")]);
        let names: Vec<String> = index.files().into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            vec!["search/docs.json", "search/d/0.json", "search/t/7765.json"]
        );
    }

    #[test]
    fn the_best_postings_are_those_of_a_whole_sort() {
        let mut seed = 7u64;
        for round in 0..200 {
            let len = round * 3 % 400;
            let postings: Postings = (0..len)
                .map(|doc| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    // Few distinct scores: many ties.
                    (
                        u32::try_from(doc).unwrap(),
                        u32::try_from(seed >> 60).unwrap(),
                    )
                })
                .collect();
            let mut whole = postings.clone();
            whole.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            whole.truncate(MAX_POSTINGS);
            let mut selected = postings;
            best(&mut selected);
            assert_eq!(selected, whole, "{len} postings");
        }
    }

    #[test]
    fn common_terms_keep_only_their_best_documents() {
        let docs: Vec<SearchDoc> = (0..150)
            .map(|i| doc(&format!("{i:04}"), "Spec", &"common ".repeat(1 + i % 7)))
            .collect();
        let index = SearchIndex::build(&docs);
        assert_eq!(index.search("common").len(), MAX_POSTINGS);
    }
}
