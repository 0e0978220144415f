//! The search index `specbook search` keeps between runs, in one file of specbook's state
//! folder (`.git/specbook/search-v1.bin`, see [`specbook_workspace::state_dir`]), so that a
//! query neither reads nor renders every spec:
//!
//! - the index's terms split as the site splits them (by their first two characters), so a
//!   query reads only the parts its words need;
//! - each spec's size, modification time and content hash (with its sidecar's), and its term
//!   counts, so that after a change only the specs whose bytes changed are read and rendered
//!   again, and the index is made again from the counts (BM25 depends on every document).
//!
//! The ranking is the site's: the same [`SearchDoc`]s, counted and scored by the same code.
//! A file that cannot be read or does not parse is made again; one that cannot be written only
//! costs the next query its speed.

use std::collections::BTreeMap;
use std::fs::File;
use std::hash::Hasher as _;
use std::io::{BufRead as _, BufReader, Read as _, Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use bincode::Options as _;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use specbook_workspace::{Checker, Entry, SpecMeta};

use crate::output::{Stamp, hasher};
use crate::search::{
    Counted, Counter, DocCounts, DocInfo, Hit, Postings, SearchDoc, SearchIndex, shard,
};

/// The first line of the file, before the lengths of its three parts.
const MAGIC: &str = "specbook-search v3";

/// The largest part the reader accepts: a damaged length is not an allocation.
const MAX_PART: u64 = 1 << 32;

/// A file changed this recently may change again within the same clock tick without its
/// size or time changing: its stamp is not trusted, its hash is checked next time.
const RACY: Duration = Duration::from_secs(2);

/// What `specbook search` found, and how it got there.
#[derive(Debug)]
pub struct Searched {
    /// Every spec searched, in the catalog's order (by number, then path).
    pub docs: Vec<Found>,
    /// The matches, best first.
    pub hits: Vec<Hit>,
    pub origin: Origin,
}

/// One searched spec.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    pub path: PathBuf,
    pub info: DocInfo,
}

/// Where the index came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The stored index, unchanged: no spec was read.
    Stored,
    /// Made from the stored counts, `read` specs read and rendered again.
    Refreshed { read: usize },
}

/// The stamps of a spec and of its sidecar (`None`: there is none).
type Stamps = (Option<Stamp>, Option<Stamp>);

fn stamps_of(file: &Path, sidecar: Option<&Path>) -> Stamps {
    (Stamp::of(file), sidecar.and_then(Stamp::of))
}

/// One spec as stored.
#[derive(Debug, Serialize, Deserialize)]
struct Spec {
    found: Found,
    /// `None` when they were too recent to be trusted (see [`RACY`]).
    stamps: Option<Stamps>,
    /// Of the spec's bytes and its sidecar's.
    hash: u64,
}

impl Spec {
    /// Whether the spec's files are as stored, by their stamps alone (no read).
    fn unchanged(&self, now: Stamps) -> bool {
        now.0.is_some() && self.stamps == Some(now)
    }
}

/// The first part of the file: its specs owned when read (`Vec<Spec>`), borrowed when
/// written (`&[Spec]`), in the same layout.
#[derive(Debug, Serialize, Deserialize)]
struct Head<S = Vec<Spec>> {
    /// Of the program, the configuration and the templates the index was made with.
    key: u64,
    specs: S,
    /// Each shard's name, and its offset and length in the second part.
    shards: Vec<(String, u64, u64)>,
}

/// The stored index, read up to its shards.
struct Store {
    file: BufReader<File>,
    head: Head,
    /// Where the shards and the counts start.
    shards_at: u64,
    counts_at: u64,
    counts_len: u64,
}

fn options() -> impl bincode::Options {
    bincode::DefaultOptions::new().with_limit(MAX_PART)
}

