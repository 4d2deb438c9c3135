//! What podlife assumed about a container where the manifest does not say: one typed list, so the
//! diagnostics, the trace and the page all tell the same assumptions, each with the setting that decides
//! it (docs/annotations.md, "What podlife reads, what it assumes, how to say otherwise").

use serde::ser::SerializeStruct;
use serde::Serialize;

use super::summary::ports_text;
use super::{BEHAVIOUR_ANNOTATION_PREFIX, SERVICE_ANNOTATION_PREFIX};
use crate::pod_status::ContainerKind;
use crate::time::{secs_text, Millis, SimTime};

/// One thing podlife took to be so for a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assumption {
    /// A program podlife does not know, taken to run until it is stopped.
    RunsUntilStopped { program: String },
    /// A program podlife does not know, taken to finish (exit 0) after a while.
    FinishesAfter { program: String, after: Millis },
    /// An unknown program taken to listen on its declared containerPorts and probed ports (R104).
    ListensOn { ports: Vec<u16> },
    /// A host outside the pod that nothing defines: not there (its name does not resolve).
    HostNotThere { host: String },
    /// A host the learner said appears at a moment (before it, its name does not resolve).
    HostAppearsAt { host: String, at: SimTime },
    /// A public name: the cluster is taken to have egress, so it resolves and answers.
    HostOnInternet { host: String },
    /// A busy loop run faster than real time (its rounds skipped to when something changes).
    LoopFastForwarded { what: String },
}

/// How long an unknown program of an init container or a Job-like pod is taken to run.
pub(crate) const INIT_UNKNOWN_RUN: Millis = Millis(1_000);
pub(crate) const TASK_UNKNOWN_RUN: Millis = Millis(10_000);

/// What an unknown program of this kind of container is taken to do: finish after a while (init
/// containers, and regular containers of a Job-like pod), or run until stopped.
pub(crate) fn unknown_program(program: &str, kind: ContainerKind, job_like: bool) -> Assumption {
    let program = program.to_string();
    match kind {
        ContainerKind::Init => Assumption::FinishesAfter {
            program,
            after: INIT_UNKNOWN_RUN,
        },
        ContainerKind::Regular if job_like => Assumption::FinishesAfter {
            program,
            after: TASK_UNKNOWN_RUN,
        },
        _ => Assumption::RunsUntilStopped { program },
    }
}

impl Assumption {
    /// A short name for the kind of assumption (the trace's `kind`).
    pub fn kind(&self) -> &'static str {
        match self {
            Assumption::RunsUntilStopped { .. } => "runsUntilStopped",
            Assumption::FinishesAfter { .. } => "finishesAfter",
            Assumption::ListensOn { .. } => "listensOn",
            Assumption::HostNotThere { .. } => "hostNotThere",
            Assumption::HostAppearsAt { .. } => "hostAppearsAt",
            Assumption::HostOnInternet { .. } => "hostOnInternet",
            Assumption::LoopFastForwarded { .. } => "loopFastForwarded",
        }
    }

    /// The host it is about, for a host assumption (the page lists them with their times).
    pub fn host(&self) -> Option<&str> {
        match self {
            Assumption::HostNotThere { host }
            | Assumption::HostAppearsAt { host, .. }
            | Assumption::HostOnInternet { host } => Some(host),
            _ => None,
        }
    }

    /// What podlife assumed, in a sentence about `container`.
    pub fn message(&self, container: &str) -> String {
        match self {
            Assumption::RunsUntilStopped { program } => format!(
                "podlife does not know what `{program}` does: it takes it to run until it is stopped"
            ),
            Assumption::FinishesAfter { program, after } => format!(
                "podlife does not know what `{program}` does: it takes it to finish (exit 0) after {} s",
                secs_text(after.0)
            ),
            Assumption::ListensOn { ports } => format!(
                "podlife takes container \"{container}\" to listen on {} (its declared and probed ports)",
                ports_text(ports)
            ),
            Assumption::HostNotThere { host } => format!(
                "no Service \"{host}\" in this file: podlife takes it as not there (its name does not resolve), as on a cluster where nobody created it"
            ),
            Assumption::HostAppearsAt { host, at } => format!(
                "\"{host}\" is not there until {} s, as the manifest or scenario says",
                secs_text(at.0)
            ),
            Assumption::HostOnInternet { host } => format!(
                "\"{host}\" is a public name: podlife takes the cluster to reach the internet, so it resolves and answers"
            ),
            Assumption::LoopFastForwarded { what } => format!(
                "{what} (podlife stops computing the loop there and takes the container to keep running, \
                 as it would on a node)"
            ),
        }
    }

    /// The annotation or scenario setting that decides it.
    pub fn decided_by(&self, container: &str) -> String {
        let behaviour = format!("{BEHAVIOUR_ANNOTATION_PREFIX}{container}");
        match self {
            Assumption::RunsUntilStopped { .. } | Assumption::FinishesAfter { .. } => {
                format!("`{behaviour}: \"run=30s exit=0\"`")
            }
            Assumption::ListensOn { ports } => format!(
                "`{behaviour}: \"listens={}\"`",
                ports.iter().map(u16::to_string).collect::<Vec<_>>().join(",")
            ),
            Assumption::HostNotThere { host }
            | Assumption::HostAppearsAt { host, .. }
            | Assumption::HostOnInternet { host } => format!(
                "a `kind: Service` named {host} in the same file, or `{SERVICE_ANNOTATION_PREFIX}{host}: \"up-at=30s\"` (scenario `service={host}@30s`)"
            ),
            Assumption::LoopFastForwarded { .. } => format!("`{behaviour}: \"run=30s exit=0\"`"),
        }
    }
}

