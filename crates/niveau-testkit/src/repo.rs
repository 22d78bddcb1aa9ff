//! Temporary git repositories for the tests of the repository scanner.
//!
//! [`TestRepo`] builds real repositories with the machine's `git` command: commits with
//! fixed authors and dates, branches, merges, tags, symlinks, bare and shallow clones,
//! missing and corrupt objects, and large synthetic histories through `git fast-import`
//! ([`synthetic_history`]). Only the tests run git; the scanner under test reads
//! repositories with gix and never runs git.
//!
//! Results do not depend on the machine: every git invocation runs with
//! `GIT_CONFIG_NOSYSTEM=1`, `GIT_CONFIG_GLOBAL=/dev/null`, `HOME` pointed at a directory
//! inside the temporary directory, `LC_ALL=C`, and without the `GIT_*` variables that
//! redirect git to another repository or identity (`GIT_DIR`, `GIT_AUTHOR_NAME`, …), so a
//! test run from a git hook behaves like any other.
//!
//! Objects stay loose: every repository has `gc.auto=0` and `maintenance.auto=false`, so
//! git never packs them behind a test's back, and [`TestRepo::remove_object`] and
//! [`TestRepo::corrupt_object`] find an object's file under `objects/xx/yyyy…`. The only
//! packs are those written by `git fast-import` and by clones over `file://`; removing or
//! corrupting an object that lives in one unpacks the repository's packs first.
//!
//! This is test infrastructure, so a failing git command panics with the full command,
//! its exit status and its stderr instead of returning an error a test would have to
//! unwrap. Unix only (symlinks, `/dev/null`).
//!
//! ```no_run
//! use niveau_testkit::repo::TestRepo;
//!
//! let repo = TestRepo::new();
//! repo.write("README.md", "# Demo\n").write("LICENSE", "Mozilla Public License Version 2.0\n");
//! let first = repo.commit("Initial import", "2026-01-31T12:00:00Z");
//! repo.symlink("passwd", "/etc/passwd");
//! repo.commit("Add a link out of the repository", "2026-02-01T12:00:00Z");
//! let readme = repo.blob_id("README.md");
//! repo.remove_object(&readme);
//! assert_ne!(repo.head(), first);
//! ```

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

/// Author and committer name of [`TestRepo::commit`] and the repositories' `user.name`.
pub const AUTHOR_NAME: &str = "Niveau Test";

/// Author and committer e-mail of [`TestRepo::commit`] and the repositories' `user.email`.
pub const AUTHOR_EMAIL: &str = "test@niveau.invalid";

/// The date of the last commit of every [`synthetic_history`]: 2026-01-31T12:00:00Z as
/// seconds since the Unix epoch.
pub const SYNTHETIC_END: i64 = 1_769_860_800;

/// The span of a [`synthetic_history`]: its first commit is about five years (of 365.25
/// days) before [`SYNTHETIC_END`].
pub const SYNTHETIC_SPAN_SECONDS: i64 = 157_788_000;

/// The files every [`synthetic_history`] starts with, in this order (as many as the
/// history has files). `LICENSE` is the full Mozilla Public License 2.0 text and is never
/// changed afterwards.
pub const SYNTHETIC_FIXED_FILES: &[&str] = &[
    "README.md",
    "LICENSE",
    "Dockerfile",
    "docs/index.md",
    "docs/architecture.md",
    "docs/installation.md",
];

/// Variables that point git at another repository, configuration or identity. They are
/// removed from every git invocation, so a test behaves the same when it is run from a
/// git hook or a shell that has them set.
const REDIRECTING_VARIABLES: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_CEILING_DIRECTORIES",
    "GIT_DISCOVERY_ACROSS_FILESYSTEM",
    "GIT_CONFIG",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
    "GIT_CONFIG_SYSTEM",
    "GIT_TEMPLATE_DIR",
    "GIT_SHALLOW_FILE",
    "GIT_GRAFT_FILE",
    "GIT_REPLACE_REF_BASE",
    "GIT_NO_REPLACE_OBJECTS",
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_AUTHOR_DATE",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
    "GIT_COMMITTER_DATE",
    "EMAIL",
];

/// A git repository in a temporary directory, deleted when the value is dropped.
///
/// The temporary directory holds the repository (`repo/`, or `repo.git/` when bare) and
/// an empty `home/` that is `HOME` for every git invocation. [`TestRepo::write_outside`]
/// puts files next to the repository, for links that point out of it.
///
/// Methods that change the work tree (`write`, `remove`, `symlink`, `branch`, …) return
/// `&Self`, so they chain. Every method panics with the git command, its exit status and
/// its stderr when git fails.
#[derive(Debug)]
pub struct TestRepo {
    /// Kept alive for the lifetime of the repository; deleting it removes everything.
    root: TempDir,
    /// The work tree, or the git directory of a bare repository.
    path: PathBuf,
    /// The git directory (`repo/.git`, or `path` itself when bare).
    git_dir: PathBuf,
    /// `HOME` for every git invocation.
    home: PathBuf,
}

impl TestRepo {
    /// A new empty repository (`git init -b main`) with the local configuration described
    /// in the [module documentation](self), in a fresh temporary directory.
    pub fn new() -> Self {
        Self::init(None)
    }

    /// Like [`TestRepo::new`], but the temporary directory is created inside `parent`
    /// (e.g. on the same file system as a benchmark's directory).
    pub fn new_in(parent: impl AsRef<Path>) -> Self {
        Self::init(Some(parent.as_ref()))
    }

    fn init(parent: Option<&Path>) -> Self {
        let (root, home, root_path) = temp_root(parent);
        let path = root_path.join("repo");
        create_dir(&path);
        let repo = Self {
            root,
            git_dir: path.join(".git"),
            path,
            home,
        };
        repo.run(["init", "-q", "-b", "main"]);
        repo.configure();
        repo
    }

    /// Sets the local configuration every repository of this module has.
    fn configure(&self) {
        for (key, value) in [
            ("user.name", AUTHOR_NAME),
            ("user.email", AUTHOR_EMAIL),
            ("commit.gpgsign", "false"),
            ("tag.gpgsign", "false"),
            ("gc.auto", "0"),
            ("maintenance.auto", "false"),
        ] {
            self.run(["config", key, value]);
        }
    }

    /// The work tree, or the repository itself when it is bare.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The git directory: `path()/.git`, or `path()` when the repository is bare.
    pub fn git_dir(&self) -> &Path {
        &self.git_dir
    }

    /// A `file://` URL of the repository, for cloning by URL.
    pub fn file_url(&self) -> String {
        format!("file://{}", self.path.display())
    }

    /// Keeps the temporary directory instead of deleting it on drop, and returns the
    /// repository's path. For benchmarks, and for looking at the repository a failing
    /// test left behind.
    pub fn keep(self) -> PathBuf {
        let Self { root, path, .. } = self;
        let _kept = root.keep();
        path
    }

