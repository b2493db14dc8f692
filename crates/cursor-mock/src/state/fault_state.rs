//! The faults in force and the seeded generator that rolls them: the part of fault
//! injection that the server state holds (the middleware that applies them is `faults`).

use std::sync::Mutex;

use axum::http::StatusCode;

use crate::config::{FaultConfig, FaultSpec};

/// The faults in force and the generator deciding each roll.
#[derive(Debug)]
pub struct FaultState {
    config: Mutex<FaultConfig>,
    rng: Mutex<fastrand::Rng>,
}

impl FaultState {
    /// Initial faults; rolls are seeded so that runs repeat.
    pub fn new(config: FaultConfig, seed: u64) -> Self {
        Self { config: Mutex::new(config), rng: Mutex::new(fastrand::Rng::with_seed(seed ^ 0xfa17)) }
    }

    /// The faults in force.
    pub fn get(&self) -> FaultConfig {
        self.config.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Replaces the faults in force.
    pub fn set(&self, config: FaultConfig) {
        *self.config.lock().unwrap_or_else(|e| e.into_inner()) = config;
    }

    /// The fault for a request, consuming one use of a counted rule.
    pub(crate) fn select(&self, method: &str, path: &str) -> FaultSpec {
        let mut config = self.config.lock().unwrap_or_else(|e| e.into_inner());
        let found = config.routes.iter().position(|rule| {
            path.starts_with(&rule.path) && rule.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
        });
        match found {
            Some(i) => {
                let spec = config.routes[i].fault.clone();
                if let Some(times) = config.routes[i].times.as_mut() {
                    *times = times.saturating_sub(1);
                    if *times == 0 {
                        config.routes.remove(i);
                    }
                }
                spec
            }
            None => config.global.clone(),
        }
    }

    pub(crate) fn roll(&self, probability: f64) -> bool {
        probability > 0.0 && self.rng.lock().unwrap_or_else(|e| e.into_inner()).f64() < probability
    }

    /// A seed for a fault that rolls as it streams.
    pub(crate) fn seed(&self) -> u64 {
        self.rng.lock().unwrap_or_else(|e| e.into_inner()).u64(..)
    }

    pub(crate) fn pick_status(&self, statuses: &[u16]) -> StatusCode {
        let default = [500, 502, 503];
        let statuses = if statuses.is_empty() { &default[..] } else { statuses };
        let i = self.rng.lock().unwrap_or_else(|e| e.into_inner()).usize(..statuses.len());
        StatusCode::from_u16(statuses[i]).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}
