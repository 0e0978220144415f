//! Reading a user's files, bounded: only regular files (a symlink is followed), up to a size
//! limit, so that a `/dev/zero`, a FIFO or a huge file named as a spec, template, config or
//! sidecar is a clear error for that path, not a run that hangs or eats the memory.

use std::io::Read as _;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// The default limit: far above any spec (the largest of 2,470 public ones is 300 KB).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

static MAX_FILE_SIZE: AtomicU64 = AtomicU64::new(DEFAULT_MAX_FILE_SIZE);

/// Sets the limit for the rest of the process (`max_file_size` in specbook.toml).
pub fn set_max_file_size(bytes: u64) {
    MAX_FILE_SIZE.store(bytes, Ordering::Relaxed);
}

#[must_use]
pub fn max_file_size() -> u64 {
    MAX_FILE_SIZE.load(Ordering::Relaxed)
}

/// `12.5 MB`, `2.0 KB`, `300 bytes`.
fn megabytes(bytes: u64) -> String {
    #[expect(clippy::cast_precision_loss, reason = "a size shown to one decimal")]
    let size = bytes as f64;
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", size / (1024.0 * 1024.0))
    } else if bytes >= 1024 {
        format!("{:.1} KB", size / 1024.0)
    } else {
        format!("{bytes} bytes")
    }
}

fn too_large(size: u64, limit: u64) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::FileTooLarge,
        format!(
            "{} is over the {} limit for one file (`max_file_size` in specbook.toml)",
            if size > limit {
                megabytes(size)
            } else {
                "it".to_owned()
            },
            megabytes(limit)
        ),
    )
}

/// Why a text of `size` bytes is not read, when it is over the limit (`max_file_size`): the
/// message `read` gives for such a file.
#[must_use]
pub fn over_limit(size: u64) -> Option<String> {
    let limit = max_file_size();
    (size > limit).then(|| too_large(size, limit).to_string())
}

/// Reads a whole regular file, refusing what is not one and what is over the limit.
pub fn read(path: &Path) -> std::io::Result<Vec<u8>> {
    let metadata = std::fs::metadata(path)?;
    let kind = metadata.file_type();
    if !kind.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "not a regular file ({}); specbook reads only regular files",
                describe(kind)
            ),
        ));
    }
    let limit = max_file_size();
    if metadata.len() > limit {
        return Err(too_large(metadata.len(), limit));
    }
    let file = open(path)?;
    // The size may grow between the look and the read (or lie, as in /proc): read at most
    // one byte past the limit.
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(0, limit));
    }
    Ok(bytes)
}

/// Reads a whole regular file as UTF-8 text (see [`read`]).
pub fn read_to_string(path: &Path) -> std::io::Result<String> {
    String::from_utf8(read(path)?).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// Opens without blocking: a file swapped for a FIFO after the look does not hang the run.
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::File::options();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits().cast_signed());
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file; specbook reads only regular files",
        ));
    }
    Ok(file)
}

fn describe(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "not a file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_fifos_and_huge_files_are_refused_with_what_they_are() {
        let error = read(Path::new("/dev/zero")).unwrap_err().to_string();
        assert_eq!(
            error,
            "not a regular file (a character device); specbook reads only regular files"
        );
        let dir = tempfile::tempdir().unwrap();
        let error = read(dir.path()).unwrap_err().to_string();
        assert!(error.contains("(a folder)"), "{error}");
        #[cfg(unix)]
        {
            let fifo = dir.path().join("fifo.md");
            assert!(
                std::process::Command::new("mkfifo")
                    .arg(&fifo)
                    .status()
                    .unwrap()
                    .success()
            );
            let error = read(&fifo).unwrap_err().to_string();
            assert!(error.contains("(a FIFO)"), "{error}");
            std::os::unix::fs::symlink("/dev/zero", dir.path().join("t.md")).unwrap();
            let error = read(&dir.path().join("t.md")).unwrap_err().to_string();
            assert!(error.contains("character device"), "{error}");
        }
        let big = dir.path().join("big.md");
        std::fs::write(&big, vec![b'a'; 2048]).unwrap();
        assert_eq!(read(&big).unwrap().len(), 2048);
    }

    #[test]
    fn sizes_read_as_megabytes() {
        assert_eq!(megabytes(16 * 1024 * 1024), "16.0 MB");
        assert_eq!(
            too_large(17 * 1024 * 1024, DEFAULT_MAX_FILE_SIZE).to_string(),
            "17.0 MB is over the 16.0 MB limit for one file (`max_file_size` in specbook.toml)"
        );
    }
}
