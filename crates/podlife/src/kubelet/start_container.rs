//! Starting one container (pkg/kubelet/kuberuntime/kuberuntime_container.go `startContainer`,
//! `doBackOff`; pkg/kubelet/images/image_manager.go): back-off, lazy image pull, create, start, and the
//! blocking postStart hook (R26–R28, R53); hooks as lifecycle/handlers.go runs them (R104).

use crate::behaviour::run_exec;
use crate::image_reference::{kubelet_parse_error, ImageReference};
use crate::model::LifecycleHandler;
use crate::pod_status::ContainerKind;
use crate::time::{Millis, SimTime};
use crate::trace::{EventKind, HookName, KillCause};

use super::backoff::Backoff;
use super::container::{Instance, KillForRestart, PullError, Termination};
use super::network_handlers::go_quote;
use super::pod_worker::*;

impl PodWorker {
    /// One step of starting a container; returns true when the op is done.
    pub(super) fn step_start(&mut self, idx: usize, resumed: bool) -> bool {
        let now = self.now;
        match self.ctrs[idx].instance.clone() {
            Instance::Pulling { until } if until <= now => {
                let image = self.ctrs[idx].image().to_string();
                if let Some(error) = self.pull_error_for(idx, &image) {
                    self.pull_failed(idx, &image, error);
                    return true;
                }
                self.images.insert(image.clone());
                self.emit(
                    Some(idx),
                    EventKind::Pulled {
                        image: image.clone(),
                    },
                    Some("R27"),
                    format!("Successfully pulled image \"{image}\""),
                );
                self.create_and_start(idx)
            }
            Instance::Pulling { until } => {
                self.busy_until = Some(until);
                false
            }
            Instance::Running { .. } if resumed => {
                // The postStart hook has returned (R28).
                self.post_start_finished(idx);
                true
            }
            Instance::Running { .. } => true,
            _ => {
                if self.in_backoff(idx) {
                    return true;
                }
                self.begin_pull(idx)
            }
        }
    }

    /// `doBackOff`: a container that exited recently waits (R53). It reads the newest exited instance
    /// in the pod status the sync started from; when the container is not held back, the back-off
    /// entry moves on (`Next`) from that instance's FinishedAt.
    pub(super) fn in_backoff(&mut self, idx: usize) -> bool {
        let Some(last) = self.ctrs[idx].last_termination.clone() else {
            return false;
        };
        let key = Backoff::key(&self.ctrs[idx].name, self.ctrs[idx].image());
        let Some(since) = self.exit_in_sync_status(idx, &last) else {
            return false;
        };
        match self.backoff.in_backoff(&key, since, self.now) {
            Some((_, delay)) => {
                // The next sync reads the newest exit, so the wait runs from it.
                self.back_off(idx, last.finished_at + delay, delay);
                true
            }
            None => {
                self.backoff.record_restart(&key, since, self.now);
                false
            }
        }
    }

    /// The FinishedAt of the exited instance `doBackOff` finds in the status the sync read, if there is
    /// one to check against.
    fn exit_in_sync_status(&mut self, idx: usize, last: &Termination) -> Option<SimTime> {
        let now = self.now;
        let c = &mut self.ctrs[idx];
        if c.instances == 0 {
            return None;
        }
        if matches!(c.instance, Instance::NotCreated) && c.generation != self.generation {
            // A new sandbox reruns the container at once (R21); its back-off goes on.
            let key = Backoff::key(&c.name, c.image());
            self.backoff.record_restart(&key, last.finished_at, now);
            return None;
        }
        // The restart that follows a kill the sync decided reads the status from before the kill: the
        // killed instance still ran there, so the exited one is the instance before it, if any.
        match c.kill_for_restart.as_mut().filter(|k| !k.backoff_checked) {
            Some(kill) => {
                kill.backoff_checked = true;
                kill.previous_finished_at
            }
            None => Some(last.finished_at),
        }
    }

