//! What the containers of one pod share: files on volumes (each container sees a volume at its own mount
//! path), the pod's localhost network (which container listens on which port), and the services
//! outside the pod that scripts wait for (`nc -z db 5432`). A path outside every mount is private to its
//! container and is lost when the container restarts, as a container's writable layer is.

use crate::sorted_map::{SortedMap, SortedSet};
use crate::word_list;
use std::collections::VecDeque;

use super::busy_loop::PodSteps;
use super::exec_programs::ExecPrograms;
use super::outside_hosts::{Cluster, HostSource, Reach};
use super::periodic::{rounds_shown, Effect, Journal, Rounds};
use crate::model::{Container, PodSpec};
use crate::time::SimTime;

/// Lines of a file kept for `cat`, `grep` and `$(cat ...)`; older lines are only counted.
const KEPT_LINES: usize = 200;
/// Steps of the pod's compute budget a line written to a log or a file costs besides the step that
/// wrote it: writing it (its text made, kept in a window, counted by the file's followers) costs a few
/// times what a step of arithmetic does. Rounds a periodic loop plays at once cost none, as their
/// steps do not.
const LINE_STEPS: u64 = 2;
/// Lines of each container's log (its stdout) kept, in a pod of up to [`POD_LOG_LINES`] / 500 = 40
/// containers.
const KEPT_LOG_LINES: usize = 500;
/// Lines kept of all the logs of a pod together: in a pod of more than 40 containers each log keeps
/// its share (100 lines each of 200), so 200 loops printing a line a second for an hour keep 20 000
/// lines rather than 100 000 (≈ 10 ms to write, and the memory, in each simulation).
const POD_LOG_LINES: usize = 20_000;
/// What a log keeps at least, however many containers share the pod's lines.
const MIN_KEPT_LOG_LINES: usize = 50;
/// Lines of an exec probe's or hook's output kept (the kubelet reads at most 10 KiB of it).
const KEPT_EXEC_LINES: usize = 100;

#[derive(Debug, Clone, Default)]
pub struct World {
    /// `container → [(volume, mount path)]`, from `volumeMounts`.
    pub mounts: SortedMap<String, Vec<(String, String)>>,
    /// Port → container listening on it now.
    pub listening: SortedMap<u16, String>,
    /// External host → when it appears (the learner's `podlife.dev/service.<host>`, scenario or CLI).
    pub services_up_at: SortedMap<String, SimTime>,
    /// The pod's namespace and the Services the same file defines: the hosts that exist from the start.
    pub cluster: Cluster,
    /// Ports of the pod that a running container will start serving at a known time: lets a hook that
    /// polls localhost (`pilot-agent wait`) see the port come up while the kubelet waits for it.
    pub localhost_up_at: SortedMap<u16, SimTime>,
    /// Volumes whose content comes from elsewhere (configMap, secret, hostPath, a claim...): a file read
    /// there exists unless a script removed it. Volumes not listed are `emptyDir`s and start empty.
    pub prefilled_volumes: SortedSet<String>,
    /// `container → image`, for the files and directories an image ships (`/etc/nginx/nginx.conf`,
    /// `/var/log/nginx`).
    pub images: SortedMap<String, String>,
    /// Files and directories the programs made, by where they live.
    pub files: SortedMap<FileKey, FileEntry>,
    /// Paths of an image that a program removed (`rm /etc/nginx/conf.d/default.conf`).
    pub removed_image_paths: SortedSet<FileKey>,
    /// Every `tail -f`/`-F` ever started, with the lines it read.
    pub followers: Vec<Follower>,
    /// What each container wrote to its stdout (`kubectl logs`), the latest lines.
    pub logs: SortedMap<String, VecDeque<(SimTime, String)>>,
    /// Signals sent to a container's PID 1 from inside it (a hook's `kill 1` or `nginx -s quit`); the
    /// container's process takes them when it next runs.
    pub signals: Vec<SignalRequest>,
    /// Every append to a file on a volume, in the order it happened: who wrote how many lines to which
    /// file, and when (the trace's `files`: lines written after the last reader stopped).
    pub volume_writes: Vec<VolumeWrite>,
    /// The output of the exec probe or hook running now in a container: (container, lines). Its stdout
    /// and stderr are the exec session's, not the container's log (`kubectl logs` never shows them).
    pub(crate) exec_output: Option<(String, Vec<String>)>,
    /// Nothing outside the pod answers (used to tell "waits for a service" when summarising).
    pub(crate) services_unreachable: bool,
    /// Every host outside the pod answers (a summary's dry run: what the script does once they do).
    pub(crate) every_host_up: bool,
    pub(crate) next_inode: u64,
    /// The compute budget every process of the pod draws on.
    pub pod_steps: PodSteps,
    /// How many containers the pod has (0 for a scratch world of one): their logs share
    /// [`POD_LOG_LINES`].
    pub(crate) pod_containers: usize,
    /// Lines put in the kept windows of logs and files so far: the kubelet's work budget counts them
    /// (`kubelet::work_budget`), as a loop printing a line a second in 200 containers for an hour
    /// costs its 720 000 lines whether or not they stay.
    pub(crate) lines_kept: u64,
    /// Exec probes, hooks and `kubectl exec` sessions run so far (the work budget counts them too:
    /// each starts a shell).
    pub(crate) exec_runs: u64,
    /// In a dry run, the steps left of the call's budget (`dry_runs`): past them its processes compute
    /// until stopped, as past their own budget.
    pub(crate) dry_run_allowance: Option<u64>,
    /// What the job stepping now does to the world, while podlife watches it for a period
    /// (`periodic`).
    pub(crate) journal: Option<Journal>,
    /// Changes that a loop could read (files made, removed or emptied, volumes written, `tail -f`s),
    /// counted: a periodic loop is replayed only while no other change came since its last round.
    pub(crate) changes: u64,
    /// The exec probes' and hooks' scripts read so far in this call of the core, shared with its dry
    /// runs (`exec_programs`).
    pub(crate) exec_programs: ExecPrograms,
}

