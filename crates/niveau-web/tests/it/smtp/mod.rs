//! A real SMTP server for the e-mail tests: aiosmtpd (from PyPI, installed by
//! scripts/ci-smtp.sh, which exports `NIVEAU_TEST_SMTP` with the venv's python) running
//! `server.py` next to this file, one process per test on a free port on 127.0.0.1. Each
//! accepted message lands in the server's folder as JSON; the server can be told to
//! refuse (4xx, 5xx) or to drop the connection mid-DATA, stopped and started again on the
//! same port.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// What the server does with the next message.
#[derive(Debug, Clone, Copy)]
pub enum Mode {
    /// 250 and keep it.
    Accept,
    /// 451.
    Refuse4,
    /// 550.
    Refuse5,
    /// Close the connection after DATA without a reply; keep nothing.
    Drop,
}

/// A message the server accepted.
#[derive(Debug, Clone, serde::Deserialize)]
#[allow(dead_code)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    pub data: String,
    pub subject: String,
    pub to: String,
    pub message_id: String,
    pub body: String,
}

/// A running aiosmtpd.
pub struct SmtpServer {
    pub port: u16,
    dir: tempfile::TempDir,
    python: String,
    child: Option<Child>,
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/smtp/server.py")
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

impl SmtpServer {
    /// Start a server on a free port. Fails (never skips) without `NIVEAU_TEST_SMTP`.
    pub fn start() -> SmtpServer {
        let python = std::env::var("NIVEAU_TEST_SMTP").unwrap_or_else(|_| {
            panic!("NIVEAU_TEST_SMTP is not set: run `source scripts/ci-smtp.sh` first")
        });
        let mut server = SmtpServer {
            port: free_port(),
            dir: tempfile::tempdir().unwrap(),
            python,
            child: None,
        };
        server.resume();
        server
    }

    /// Start (again) on the same port and folder.
    pub fn resume(&mut self) {
        assert!(self.child.is_none(), "already running");
        let log = std::fs::File::create(self.dir.path().join("server.log")).unwrap();
        let mut child = Command::new(&self.python)
            .arg(script())
            .arg(self.port.to_string())
            .arg(self.dir.path())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(
            line.trim(),
            "READY",
            "aiosmtpd did not start: {}",
            std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
        );
        self.child = Some(child);
    }

    /// Stop the server (the SMTP server disappears).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Change what the server does with the next message.
    pub fn set_mode(&self, mode: Mode) {
        let text = match mode {
            Mode::Accept => "accept",
            Mode::Refuse4 => "refuse4",
            Mode::Refuse5 => "refuse5",
            Mode::Drop => "drop",
        };
        std::fs::write(self.dir.path().join("mode"), text).unwrap();
    }

    /// The messages accepted so far, in order.
    pub fn received(&self) -> Vec<Received> {
        let mut names: Vec<_> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}