/// One assumption of one container as the trace carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerAssumption {
    pub container: String,
    pub assumption: Assumption,
}

/// The wire form: `{"kind","host","message","decidedBy"}` (`host` only for a host).
impl Serialize for ContainerAssumption {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = &self.assumption;
        let mut st = s.serialize_struct("Assumption", 4)?;
        st.serialize_field("kind", a.kind())?;
        if let Some(host) = a.host() {
            st.serialize_field("host", host)?;
        }
        st.serialize_field("message", &a.message(&self.container))?;
        st.serialize_field("decidedBy", &a.decided_by(&self.container))?;
        st.end()
    }
}

/// A host outside the pod that its commands contact and that the learner may make appear: what the
/// page's scenario controls list, each with its "appears at" time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimedHost {
    pub host: String,
    /// When the learner said it appears; `None`: it is not there.
    pub appears_at: Option<SimTime>,
    /// The annotation that stores the time (`podlife.dev/service.db`).
    pub annotation: String,
}

/// The hosts a trace's containers wait for that no Service of the file defines, each once, in the
/// order of the containers.
pub fn hosts_to_time(trace: &crate::trace::Trace) -> Vec<TimedHost> {
    let mut out: Vec<TimedHost> = Vec::new();
    for a in trace.containers.iter().flat_map(|c| &c.assumptions) {
        let (host, appears_at) = match &a.assumption {
            Assumption::HostNotThere { host } => (host, None),
            Assumption::HostAppearsAt { host, at } => (host, Some(*at)),
            _ => continue,
        };
        if !out.iter().any(|h| &h.host == host) {
            out.push(TimedHost {
                host: host.clone(),
                appears_at,
                annotation: format!("{SERVICE_ANNOTATION_PREFIX}{host}"),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_program_finishes_in_an_init_container_and_a_task_and_runs_elsewhere() {
        let fate = |kind, job| unknown_program("migrate", kind, job);
        assert!(matches!(
            fate(ContainerKind::Init, false),
            Assumption::FinishesAfter {
                after: INIT_UNKNOWN_RUN,
                ..
            }
        ));
        assert!(matches!(
            fate(ContainerKind::Regular, true),
            Assumption::FinishesAfter {
                after: TASK_UNKNOWN_RUN,
                ..
            }
        ));
        assert!(matches!(
            fate(ContainerKind::Sidecar, true),
            Assumption::RunsUntilStopped { .. }
        ));
    }

    #[test]
    fn each_assumption_names_what_decides_it() {
        let a = Assumption::HostNotThere { host: "db".into() };
        assert!(a.message("init").contains("\"db\""));
        assert!(a.decided_by("init").contains("podlife.dev/service.db"));
        let a = Assumption::ListensOn {
            ports: vec![8080, 9090],
        };
        assert!(a
            .decided_by("app")
            .contains("podlife.dev/behaviour.app: \"listens=8080,9090\""));
        let json = serde_json::to_value(ContainerAssumption {
            container: "init".into(),
            assumption: Assumption::HostAppearsAt {
                host: "db".into(),
                at: SimTime(30_000),
            },
        })
        .unwrap();
        assert_eq!(json["kind"], "hostAppearsAt");
        assert_eq!(json["host"], "db");
        assert!(json["message"].as_str().unwrap().contains("until 30 s"));
    }
}