    /// The container waits in CrashLoopBackOff until `until` (R53, R54).
    fn back_off(&mut self, idx: usize, until: SimTime, delay: Millis) {
        let already =
            matches!(self.ctrs[idx].instance, Instance::BackOff { until: u, .. } if u == until);
        self.ctrs[idx].instance = Instance::BackOff {
            until,
            image_pull: false,
        };
        self.ctrs[idx].crash_loop_reason = true;
        if !already {
            let label = self.label(idx);
            self.emit(
                Some(idx),
                EventKind::BackOff {
                    delay: delay.as_secs(),
                    image: None,
                },
                Some("R53"),
                format!(
                    "Back-off {}s restarting failed {label}: CrashLoopBackOff until {}",
                    delay.0 / 1000,
                    until
                ),
            );
        }
        self.request_sync(until);
    }

    /// The pull failed (`EnsureImageExists`): the pull back-off moves on (`Next`: 10 s, then doubling
    /// up to 300 s, from now), the start fails with ErrImagePull, and the pod worker retries the failed
    /// sync 10 s later (R55, R103). The sync goes on with the next regular container (R26); a failed init
    /// container or sidecar holds back what follows it (R27).
    fn pull_failed(&mut self, idx: usize, image: &str, error: String) {
        let now = self.now;
        self.pull_backoff
            .record_restart(&pull_backoff_key(image), now, now);
        let label = self.label(idx);
        self.emit(
            Some(idx),
            EventKind::PullFailed {
                image: image.to_string(),
                error,
            },
            Some("R103"),
            format!("Failed to pull image \"{image}\" for {label}: ErrImagePull"),
        );
        self.note(Some(idx), "R27", format!("{label} cannot start without its image: the pod stays Pending, even under restartPolicy Never"));
        self.image_unavailable(idx, PullError::ErrImagePull);
    }

    /// Why this pull fails, if it does: a registry host that cannot exist (RFC 2606's `invalid` names,
    /// in the runtime's words), or the `pull=fail` behaviour annotation (podlife cannot know what a
    /// real registry would answer, so the error names the annotation).
    fn pull_error_for(&self, idx: usize, image: &str) -> Option<String> {
        if let Some(reference) = ImageReference::parse(image)
            .ok()
            .filter(ImageReference::host_cannot_exist)
        {
            return Some(reference.no_such_host_error());
        }
        let c = &self.ctrs[idx];
        c.behaviour
            .pull_fails_until
            .is_some_and(|f| f > self.now)
            .then(|| {
                format!(
                    "the {}{} annotation makes this pull fail",
                    crate::behaviour::BEHAVIOUR_ANNOTATION_PREFIX,
                    c.name
                )
            })
    }

    /// `EnsureImageExists` cannot parse the image (`applyDefaultImageTag`): no pull, the kubelet's
    /// InspectFailed event and the start's `Error: InvalidImageName`, at every sync with no back-off;
    /// the pod worker retries the failed sync 10 s later (R103).
    fn invalid_image_name(&mut self, idx: usize, image: &str, error: String) {
        let first = self.ctrs[idx].pull_error != Some(PullError::InvalidImageName);
        self.emit(
            Some(idx),
            EventKind::InvalidImageName {
                image: image.to_string(),
                error,
            },
            Some("R103"),
            format!(
                "\"{image}\" is not a valid image reference: InvalidImageName, nothing is pulled"
            ),
        );
        if first {
            let label = self.label(idx);
            self.note(Some(idx), "R103", format!("{label} can never start: the kubelet retries at every sync, and only a new image (`kubectl set image`) can help"));
        }
        self.image_unavailable(idx, PullError::InvalidImageName);
    }

