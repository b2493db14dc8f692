//! Shared helpers of the `cursor` binary's tests: running the binary, and a simulator on a
//! runtime of its own that keeps answering while a test waits for the binary.

#![allow(dead_code)]

use std::process::{Command, Output};

use cursor_mock::{FaultConfig, FaultSpec, MockConfig, MockServer, RouteFault};

/// A `cursor` command without the caller's key, base URL or log settings.
pub fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cursor"));
    command
        .args(args)
        .env_remove("CURSOR_API_KEY")
        .env_remove("CURSOR_BASE_URL")
        .env_remove("RUST_LOG")
        .env_remove("COLUMNS")
        // `--mock` keeps nothing between commands: parallel tests never share a state file.
        .env("CURSOR_MOCK_STATE", "");
    command
}

/// Runs `cursor` with `args` to the end.
pub fn cursor(args: &[&str]) -> Output {
    command(args).output().expect("the binary runs")
}

/// Its stdout as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Its stderr as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The key the simulators of these tests accept.
pub const KEY: &str = "key_testSECRET42";

/// A simulator on its own runtime (its tasks run while the test blocks on the binary).
pub struct Sim {
    server: Option<MockServer>,
    runtime: tokio::runtime::Runtime,
}

impl Sim {
    /// A simulator with the test configuration, accepting [`KEY`] only.
    pub fn start() -> Self {
        Self::with(|_| {})
    }

    /// A simulator whose test configuration `adjust` changes first.
    pub fn with(adjust: impl FnOnce(&mut MockConfig)) -> Self {
        let mut config = MockConfig { allowed_keys: Some(vec![KEY.to_owned()]), ..MockConfig::for_tests() };
        adjust(&mut config);
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let server = runtime.block_on(MockServer::start(config)).expect("the simulator starts");
        Self { server: Some(server), runtime }
    }

    /// A simulator where every request to `path` (by `method`, any when `None`) meets `fault`.
    pub fn with_fault(path: &str, method: Option<&str>, fault: FaultSpec) -> Self {
        let routes = vec![RouteFault { path: path.into(), method: method.map(Into::into), fault, times: None }];
        Self::with(|config| config.faults = FaultConfig { global: FaultSpec::default(), routes })
    }

    /// The base URL.
    pub fn url(&self) -> String {
        self.server.as_ref().unwrap().base_url()
    }

    /// The simulator itself.
    pub fn server(&self) -> &MockServer {
        self.server.as_ref().unwrap()
    }

    /// Runs `cursor` against this simulator with [`KEY`], `args` after the connection flags.
    pub fn cursor(&self, args: &[&str]) -> Output {
        let url = self.url();
        let mut all = vec!["--api-key", KEY, "--base-url", &url];
        all.extend_from_slice(args);
        cursor(&all)
    }

    /// Runs an async block on the simulator's runtime (to read it through the SDK).
    pub fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            self.runtime.block_on(server.shutdown());
        }
    }
}

/// An SDK client for the simulator (to compare what the binary prints with what the SDK reads).
pub fn sdk_client(sim: &Sim) -> cursor_core::Client {
    cursor_core::testing::loopback_client(&sim.url()).api_key(KEY).build().unwrap()
}