    // ----- running git ------------------------------------------------------------

    /// A `git` command with `args`, run in [`TestRepo::path`] with the isolated
    /// environment of the [module documentation](self). For checks that need the exit
    /// status or the raw output; [`TestRepo::run`] is shorter otherwise.
    pub fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        git_command(&self.path, &self.home, args)
    }

    /// Runs `git` with `args` in the repository and returns its stdout without the
    /// trailing newlines.
    ///
    /// # Panics
    ///
    /// Panics with the command, the directory, the exit status, stderr and stdout when git
    /// cannot be started or fails.
    pub fn run<I, S>(&self, args: I) -> String
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.run_with(args, &[], None)
    }

    /// Whether `git` with `args` succeeds in the repository (its output is discarded),
    /// e.g. `repo.succeeds(["cat-file", "-e", &id])`.
    ///
    /// # Panics
    ///
    /// Panics if git cannot be started at all.
    pub fn succeeds<I, S>(&self, args: I) -> bool
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let args = collect_args(args);
        let mut cmd = self.command(&args);
        cmd.stdin(Stdio::null());
        match cmd.output() {
            Ok(output) => output.status.success(),
            Err(e) => fail(&format!(
                "cannot start `{}` in {}: {e} (is git installed and on PATH?)",
                describe(&args),
                self.path.display()
            )),
        }
    }

    /// Runs git with extra environment variables and optionally a stdin.
    fn run_with<I, S>(&self, args: I, env: &[(&str, &str)], stdin: Option<&[u8]>) -> String
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let args = collect_args(args);
        let mut cmd = self.command(&args);
        cmd.envs(env.iter().copied());
        execute(cmd, &args, &self.path, stdin)
    }

    /// Runs git as `name <email>` (author and committer) at `date`.
    fn run_as<I, S>(&self, args: I, name: &str, email: &str, date: &str) -> String
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let env = [
            ("GIT_AUTHOR_NAME", name),
            ("GIT_AUTHOR_EMAIL", email),
            ("GIT_AUTHOR_DATE", date),
            ("GIT_COMMITTER_NAME", name),
            ("GIT_COMMITTER_EMAIL", email),
            ("GIT_COMMITTER_DATE", date),
        ];
        self.run_with(args, &env, None)
    }

    // ----- the work tree ----------------------------------------------------------

    /// Writes a file in the work tree, creating its parent directories. `path` is
    /// relative to the work tree.
    ///
    /// # Panics
    ///
    /// Panics if `path` is absolute or contains `..`, if the repository is bare, or if
    /// the file cannot be written.
    pub fn write(&self, path: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> &Self {
        let full = self.work_path(path.as_ref());
        create_parent(&full);
        if let Err(e) = fs::write(&full, contents) {
            fail(&format!("cannot write {}: {e}", full.display()));
        }
        self
    }

    /// Removes a file, a symlink (not its target) or a whole directory from the work
    /// tree. The next [`TestRepo::commit`] records the removal.
    ///
    /// # Panics
    ///
    /// Panics like [`TestRepo::write`], and if nothing is at `path`.
    pub fn remove(&self, path: impl AsRef<Path>) -> &Self {
        let full = self.work_path(path.as_ref());
        let result = match fs::symlink_metadata(&full) {
            Ok(meta) if meta.is_dir() => fs::remove_dir_all(&full),
            Ok(_) => fs::remove_file(&full),
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            fail(&format!("cannot remove {}: {e}", full.display()));
        }
        self
    }

    /// Creates a real symlink at `path` in the work tree that points at `target`, which
    /// may lie outside the repository (`/etc/passwd`, `../outside`) and need not exist.
    /// The next [`TestRepo::commit`] records it as a symlink (mode 120000). For testing
    /// that scanners never follow links out of the repository.
    ///
    /// # Panics
    ///
    /// Panics like [`TestRepo::write`], and if something already exists at `path`.
    #[cfg(unix)]
    pub fn symlink(&self, path: impl AsRef<Path>, target: impl AsRef<Path>) -> &Self {
        let full = self.work_path(path.as_ref());
        create_parent(&full);
        if let Err(e) = std::os::unix::fs::symlink(target.as_ref(), &full) {
            fail(&format!(
                "cannot create symlink {} -> {}: {e}",
                full.display(),
                target.as_ref().display()
            ));
        }
        self
    }

    /// Writes a file next to the repository, inside the temporary directory but outside
    /// the repository, and returns its path. A symlink `../<name>` at the top of the work
    /// tree points at it, so a scanner that wrongly follows links reads known content.
    ///
    /// # Panics
    ///
    /// Panics if `name` is not a single plain file name, is `repo`, `repo.git` or `home`,
    /// or the file cannot be written.
    pub fn write_outside(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let plain = matches!(
            Path::new(name).components().collect::<Vec<_>>().as_slice(),
            [Component::Normal(_)]
        );
        if !plain || ["repo", "repo.git", "home"].contains(&name) {
            fail(&format!(
                "write_outside needs a plain file name other than repo, repo.git and home, not {name:?}"
            ));
        }
        let full = self.root.path().join(name);
        if let Err(e) = fs::write(&full, contents) {
            fail(&format!("cannot write {}: {e}", full.display()));
        }
        full
    }

    /// The absolute path of `relative` in the work tree, refusing paths that leave it.
    fn work_path(&self, relative: &Path) -> PathBuf {
        if self.path == self.git_dir {
            fail(&format!(
                "{} is a bare repository and has no work tree",
                self.path.display()
            ));
        }
        let inside = relative
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if !inside || relative.as_os_str().is_empty() {
            fail(&format!(
                "{} must be a relative path inside the work tree (no `..`, not absolute)",
                relative.display()
            ));
        }
        self.path.join(relative)
    }

    // ----- history ----------------------------------------------------------------

    /// Stages everything (`git add -A`) and commits it with [`AUTHOR_NAME`] and
    /// [`AUTHOR_EMAIL`] as author and committer, both dated `date`
    /// (`"2026-01-31T12:00:00Z"` or any date git accepts). Returns the commit id.
    ///
    /// # Panics
    ///
    /// Panics if there is nothing to commit or git refuses the date.
    pub fn commit(&self, message: &str, date: &str) -> String {
        self.commit_as(message, AUTHOR_NAME, AUTHOR_EMAIL, date)
    }

    /// Like [`TestRepo::commit`], with `author_name <author_email>` as author and
    /// committer.
    pub fn commit_as(
        &self,
        message: &str,
        author_name: &str,
        author_email: &str,
        date: &str,
    ) -> String {
        self.run(["add", "-A"]);
        self.run_as(
            ["commit", "-q", "--no-verify", "-m", message],
            author_name,
            author_email,
            date,
        );
        self.head()
    }

    /// A commit that changes nothing (`--allow-empty`) and does not stage anything,
    /// by [`AUTHOR_NAME`] at `date`. Returns the commit id.
    pub fn empty_commit(&self, message: &str, date: &str) -> String {
        self.run_as(
            [
                "commit",
                "-q",
                "--no-verify",
                "--allow-empty",
                "-m",
                message,
            ],
            AUTHOR_NAME,
            AUTHOR_EMAIL,
            date,
        );
        self.head()
    }

    /// Creates the branch `name` at HEAD without switching to it.
    pub fn branch(&self, name: &str) -> &Self {
        self.run(["branch", name]);
        self
    }

    /// Switches the work tree to a branch, tag or commit (`git checkout`).
    pub fn checkout(&self, name: &str) -> &Self {
        self.run(["checkout", "-q", name]);
        self
    }

    /// Merges `name` into the current branch with a merge commit (`--no-ff`) by
    /// [`AUTHOR_NAME`] at `date`, and returns its id.
    ///
    /// # Panics
    ///
    /// Panics on a conflict (the test chose the changes, so a conflict is a test bug).
    pub fn merge(&self, name: &str, message: &str, date: &str) -> String {
        self.run_as(
            ["merge", "-q", "--no-ff", "--no-edit", "-m", message, name],
            AUTHOR_NAME,
            AUTHOR_EMAIL,
            date,
        );
        self.head()
    }

    /// Creates the lightweight tag `name` at HEAD.
    pub fn tag(&self, name: &str) -> &Self {
        self.run(["tag", name]);
        self
    }

    /// Creates the annotated tag `name` at HEAD, tagged by [`AUTHOR_NAME`] at `date`.
    pub fn annotated_tag(&self, name: &str, message: &str, date: &str) -> &Self {
        self.run_as(
            ["tag", "-a", "-m", message, name],
            AUTHOR_NAME,
            AUTHOR_EMAIL,
            date,
        );
        self
    }

    /// The id of the commit HEAD points at.
    ///
    /// # Panics
    ///
    /// Panics if there is no commit yet.
    pub fn head(&self) -> String {
        self.rev_parse("HEAD")
    }

    /// The object id `rev` names (`git rev-parse --verify`), e.g. `"main~2"` or
    /// `"HEAD:docs/index.md"`.
    pub fn rev_parse(&self, rev: &str) -> String {
        self.run(["rev-parse", "--verify", "--quiet", rev])
    }

    /// The id of the blob at `path` in HEAD (`git rev-parse HEAD:path`), e.g. to pass to
    /// [`TestRepo::remove_object`].
    pub fn blob_id(&self, path: &str) -> String {
        self.rev_parse(&format!("HEAD:{path}"))
    }

    // ----- clones -----------------------------------------------------------------

    /// A bare clone (`git clone --bare --no-hardlinks`) in its own temporary directory.
    /// Its objects are loose copies, so damaging them leaves this repository intact.
    pub fn bare_clone(&self) -> TestRepo {
        let (root, home, root_path) = temp_root(None);
        let path = root_path.join("repo.git");
        let args = [
            OsString::from("clone"),
            "-q".into(),
            "--bare".into(),
            "--no-hardlinks".into(),
            self.path.clone().into(),
            path.clone().into(),
        ];
        execute(
            git_command(&root_path, &home, &args),
            &args,
            &root_path,
            None,
        );
        let clone = TestRepo {
            root,
            git_dir: path.clone(),
            path,
            home,
        };
        clone.configure();
        clone
    }

    /// A shallow clone with the last `depth` commits of the current branch
    /// (`git clone --depth N file://…`; `--depth` is ignored for plain paths, hence the
    /// URL), in its own temporary directory. It has a `.git/shallow` file, and its objects
    /// arrive in a pack.
    ///
    /// # Panics
    ///
    /// Panics if `depth` is 0 (git refuses it).
    pub fn shallow_clone(&self, depth: u32) -> TestRepo {
        let (root, home, root_path) = temp_root(None);
        let path = root_path.join("repo");
        let args = [
            OsString::from("clone"),
            "-q".into(),
            "--depth".into(),
            depth.to_string().into(),
            self.file_url().into(),
            path.clone().into(),
        ];
        execute(
            git_command(&root_path, &home, &args),
            &args,
            &root_path,
            None,
        );
        let clone = TestRepo {
            root,
            git_dir: path.join(".git"),
            path,
            home,
        };
        clone.configure();
        clone
    }

    // ----- damage -----------------------------------------------------------------

    /// Deletes the object `id` (a full object id, as [`TestRepo::blob_id`] or
    /// [`TestRepo::head`] return it) from the object store, so that
    /// `git cat-file -e <id>` fails. Objects are loose because gc is off in every test
    /// repository; if the object is in a pack (after [`TestRepo::fast_import`] or a
    /// shallow clone), all packs are unpacked into loose objects first.
    ///
    /// # Panics
    ///
    /// Panics if `id` is not a full hexadecimal id or the object does not exist.
    pub fn remove_object(&self, id: &str) -> &Self {
        let file = self.loose_object(id);
        if let Err(e) = fs::remove_file(&file) {
            fail(&format!(
                "cannot remove object {id} ({}): {e}",
                file.display()
            ));
        }
        self
    }

    /// Overwrites the loose object `id` with bytes that are not a zlib stream, so that
    /// reading it fails while the file still exists. Unpacks packs first like
    /// [`TestRepo::remove_object`]. The file is replaced rather than rewritten in place,
    /// so a hard-linked copy in another repository stays intact.
    pub fn corrupt_object(&self, id: &str) -> &Self {
        let file = self.loose_object(id);
        if let Err(e) = fs::remove_file(&file) {
            fail(&format!(
                "cannot remove object {id} ({}): {e}",
                file.display()
            ));
        }
        if let Err(e) = fs::write(&file, b"corrupted by niveau-testkit: not a zlib stream\n") {
            fail(&format!(
                "cannot write object {id} ({}): {e}",
                file.display()
            ));
        }
        self
    }

    /// The path of the loose object `id`, unpacking packs if the object is packed.
    fn loose_object(&self, id: &str) -> PathBuf {
        let full_id = matches!(id.len(), 40 | 64) && id.bytes().all(|b| b.is_ascii_hexdigit());
        if !full_id {
            fail(&format!(
                "{id:?} is not a full object id (use blob_id, head or rev_parse)"
            ));
        }
        let id = id.to_ascii_lowercase();
        let (dir, file) = id.split_at(2);
        let loose = self.git_dir.join("objects").join(dir).join(file);
        if loose.exists() {
            return loose;
        }
        if !self.succeeds(["cat-file", "-e", id.as_str()]) {
            fail(&format!("object {id} is not in {}", self.git_dir.display()));
        }
        self.unpack_packs();
        if !loose.exists() {
            fail(&format!(
                "object {id} exists, but neither loose nor in a pack of {} (an alternate?)",
                self.git_dir.display()
            ));
        }
        loose
    }

    /// Turns every pack into loose objects: each pack is moved out of the object store,
    /// fed to `git unpack-objects` (which skips objects the store already has, hence the
    /// move), and deleted with its index.
    fn unpack_packs(&self) {
        let pack_dir = self.git_dir.join("objects").join("pack");
        let entries = match fs::read_dir(&pack_dir) {
            Ok(entries) => entries,
            Err(e) => fail(&format!("cannot list {}: {e}", pack_dir.display())),
        };
        let mut packs = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => packs.push(entry.path()),
                Err(e) => fail(&format!("cannot list {}: {e}", pack_dir.display())),
            }
        }
        packs.sort();
        let mut moved = Vec::new();
        for file in &packs {
            let name = file.file_name().unwrap_or_default().to_string_lossy();
            if name.ends_with(".pack") {
                let target = self.root.path().join(format!("unpacking-{}", moved.len()));
                if let Err(e) = fs::rename(file, &target) {
                    fail(&format!("cannot move {}: {e}", file.display()));
                }
                moved.push(target);
            } else if let Err(e) = fs::remove_file(file) {
                // Indexes (.idx, .rev, .mtimes, .keep, multi-pack-index) of the packs.
                fail(&format!("cannot remove {}: {e}", file.display()));
            }
        }
        for pack in moved {
            let bytes = match fs::read(&pack) {
                Ok(bytes) => bytes,
                Err(e) => fail(&format!("cannot read {}: {e}", pack.display())),
            };
            self.run_with(["unpack-objects", "-q"], &[], Some(&bytes));
            if let Err(e) = fs::remove_file(&pack) {
                fail(&format!("cannot remove {}: {e}", pack.display()));
            }
        }
    }

    // ----- bulk history -----------------------------------------------------------

    /// Feeds a `git fast-import` stream (e.g. [`synthetic_history`]) into the repository.
    /// Afterwards the index and work tree of a non-bare repository are reset to the new
    /// HEAD (`git reset --hard`), so the checkout matches the history; uncommitted
    /// changes are lost. The imported objects are in one pack.
    ///
    /// # Panics
    ///
    /// Panics if git rejects the stream, e.g. because it would rewind an existing branch:
    /// import a [`synthetic_history`] into a fresh repository.
    pub fn fast_import(&self, stream: &[u8]) -> &Self {
        self.run_with(["fast-import", "--quiet"], &[], Some(stream));
        if self.path != self.git_dir && self.succeeds(["rev-parse", "-q", "--verify", "HEAD"]) {
            self.run(["reset", "-q", "--hard"]);
        }
        self
    }
}