    /// `EnsureImageExists` inside the image's pull back-off (`IsInBackOffSinceUpdate`): no pull, the
    /// kubelet's BackOff event, and the start fails with ImagePullBackOff (R55, R103).
    fn pull_backed_off(&mut self, idx: usize, image: &str, since: SimTime, delay: Millis) {
        self.emit(
            Some(idx),
            EventKind::BackOff {
                delay: delay.as_secs(),
                image: Some(image.to_string()),
            },
            Some("R55"),
            format!(
                "Back-off pulling image \"{image}\": ImagePullBackOff, the pull that failed at {since} waits {} s before the next one",
                delay.0 / 1000
            ),
        );
        self.image_unavailable(idx, PullError::ImagePullBackOff);
    }

    /// The start failed for want of the image: the reason cache keeps why, and the pod worker retries
    /// the failed sync after its error back-off (pod_workers.go `completeWork`, R55).
    fn image_unavailable(&mut self, idx: usize, error: PullError) {
        let until = self.now + POD_WORKER_ERROR_BACKOFF;
        let c = &mut self.ctrs[idx];
        c.pull_error = Some(error);
        c.instance = Instance::BackOff {
            until,
            image_pull: true,
        };
        self.request_sync(until);
    }

    pub(super) fn begin_pull(&mut self, idx: usize) -> bool {
        let c = &self.ctrs[idx];
        let image = c.image().to_string();
        if let Some(error) = kubelet_parse_error(&image) {
            self.invalid_image_name(idx, &image, error);
            return true;
        }
        let policy = c
            .spec
            .image_pull_policy
            .clone()
            .unwrap_or_else(|| "IfNotPresent".into());
        let present = self.images.contains(&image);
        let pull = match (policy.as_str(), present) {
            ("Never", _) | ("IfNotPresent", true) => None,
            ("Always", true) => Some(REPULL),
            _ => Some(FIRST_PULL),
        };
        let pull = c
            .behaviour
            .pull_time
            .map_or(pull, Some)
            .filter(|_| policy != "Never");
        if pull.is_some() {
            if let Some((until, delay)) = self
                .pull_backoff
                .in_backoff_since_update(&pull_backoff_key(&image), self.now)
            {
                self.pull_backed_off(idx, &image, until - delay, delay);
                return true;
            }
        }
        match pull {
            Some(d) => {
                self.emit(
                    Some(idx),
                    EventKind::Pulling {
                        image: image.clone(),
                    },
                    Some("R27"),
                    format!("Pulling image \"{image}\" (imagePullPolicy {policy})"),
                );
                let until = self.now + d;
                self.ctrs[idx].instance = Instance::Pulling { until };
                self.busy_until = Some(until);
                false
            }
            None => {
                self.emit(
                    Some(idx),
                    EventKind::Pulled {
                        image: image.clone(),
                    },
                    Some("R27"),
                    format!("Container image \"{image}\" already present on machine"),
                );
                self.create_and_start(idx)
            }
        }
    }

