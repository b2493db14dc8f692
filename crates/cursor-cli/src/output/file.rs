//! Files written whole or not at all: output goes to a temporary file beside the target and
//! is renamed over it only when complete, so Ctrl-C or an error never leaves a partial file.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file being written: a temporary file in the target's folder until [`commit`](Self::commit)
/// renames it to the target. Dropped without a commit (an error, Ctrl-C), it is removed.
#[derive(Debug)]
pub(crate) struct AtomicFile {
    target: PathBuf,
    temp: PathBuf,
    file: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Starts writing `target` (through a hidden temporary file beside it).
    pub(crate) fn create(target: &Path) -> io::Result<Self> {
        let name = target.file_name().ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, format!("{} is not a file name", target.display()))
        })?;
        let temp = target.with_file_name(format!(".{}.{}.part", name.to_string_lossy(), std::process::id()));
        let file = File::create(&temp)?;
        Ok(Self { target: target.to_owned(), temp, file: Some(BufWriter::new(file)) })
    }

    /// The path of the temporary file (for tests and messages).
    #[cfg(test)]
    pub(crate) fn temp_path(&self) -> &Path {
        &self.temp
    }

    /// Flushes the data to disk and renames the temporary file to the target.
    pub(crate) fn commit(mut self) -> io::Result<()> {
        if let Some(file) = self.file.take() {
            let file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
            file.sync_all()?;
        }
        std::fs::rename(&self.temp, &self.target)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.as_mut().map_or(Ok(0), |f| f.write(buf))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), Write::flush)
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // Still open: never committed, so the target keeps whatever it had before.
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// Where a command writes: stdout (`-`) or a file written atomically.
#[derive(Debug)]
pub(crate) enum Destination {
    /// Standard output.
    Stdout,
    /// A file, renamed into place by [`Destination::finish`].
    File(AtomicFile),
}

impl Destination {
    /// `-` is stdout; anything else a file created atomically.
    pub(crate) fn open(path: &Path) -> io::Result<Self> {
        if path.as_os_str() == "-" { Ok(Self::Stdout) } else { AtomicFile::create(path).map(Self::File) }
    }

    /// Completes the output: flushes stdout, or renames the file into place.
    pub(crate) fn finish(self) -> io::Result<()> {
        match self {
            Self::Stdout => io::stdout().flush(),
            Self::File(file) => file.commit(),
        }
    }
}

impl Write for Destination {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Self::Stdout => io::stdout().write(buf),
            Self::File(file) => file.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Self::Stdout => io::stdout().flush(),
            Self::File(file) => file.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("cursor-cli-atomic-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("out.csv")
    }

    #[test]
    fn the_target_appears_only_on_commit() {
        let target = scratch("commit");
        let mut file = AtomicFile::create(&target).unwrap();
        file.write_all(b"a,b\n1,2\n").unwrap();
        assert!(!target.exists(), "nothing at the target before the commit");
        let temp = file.temp_path().to_owned();
        file.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "a,b\n1,2\n");
        assert!(!temp.exists());
        std::fs::remove_dir_all(target.parent().unwrap()).unwrap();
    }

    #[test]
    fn a_dropped_file_leaves_nothing_and_keeps_the_old_target() {
        let target = scratch("drop");
        std::fs::write(&target, "old").unwrap();
        let mut file = AtomicFile::create(&target).unwrap();
        file.write_all(b"half a ro").unwrap();
        let temp = file.temp_path().to_owned();
        drop(file);
        assert!(!temp.exists(), "the temporary file is removed");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        std::fs::remove_dir_all(target.parent().unwrap()).unwrap();
    }
}