impl Default for TestRepo {
    fn default() -> Self {
        Self::new()
    }
}

// ----- helpers ------------------------------------------------------------------------

/// Panics with `message`. This module is test infrastructure: a failing git command or
/// file operation means a broken test or machine, and a panic with the whole story is
/// what the test author needs, so panicking is the intended behaviour here.
#[allow(clippy::panic)]
fn fail(message: &str) -> ! {
    panic!("niveau-testkit repo: {message}")
}

/// A fresh temporary directory with an empty `home/`: the guard, the home directory and
/// the directory's canonical path (so paths compare equal to what git reports).
fn temp_root(parent: Option<&Path>) -> (TempDir, PathBuf, PathBuf) {
    let builder = {
        let mut b = tempfile::Builder::new();
        b.prefix("niveau-testrepo-");
        b
    };
    let created = match parent {
        Some(parent) => builder.tempdir_in(parent),
        None => builder.tempdir(),
    };
    let root = match created {
        Ok(root) => root,
        Err(e) => fail(&format!("cannot create a temporary directory: {e}")),
    };
    let root_path = fs::canonicalize(root.path()).unwrap_or_else(|_| root.path().to_path_buf());
    let home = root_path.join("home");
    create_dir(&home);
    (root, home, root_path)
}

fn create_dir(path: &Path) {
    if let Err(e) = fs::create_dir_all(path) {
        fail(&format!("cannot create {}: {e}", path.display()));
    }
}