    /// Create and start the container, then run its postStart (blocking): returns true when no hook waits.
    pub(super) fn create_and_start(&mut self, idx: usize) -> bool {
        let now = self.now;
        let generation = self.generation;
        let mut process = self.ctrs[idx].behaviour.spawn(&self.ctrs[idx].name, now);
        process.begin_instance(&mut self.world);
        let c = &mut self.ctrs[idx];
        let rerun = c.instances > 0 && c.generation != generation;
        if c.instances > 0 {
            c.restart_count += 1;
        }
        c.instances += 1;
        c.generation = generation;
        c.instance = Instance::Running {
            process,
            started_at: now,
        };
        c.wake_at = Some(now);
        c.post_start_done = false;
        c.restart_after_kill = false;
        c.pull_error = None;
        c.shown_pull_error = None;
        c.crash_loop_reason = false;
        let kill = c.kill_for_restart.take();
        c.definition_changed = false;
        for p in &mut c.probes {
            p.new_instance();
        }
        // The process registers its ports itself once it is up (a server takes time to listen).
        if self.ctrs[idx].kind == ContainerKind::Regular {
            self.initialized = true;
        }
        let label = self.label(idx);
        let restart_count = self.ctrs[idx].restart_count;
        let rule = self.start_rule(idx, rerun, kill);
        // Init containers and sidecars are created one at a time (R22); regular containers one
        // after another in a single sync (R26).
        let created_rule = match self.ctrs[idx].kind {
            ContainerKind::Regular => "R26",
            _ => rule,
        };
        self.emit(
            Some(idx),
            EventKind::Created,
            Some(created_rule),
            format!("Created {label}"),
        );
        let why = match (self.ctrs[idx].kind, restart_count) {
            (ContainerKind::Regular, 0) => " (initialization is complete)",
            (_, 0) => "",
            _ => " again",
        };
        self.emit(
            Some(idx),
            EventKind::Started { restart_count },
            Some(rule),
            format!("Started {label}{why}"),
        );
        self.relist_pending = true;
        match self.ctrs[idx]
            .spec
            .lifecycle
            .as_ref()
            .and_then(|l| l.post_start.clone())
        {
            Some(hook) => {
                self.emit(
                    Some(idx),
                    EventKind::PostStartHookStarted,
                    Some("R28"),
                    format!("postStart hook of {label} runs; the kubelet waits for it"),
                );
                let outcome = self.run_hook(idx, &hook);
                // R28: a failed postStart kills the container once the hook returns.
                self.ctrs[idx].post_start_failure = outcome.failure;
                self.busy_until = Some(now + outcome.duration);
                false
            }
            None => {
                self.ctrs[idx].post_start_done = true;
                self.refresh_flags_of(idx);
                true
            }
        }
    }