/// Where a file lives: in a volume (shared by every container mounting it) or in one container.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKey {
    /// `path` is relative to the volume's root, without a leading `/` (`""` is the root).
    Volume { volume: String, path: String },
    /// `path` is absolute, in the container's own file system.
    Private { container: String, path: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct FileEntry {
    pub dir: bool,
    pub created_at: SimTime,
    /// Lines in the file now.
    pub lines: u64,
    /// Lines ever written to it (a truncation does not lower it).
    pub written: u64,
    /// The latest lines.
    pub content: VecDeque<String>,
    /// Changes when the file is removed and made again (`tail -f` keeps the old one, `-F` the new).
    pub inode: u64,
}

/// One `tail -f FILE` (or `-F`): where it reads and how many lines it has read.
#[derive(Debug, Clone, PartialEq)]
pub struct Follower {
    pub container: String,
    /// The path as the container names it.
    pub path: String,
    pub key: FileKey,
    /// The file it has open (`None`: `-F` waiting for the file to appear).
    pub inode: Option<u64>,
    /// `-F`: follow the name (reopen when the file appears or is replaced).
    pub retry: bool,
    pub read: u64,
    pub active: bool,
    pub since: SimTime,
    pub until: Option<SimTime>,
    /// How many entries `World::volume_writes` had when it stopped: the writes after that index came
    /// after this reader was gone.
    pub writes_before_stop: Option<usize>,
}

/// One append to a file on a volume.
#[derive(Debug, Clone, PartialEq)]
pub struct VolumeWrite {
    pub container: String,
    pub key: FileKey,
    pub at: SimTime,
    pub lines: u64,
}

/// A signal for a container's PID 1 sent from inside the container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalRequest {
    pub container: String,
    pub at: SimTime,
    /// `TERM`, `KILL`, `INT`, `QUIT` (nginx's graceful stop), `HUP`.
    pub signal: String,
}

/// Why a file operation failed, in a shell's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FsError {
    NoSuchFile,
    NoSuchDirectory,
    IsADirectory,
    NotADirectory,
    Exists,
}

impl FsError {
    pub fn message(&self) -> &'static str {
        match self {
            FsError::NoSuchFile => "No such file or directory",
            FsError::NoSuchDirectory => "nonexistent directory",
            FsError::IsADirectory => "Is a directory",
            FsError::NotADirectory => "Not a directory",
            FsError::Exists => "File exists",
        }
    }
}

/// Directories every Linux image has.
const IMAGE_DIRS: &str = "\
    / /bin /dev /etc /home /lib /media /mnt /opt /proc /root /run /sbin /srv /sys /tmp /usr \
    /usr/bin /usr/lib /usr/local /usr/local/bin /usr/sbin /usr/share /var /var/cache /var/lib \
    /var/log /var/run /var/spool /var/tmp /etc/ssl";

/// Files every image has (or the runtime adds).
const IMAGE_FILES: &str = "\
    /etc/hostname /etc/hosts /etc/resolv.conf /etc/passwd /etc/group /etc/os-release /etc/shells \
    /etc/profile";

/// Trees whose every path exists: kernel file systems, programs, libraries, the service-account token
/// the kubelet mounts.
const IMAGE_TREES: &str = "\
    /proc /sys /dev /bin /sbin /usr/bin /usr/sbin /usr/local/bin /lib /usr/lib /etc/ssl \
    /var/run/secrets/kubernetes.io/serviceaccount";