fn create_parent(path: &Path) {
    if let Some(parent) = path.parent() {
        create_dir(parent);
    }
}

fn collect_args<I, S>(args: I) -> Vec<OsString>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    args.into_iter().map(|a| a.as_ref().to_owned()).collect()
}

fn describe(args: &[OsString]) -> String {
    let mut text = String::from("git");
    for arg in args {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// A `git` command in `dir`, isolated from the machine's and the user's configuration.
fn git_command<I, S>(dir: &Path, home: &Path, args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new("git");
    cmd.current_dir(dir).args(args);
    for name in REDIRECTING_VARIABLES {
        cmd.env_remove(name);
    }
    cmd.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("LC_ALL", "C");
    cmd
}

/// Runs `cmd`, feeding `stdin` from a second thread (so a large stream cannot deadlock
/// against git's output), and returns stdout without trailing newlines.
fn execute(mut cmd: Command, args: &[OsString], dir: &Path, stdin: Option<&[u8]>) -> String {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(e) => fail(&format!(
            "cannot start `{}` in {}: {e} (is git installed and on PATH?)",
            describe(args),
            dir.display()
        )),
    };
    let pipe = child.stdin.take();
    let (output, written): (std::io::Result<Output>, std::io::Result<()>) =
        std::thread::scope(|scope| {
            let writer = scope.spawn(move || match (pipe, stdin) {
                // Dropping the pipe at the end of the closure closes git's stdin.
                (Some(mut pipe), Some(bytes)) => pipe.write_all(bytes),
                _ => Ok(()),
            });
            let output = child.wait_with_output();
            let written = writer.join().unwrap_or_else(|_| {
                Err(std::io::Error::other("the thread writing stdin panicked"))
            });
            (output, written)
        });
    let output = match output {
        Ok(output) => output,
        Err(e) => fail(&format!(
            "cannot wait for `{}` in {}: {e}",
            describe(args),
            dir.display()
        )),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        fail(&format!(
            "`{}` in {} failed with {}\n--- stderr ---\n{}\n--- stdout ---\n{}",
            describe(args),
            dir.display(),
            output.status,
            stderr.trim_end(),
            stdout.trim_end()
        ));
    }
    if let Err(e) = written {
        fail(&format!(
            "`{}` in {} did not read its whole input: {e}\n--- stderr ---\n{}",
            describe(args),
            dir.display(),
            stderr.trim_end()
        ));
    }
    stdout.trim_end_matches(['\n', '\r']).to_owned()
}

// ----- synthetic history --------------------------------------------------------------

/// A `git fast-import` stream of a realistic, deterministic history on `refs/heads/main`,
/// for [`TestRepo::fast_import`] into a fresh repository.
///
/// - `files` files at HEAD: first [`SYNTHETIC_FIXED_FILES`] (README.md, the full MPL-2.0
///   `LICENSE` starting with "Mozilla Public License Version 2.0", a Dockerfile, docs/),
///   then source files one to four directories deep (`src/…/*.rs`, `app/…/*.py`,
///   `web/…/*.ts`, executable `scripts/…/*.sh`, `config/…/*.yml`, `migrations/…/*.sql`)
///   of a few hundred bytes to a few KB.
/// - `commits` linear commits. The first, "Initial import", adds the fixed files and at
///   least a quarter of the rest; each later commit touches 1–5 files (the remaining
///   files are added during the first half of the history, the others are edited a few
///   lines at a time; LICENSE is never edited).
/// - Seven authors, some much busier than others, with dates increasing over about five
///   years ([`SYNTHETIC_SPAN_SECONDS`]) up to exactly [`SYNTHETIC_END`] for the last
///   commit (author date = committer date).
/// - Messages like "Fix #123: …", "OS2-42: …", "Update docs/index.md" and plain ones.
///
/// The same arguments always give the same bytes. 20 000 commits × 2 000 files take a
/// second or two to generate and some seconds to import.
pub fn synthetic_history(commits: usize, files: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed);
    let mut out = Vec::new();
    if commits == 0 {
        return out;
    }
    let paths = synthetic_paths(files, &mut rng);
    let mut contents: Vec<Vec<String>> = Vec::with_capacity(files);

    let n_fixed = files.min(SYNTHETIC_FIXED_FILES.len());
    let half = (commits - 1) / 2;
    let pending = ((files - n_fixed) * 3 / 4).min(4 * half);
    let initial = files - pending;
    // LICENSE never changes after it is added.
    let license = paths.iter().position(|p| p.kind == Kind::License);
    let frozen = |index: usize| Some(index) == license;

    let step = (SYNTHETIC_SPAN_SECONDS / commits as i64).max(1);
    let start = SYNTHETIC_END - step * commits as i64;

    for i in 0..commits {
        let mut date = start + step * (i as i64 + 1);
        if i + 1 < commits {
            date -= rng.below((step / 2) as usize) as i64;
        }
        let author = &AUTHORS[rng.below(AUTHORS.len()).min(rng.below(AUTHORS.len()))];

        // Which files this commit adds and which it edits.
        let (added, edited) = if i == 0 {
            ((0..initial).collect::<Vec<_>>(), Vec::new())
        } else {
            // Files added by commit k: `pending` spread evenly over commits 1..=half.
            let target = |k: usize| (pending * k.min(half)).checked_div(half).unwrap_or(0);
            let adds: Vec<usize> = (initial + target(i - 1)..initial + target(i)).collect();
            let touches = 1 + rng.below(5);
            let present = contents.len();
            let mut edits = Vec::new();
            let wanted = touches.saturating_sub(adds.len());
            let editable = present - usize::from(license.is_some_and(|l| l < present));
            while edits.len() < wanted.min(editable) {
                let f = rng.below(present);
                if !frozen(f) && !edits.contains(&f) {
                    edits.push(f);
                }
            }
            edits.sort_unstable();
            (adds, edits)
        };

        let message = if i == 0 {
            "Initial import\n".to_owned()
        } else {
            let touched = added.first().or(edited.first()).copied();
            synthetic_message(&mut rng, touched.map(|f| paths[f].path.as_str()))
        };

        out.extend_from_slice(b"commit refs/heads/main\n");
        out.extend_from_slice(format!("mark :{}\n", i + 1).as_bytes());
        let ident = format!("{} <{}> {date} {}\n", author.0, author.1, author.2);
        out.extend_from_slice(b"author ");
        out.extend_from_slice(ident.as_bytes());
        out.extend_from_slice(b"committer ");
        out.extend_from_slice(ident.as_bytes());
        push_data(&mut out, message.as_bytes());

        for &f in &added {
            contents.push(initial_content(paths[f].kind, &mut rng));
            push_file(&mut out, &paths[f], &contents[f]);
        }
        for &f in &edited {
            edit_content(paths[f].kind, &mut contents[f], &mut rng);
            push_file(&mut out, &paths[f], &contents[f]);
        }
        out.push(b'\n');
    }
    out
}