impl Store {
    fn open(path: &Path) -> Option<Self> {
        let mut file = BufReader::new(File::open(path).ok()?);
        let mut line = String::new();
        file.read_line(&mut line).ok()?;
        let mut words = line.trim_end().rsplitn(4, ' ');
        let counts_len: u64 = words.next()?.parse().ok()?;
        let shards_len: u64 = words.next()?.parse().ok()?;
        let head_len: u64 = words.next()?.parse().ok()?;
        if words.next()? != MAGIC || head_len > MAX_PART {
            return None;
        }
        let mut head = Vec::new();
        (&mut file).take(head_len).read_to_end(&mut head).ok()?;
        let head: Head = options().deserialize(&head).ok()?;
        let shards_at = line.len() as u64 + head_len;
        Some(Self {
            file,
            head,
            shards_at,
            counts_at: shards_at + shards_len,
            counts_len,
        })
    }

    fn read(&mut self, at: u64, len: u64) -> Option<Vec<u8>> {
        if len > MAX_PART {
            return None;
        }
        self.file.seek(SeekFrom::Start(at)).ok()?;
        let mut bytes = Vec::new();
        (&mut self.file).take(len).read_to_end(&mut bytes).ok()?;
        (bytes.len() as u64 == len).then_some(bytes)
    }

    /// The terms of the shards `query`'s words are in.
    fn terms_for(&mut self, query: &str) -> Option<BTreeMap<String, Postings>> {
        let mut wanted: Vec<String> = crate::tokens(query).map(|w| shard(&w)).collect();
        wanted.sort();
        wanted.dedup();
        let mut terms = BTreeMap::new();
        for name in wanted {
            let Some(&(_, at, len)) = self.head.shards.iter().find(|(n, _, _)| *n == name) else {
                continue;
            };
            let bytes = self.read(self.shards_at + at, len)?;
            let shard: BTreeMap<String, Postings> = options().deserialize(&bytes).ok()?;
            terms.extend(shard);
        }
        Some(terms)
    }

    fn counts(&mut self) -> Option<Counted> {
        let bytes = self.read(self.counts_at, self.counts_len)?;
        options().deserialize(&bytes).ok()
    }
}