/// Paths a well-known image ships: (image names, directories, files), as word lists. nginx-slim,
/// nginxhttps and hello-frontend are nginx builds with the official image's layout (behaviour/images.rs).
const IMAGE_PATHS: &[(&str, &str, &str)] = &[
    (
        "nginx nginx-slim nginxhttps hello-frontend",
        "\
            /etc/nginx /etc/nginx/conf.d /usr/share/nginx /usr/share/nginx/html \
            /var/log/nginx /var/cache/nginx /docker-entrypoint.d",
        "\
            /etc/nginx/nginx.conf /etc/nginx/conf.d/default.conf /etc/nginx/mime.types \
            /usr/share/nginx/html/index.html /usr/share/nginx/html/50x.html \
            /var/log/nginx/access.log /var/log/nginx/error.log /docker-entrypoint.sh",
    ),
    (
        "httpd",
        "/usr/local/apache2 /usr/local/apache2/htdocs /usr/local/apache2/conf",
        "/usr/local/apache2/htdocs/index.html /usr/local/apache2/conf/httpd.conf",
    ),
    (
        "envoy",
        "/etc/envoy",
        "/etc/envoy/envoy.yaml /docker-entrypoint.sh",
    ),
    (
        "fluentd",
        "/fluentd /fluentd/etc /fluentd/log /fluentd/plugins",
        "/fluentd/etc/fluent.conf",
    ),
    (
        "fluent-bit",
        "/fluent-bit /fluent-bit/etc",
        "/fluent-bit/etc/fluent-bit.conf /fluent-bit/etc/parsers.conf",
    ),
    ("redis", "/data", ""),
    (
        "postgres",
        "/var/lib/postgresql /var/lib/postgresql/data /var/run/postgresql",
        "",
    ),
    ("mysql", "/var/lib/mysql /etc/mysql", ""),
    (
        "prometheus",
        "/etc/prometheus /prometheus",
        "/etc/prometheus/prometheus.yml",
    ),
];