// ----- real-shaped history --------------------------------------------------------------

/// The shape of a [`shaped_history`]: a default branch with merges, many branches off
/// different points, tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Commits on `main` (first-parent line, merge commits included).
    pub commits: usize,
    /// Files of the initial import (the fixed files of [`SYNTHETIC_FIXED_FILES`] and
    /// source files); merged branches add their own files under `src/features/`.
    pub files: usize,
    /// Branches besides `main`.
    pub branches: usize,
    /// Seed of the generator.
    pub seed: u64,
}

/// What a generated branch does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BranchKind {
    /// Merged back into `main` later (the branch ref is kept, as on most forges).
    Merged,
    /// Diverges from `main` and is never merged.
    Diverging,
    /// Starts on another branch (nested), never merged.
    Nested,
}

struct ShapedBranch {
    name: String,
    /// The slot of the main line after whose commit the branch starts, or the branch and
    /// commit number it starts on.
    base: Result<usize, (usize, usize)>,
    /// The slot of its first commit.
    first_slot: usize,
    commits: usize,
    merge_at: Option<usize>,
    marks: Vec<usize>,
    files: Vec<(SyntheticFile, Vec<String>)>,
}

/// A `git fast-import` stream of a history shaped like a real product's repository, for
/// [`TestRepo::fast_import`] into a fresh repository; deterministic for a given
/// [`Shape`].
///
/// - `main` has `shape.commits` commits over about five years up to [`SYNTHETIC_END`]:
///   an initial import of `shape.files` files (the full MPL-2.0 `LICENSE` among them),
///   then commits that edit 1–5 files a few lines at a time (so a repacked repository
///   has long delta chains), by the authors and with the messages of
///   [`synthetic_history`].
/// - `shape.branches` branches start at different points: about half are merged back
///   into `main` by a merge commit ("Merge branch '…'") a little later, about a third
///   diverge and are never merged, the rest are nested on another branch (a third of
///   those on one long-lived unmerged branch, `develop-legacy`, which is created first
///   when there are at least 10 branches). Each branch commit adds or edits a file of
///   its own under `src/features/<branch>/`.
/// - An annotated tag `v1.N.0` every `commits / 40` main commits.
///
/// A history this size is best repacked afterwards (`git repack -adf --depth=50
/// --window=250`) when it is measured: fast-import's pack has few deltas.
pub fn shaped_history(shape: Shape) -> Vec<u8> {
    let mut rng = Rng(shape.seed);
    let mut out = Vec::new();
    let slots = shape.commits;
    if slots < 2 {
        return synthetic_history(slots, shape.files, shape.seed);
    }
    let paths = synthetic_paths(shape.files, &mut rng);
    let license = paths.iter().position(|p| p.kind == Kind::License);

    // ----- the plan of the branches
    let mut branches: Vec<ShapedBranch> = Vec::with_capacity(shape.branches);
    for b in 0..shape.branches {
        let legacy = b == 0 && shape.branches >= 10;
        let kind = if legacy {
            BranchKind::Diverging
        } else {
            match rng.below(10) {
                0..=4 => BranchKind::Merged,
                5..=7 => BranchKind::Diverging,
                // Nested on a branch that has commits.
                _ if branches.iter().any(|p| p.commits > 0) => BranchKind::Nested,
                _ => BranchKind::Diverging,
            }
        };
        let commits = if legacy {
            (slots / 5).max(1)
        } else {
            1 + rng.below(3) * rng.below(8) + rng.below(3)
        };
        let base = if kind == BranchKind::Nested {
            // A third on develop-legacy, the rest on any earlier branch.
            let with_commits: Vec<usize> = (0..b).filter(|&p| branches[p].commits > 0).collect();
            let parent = if branches[0].commits > 0 && shape.branches >= 10 && rng.below(3) == 0 {
                0
            } else {
                with_commits[rng.below(with_commits.len())]
            };
            let at = rng.below(branches[parent].commits);
            Err((parent, at))
        } else if legacy {
            Ok(slots / 3)
        } else {
            Ok(1 + rng.below(slots - 2))
        };
        let first_slot = match base {
            Ok(slot) => slot + 1,
            Err((parent, at)) => branches[parent].first_slot + at + 1,
        };
        // Branch commits happen in slots before the last main commit.
        let commits = commits.min((slots - 1).saturating_sub(first_slot));
        let merge_at = (kind == BranchKind::Merged && commits > 0)
            .then(|| first_slot + commits + rng.below(20))
            .filter(|&s| s < slots);
        let name = match (kind, legacy) {
            (_, true) => "develop-legacy".to_owned(),
            (BranchKind::Merged, _) => {
                format!(
                    "feature/{}-{}-{}",
                    100 + b,
                    rng.pick(WORDS),
                    rng.pick(WORDS)
                )
            }
            (BranchKind::Diverging, _) => format!(
                "{}_{}_{}",
                40_000 + b * 37,
                rng.pick(WORDS),
                rng.pick(THINGS).replace(' ', "_")
            ),
            (BranchKind::Nested, _) => format!("fix/{}-{}", 100 + b, rng.pick(WORDS)),
        };
        branches.push(ShapedBranch {
            name,
            base,
            first_slot,
            commits,
            merge_at,
            marks: Vec::new(),
            files: Vec::new(),
        });
    }
    // Which branch commits fall in which slot, and which branch each main commit merges.
    let mut at_slot: Vec<Vec<(usize, usize)>> = vec![Vec::new(); slots];
    let mut merges: Vec<Vec<usize>> = vec![Vec::new(); slots];
    for (b, branch) in branches.iter().enumerate() {
        for k in 0..branch.commits {
            at_slot[branch.first_slot + k].push((b, k));
        }
        if let Some(m) = branch.merge_at {
            merges[m].push(b);
        }
    }

    // ----- the history, slot by slot
    let step = (SYNTHETIC_SPAN_SECONDS / slots as i64).max(4);
    let start = SYNTHETIC_END - step * slots as i64;
    let mut contents: Vec<Vec<String>> = Vec::with_capacity(paths.len());
    let mut main_marks: Vec<usize> = Vec::with_capacity(slots);
    let mut mark = 0;
    let mut tags = 0;
    let tag_every = (slots / 40).max(1);
    for slot in 0..slots {
        let date = start + step * (slot as i64 + 1);
        // Branch commits of this slot, a little before the main commit.
        for (n, &(b, k)) in at_slot[slot].iter().enumerate() {
            let from = if k > 0 {
                branches[b].marks[k - 1]
            } else {
                match branches[b].base {
                    Ok(s) => main_marks[s],
                    Err((p, at)) => branches[p].marks[at],
                }
            };
            let branch = &mut branches[b];
            let kind_dir = branch.name.replace('/', "-");
            let edit = !branch.files.is_empty() && rng.below(3) != 0;
            let f = if edit {
                let f = rng.below(branch.files.len());
                let (file, lines) = &mut branch.files[f];
                edit_content(file.kind, lines, &mut rng);
                f
            } else {
                let file = SyntheticFile {
                    path: format!(
                        "src/features/{kind_dir}/{}_{}.rs",
                        rng.pick(WORDS),
                        branch.files.len()
                    ),
                    kind: Kind::Rust,
                };
                let lines = initial_content(Kind::Rust, &mut rng);
                branch.files.push((file, lines));
                branch.files.len() - 1
            };
            mark += 1;
            branch.marks.push(mark);
            let author = &AUTHORS[rng.below(AUTHORS.len())];
            let when = date - step / 2 + n as i64 % (step / 4).max(1);
            let message = synthetic_message(&mut rng, Some(&branch.files[f].0.path));
            let branch_ref = format!("refs/heads/{}", branch.name);
            push_commit(&mut out, &branch_ref, mark, author, when, &message);
            out.extend_from_slice(format!("from :{from}\n").as_bytes());
            push_file(&mut out, &branch.files[f].0, &branch.files[f].1);
            out.push(b'\n');
        }

        // The main commit: the import, a merge, or an edit.
        mark += 1;
        let author = &AUTHORS[rng.below(AUTHORS.len()).min(rng.below(AUTHORS.len()))];
        let merged = merges[slot].first().copied();
        let message = match merged {
            _ if slot == 0 => "Initial import\n".to_owned(),
            Some(b) => format!("Merge branch '{}'\n", branches[b].name),
            None => String::new(),
        };
        let mut edited = Vec::new();
        if slot > 0 && merged.is_none() {
            for _ in 0..1 + rng.below(5) {
                let f = rng.below(contents.len());
                if Some(f) != license && !edited.contains(&f) {
                    edited.push(f);
                }
            }
        }
        let message = if message.is_empty() {
            synthetic_message(&mut rng, edited.first().map(|&f| paths[f].path.as_str()))
        } else {
            message
        };
        push_commit(&mut out, "refs/heads/main", mark, author, date, &message);
        if let Some(&prev) = main_marks.last() {
            out.extend_from_slice(format!("from :{prev}\n").as_bytes());
        }
        for &b in &merges[slot] {
            if let Some(tip) = branches[b].marks.last() {
                out.extend_from_slice(format!("merge :{tip}\n").as_bytes());
            }
        }
        if slot == 0 {
            for file in &paths {
                contents.push(initial_content(file.kind, &mut rng));
                push_file(&mut out, file, &contents[contents.len() - 1]);
            }
        }
        for &f in &edited {
            edit_content(paths[f].kind, &mut contents[f], &mut rng);
            push_file(&mut out, &paths[f], &contents[f]);
        }
        for &b in &merges[slot] {
            for (file, lines) in &branches[b].files {
                push_file(&mut out, file, lines);
            }
        }
        out.push(b'\n');
        main_marks.push(mark);
        if slot > 0 && slot % tag_every == 0 {
            tags += 1;
            let (name, email, tz) = AUTHORS[0];
            out.extend_from_slice(format!("tag v1.{tags}.0\nfrom :{mark}\n").as_bytes());
            out.extend_from_slice(format!("tagger {name} <{email}> {date} {tz}\n").as_bytes());
            push_data(&mut out, format!("Version 1.{tags}.0\n").as_bytes());
        }
    }
    // Branches without commits (too late in the history) point at their base.
    for branch in &branches {
        if branch.marks.is_empty() {
            let base = match branch.base {
                Ok(s) => main_marks[s],
                Err((p, at)) => branches[p].marks.get(at).copied().unwrap_or(main_marks[0]),
            };
            out.extend_from_slice(
                format!("reset refs/heads/{}\nfrom :{base}\n\n", branch.name).as_bytes(),
            );
        }
    }
    out
}