/// The key of what an index depends on besides the specs: the program and `inputs` (the
/// bytes of the configuration file and of the templates).
#[must_use]
pub fn key_of(inputs: &[&[u8]]) -> u64 {
    let mut hasher = hasher();
    hasher.write(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.write(MAGIC.as_bytes());
    for input in inputs {
        hasher.write_u64(input.len() as u64);
        hasher.write(input);
    }
    hasher.finish()
}

/// What one spec is now: its bytes (`None` when it cannot be read), its sidecar's, and their
/// stamps.
struct Now {
    bytes: Option<Vec<u8>>,
    hash: u64,
    stamps: Option<Stamps>,
}

impl Now {
    fn read(path: &Path, sidecar: Option<&Path>, started: SystemTime) -> Self {
        // Stamped before reading: a change while it is read makes the next stamp differ.
        let stamps = stamps_of(path, sidecar);
        let bytes = specbook_workspace::read_input(path).ok();
        let side = sidecar.and_then(|s| std::fs::read(s).ok());
        let mut hasher = hasher();
        match &bytes {
            Some(bytes) => {
                hasher.write_u8(1);
                hasher.write_u64(bytes.len() as u64);
                hasher.write(bytes);
            }
            None => hasher.write_u8(0),
        }
        match &side {
            Some(side) => {
                hasher.write_u8(1);
                hasher.write(side);
            }
            None => hasher.write_u8(0),
        }
        let trusted = stamps.0.is_some_and(|s| !s.within(RACY, started))
            && stamps.1.is_none_or(|s| !s.within(RACY, started));
        Self {
            bytes,
            hash: hasher.finish(),
            stamps: trusted.then_some(stamps),
        }
    }
}

/// Searches `files` (the specs, in the catalog's order) for `query` with the index stored at
/// `path`, made again where the specs, the configuration or the program changed (`key`, from
/// [`key_of`]). The index is written back when `write`; a search of some of the specs (`--path`)
/// reads the stored counts but leaves the file as it is.
#[must_use]
pub fn search(
    checker: &Checker,
    files: &[PathBuf],
    path: &Path,
    key: u64,
    write: bool,
    query: &str,
) -> Searched {
    let mut store = Store::open(path).filter(|s| s.head.key == key);
    let sidecars: Vec<Option<PathBuf>> = files.iter().map(|f| checker.sidecar_path(f)).collect();
    if let Some(store) = store.as_mut() {
        let same = store.head.specs.len() == files.len()
            && store.head.specs.par_iter().zip(files).zip(&sidecars).all(
                |((spec, file), sidecar)| {
                    spec.found.path == *file && spec.unchanged(stamps_of(file, sidecar.as_deref()))
                },
            );
        if same && let Some(terms) = store.terms_for(query) {
            let infos = store
                .head
                .specs
                .iter()
                .map(|s| s.found.info.clone())
                .collect();
            let hits = SearchIndex::from_parts(infos, terms).search(query);
            let docs = std::mem::take(&mut store.head.specs)
                .into_iter()
                .map(|s| s.found)
                .collect();
            return Searched {
                docs,
                hits,
                origin: Origin::Stored,
            };
        }
    }
    let (specs, counted, read) = refresh(checker, files, &sidecars, store);
    let all: Vec<&DocCounts> = counted.docs.iter().collect();
    let infos: Vec<DocInfo> = specs.iter().map(|s| s.found.info.clone()).collect();
    let index = SearchIndex::from_counts(infos, &counted.terms, &all);
    let hits = index.search(query);
    if write {
        // A store that cannot be written only costs the next query its speed.
        let _ = save(path, key, &specs, &index, &counted);
    }
    Searched {
        docs: specs.into_iter().map(|s| s.found).collect(),
        hits,
        origin: Origin::Refreshed { read },
    }
}

/// How many specs are read, rendered and counted at a time: the texts of one batch are in
/// memory together, not those of the whole corpus.
const BATCH: usize = 256;

/// What became of one spec: kept from the store (its place there), or read again.
enum Got {
    Kept(usize),
    Read(Found, Vec<(String, u32)>, u32),
}

/// Each spec of `files` with its counts: from the store where its bytes are the same, else
/// read, checked, rendered and counted. Also how many were read again.
fn refresh(
    checker: &Checker,
    files: &[PathBuf],
    sidecars: &[Option<PathBuf>],
    store: Option<Store>,
) -> (Vec<Spec>, Counted, usize) {
    let started = SystemTime::now();
    let (stored, old) = match store {
        Some(mut store) => match store.counts() {
            Some(counts) if counts.docs.len() == store.head.specs.len() => {
                (store.head.specs, counts)
            }
            _ => (Vec::new(), Counted::default()),
        },
        None => (Vec::new(), Counted::default()),
    };
    let by_path: std::collections::HashMap<&Path, usize> = stored
        .iter()
        .enumerate()
        .map(|(i, spec)| (spec.found.path.as_path(), i))
        .collect();
    // The kept counts keep their term numbers; new terms are numbered after them.
    let Counted {
        terms: old_terms,
        docs: old_docs,
    } = old;
    let mut counter = Counter::with_terms(old_terms);
    let mut specs = Vec::with_capacity(files.len());
    let mut read = 0;
    for (files, sidecars) in files.chunks(BATCH).zip(sidecars.chunks(BATCH)) {
        let got: Vec<(Option<Stamps>, u64, Got)> = files
            .par_iter()
            .zip(sidecars)
            .map(|(file, sidecar)| {
                let known = by_path.get(file.as_path()).copied();
                let stamps = stamps_of(file, sidecar.as_deref());
                if let Some(i) = known
                    && stored[i].unchanged(stamps)
                {
                    return (Some(stamps), stored[i].hash, Got::Kept(i));
                }
                let now = Now::read(file, sidecar.as_deref(), started);
                if let Some(i) = known.filter(|&i| stored[i].hash == now.hash) {
                    return (now.stamps, now.hash, Got::Kept(i));
                }
                let (found, doc) = document(checker, file, now.bytes.as_deref());
                let (tf, length) = crate::search::count(&doc);
                let terms = tf.into_iter().map(|(t, f)| (t.into_owned(), f)).collect();
                (now.stamps, now.hash, Got::Read(found, terms, length))
            })
            .collect();
        for (stamps, hash, got) in got {
            let found = match got {
                Got::Kept(i) => {
                    counter.keep(old_docs[i].clone());
                    stored[i].found.clone()
                }
                Got::Read(found, terms, length) => {
                    read += 1;
                    counter.push(terms.iter().map(|(t, f)| (t.as_str(), *f)), length);
                    found
                }
            };
            specs.push(Spec {
                found,
                stamps,
                hash,
            });
        }
    }
    (specs, counter.compacted(), read)
}

/// A spec read again: what the results show of it and what is searched in it, as the site
/// makes them.
fn document(checker: &Checker, path: &Path, bytes: Option<&[u8]>) -> (Found, SearchDoc) {
    let display = path.display().to_string();
    let meta: SpecMeta = bytes
        .map(|bytes| checker.check_bytes_with_facts(&display, bytes).1.meta)
        .unwrap_or_default();
    let entry = Entry {
        spec_id: checker.ids.id(path),
        path: path.to_path_buf(),
        meta,
        report: specbook_diagnostics::FileReport {
            path: display,
            diagnostics: Vec::new(),
        },
        history: None,
        text_hash: None,
    };
    let text = bytes.and_then(|b| std::str::from_utf8(b).ok());
    let doc = crate::site::search_doc_of(&entry, text);
    let found = Found {
        path: path.to_path_buf(),
        info: DocInfo {
            id: doc.id.clone(),
            title: doc.title.clone(),
            url: doc.url.clone(),
            status: doc.status.clone(),
        },
    };
    (found, doc)
}

/// Writes the store: replaced at once, so a concurrent query reads the old one or the new.
fn save(
    path: &Path,
    key: u64,
    specs: &[Spec],
    index: &SearchIndex,
    counted: &Counted,
) -> std::io::Result<()> {
    let invalid = std::io::Error::other;
    let mut shards = Vec::new();
    let mut blobs = Vec::new();
    for (name, terms) in index.shards() {
        let blob = options().serialize(&terms).map_err(invalid)?;
        shards.push((name, blobs.len() as u64, blob.len() as u64));
        blobs.extend(blob);
    }
    let head = options()
        .serialize(&Head { key, specs, shards })
        .map_err(invalid)?;
    let counts = options().serialize(counted).map_err(invalid)?;
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)?;
    }
    let mut file = atomic_write_file::AtomicWriteFile::open(path)?;
    writeln!(
        file,
        "{MAGIC} {} {} {}",
        head.len(),
        blobs.len(),
        counts.len()
    )?;
    file.write_all(&head)?;
    file.write_all(&blobs)?;
    file.write_all(&counts)?;
    file.commit()
}