/// Normalises a path: absolute (relative to `cwd`), no `.`/`..`, no repeated or trailing `/`.
pub fn normalise(path: &str, cwd: &str) -> String {
    if is_normal(path) {
        // Most paths a script writes are already absolute and clean: no need to take them apart (a
        // write looks its path up several times).
        return path.to_string();
    }
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{cwd}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// An absolute path with no empty, `.` or `..` part and no trailing `/`: what [`normalise`] makes.
fn is_normal(path: &str) -> bool {
    path == "/"
        || (path.starts_with('/')
            && path[1..]
                .split('/')
                .all(|part| !matches!(part, "" | "." | "..")))
}

/// `/a/b` lies under `/a` (or is it).
fn under(path: &str, dir: &str) -> Option<String> {
    if dir == "/" {
        return Some(path.trim_start_matches('/').to_string());
    }
    let rest = path.strip_prefix(dir)?;
    if rest.is_empty() {
        Some(String::new())
    } else {
        rest.strip_prefix('/').map(str::to_string)
    }
}

fn parent(path: &str) -> String {
    match path.rfind('/') {
        Some(0) | None => "/".to_string(),
        Some(i) => path[..i].to_string(),
    }
}

fn image_name(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    last.split(':').next().unwrap_or(last)
}

impl World {
    /// Counts `steps` against the pod's compute budget, and a dry run's against what is left of its
    /// call's, never past either: a step that costs many (text past a job's bound, lines written) ends
    /// the budget, and the budget stays the most a pod or a call takes.
    pub(crate) fn spend_steps(&mut self, steps: u64) {
        let taken = self.pod_steps.taken();
        let pod_left = super::busy_loop::STEPS_PER_POD_RUN.saturating_sub(taken);
        let dry_left = self
            .dry_run_allowance
            .map_or(u64::MAX, |left| left.saturating_sub(taken));
        self.pod_steps.take_many(steps.min(pod_left).min(dry_left));
    }

    /// Has a dry run spent what was left of its call's budget?
    pub(crate) fn dry_run_spent(&self) -> bool {
        self.dry_run_allowance
            .is_some_and(|left| self.pod_steps.taken() >= left)
    }

    /// Lines each container's log keeps: [`KEPT_LOG_LINES`], or its share of [`POD_LOG_LINES`] in a
    /// pod of many containers.
    fn kept_log_lines(&self) -> usize {
        (POD_LOG_LINES / self.pod_containers.max(1)).clamp(MIN_KEPT_LOG_LINES, KEPT_LOG_LINES)
    }

    /// A world for one pod: every container's mounts and image, and which volumes come with content.
    pub fn for_pod(spec: &PodSpec) -> World {
        let mut world = World::default();
        for c in spec.init_containers.iter().chain(&spec.containers) {
            world.add_container(c);
        }
        world.pod_containers = spec.init_containers.len() + spec.containers.len();
        for v in &spec.volumes {
            if v.source.as_deref().is_some_and(|s| s != "emptyDir") {
                world.prefilled_volumes.insert(v.name.clone());
            }
        }
        world
    }

    /// Records a container's volume mounts and image.
    pub fn add_container(&mut self, c: &Container) {
        let mounts = c
            .volume_mounts
            .iter()
            .map(|m| (m.name.clone(), normalise(&m.mount_path, "/")))
            .collect();
        self.mounts.insert(c.name.clone(), mounts);
        if let Some(image) = &c.image {
            self.images.insert(c.name.clone(), image.clone());
        }
    }

    /// Something in the pod listens on `port` now (httpGet, tcpSocket and grpc probes connect to it).
    pub fn serves(&self, port: u16) -> bool {
        self.listening.contains_key(&port)
    }

    /// Where `path` (absolute, or relative to `/`) lives for `container`: the volume of the deepest
    /// mount containing it, else the container itself.
    pub fn locate(&self, container: &str, path: &str) -> FileKey {
        let path = normalise(path, "/");
        let mut best: Option<(usize, &str, String)> = None;
        for (volume, mount) in self.mounts.get(container).into_iter().flatten() {
            // Kept normal by `add_container`.
            let mount: std::borrow::Cow<'_, str> = if is_normal(mount) {
                mount.into()
            } else {
                normalise(mount, "/").into()
            };
            if let Some(rest) = under(&path, &mount) {
                if best.as_ref().is_none_or(|(len, _, _)| mount.len() > *len) {
                    best = Some((mount.len(), volume, rest));
                }
            }
        }
        match best {
            Some((_, volume, rest)) => FileKey::Volume {
                volume: volume.to_string(),
                path: rest,
            },
            None => FileKey::Private {
                container: container.to_string(),
                path,
            },
        }
    }

    /// What the image (or the runtime) provides at `key`: `Some(true)` a directory, `Some(false)` a
    /// file.
    fn provided(&self, key: &FileKey) -> Option<bool> {
        if self.removed_image_paths.contains(key) {
            return None;
        }
        match key {
            FileKey::Volume { volume, path } => {
                if path.is_empty() {
                    Some(true)
                } else if self.prefilled_volumes.contains(volume) {
                    Some(false)
                } else {
                    None
                }
            }
            FileKey::Private { container, path } => {
                if word_list::contains(IMAGE_DIRS, path) {
                    return Some(true);
                }
                if word_list::contains(IMAGE_FILES, path) {
                    return Some(false);
                }
                // Mount points and the directories above them exist.
                let is_mount_ancestor = self
                    .mounts
                    .get(container)
                    .into_iter()
                    .flatten()
                    .any(|(_, m)| under(&normalise(m, "/"), path).is_some());
                if is_mount_ancestor {
                    return Some(true);
                }
                if let Some(image) = self.images.get(container) {
                    let name = image_name(image);
                    for (img, dirs, files) in IMAGE_PATHS {
                        if word_list::contains(img, name) {
                            if word_list::contains(dirs, path) {
                                return Some(true);
                            }
                            if word_list::contains(files, path) {
                                return Some(false);
                            }
                        }
                    }
                }
                if IMAGE_TREES
                    .split(' ')
                    .any(|t| under(path, t).is_some_and(|r| !r.is_empty()))
                {
                    return Some(false);
                }
                None
            }
        }
    }

    /// `Some(true)`: a directory, `Some(false)`: a file, `None`: nothing there at `at`.
    pub fn kind_at(&self, container: &str, path: &str, at: SimTime) -> Option<bool> {
        let key = self.locate(container, path);
        match self.files.get(&key) {
            Some(e) if e.created_at <= at => Some(e.dir),
            Some(_) => None,
            None => self.provided(&key),
        }
    }

    pub fn exists(&self, container: &str, path: &str, at: SimTime) -> bool {
        self.kind_at(container, path, at).is_some()
    }

    pub fn is_file(&self, container: &str, path: &str, at: SimTime) -> bool {
        self.kind_at(container, path, at) == Some(false)
    }

    pub fn is_dir(&self, container: &str, path: &str, at: SimTime) -> bool {
        self.kind_at(container, path, at) == Some(true)
    }

    /// The path at which `container` sees `key`, if it sees it.
    pub fn path_in(&self, container: &str, key: &FileKey) -> Option<String> {
        match key {
            FileKey::Private { container: c, path } => (c == container).then(|| path.clone()),
            FileKey::Volume { volume, path } => self
                .mounts
                .get(container)?
                .iter()
                .find(|(v, _)| v == volume)
                .map(|(_, m)| {
                    let m = normalise(m, "/");
                    if path.is_empty() {
                        m
                    } else if m == "/" {
                        format!("/{path}")
                    } else {
                        format!("{m}/{path}")
                    }
                }),
        }
    }

    /// Lines in the file now, when the file exists.
    pub fn line_count(&self, container: &str, path: &str) -> Option<u64> {
        let key = self.locate(container, path);
        self.note_read(&key);
        match self.files.get(&key) {
            Some(e) if !e.dir => Some(e.lines),
            Some(_) => None,
            None => self.provided(&key).filter(|d| !d).map(|_| 1),
        }
    }

    /// The latest lines of the file (an image's or a prefilled volume's file reads as one line).
    pub fn read_lines(&self, container: &str, path: &str) -> Option<Vec<String>> {
        let key = self.locate(container, path);
        self.note_read(&key);
        match self.files.get(&key) {
            Some(e) if !e.dir => Some(e.content.iter().cloned().collect()),
            Some(_) => None,
            None => match self.provided(&key) {
                Some(false) => Some(vec![provided_content(&key)]),
                _ => None,
            },
        }
    }

    /// Lines ever written to the file at `path` (as `container` sees it).
    pub fn lines_written(&self, container: &str, path: &str) -> u64 {
        let key = self.locate(container, path);
        self.note_read(&key);
        self.files.get(&key).map_or(0, |e| e.written)
    }

    /// Lines that `container`'s `tail -f` processes read from `path`, over all its instances.
    pub fn lines_read(&self, container: &str, path: &str) -> u64 {
        let key = self.locate(container, path);
        self.note_read(&key);
        self.followers
            .iter()
            .filter(|f| f.container == container && f.key == key)
            .map(|f| f.read)
            .sum()
    }

    fn parent_is_dir(&self, container: &str, path: &str, at: SimTime) -> Result<(), FsError> {
        match self.kind_at(container, &parent(path), at) {
            Some(true) => Ok(()),
            Some(false) => Err(FsError::NotADirectory),
            None => Err(FsError::NoSuchDirectory),
        }
    }

    /// Makes sure a regular file exists at `path`, created at `at`; with `truncate`, empties it.
    pub fn open_for_writing(
        &mut self,
        container: &str,
        path: &str,
        at: SimTime,
        truncate: bool,
    ) -> Result<(), FsError> {
        let path = normalise(path, "/");
        if is_sink(&path) {
            return Ok(());
        }
        match self.kind_at(container, &path, at) {
            Some(true) => return Err(FsError::IsADirectory),
            Some(false) => {}
            None => self.parent_is_dir(container, &path, at)?,
        }
        let key = self.locate(container, &path);
        if !self.files.contains_key(&key) {
            let lines = u64::from(self.provided(&key) == Some(false));
            self.create(key.clone(), false, at, lines);
        }
        if truncate {
            self.note_change();
            if let Some(e) = self.files.get_mut(&key) {
                e.lines = 0;
                e.content.clear();
            }
        }
        Ok(())
    }

    fn create(&mut self, key: FileKey, dir: bool, at: SimTime, lines: u64) {
        self.note_change();
        self.next_inode += 1;
        let inode = self.next_inode;
        self.files.insert(
            key.clone(),
            FileEntry {
                dir,
                created_at: at,
                lines,
                written: 0,
                content: VecDeque::new(),
                inode,
            },
        );
        if !dir {
            for f in &mut self.followers {
                if f.active && f.retry && f.key == key {
                    f.inode = Some(inode);
                }
            }
        }
    }

    /// Appends lines to a file (made if missing, when its directory exists); a script's write, which
    /// costs [`LINE_STEPS`] of the pod's compute budget a line.
    pub fn append_lines(
        &mut self,
        container: &str,
        path: &str,
        lines: &[String],
        at: SimTime,
    ) -> Result<(), FsError> {
        // Lines to the log are counted as the log keeps them.
        if !is_sink(&normalise(path, "/")) {
            self.spend_steps(lines.len() as u64 * LINE_STEPS);
        }
        self.append_lines_free(container, path, lines, at)
    }

    /// [`World::append_lines`] without the steps: a periodic loop's rounds played at once cost none.
    fn append_lines_free(
        &mut self,
        container: &str,
        path: &str,
        lines: &[String],
        at: SimTime,
    ) -> Result<(), FsError> {
        let path = normalise(path, "/");
        if is_sink(&path) {
            for l in lines {
                match path.as_str() {
                    "/dev/null" => {}
                    // PID 1's own stdout and stderr: the container's log, even from an exec session.
                    "/proc/1/fd/1" | "/proc/1/fd/2" => self.container_log(container, at, l),
                    _ => self.log(container, at, l),
                }
            }
            return Ok(());
        }
        self.open_for_writing(container, &path, at, false)?;
        let key = self.locate(container, &path);
        let Some(e) = self.files.get_mut(&key) else {
            return Ok(());
        };
        let n = lines.len() as u64;
        e.lines += n;
        e.written += n;
        for l in lines {
            if e.content.len() == KEPT_LINES {
                e.content.pop_front();
            }
            e.content.push_back(l.clone());
        }
        let inode = e.inode;
        self.lines_kept += n;
        for f in &mut self.followers {
            if f.active && f.inode == Some(inode) {
                f.read += n;
            }
        }
        if let (Some(j), FileKey::Private { .. }) = (&mut self.journal, &key) {
            j.effects.push(Effect::Append {
                key: key.clone(),
                path: path.clone(),
                lines: lines.to_vec(),
            });
        }
        if matches!(key, FileKey::Volume { .. }) && n > 0 {
            self.note_change();
            self.volume_writes.push(VolumeWrite {
                container: container.to_string(),
                key,
                at,
                lines: n,
            });
        }
        Ok(())
    }

    /// `mkdir` (with `parents`: `mkdir -p`).
    pub fn make_dir(
        &mut self,
        container: &str,
        path: &str,
        at: SimTime,
        parents: bool,
    ) -> Result<(), FsError> {
        let path = normalise(path, "/");
        match self.kind_at(container, &path, at) {
            Some(true) if parents => return Ok(()),
            Some(_) => return Err(FsError::Exists),
            None => {}
        }
        if parents {
            let mut so_far = String::new();
            for part in path.split('/').filter(|p| !p.is_empty()) {
                so_far.push('/');
                so_far.push_str(part);
                match self.kind_at(container, &so_far, at) {
                    Some(true) => {}
                    Some(false) => return Err(FsError::NotADirectory),
                    None => {
                        let key = self.locate(container, &so_far);
                        self.create(key, true, at, 0);
                    }
                }
            }
            return Ok(());
        }
        self.parent_is_dir(container, &path, at)?;
        let key = self.locate(container, &path);
        self.create(key, true, at, 0);
        Ok(())
    }

    /// `rm` (with `recursive`: directories and what is under them).
    pub fn remove(
        &mut self,
        container: &str,
        path: &str,
        at: SimTime,
        recursive: bool,
    ) -> Result<(), FsError> {
        let path = normalise(path, "/");
        let Some(dir) = self.kind_at(container, &path, at) else {
            return Err(FsError::NoSuchFile);
        };
        if dir && !recursive {
            return Err(FsError::IsADirectory);
        }
        self.note_change();
        let key = self.locate(container, &path);
        if self.provided(&key).is_some() {
            self.removed_image_paths.insert(key.clone());
        }
        if let Some(e) = self.files.remove(&key) {
            for f in &mut self.followers {
                if f.active && f.retry && f.inode == Some(e.inode) {
                    f.inode = None;
                }
            }
        }
        if dir {
            let inside: Vec<FileKey> = self
                .files
                .keys()
                .filter(|k| key_under(k, &key))
                .cloned()
                .collect();
            for k in inside {
                self.files.remove(&k);
            }
        }
        Ok(())
    }

    /// Starts following `path` as `tail -f` does (reading the last `initial` lines first). `None` when
    /// the file is missing and `retry` (`-F`) is off: tail gives up.
    pub fn follow(
        &mut self,
        container: &str,
        path: &str,
        at: SimTime,
        retry: bool,
        initial: u64,
    ) -> Option<usize> {
        let path = normalise(path, "/");
        let key = self.locate(container, &path);
        let (inode, read) = match self.files.get(&key) {
            Some(e) if !e.dir && e.created_at <= at => (Some(e.inode), e.lines.min(initial)),
            _ if self.provided(&key) == Some(false) => (None, 1.min(initial)),
            _ if retry => (None, 0),
            _ => return None,
        };
        self.note_change();
        self.followers.push(Follower {
            container: container.to_string(),
            path,
            key,
            inode,
            retry,
            read,
            active: true,
            since: at,
            until: None,
            writes_before_stop: None,
        });
        Some(self.followers.len() - 1)
    }

    pub fn stop_following(&mut self, follower: usize, at: SimTime) {
        if let Some(f) = self.followers.get_mut(follower) {
            if f.active {
                f.active = false;
                f.until = Some(at);
                f.writes_before_stop = Some(self.volume_writes.len());
            }
        }
        self.note_change();
    }

    /// Appends a line to what `container`'s program writes: the container's log, or the output of the
    /// exec probe or hook running in it now.
    pub fn log(&mut self, container: &str, at: SimTime, line: &str) {
        if let Some((c, out)) = &mut self.exec_output {
            if c == container {
                if let Some(j) = &mut self.journal {
                    j.other = true;
                }
                if out.len() < KEPT_EXEC_LINES {
                    out.push(line.to_string());
                }
                return;
            }
        }
        self.container_log(container, at, line);
    }

    /// Appends a line to the container's log (`kubectl logs`).
    fn container_log(&mut self, container: &str, at: SimTime, line: &str) {
        if let Some(j) = &mut self.journal {
            j.effects.push(Effect::Log(line.to_string()));
        }
        // Looked up before it is made: a periodic loop's rounds write thousands of lines at once.
        let kept = self.kept_log_lines();
        let log = match self.logs.get_mut(container) {
            Some(log) => log,
            None => self.logs.entry(container.to_string()).or_default(),
        };
        if log.len() >= kept {
            log.pop_front();
        }
        log.push_back((at, line.to_string()));
        self.lines_kept += 1;
        self.spend_steps(LINE_STEPS);
    }

    /// A new instance of `container` starts: its own files are gone (a fresh writable layer), and
    /// nothing of the old instance listens or follows any more.
    pub(crate) fn container_restarted(&mut self, container: &str, at: SimTime) {
        self.note_change();
        self.files
            .retain(|k, _| !matches!(k, FileKey::Private { container: c, .. } if c == container));
        self.removed_image_paths
            .retain(|k| !matches!(k, FileKey::Private { container: c, .. } if c == container));
        self.listening.retain(|_, c| c != container);
        for f in &mut self.followers {
            if f.container == container && f.active {
                f.active = false;
                f.until = Some(at);
                f.writes_before_stop = Some(self.volume_writes.len());
            }
        }
        self.signals.retain(|s| s.container != container);
    }

    /// A change a loop could read: the job stepping now has done more than append.
    fn note_change(&mut self) {
        self.changes += 1;
        if let Some(j) = &mut self.journal {
            j.other = true;
        }
    }

    /// A file's lines or counts were read.
    fn note_read(&self, key: &FileKey) {
        if let Some(j) = &self.journal {
            j.reads.borrow_mut().push(key.clone());
        }
    }

    /// The clock was read (`date`).
    pub(crate) fn note_clock_read(&self) {
        if let Some(j) = &self.journal {
            j.clock_read.set(true);
        }
    }

    /// Lines a periodic loop's `rounds` write to the container's log, each round the same
    /// (`periodic::replay`): only the rounds that can still be in the kept window are written.
    pub(crate) fn log_rounds(&mut self, container: &str, lines: &[&String], rounds: Rounds) {
        let kept = self.kept_log_lines();
        let shown = rounds_shown(kept, lines.len(), rounds);
        if shown == 0 {
            return;
        }
        let log = self.logs.entry(container.to_string()).or_default();
        for round in rounds.count - shown..rounds.count {
            let at = rounds.at(round);
            for line in lines {
                if log.len() >= kept {
                    log.pop_front();
                }
                log.push_back((at, (*line).clone()));
            }
        }
        self.lines_kept += shown * lines.len() as u64;
    }

    /// Lines a periodic loop's `rounds` append to one of its container's own files, each round the
    /// same: the rounds that can still be in the kept window are appended, the others only counted.
    pub(crate) fn append_rounds(
        &mut self,
        container: &str,
        key: &FileKey,
        path: &str,
        lines: &[String],
        rounds: Rounds,
    ) {
        let shown = rounds_shown(KEPT_LINES, lines.len(), rounds);
        let counted = lines.len() as u64 * (rounds.count - shown);
        if let Some(e) = self.files.get_mut(key) {
            e.lines += counted;
            e.written += counted;
            let inode = e.inode;
            for f in &mut self.followers {
                if f.active && f.inode == Some(inode) {
                    f.read += counted;
                }
            }
        }
        for round in rounds.count - shown..rounds.count {
            // The file was there for the round that was interpreted, and nothing could have
            // removed it since: an append cannot fail.
            let _ = self.append_lines_free(container, path, lines, rounds.at(round));
        }
    }

    /// The moments after `now` at which a host or a port of the pod comes up: what a loop reads of
    /// them may change then.
    pub(crate) fn next_appearance(&self, now: SimTime) -> Option<SimTime> {
        self.services_up_at
            .values()
            .chain(self.localhost_up_at.values())
            .copied()
            .filter(|t| *t > now)
            .min()
    }

    /// Does `host` (`localhost`, a Service name, `db.default.svc.cluster.local`) answer on `port` at
    /// `at`? `port: None`: a DNS lookup. See [`World::reach`].
    pub fn answers(&self, host: &str, port: Option<u16>, at: SimTime) -> bool {
        self.reach(host, port, at) == Reach::Answers
    }

    /// How `host` answers on `port` at `at`: localhost when a container of the pod listens on the
    /// port; another host as the cluster's DNS and Services answer it (`outside_hosts`).
    pub fn reach(&self, host: &str, port: Option<u16>, at: SimTime) -> Reach {
        let host = host.trim_matches(|c| c == '[' || c == ']');
        if host.is_empty()
            || word_list::contains(
                "localhost 127.0.0.1 0.0.0.0 ::1 localhost.localdomain",
                host,
            )
        {
            let up = match port {
                Some(p) => self.serves(p) || self.localhost_up_at.get(&p).is_some_and(|t| *t <= at),
                None => true,
            };
            return if up { Reach::Answers } else { Reach::Refused };
        }
        if self.services_unreachable {
            return Reach::NotResolved;
        }
        if self.every_host_up {
            return Reach::Answers;
        }
        self.host_source(host).reach(port, at)
    }

    /// What decides how `host` answers: the learner's time for it (`podlife.dev/service.<host>`, the
    /// scenario's `service=`), else the cluster (a Service of the file, the API server, the internet).
    pub fn host_source(&self, host: &str) -> HostSource {
        let first_label = host.split('.').next().unwrap_or(host);
        let up_at = self
            .services_up_at
            .get(host)
            .or_else(|| self.services_up_at.get(first_label))
            .or_else(|| {
                self.services_up_at
                    .iter()
                    .find(|(k, _)| host.starts_with(&format!("{k}.")))
                    .map(|(_, v)| v)
            });
        match up_at {
            Some(t) => HostSource::AppearsAt(*t),
            None => self.cluster.source(host),
        }
    }
}