fn push_commit(
    out: &mut Vec<u8>,
    reference: &str,
    mark: usize,
    author: &(&str, &str, &str),
    date: i64,
    message: &str,
) {
    out.extend_from_slice(format!("commit {reference}\nmark :{mark}\n").as_bytes());
    let ident = format!("{} <{}> {date} {}\n", author.0, author.1, author.2);
    out.extend_from_slice(b"author ");
    out.extend_from_slice(ident.as_bytes());
    out.extend_from_slice(b"committer ");
    out.extend_from_slice(ident.as_bytes());
    push_data(out, message.as_bytes());
}

/// SplitMix64. Hand-written because it is a dozen lines, and a crate's generator may
/// change its output between versions, which would silently change every synthetic
/// repository and the numbers benchmarks are compared on.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Name, e-mail and time zone of the synthetic authors, busiest first.
const AUTHORS: &[(&str, &str, &str)] = &[
    ("Mette Sørensen", "mette@kommune.example", "+0100"),
    ("Jonas Holm", "jonas.holm@leverandor.example", "+0100"),
    ("Anne Kristensen", "ak@kommune.example", "+0200"),
    ("Peter Madsen", "peter@leverandor.example", "+0100"),
    ("Sara Nielsen", "sara.nielsen@example.org", "+0000"),
    ("Ole Jørgensen", "olej@example.net", "+0100"),
    ("Dependency Bot", "bot@example.com", "+0000"),
];

