//! A stand-in forge on 127.0.0.1 for tests of `niveau check --org`: it answers API
//! requests from a table of canned replies, records every request (method, path with
//! query, headers), and serves the git repositories below a folder over smart HTTP by
//! running `git http-backend` (git's own server, as CGI) for paths under `/git/`.
//!
//! Plain `std::net`, one thread per connection, one request per connection
//! (`Connection: close`). Nothing leaves the machine.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// A canned answer.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// Extra headers (name, value).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Reply {
    /// A 200 answer with a JSON body.
    pub fn json(body: impl Into<String>) -> Self {
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into().into_bytes(),
        }
    }

    /// The same answer with one more header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// An answer with this status and a JSON message.
    pub fn status(status: u16) -> Self {
        Reply {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: br#"{"message":"Not Found"}"#.to_vec(),
        }
    }
}

/// One request as the stub received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path with its query, as sent.
    pub target: String,
    /// The headers, names in lower case.
    pub headers: Vec<(String, String)>,
}

impl Recorded {
    /// The value of a header (name in any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

type Routes = Arc<Mutex<HashMap<String, Reply>>>;

/// A running stub forge, stopped when dropped.
#[derive(Debug)]
pub struct ForgeStub {
    base: String,
    routes: Routes,
    requests: Arc<Mutex<Vec<Recorded>>>,
    stop: Arc<AtomicBool>,
    port: u16,
}

impl ForgeStub {
    /// Starts a stub on a free port of 127.0.0.1; the repositories below `git_root`
    /// are served at `/git/…` (`/git/acme/one.git` is `git_root/acme/one.git`).
    pub fn start(git_root: &Path) -> ForgeStub {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
        let port = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("local_addr: {e}"))
            .port();
        let routes: Routes = Arc::default();
        let requests: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let (r, q, s) = (routes.clone(), requests.clone(), stop.clone());
        let root = git_root.to_owned();
        let home = std::env::temp_dir();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (r, q, root, home) = (r.clone(), q.clone(), root.clone(), home.clone());
                std::thread::spawn(move || {
                    let _ = serve(stream, &r, &q, &root, &home);
                });
            }
        });
        ForgeStub {
            base: format!("http://127.0.0.1:{port}"),
            routes,
            requests,
            stop,
            port,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Answers requests for `target` (path and query, exactly as sent) with `reply`.
    pub fn route(&self, target: &str, reply: Reply) -> &Self {
        if let Ok(mut routes) = self.routes.lock() {
            routes.insert(target.to_owned(), reply);
        }
        self
    }

    /// The requests received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// The requests received so far outside `/git/`.
    pub fn api_requests(&self) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| !r.target.starts_with("/git/"))
            .collect()
    }
}

impl Drop for ForgeStub {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve(
    stream: TcpStream,
    routes: &Routes,
    requests: &Mutex<Vec<Recorded>>,
    root: &Path,
    home: &Path,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((n, v)) = h.split_once(':') {
            headers.push((n.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    let recorded = Recorded {
        method: method.clone(),
        target: target.clone(),
        headers,
    };
    let body = read_body(&mut reader, &recorded)?;
    if let Ok(mut r) = requests.lock() {
        r.push(recorded.clone());
    }
    let reply = if let Some(path) = target.strip_prefix("/git") {
        cgi(root, home, &recorded, path, &body)
    } else {
        routes
            .lock()
            .ok()
            .and_then(|r| r.get(&target).cloned())
            .unwrap_or_else(|| Reply::status(404))
    };
    write_reply(stream, &reply)
}

fn read_body(reader: &mut BufReader<TcpStream>, req: &Recorded) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    if req
        .header("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let size = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16)
                .unwrap_or(0);
            if size == 0 {
                let mut end = String::new();
                reader.read_line(&mut end)?;
                break;
            }
            let mut chunk = vec![0; size];
            reader.read_exact(&mut chunk)?;
            body.extend_from_slice(&chunk);
            let mut crlf = [0u8; 2];
            reader.read_exact(&mut crlf)?;
        }
    } else if let Some(len) = req.header("content-length").and_then(|l| l.parse().ok()) {
        body.resize(len, 0);
        reader.read_exact(&mut body)?;
    }
    Ok(body)
}

fn write_reply(mut stream: TcpStream, reply: &Reply) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} X\r\n", reply.status);
    for (n, v) in &reply.headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        reply.body.len()
    ));
    stream.write_all(head.as_bytes())?;
    stream.write_all(&reply.body)?;
    stream.flush()
}

/// Runs `git http-backend` for one request.
fn cgi(root: &Path, home: &Path, req: &Recorded, path: &str, body: &[u8]) -> Reply {
    let (path_info, query) = path.split_once('?').unwrap_or((path, ""));
    let mut cmd = Command::new("git");
    cmd.arg("http-backend")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_PROJECT_ROOT", root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("REQUEST_METHOD", &req.method)
        .env("PATH_INFO", path_info)
        .env("QUERY_STRING", query)
        .env(
            "CONTENT_TYPE",
            req.header("content-type").unwrap_or_default(),
        )
        .env("CONTENT_LENGTH", body.len().to_string())
        .env("REMOTE_ADDR", "127.0.0.1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(p) = req.header("git-protocol") {
        cmd.env("GIT_PROTOCOL", p);
    }
    if let Some(e) = req.header("content-encoding") {
        cmd.env("HTTP_CONTENT_ENCODING", e);
    }
    let Ok(mut child) = cmd.spawn() else {
        return Reply::status(500);
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(body);
    }
    let Ok(out) = child.wait_with_output() else {
        return Reply::status(500);
    };
    let split = out
        .stdout
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, 4))
        .or_else(|| {
            out.stdout
                .windows(2)
                .position(|w| w == b"\n\n")
                .map(|i| (i, 2))
        });
    let Some((at, len)) = split else {
        return Reply::status(500);
    };
    let mut reply = Reply {
        status: 200,
        headers: Vec::new(),
        body: out.stdout[at + len..].to_vec(),
    };
    for line in String::from_utf8_lossy(&out.stdout[..at]).lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        if name.eq_ignore_ascii_case("status") {
            reply.status = value
                .trim()
                .get(..3)
                .and_then(|s| s.parse().ok())
                .unwrap_or(500);
        } else {
            reply
                .headers
                .push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    reply
}

/// A folder for [`ForgeStub::start`] with bare copies of `repos` (name, work tree or
/// repository path) as `ORG/NAME.git`.
pub fn git_root(org: &str, repos: &[(&str, &Path)]) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let mut paths = Vec::new();
    for (name, source) in repos {
        let target = dir.path().join(org).join(format!("{name}.git"));
        let ok = Command::new("git")
            .args(["clone", "--quiet", "--bare"])
            .arg(source)
            .arg(&target)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "git clone --bare {}", source.display());
        paths.push(target);
    }
    (dir, paths)
}
