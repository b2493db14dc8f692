//! Saving and restoring the simulator's mutable state: every team's groups, blocklists,
//! spend limits, Bugbot switches, model access and agents (v0 and v1), with the clocks, as one
//! JSON document. The synthetic data is not saved: the seed and sizes rebuild it exactly, so a
//! snapshot records them and refuses to load into a simulator built from others.
//!
//! Rate-limit windows, the journal, faults and restatements are not part of a snapshot: they
//! belong to one run of the server.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let path = std::path::Path::new("mock-state.json");
//! let server = cursor_mock::MockServer::start(cursor_mock::MockConfig::default()).await?;
//! if let Some(snapshot) = cursor_mock::persist::load(path)? {
//!     server.restore(snapshot).map_err(std::io::Error::other)?;
//! }
//! // … requests …
//! cursor_mock::persist::save(path, &server.snapshot())?;
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::config::DataSizes;
use crate::state::{AppState, TeamState};

/// The version of the snapshot format this build writes and reads.
pub const SNAPSHOT_FORMAT: u32 = 1;

/// The simulator's mutable state at one moment.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MockSnapshot {
    /// [`SNAPSHOT_FORMAT`] when written.
    pub format: u32,
    /// The seed of the synthetic team the state refers to (members are saved by index).
    pub seed: u64,
    /// The sizes of the synthetic team.
    pub data: DataSizes,
    /// The calendar's manual advance (`/__mock/clock/advance`).
    pub calendar_advance: Duration,
    /// Simulated time elapsed when saved: agent runs are timed on this clock.
    pub sim_elapsed: Duration,
    /// Each API key's team.
    pub teams: BTreeMap<String, TeamState>,
}

/// Why a snapshot cannot be restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestoreError {
    /// Written by another version of the format.
    Format {
        /// The version found.
        found: u32,
    },
    /// Saved from a simulator with another seed or other data sizes: the indexes it keeps
    /// would name other members.
    DataMismatch {
        /// The seed the snapshot was saved with.
        saved_seed: u64,
        /// The seed of the simulator it was to be loaded into.
        seed: u64,
    },
}

impl fmt::Display for RestoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RestoreError::Format { found } => {
                write!(f, "the saved state is in format {found}; this simulator reads format {SNAPSHOT_FORMAT}")
            }
            RestoreError::DataMismatch { saved_seed, seed } => write!(
                f,
                "the saved state belongs to a simulated team with seed {saved_seed} (or other sizes), not seed {seed}: \
                 reset it or use another state file"
            ),
        }
    }
}

impl std::error::Error for RestoreError {}

/// Reads a snapshot; `Ok(None)` when the file does not exist. A file that is not a snapshot
/// is an [`InvalidData`](std::io::ErrorKind::InvalidData) error naming the file.
pub fn load(path: &Path) -> std::io::Result<Option<MockSnapshot>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error),
    };
    serde_json::from_slice(&bytes).map(Some).map_err(|error| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{} is not a saved simulator state: {error}", path.display()),
        )
    })
}

/// Writes a snapshot atomically (see [`write_atomically`]).
pub fn save(path: &Path, snapshot: &MockSnapshot) -> std::io::Result<()> {
    write_atomically(path, &serde_json::to_vec(snapshot).map_err(std::io::Error::other)?)
}

/// Writes `bytes` to `path` atomically: to a temporary file beside it, then renamed over it,
/// so a reader, or a process killed half-way, sees the old content or the new, never half of
/// it. Missing parent directories are created. The file is not forced to the disk (`fsync`
/// costs some 80 ms a write here, on every `--mock` command): a simulator's state is not worth
/// that against a power cut, only against a killed process.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let temporary = temporary_path(path);
    let written = (|| {
        std::fs::File::create(&temporary)?.write_all(bytes)?;
        std::fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// `NAME.PID.tmp` beside the file: one per process, so two savers never share one.
fn temporary_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_else(|| "state".into());
    name.push(format!(".{}.tmp", std::process::id()));
    path.with_file_name(name)
}

impl AppState {
    /// Every team's mutable state and the clocks, after moving agents along the clock.
    pub fn snapshot(&self) -> MockSnapshot {
        self.tick();
        let teams = self.lock_teams().iter().map(|(key, team)| (key.clone(), team.clone())).collect();
        MockSnapshot {
            format: SNAPSHOT_FORMAT,
            seed: self.config.seed,
            data: self.config.data.clone(),
            calendar_advance: self.clock.advanced(),
            sim_elapsed: self.clock.sim_elapsed(),
            teams,
        }
    }

    /// Replaces every team's state with a snapshot's and resumes its clocks. A snapshot of
    /// another seed or other data sizes is refused, and nothing changes.
    pub fn restore(&self, snapshot: MockSnapshot) -> Result<(), RestoreError> {
        if snapshot.format != SNAPSHOT_FORMAT {
            return Err(RestoreError::Format { found: snapshot.format });
        }
        if snapshot.seed != self.config.seed || snapshot.data != self.config.data {
            return Err(RestoreError::DataMismatch { saved_seed: snapshot.seed, seed: self.config.seed });
        }
        self.clock.resume(snapshot.calendar_advance, snapshot.sim_elapsed);
        *self.lock_teams() = snapshot.teams.into_iter().collect();
        Ok(())
    }
}

/// An agent message as saved: its kind as owned text, checked against the two spellings the
/// API uses when read back.
#[derive(Deserialize)]
struct SavedMessage {
    id: String,
    kind: String,
    text: String,
}

// By hand: a derived impl would borrow the `&'static str` kind from the input.
impl<'de> Deserialize<'de> for crate::state::AgentMessage {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let saved = SavedMessage::deserialize(deserializer)?;
        let kind = match saved.kind.as_str() {
            "user_message" => "user_message",
            "assistant_message" => "assistant_message",
            other => return Err(serde::de::Error::custom(format!("unknown message kind `{other}`"))),
        };
        Ok(Self { id: saved.id, kind, text: saved.text })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(seed: u64) -> MockSnapshot {
        MockSnapshot {
            format: SNAPSHOT_FORMAT,
            seed,
            data: DataSizes::default(),
            calendar_advance: Duration::from_secs(5),
            sim_elapsed: Duration::from_millis(1234),
            teams: BTreeMap::new(),
        }
    }

    #[test]
    fn a_saved_snapshot_loads_back_and_leaves_no_temporary_file() {
        let dir = std::env::temp_dir().join(format!("cursor-mock-persist-{}", std::process::id()));
        let path = dir.join("nested").join("state.json");
        assert!(load(&path).unwrap().is_none(), "no file yet");
        save(&path, &snapshot(9)).unwrap();
        save(&path, &snapshot(11)).unwrap();
        let loaded = load(&path).unwrap().expect("saved");
        assert_eq!((loaded.seed, loaded.sim_elapsed), (11, Duration::from_millis(1234)));
        let names: Vec<_> =
            std::fs::read_dir(path.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("state.json")]);
        std::fs::write(&path, b"{not json").unwrap();
        assert_eq!(load(&path).unwrap_err().kind(), std::io::ErrorKind::InvalidData);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