#[cfg(test)]
mod tests {
    use super::*;
    use specbook_workspace::{Catalog, Surroundings};

    fn checker() -> Checker {
        Checker::new(
            specbook_markdown::Schema::builtin(),
            specbook_linter::Settings::default(),
            specbook_workspace::IdScheme::default(),
        )
    }

    /// A folder of specs, their files a minute old (a stamp that recent is trusted).
    struct Specs {
        dir: tempfile::TempDir,
        names: Vec<String>,
    }

    impl Specs {
        fn new(specs: &[(&str, &str)]) -> Self {
            let mut folder = Self {
                dir: tempfile::tempdir().unwrap(),
                names: Vec::new(),
            };
            for (name, text) in specs {
                folder.write(name, text);
            }
            folder
        }

        fn write(&mut self, name: &str, text: &str) {
            let path = self.dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            Self::age(&path, 60);
            if !self.names.iter().any(|n| n == name) {
                self.names.push(name.to_owned());
                self.names.sort();
            }
        }

        fn age(path: &Path, seconds: u64) {
            let file = File::options().write(true).open(path).unwrap();
            file.set_modified(SystemTime::now() - Duration::from_secs(seconds))
                .unwrap();
        }

        fn remove(&mut self, name: &str) {
            std::fs::remove_file(self.dir.path().join(name)).unwrap();
            self.names.retain(|n| n != name);
        }