    /// The rule a container's start follows: its place in start-up, or why it starts again.
    fn start_rule(&self, idx: usize, rerun: bool, kill: Option<KillForRestart>) -> &'static str {
        let c = &self.ctrs[idx];
        let first = c.restart_count == 0;
        if rerun {
            // A new sandbox reruns every container.
            return "R21";
        }
        if self.termination.is_some() {
            // Only KEP-4438 restarts a sidecar while the pod terminates.
            return "R101";
        }
        if let Some(kill) = kill.filter(|_| !first) {
            // A restart after a kill the sync decided follows the kill's rule (R35, R36, R65).
            return kill.rule;
        }
        match c.kind {
            ContainerKind::Init if first => "R22",
            // Restarted by its own `restartPolicy` or `restartPolicyRules`, not the pod's (R99).
            ContainerKind::Init | ContainerKind::Regular if !first && c.restart.is_set() => "R99",
            ContainerKind::Init => "R51",
            ContainerKind::Sidecar if first => "R22",
            ContainerKind::Sidecar if self.initialized => "R52",
            ContainerKind::Sidecar => "R29",
            ContainerKind::Regular if first => "R25",
            ContainerKind::Regular => "R50",
        }
    }

    pub(super) fn post_start_finished(&mut self, idx: usize) {
        let label = self.label(idx);
        if let Some(failure) = self.ctrs[idx].post_start_failure.take() {
            self.emit(
                Some(idx),
                EventKind::HookFailed {
                    hook: HookName::PostStart,
                },
                Some("R103"),
                format!(
                    "postStart hook of {label} failed: the kubelet records FailedPostStartHook"
                ),
            );
            self.emit(
                Some(idx),
                EventKind::PostStartHookFinished,
                Some("R28"),
                format!("postStart hook of {label} failed (FailedPostStartHook): the container is killed: {failure}"),
            );
            // `startContainer` kills it before returning, so the next container waits for the kill;
            // whether it restarts is the restart policy's call at the next sync (R28, R30).
            self.ctrs[idx].restart_after_kill = false;
            let grace = Millis::secs(self.grace_seconds.max(0) as u64);
            let kill = Op::Kill {
                idx,
                grace,
                why: "its postStart hook failed".into(),
                rule: "R28",
                cause: KillCause::PostStartHookFailed,
            };
            let at = 1.min(self.ops.len());
            self.ops.insert(at, kill);
            return;
        }
        self.ctrs[idx].post_start_done = true;
        self.emit(
            Some(idx),
            EventKind::PostStartHookFinished,
            Some("R28"),
            format!("postStart hook of {label} returned"),
        );
        self.refresh_flags();
        self.request_sync(self.now);
    }

    /// How long a hook runs and whether it succeeds.
    pub(super) fn hook_duration(&mut self, idx: usize, hook: &LifecycleHandler) -> (Millis, bool) {
        let outcome = self.run_hook(idx, hook);
        (outcome.duration, outcome.failure.is_none())
    }

    /// Runs a hook (lifecycle/handlers.go `Run`): how long it takes and, when it fails, the kubelet's
    /// message for it, the text of the FailedPostStartHook / FailedPreStopHook event (R103). An exec
    /// hook fails on a non-zero exit; an httpGet hook when nothing of the pod listens on its port (R104).
    pub(super) fn run_hook(&mut self, idx: usize, hook: &LifecycleHandler) -> HookOutcome {
        if let Some(sleep) = &hook.sleep {
            let seconds = sleep.seconds.unwrap_or(0).max(0) as u64;
            return HookOutcome::done(Millis::secs(seconds));
        }
        if let Some(exec) = &hook.exec {
            let name = self.ctrs[idx].name.clone();
            // The hook runs while the kubelet waits for it; the pod's other processes go on meanwhile,
            // so a hook polling localhost sees a port come up when its server would listen (R28, R90).
            for c in &self.ctrs {
                if let Some(since) = c.running_since() {
                    for port in &c.behaviour.listens {
                        self.world
                            .localhost_up_at
                            .entry(*port)
                            .or_insert(since + c.behaviour.listens_after);
                    }
                }
            }
            let result = run_exec(&exec.command, &name, self.now, &mut self.world, None);
            self.world.localhost_up_at.clear();
            if let Some(phrase) = result.busy_loop {
                self.note_busy_hook(idx, hook, phrase);
            }
            let failure = (result.exit_code != 0).then(|| {
                let joined = exec.command.join(" ");
                format!(
                    "Exec lifecycle hook ([{joined}]) for Container {} in Pod {} failed - error: \
                     command '{joined}' exited with {}: {}, message: {}",
                    go_quote(&name),
                    go_quote(&self.pod_full_name()),
                    result.exit_code,
                    result.output,
                    go_quote(&result.output)
                )
            });
            return HookOutcome {
                duration: result.duration,
                failure,
            };
        }
        HookOutcome {
            duration: Millis(0),
            failure: self.network_hook_failure(idx, hook),
        }
    }

    /// A trace line saying that an exec hook's command is a busy loop podlife skipped ahead of (the
    /// hook's own events say how long the kubelet waited for it).
    fn note_busy_hook(&mut self, idx: usize, hook: &LifecycleHandler, phrase: &str) {
        let post_start = self.ctrs[idx]
            .spec
            .lifecycle
            .as_ref()
            .and_then(|l| l.post_start.as_ref())
            == Some(hook);
        let (which, rule) = if post_start {
            ("postStart", "R28")
        } else {
            ("preStop", "R70")
        };
        let label = self.label(idx);
        self.note(
            Some(idx),
            rule,
            format!("{which} hook of {label}: {phrase}"),
        );
    }
}

/// What running a hook came to.
pub(super) struct HookOutcome {
    pub duration: Millis,
    /// The kubelet's message when the hook failed.
    pub failure: Option<String>,
}

impl HookOutcome {
    fn done(duration: Millis) -> HookOutcome {
        HookOutcome {
            duration,
            failure: None,
        }
    }
}

/// The image back-off's key: one entry per image of the pod (`pod.UID` + image in
/// images/image_manager.go).
fn pull_backoff_key(image: &str) -> String {
    format!("pull:{image}")
}