const WORDS: &[&str] = &[
    "account",
    "address",
    "archive",
    "audit",
    "budget",
    "case",
    "citizen",
    "consent",
    "document",
    "export",
    "form",
    "import",
    "journal",
    "ledger",
    "letter",
    "meeting",
    "notice",
    "payment",
    "permit",
    "report",
    "request",
    "schedule",
    "session",
    "signature",
    "task",
    "user",
];

const SUBDIRS: &[&str] = &[
    "api",
    "core",
    "services",
    "models",
    "handlers",
    "util",
    "components",
    "views",
    "internal",
    "integration",
];

const VERBS: &[&str] = &[
    "Add", "Fix", "Update", "Refactor", "Remove", "Improve", "Simplify", "Document", "Test",
];

const THINGS: &[&str] = &[
    "validation",
    "error handling",
    "logging",
    "translations",
    "the search",
    "pagination",
    "the export",
    "permissions",
    "caching",
    "the form",
];

/// What a synthetic file contains, which decides how its lines look.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Readme,
    License,
    Dockerfile,
    Doc,
    Rust,
    Python,
    TypeScript,
    Shell,
    Yaml,
    Sql,
}

struct SyntheticFile {
    path: String,
    kind: Kind,
}

/// The top-level source directories and the kind of file each holds.
const SOURCE_ROOTS: &[(&str, Kind, &str)] = &[
    ("src", Kind::Rust, "rs"),
    ("src", Kind::Rust, "rs"),
    ("app", Kind::Python, "py"),
    ("web", Kind::TypeScript, "ts"),
    ("web", Kind::TypeScript, "ts"),
    ("scripts", Kind::Shell, "sh"),
    ("config", Kind::Yaml, "yml"),
    ("migrations", Kind::Sql, "sql"),
];

fn synthetic_paths(files: usize, rng: &mut Rng) -> Vec<SyntheticFile> {
    let mut paths = Vec::with_capacity(files);
    for (path, kind) in SYNTHETIC_FIXED_FILES.iter().zip([
        Kind::Readme,
        Kind::License,
        Kind::Dockerfile,
        Kind::Doc,
        Kind::Doc,
        Kind::Doc,
    ]) {
        if paths.len() < files {
            paths.push(SyntheticFile {
                path: (*path).to_owned(),
                kind,
            });
        }
    }
    let others = files - paths.len();
    // About fifteen files per directory, each directory one to four levels deep.
    let dirs: Vec<(String, Kind, &str)> = (0..others.div_ceil(15).max(1))
        .map(|_| {
            let (top, kind, ext) = SOURCE_ROOTS[rng.below(SOURCE_ROOTS.len())];
            let mut dir = top.to_owned();
            for _ in 0..rng.below(4) {
                dir.push('/');
                dir.push_str(if rng.below(2) == 0 {
                    rng.pick(SUBDIRS)
                } else {
                    rng.pick(WORDS)
                });
            }
            (dir, kind, ext)
        })
        .collect();
    for n in 0..others {
        let (dir, kind, ext) = &dirs[rng.below(dirs.len())];
        let word = rng.pick(WORDS);
        paths.push(SyntheticFile {
            // The number keeps every path unique.
            path: format!("{dir}/{word}_{n}.{ext}"),
            kind: *kind,
        });
    }
    paths
}

/// The full Mozilla Public License 2.0, the licence of Niveau itself.
const MPL_2_0: &str = include_str!("../../../LICENSE");