        fn files(&self) -> Vec<PathBuf> {
            self.names.iter().map(|n| self.dir.path().join(n)).collect()
        }

        fn store(&self) -> PathBuf {
            self.dir.path().join("state/search-v1.bin")
        }

        fn search(&self, query: &str) -> Searched {
            search(&checker(), &self.files(), &self.store(), 7, true, query)
        }
    }

    /// The ids and scores of `query` on the site's index of `files`, made from nothing.
    fn site_ranking(files: &[PathBuf], query: &str) -> Vec<(String, u64)> {
        let checker = checker();
        let catalog = Catalog::load(&checker, files, &Surroundings::of(files, &checker.ids));
        let index = crate::site::search_index(&catalog.entries);
        index
            .search(query)
            .iter()
            .map(|h| (index.docs[h.doc].id.clone(), h.score.to_bits()))
            .collect()
    }

    fn ranking(searched: &Searched) -> Vec<(String, u64)> {
        searched
            .hits
            .iter()
            .map(|h| (searched.docs[h.doc].info.id.clone(), h.score.to_bits()))
            .collect()
    }

    const WEBHOOK: &str = "# Webhook Delivery\n\n- **Status:** Draft\n\n## 1. Overview\n\nRetries with backoff; webhook delivery at least once.\n";
    const LIMITER: &str = "# Rate Limiter\n\n- **Status:** Review\n\n## 1. Overview\n\nLimits webhook traffic per tenant.\n";
    const SEARCH: &str = "# Search\n\n## Webhooks\n\nNothing about delivery.\n";

    #[test]
    fn a_query_reads_the_stored_index_and_ranks_as_the_site() {
        let specs = Specs::new(&[
            ("0001-webhook.md", WEBHOOK),
            ("0002-limiter.md", LIMITER),
            ("0003-search.md", SEARCH),
        ]);
        let first = specs.search("webhook delivery");
        assert_eq!(first.origin, Origin::Refreshed { read: 3 });
        assert!(specs.store().is_file());
        let expected = site_ranking(&specs.files(), "webhook delivery");
        assert_eq!(expected.len(), 3);
        assert_eq!(ranking(&first), expected);
        let again = specs.search("webhook delivery");
        assert_eq!(again.origin, Origin::Stored);
        assert_eq!(ranking(&again), expected);
        assert_eq!(again.docs, first.docs);
        // Another query reads other shards of the same file.
        let other = specs.search("tenant");
        assert_eq!(other.origin, Origin::Stored);
        assert_eq!(ranking(&other), site_ranking(&specs.files(), "tenant"));
    }

    #[test]
    fn only_the_specs_that_changed_are_read_again() {
        let mut specs = Specs::new(&[
            ("0001-webhook.md", WEBHOOK),
            ("0002-limiter.md", LIMITER),
            ("0003-search.md", SEARCH),
        ]);
        specs.search("webhook");
        // Edited: read again, and every score follows (BM25 depends on all documents).
        specs.write(
            "0002-limiter.md",
            &LIMITER.replace("tenant", "tenant zebra"),
        );
        let edited = specs.search("zebra webhook");
        assert_eq!(edited.origin, Origin::Refreshed { read: 1 });
        assert_eq!(
            ranking(&edited),
            site_ranking(&specs.files(), "zebra webhook")
        );
        // Touched, the same bytes: looked at, not rendered.
        Specs::age(&specs.dir.path().join("0001-webhook.md"), 30);
        assert_eq!(
            specs.search("webhook").origin,
            Origin::Refreshed { read: 0 }
        );
        assert_eq!(specs.search("webhook").origin, Origin::Stored);
        // Added and removed.
        specs.write(
            "0004-zebra.md",
            "# Zebra Crossings\n\nA zebra and a webhook.\n",
        );
        specs.remove("0003-search.md");
        let changed = specs.search("zebra webhook");
        assert_eq!(changed.origin, Origin::Refreshed { read: 1 });
        assert_eq!(
            ranking(&changed),
            site_ranking(&specs.files(), "zebra webhook")
        );
        let ids: Vec<&str> = changed.docs.iter().map(|d| d.info.id.as_str()).collect();
        assert_eq!(ids, ["0001", "0002", "0004"]);
    }