/// Special files that swallow or pass writes on.
fn is_sink(path: &str) -> bool {
    matches!(
        path,
        "/dev/null"
            | "/dev/stdout"
            | "/dev/stderr"
            | "/proc/1/fd/1"
            | "/proc/1/fd/2"
            | "/proc/self/fd/1"
            | "/proc/self/fd/2"
    )
}

fn key_under(k: &FileKey, dir: &FileKey) -> bool {
    match (k, dir) {
        (FileKey::Volume { volume: a, path: p }, FileKey::Volume { volume: b, path: d }) => {
            a == b && (d.is_empty() || p.starts_with(&format!("{d}/")))
        }
        (
            FileKey::Private {
                container: a,
                path: p,
            },
            FileKey::Private {
                container: b,
                path: d,
            },
        ) => a == b && under(p, d).is_some_and(|r| !r.is_empty()),
        _ => false,
    }
}

/// What a file we did not see written reads as.
fn provided_content(key: &FileKey) -> String {
    match key {
        FileKey::Private { path, .. } if path.ends_with("serviceaccount/namespace") => {
            "default".into()
        }
        FileKey::Private { path, container } if path == "/etc/hostname" => container.clone(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world() -> World {
        let mut w = World::default();
        w.mounts
            .insert("writer".into(), vec![("data".into(), "/opt".into())]);
        w.mounts.insert(
            "reader".into(),
            vec![("data".into(), "/shared/logs".into())],
        );
        w
    }

    /// A pod's logs share 20 000 kept lines: each of 200 containers keeps its last 100, a lone one
    /// its last 500.
    #[test]
    fn the_logs_of_a_pod_of_many_containers_share_its_kept_lines() {
        let pod = |n: usize| PodSpec {
            containers: (0..n)
                .map(|i| Container {
                    name: format!("c{i}"),
                    ..Container::default()
                })
                .collect(),
            ..PodSpec::default()
        };
        for (n, kept) in [(1, 500), (40, 500), (200, 100), (1000, 50)] {
            let mut w = World::for_pod(&pod(n));
            for i in 0..600 {
                w.log("c0", SimTime(i), &format!("line {i}"));
            }
            let log = &w.logs["c0"];
            assert_eq!(log.len(), kept, "{n} containers");
            assert_eq!(log.back().map(|l| l.1.as_str()), Some("line 599"));
        }
    }

    #[test]
    fn a_volume_is_shared_at_each_containers_own_mount_path() {
        let mut w = world();
        w.append_lines("writer", "/opt/logs.txt", &["a".into()], SimTime(3000))
            .unwrap();
        assert!(w.is_file("reader", "/shared/logs/logs.txt", SimTime(3000)));
        assert!(!w.is_file("reader", "/shared/logs/logs.txt", SimTime(2999)));
        assert!(!w.exists("reader", "/opt/logs.txt", SimTime(3000)));
    }

    #[test]
    fn private_files_vanish_when_the_container_restarts() {
        let mut w = world();
        w.open_for_writing("writer", "/tmp/healthy", SimTime(0), false)
            .unwrap();
        assert!(w.is_file("writer", "/tmp/healthy", SimTime(0)));
        w.container_restarted("writer", SimTime(5));
        assert!(!w.exists("writer", "/tmp/healthy", SimTime(5)));
    }

    #[test]
    fn writing_into_a_missing_directory_fails() {
        let mut w = world();
        assert_eq!(
            w.append_lines("writer", "/opt/sub/x.log", &["a".into()], SimTime(0)),
            Err(FsError::NoSuchDirectory)
        );
        w.make_dir("writer", "/opt/sub", SimTime(0), false).unwrap();
        assert!(w
            .append_lines("writer", "/opt/sub/x.log", &["a".into()], SimTime(0))
            .is_ok());
    }

    #[test]
    fn a_mount_over_var_log_hides_the_images_var_log_nginx() {
        let mut w = World::default();
        w.images.insert("web".into(), "nginx:1.27".into());
        assert!(w.is_dir("web", "/var/log/nginx", SimTime(0)));
        w.mounts
            .insert("web".into(), vec![("logs".into(), "/var/log".into())]);
        assert!(!w.is_dir("web", "/var/log/nginx", SimTime(0)));
    }

    #[test]
    fn writes_to_volumes_are_logged_and_a_stopped_follower_knows_where_it_stopped() {
        let mut w = world();
        let id = w
            .follow("reader", "/shared/logs/logs.txt", SimTime(0), true, 10)
            .unwrap();
        w.append_lines("writer", "/opt/logs.txt", &["a".into()], SimTime(1000))
            .unwrap();
        w.append_lines("writer", "/tmp/own.txt", &["p".into()], SimTime(1000))
            .unwrap();
        w.stop_following(id, SimTime(1500));
        w.append_lines(
            "writer",
            "/opt/logs.txt",
            &["b".into(), "c".into()],
            SimTime(2000),
        )
        .unwrap();
        // Only the volume's file is logged; the private one is nobody else's.
        assert_eq!(w.volume_writes.len(), 2);
        assert_eq!(w.volume_writes[1].at, SimTime(2000));
        assert_eq!(w.volume_writes[1].lines, 2);
        assert_eq!(w.followers[id].writes_before_stop, Some(1));
        assert_eq!(w.lines_read("reader", "/shared/logs/logs.txt"), 1);
        assert_eq!(w.lines_written("writer", "/opt/logs.txt"), 3);
    }

    #[test]
    fn paths_are_normalised() {
        assert_eq!(normalise("a/../b//c/", "/x"), "/x/b/c");
        assert_eq!(normalise("/", "/"), "/");
        assert_eq!(normalise("..", "/"), "/");
        // The paths already normal come back as they are; the others are taken apart.
        for (path, normal) in [
            ("/opt/logs.txt", "/opt/logs.txt"),
            ("/a/b", "/a/b"),
            ("/a/./b", "/a/b"),
            ("/a//b", "/a/b"),
            ("/a/b/", "/a/b"),
            ("/a/../b", "/b"),
            ("/.", "/"),
            ("a/b", "/x/a/b"),
        ] {
            assert_eq!(normalise(path, "/x"), normal, "{path}");
            assert_eq!(is_normal(path), path == normal, "{path}");
        }
    }
}