fn initial_content(kind: Kind, rng: &mut Rng) -> Vec<String> {
    let mut lines: Vec<String> = match kind {
        Kind::License => return MPL_2_0.lines().map(str::to_owned).collect(),
        Kind::Readme => vec![
            "# Sagsoverblik".to_owned(),
            String::new(),
            "A case overview for municipalities, published under the MPL-2.0.".to_owned(),
            String::new(),
            "## Installation".to_owned(),
            String::new(),
            "See docs/installation.md.".to_owned(),
        ],
        Kind::Dockerfile => vec![
            "FROM debian:12-slim".to_owned(),
            "WORKDIR /app".to_owned(),
            "COPY . /app".to_owned(),
        ],
        Kind::Doc => vec![format!("# {}", rng.pick(THINGS)), String::new()],
        Kind::Rust | Kind::TypeScript => vec!["// SPDX-License-Identifier: MPL-2.0".to_owned()],
        Kind::Python | Kind::Yaml => vec!["# SPDX-License-Identifier: MPL-2.0".to_owned()],
        Kind::Shell => vec![
            "#!/usr/bin/env bash".to_owned(),
            "set -euo pipefail".to_owned(),
        ],
        Kind::Sql => vec!["-- SPDX-License-Identifier: MPL-2.0".to_owned()],
    };
    // A few hundred bytes to a few KB, small files being the most common.
    let target = 200 + rng.below(800) * (1 + rng.below(4));
    let mut size: usize = lines.iter().map(|l| l.len() + 1).sum();
    while size < target {
        let line = synthetic_line(kind, rng);
        size += line.len() + 1;
        lines.push(line);
    }
    lines
}

/// Edits a file a few lines at a time: replace, insert or delete lines after the first
/// (which holds the header, `FROM` or the title), keeping files below about 8 KB.
fn edit_content(kind: Kind, lines: &mut Vec<String>, rng: &mut Rng) {
    for _ in 0..1 + rng.below(3) {
        let len = lines.len();
        let size: usize = lines.iter().map(|l| l.len() + 1).sum();
        let at = 1 + rng.below(len.max(2) - 1);
        match rng.below(10) {
            0..=4 if len > 1 => lines[at.min(len - 1)] = synthetic_line(kind, rng),
            0..=7 if size < 8000 => lines.insert(at.min(len), synthetic_line(kind, rng)),
            _ if len > 3 => {
                lines.remove(at.min(len - 1));
            }
            _ => lines.push(synthetic_line(kind, rng)),
        }
    }
}

fn synthetic_line(kind: Kind, rng: &mut Rng) -> String {
    let word = rng.pick(WORDS);
    let n = rng.below(1000);
    let k = rng.below(97) + 2;
    match kind {
        Kind::Readme | Kind::Doc | Kind::License => format!(
            "{} {word} {} for case {n}; see the {} section.",
            rng.pick(VERBS),
            rng.pick(THINGS),
            rng.pick(WORDS)
        ),
        Kind::Dockerfile => format!("RUN echo {word}-{n} > /app/{word}.txt"),
        Kind::Rust => format!(
            "pub fn {word}_{n}(value: u64) -> u64 {{\n    value.wrapping_mul({k}).rotate_left({})\n}}\n",
            k % 31
        ),
        Kind::Python => format!(
            "def {word}_{n}(value):\n    return value * {k} + {}\n",
            n % 13
        ),
        Kind::TypeScript => {
            format!(
                "export function {word}{n}(value: number): number {{\n  return value * {k};\n}}\n"
            )
        }
        Kind::Shell => format!("echo \"{word} {n}\" >> \"${{LOG:-/dev/null}}\""),
        Kind::Yaml => format!(
            "{word}_{n}:\n  enabled: {}\n  limit: {k}",
            n.is_multiple_of(2)
        ),
        Kind::Sql => format!(
            "CREATE TABLE IF NOT EXISTS {word}_{n} (id BIGINT PRIMARY KEY, amount INTEGER DEFAULT {k});"
        ),
    }
}

fn synthetic_message(rng: &mut Rng, touched: Option<&str>) -> String {
    let issue = 1 + rng.below(999);
    let summary = format!(
        "{} {} {}",
        rng.pick(VERBS),
        rng.pick(WORDS),
        rng.pick(THINGS)
    );
    match rng.below(20) {
        0..=3 => format!("Fix #{issue}: {}\n", summary.to_lowercase()),
        4..=6 => format!("OS2-{issue}: {summary}\n"),
        7..=8 => format!("{summary}\n\nCloses #{issue}.\n"),
        9..=10 => match touched {
            Some(path) => format!("Update {path}\n"),
            None => format!("{summary}\n"),
        },
        11 => "Bump dependencies\n".to_owned(),
        _ => format!("{summary}\n"),
    }
}

fn push_data(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(format!("data {}\n", bytes.len()).as_bytes());
    out.extend_from_slice(bytes);
    out.push(b'\n');
}

fn push_file(out: &mut Vec<u8>, file: &SyntheticFile, lines: &[String]) {
    let mode = if file.kind == Kind::Shell {
        "100755"
    } else {
        "100644"
    };
    out.extend_from_slice(format!("M {mode} inline {}\n", file.path).as_bytes());
    let mut content = lines.join("\n");
    content.push('\n');
    push_data(out, content.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_deterministic_and_seed_dependent() {
        let first: Vec<u64> = {
            let mut r = Rng(1);
            (0..4).map(|_| r.next()).collect()
        };
        let again: Vec<u64> = {
            let mut r = Rng(1);
            (0..4).map(|_| r.next()).collect()
        };
        let other: Vec<u64> = {
            let mut r = Rng(2);
            (0..4).map(|_| r.next()).collect()
        };
        assert_eq!(first, again);
        assert_ne!(first, other);
        // Seed 0 must not be a fixed point (xorshift's weakness).
        let mut zero = Rng(0);
        assert_ne!(zero.next(), zero.next());
    }

    #[test]
    fn paths_are_unique_and_start_with_the_fixed_files() {
        let paths = synthetic_paths(500, &mut Rng(7));
        assert_eq!(paths.len(), 500);
        let names: Vec<&str> = paths.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(&names[..6], SYNTHETIC_FIXED_FILES);
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), 500);
        assert!(
            names.iter().any(|p| p.matches('/').count() >= 3),
            "some files are three or more directories deep"
        );
    }

    #[test]
    fn fewer_files_than_the_fixed_ones() {
        let paths = synthetic_paths(2, &mut Rng(7));
        let names: Vec<&str> = paths.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(names, ["README.md", "LICENSE"]);
    }

    #[test]
    fn shaped_history_is_deterministic_with_merges_branches_and_tags() {
        let shape = Shape {
            commits: 300,
            files: 30,
            branches: 40,
            seed: 3,
        };
        let stream = shaped_history(shape);
        assert_eq!(stream, shaped_history(shape));
        assert_ne!(stream, shaped_history(Shape { seed: 4, ..shape }));
        let text = String::from_utf8_lossy(&stream);
        assert!(text.contains("refs/heads/develop-legacy"));
        assert!(text.matches("\nmerge :").count() >= 5);
        // One tag every 300 / 40 = 7 main commits after the first.
        assert_eq!(text.matches("\ntag v1.").count(), 299 / 7);
    }

    #[test]
    fn zero_commits_is_an_empty_stream() {
        assert!(synthetic_history(0, 10, 1).is_empty());
    }
}