    #[test]
    fn the_terms_of_rewritten_specs_do_not_pile_up() {
        let mut specs = Specs::new(&[("0001-webhook.md", WEBHOOK), ("0002-limiter.md", LIMITER)]);
        specs.search("webhook");
        let terms = |specs: &Specs| {
            Store::open(&specs.store())
                .unwrap()
                .counts()
                .unwrap()
                .terms
                .len()
        };
        let at_first = terms(&specs);
        for round in 0..6 {
            let words = (0..200)
                .map(|w| format!("word{round}x{w}"))
                .collect::<Vec<_>>()
                .join(" ");
            specs.write("0002-limiter.md", &format!("{LIMITER}\n{words}\n"));
            let query = format!("word{round}x7 webhook");
            let searched = specs.search(&query);
            assert_eq!(searched.origin, Origin::Refreshed { read: 1 });
            assert_eq!(ranking(&searched), site_ranking(&specs.files(), &query));
            // At most the live terms and as many dead ones.
            assert!(
                terms(&specs) <= 2 * (at_first + 200),
                "{} terms",
                terms(&specs)
            );
        }
    }

    #[test]
    fn a_file_changed_just_now_is_checked_by_its_bytes_next_time() {
        let specs = Specs::new(&[("0001-webhook.md", WEBHOOK)]);
        specs.search("webhook");
        // Written within the clock's tick of the store: its stamp is not trusted.
        let path = specs.dir.path().join("0001-webhook.md");
        std::fs::write(&path, WEBHOOK.replace("backoff", "jitter")).unwrap();
        assert_eq!(specs.search("jitter").origin, Origin::Refreshed { read: 1 });
        // Same size, same time, other bytes: still seen, by the hash.
        let stamp = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::fs::write(&path, WEBHOOK.replace("backoff", "jittex")).unwrap();
        File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(stamp)
            .unwrap();
        let found = specs.search("jittex");
        assert_eq!(found.hits.len(), 1);
    }

    #[test]
    fn a_damaged_or_foreign_store_is_made_again() {
        let specs = Specs::new(&[("0001-webhook.md", WEBHOOK), ("0002-limiter.md", LIMITER)]);
        specs.search("webhook");
        let expected = site_ranking(&specs.files(), "webhook");
        let bytes = std::fs::read(specs.store()).unwrap();
        for damaged in [
            bytes[..bytes.len() / 2].to_vec(),
            b"specbook-search v2 99999999999 1 1\n".to_vec(),
            b"not a store".to_vec(),
            bytes.iter().map(|b| b ^ 0x55).collect(),
        ] {
            std::fs::write(specs.store(), &damaged).unwrap();
            let searched = specs.search("webhook");
            assert_eq!(searched.origin, Origin::Refreshed { read: 2 });
            assert_eq!(ranking(&searched), expected);
        }
        // Another configuration or template (another key): made again.
        let other = search(
            &checker(),
            &specs.files(),
            &specs.store(),
            8,
            true,
            "webhook",
        );
        assert_eq!(other.origin, Origin::Refreshed { read: 2 });
    }

    #[test]
    fn a_search_of_some_specs_leaves_the_store_as_it_is() {
        let specs = Specs::new(&[("0001-webhook.md", WEBHOOK), ("0002-limiter.md", LIMITER)]);
        specs.search("webhook");
        let before = std::fs::read(specs.store()).unwrap();
        let some = &specs.files()[1..];
        let searched = search(&checker(), some, &specs.store(), 7, false, "webhook");
        assert_eq!(searched.origin, Origin::Refreshed { read: 0 });
        assert_eq!(ranking(&searched), site_ranking(some, "webhook"));
        assert_eq!(std::fs::read(specs.store()).unwrap(), before);
        assert_eq!(specs.search("webhook").origin, Origin::Stored);
    }
}
