//! A `civic-server` process, for the tests and the benchmark that need a real one (its log,
//! a SIGKILL, two of them on one database). Included with `#[path]` where needed.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `civic-server`, killed when dropped.
pub struct ServerProcess {
    child: Child,
    log: PathBuf,
    /// `http://127.0.0.1:PORT`, from its listening line.
    pub address: String,
}

impl ServerProcess {
    /// Runs `exe` (the caller's `env!("CARGO_BIN_EXE_civic-server")`) with `args` and `env`
    /// (give `CIVIC_ADDR=127.0.0.1:0` and a `RUST_LOG` that keeps info), its log into `log`,
    /// and waits up to a minute for it to listen.
    pub async fn start(exe: &str, args: &[&str], env: &[(&str, &str)], log: PathBuf) -> Self {
        let mut child = Command::new(exe)
            .args(args)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("the log file"))
            .spawn()
            .expect("the server binary starts");
        let deadline = Instant::now() + Duration::from_secs(60);
        let address = loop {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if let Some(at) = text.find("listening on http://") {
                let rest = &text[at + "listening on ".len()..];
                let end = rest.find(['"', ' ', '\n']).unwrap_or(rest.len());
                break rest[..end].to_owned();
            }
            assert!(Instant::now() < deadline, "no listening line in:\n{text}");
            if let Ok(Some(status)) = child.try_wait() {
                panic!("the server stopped ({status}):\n{text}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        Self {
            child,
            log,
            address,
        }
    }

    /// SIGKILL: no shutdown, connections cut mid-request.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Its log so far.
    pub fn log(&self) -> String {
        let mut text = String::new();
        let _ = std::fs::File::open(&self.log).map(|mut f| f.read_to_string(&mut text));
        text
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}
