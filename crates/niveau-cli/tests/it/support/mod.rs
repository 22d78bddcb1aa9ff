//! Running `niveau serve` and the database commands from tests: start the real binary,
//! find the address it prints, talk HTTP to it, send it signals.
//!
//! The waits below are guards against a hang (a test that would otherwise never end),
//! never assertions about speed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long to wait for something that should happen at once before calling it a hang.
pub const HANG_GUARD: Duration = Duration::from_secs(120);

/// A password long enough for `niveau user add`.
pub const PASSWORD: &str = "korrekt hest batteri hæfteklamme";

/// A `niveau` command with a clean environment: no NIVEAU_* settings from the caller
/// (the tests set what they need), Danish output.
pub fn command(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_niveau"));
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("NIVEAU_") {
            cmd.env_remove(&key);
        }
    }
    cmd.current_dir(dir);
    cmd
}

/// Run `niveau ARGS` in `dir`, with `stdin` as standard input.
pub fn run(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = command(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Run `niveau ARGS` and insist on success; returns standard output.
pub fn run_ok(dir: &Path, args: &[&str], stdin: &str) -> String {
    let out = run(dir, args, stdin);
    assert!(
        out.status.success(),
        "niveau {args:?} failed ({}):\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Make an account with `role` and return a new API token with read and write scope.
pub fn account_with_token(dir: &Path, database: &str, name: &str, role: &str) -> String {
    run_ok(
        dir,
        &[
            "user",
            "add",
            name,
            "--role",
            role,
            "--password-stdin",
            "--database",
            database,
        ],
        &format!("{PASSWORD}\n"),
    );
    let token = run_ok(
        dir,
        &[
            "user",
            "token",
            name,
            "--name",
            "test",
            "--scope",
            "read",
            "--scope",
            "write",
            "--database",
            database,
        ],
        "",
    );
    let token = token.trim().to_string();
    assert!(token.starts_with("niveau_"), "not a token: {token:?}");
    token
}

/// A running `niveau serve`.
pub struct Server {
    /// The process (taken by [`Server::wait`]).
    child: Option<Child>,
    /// Its process id.
    pub pid: u32,
    /// The address it printed.
    pub addr: SocketAddr,
    /// Standard error so far (and as it grows).
    pub stderr: Arc<Mutex<String>>,
    /// Standard output lines after the address line.
    pub stdout: Arc<Mutex<String>>,
}

impl Server {
    /// Start `niveau serve --listen 127.0.0.1:0 EXTRA…` in `dir` and wait for the line
    /// with the address.
    pub fn start(dir: &Path, extra: &[&str]) -> Server {
        Server::start_with(dir, extra, &[])
    }

    /// [`Server::start`] with extra environment variables.
    pub fn start_with(dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let mut cmd = command(dir);
        cmd.args(["serve", "--listen", "127.0.0.1:0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let stdout = Arc::new(Mutex::new(String::new()));
        {
            let stderr = stderr.clone();
            let mut pipe = child.stderr.take().unwrap();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = pipe.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    stderr
                        .lock()
                        .unwrap()
                        .push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            });
        }
        let (tx, rx) = mpsc::channel();
        {
            let stdout = stdout.clone();
            let pipe = child.stdout.take().unwrap();
            std::thread::spawn(move || {
                let mut sent = false;
                for line in BufReader::new(pipe).lines() {
                    let Ok(line) = line else { break };
                    if !sent && let Some(i) = line.find("http://") {
                        let _ = tx.send(line[i + "http://".len()..].trim().to_string());
                        sent = true;
                    } else {
                        let mut out = stdout.lock().unwrap();
                        out.push_str(&line);
                        out.push('\n');
                    }
                }
            });
        }
        let addr = match rx.recv_timeout(HANG_GUARD) {
            Ok(addr) => addr.parse().unwrap(),
            Err(_) => {
                let _ = child.kill();
                let status = child.wait().unwrap();
                std::thread::sleep(Duration::from_millis(200));
                panic!(
                    "niveau serve printed no address ({status}); stderr:\n{}",
                    stderr.lock().unwrap()
                );
            }
        };
        Server {
            pid: child.id(),
            child: Some(child),
            addr,
            stderr,
            stdout,
        }
    }

    /// `http://ADDR`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Kill the process with SIGKILL and reap it.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    /// Send a signal.
    pub fn signal(&self, signal: nix::sys::signal::Signal) {
        let pid = nix::unistd::Pid::from_raw(i32::try_from(self.pid).unwrap());
        nix::sys::signal::kill(pid, signal).unwrap();
    }

    /// Wait for the process to end (with a hang guard).
    pub fn wait(mut self) -> (ExitStatus, String) {
        let (tx, rx) = mpsc::channel();
        let mut child = self.child.take().unwrap();
        std::thread::spawn(move || {
            let _ = tx.send(child.wait());
        });
        let status = match rx.recv_timeout(HANG_GUARD) {
            Ok(status) => status.unwrap(),
            Err(_) => panic!(
                "niveau serve did not exit; stderr:\n{}",
                self.stderr.lock().unwrap()
            ),
        };
        // Let the reader threads drain the pipes.
        std::thread::sleep(Duration::from_millis(100));
        let stderr = self.stderr.lock().unwrap().clone();
        (status, stderr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// An HTTP agent that returns every status as a response, not an error.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(HANG_GUARD))
        .build()
        .into()
}

/// GET a URL: (status, body).
pub fn get(url: &str, token: Option<&str>) -> (u16, String) {
    let mut req = agent().get(url);
    if let Some(token) = token {
        req = req.header("Authorization", &format!("Bearer {token}"));
    }
    let mut resp = req.call().unwrap();
    let status = resp.status().as_u16();
    (status, resp.body_mut().read_to_string().unwrap())
}

/// POST JSON: (status, body); `Err` when the connection fails.
pub fn post_json(
    agent: &ureq::Agent,
    url: &str,
    token: &str,
    body: &str,
) -> Result<(u16, String), ureq::Error> {
    let mut resp = agent
        .post(url)
        .header("Authorization", &format!("Bearer {token}"))
        .content_type("application/json")
        .send(body)?;
    let status = resp.status().as_u16();
    Ok((status, resp.body_mut().read_to_string()?))
}

/// Whether a TCP connection to `addr` is refused (the server has stopped listening).
pub fn refuses_connections(addr: SocketAddr) -> bool {
    TcpStream::connect_timeout(&addr, Duration::from_secs(5)).is_err()
}
