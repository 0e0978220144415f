//! A deterministic generator of realistic specs that follow specbook's built-in template, with
//! planted defects whose expected diagnostic counts are known exactly.
//!
//! Used for end-to-end tests (every planted defect must be reported, nothing else) and for
//! benchmarks (`bench/check.sh`). A spec depends only on the seed and its own index, so a
//! smaller corpus is a prefix of a larger one with the same seed.

mod build;
mod date;
mod defects;
mod domains;
mod outline;
mod prose;
mod rng;
mod spec;

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use serde::Serialize;

pub use defects::RULES;

/// One generated spec.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GeneratedSpec {
    /// `NNNN-slug.md`, numbered from 0001.
    pub file_name: String,
    pub text: String,
    /// The Status field as written (`Pending` when an invalid status was planted).
    pub status: &'static str,
    /// Rule name to the exact number of diagnostics a correct checker reports; only rules with
    /// a planted defect appear.
    pub planted: BTreeMap<&'static str, usize>,
}

/// Generates `count` specs; each gets 1-3 planted defects with probability
/// `defect_rate_percent`/100 (values above 100 mean always).
#[must_use]
pub fn generate(count: usize, seed: u64, defect_rate_percent: u32) -> Vec<GeneratedSpec> {
    (0..count)
        .map(|index| generate_one(seed, index, defect_rate_percent))
        .collect()
}

fn generate_one(seed: u64, index: usize, defect_rate_percent: u32) -> GeneratedSpec {
    let mut ctx = build::new_ctx(seed, index as u64);
    let (mut spec, status) = build::build(&mut ctx);
    let (planted, status) = defects::plant(&mut ctx, &mut spec, status, defect_rate_percent);
    GeneratedSpec {
        file_name: format!("{:04}-{}.md", index + 1, build::slug(&spec.name)),
        text: spec.render(),
        status,
        planted,
    }
}

/// Writes `count` specs into `dir` (created if missing; existing files are left alone) and
/// returns the planted totals for every rule in [`RULES`], zeros included.
pub fn write_corpus(
    dir: &Path,
    count: usize,
    seed: u64,
    defect_rate_percent: u32,
) -> io::Result<BTreeMap<&'static str, usize>> {
    write_corpus_with(dir, count, seed, defect_rate_percent, |_| {})
}

/// [`write_corpus`], calling `each` with every spec after it is written (for manifests).
pub fn write_corpus_with(
    dir: &Path,
    count: usize,
    seed: u64,
    defect_rate_percent: u32,
    mut each: impl FnMut(&GeneratedSpec),
) -> io::Result<BTreeMap<&'static str, usize>> {
    std::fs::create_dir_all(dir)?;
    let mut totals: BTreeMap<&'static str, usize> = RULES.iter().map(|&r| (r, 0)).collect();
    // One spec at a time: a 10,000-spec corpus never sits in memory whole.
    for index in 0..count {
        let spec = generate_one(seed, index, defect_rate_percent);
        std::fs::write(dir.join(&spec.file_name), &spec.text)?;
        for (rule, n) in &spec.planted {
            *totals.entry(rule).or_default() += n;
        }
        each(&spec);
    }
    Ok(totals)
}

#[cfg(test)]
mod tests;
