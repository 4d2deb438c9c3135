//! Kubernetes versions 1.28–1.37 and the feature gates that touch the pod lifecycle, as data
//! (rules R2–R8; pkg/features/kube_features.go). Each gate lists the releases where its stage or its
//! default changed; a version takes the last entry at or below it.

use std::fmt;
use std::str::FromStr;

/// A Kubernetes minor version of the 1.x line that podlife models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct KubeVersion {
    pub minor: u8,
    /// Gates switched on beyond the version's defaults (`--feature-gate`), one bit per [`Gate`].
    pub opted_in: u16,
}

impl KubeVersion {
    pub const OLDEST: KubeVersion = KubeVersion::new(28);
    pub const NEWEST: KubeVersion = KubeVersion::new(37);

    pub const fn new(minor: u8) -> KubeVersion {
        KubeVersion { minor, opted_in: 0 }
    }

    /// This version with `gate` switched on, as `--feature-gates=Gate=true` would; an error when the
    /// gate does not exist in this version.
    pub fn with_gate(self, gate: Gate) -> Result<KubeVersion, String> {
        match self.stage(gate) {
            Some(_) => Ok(KubeVersion {
                opted_in: self.opted_in | gate.bit(),
                ..self
            }),
            None => Err(format!(
                "feature gate {gate:?} does not exist in Kubernetes {self}"
            )),
        }
    }

    pub fn all() -> impl Iterator<Item = KubeVersion> {
        (Self::OLDEST.minor..=Self::NEWEST.minor).map(KubeVersion::new)
    }

    /// Is this gate on by default in this version?
    pub fn enabled(self, gate: Gate) -> bool {
        self.stage(gate)
            .is_some_and(|(_, on)| on || self.opted_in & gate.bit() != 0)
    }

    /// The gate's stage and default in this version; `None` before the gate existed.
    pub fn stage(self, gate: Gate) -> Option<(Stage, bool)> {
        gate.history()
            .iter()
            .rev()
            .find(|(minor, _, _)| *minor <= self.minor)
            .map(|&(_, stage, on)| (stage, on))
    }
}

impl Default for KubeVersion {
    fn default() -> Self {
        KubeVersion::new(36)
    }
}

impl fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "1.{}", self.minor)
    }
}

impl FromStr for KubeVersion {
    type Err = String;

    /// `1.36`, `v1.36` or `v1.36.2`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim().trim_start_matches('v');
        let mut parts = trimmed.split('.');
        let major = parts.next();
        let minor = parts.next().and_then(|m| m.parse::<u8>().ok());
        match (major, minor) {
            (Some("1"), Some(minor))
                if (Self::OLDEST.minor..=Self::NEWEST.minor).contains(&minor) =>
            {
                Ok(KubeVersion::new(minor))
            }
            _ => Err(format!(
                "unsupported Kubernetes version \"{s}\": podlife models {} to {}",
                Self::OLDEST,
                Self::NEWEST
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Stage {
    Alpha,
    Beta,
    Ga,
}

/// The feature gates that change what a pod's containers do or what the API server accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Gate {
    /// Native sidecars: `restartPolicy: Always` on init containers (R1–R5, KEP-753).
    SidecarContainers,
    /// Per-container restartPolicy and restartPolicyRules (R99, KEP-5307).
    ContainerRestartRules,
    /// The `sleep` lifecycle handler.
    PodLifecycleSleepAction,
    /// `sleep: {seconds: 0}`.
    PodLifecycleSleepActionAllowZero,
    /// `lifecycle.stopSignal`.
    ContainerStopSignals,
    /// The PodReadyToStartContainers condition (R8, KEP-3085).
    PodReadyToStartContainersCondition,
    /// Sidecars restarted during pod termination (R6, R101, KEP-4438).
    SidecarsRestartableDuringPodTermination,
    /// `RestartAllContainers` restart rule action (R100, KEP-5532).
    RestartAllContainersOnContainerExits,
    /// Faster crash-loop back-off: 1 s initial, 60 s cap (R7, KEP-4603).
    ReduceDefaultCrashLoopBackoffDecay,
}

impl Gate {
    pub const ALL: [Gate; 9] = [
        Gate::SidecarContainers,
        Gate::ContainerRestartRules,
        Gate::PodLifecycleSleepAction,
        Gate::PodLifecycleSleepActionAllowZero,
        Gate::ContainerStopSignals,
        Gate::PodReadyToStartContainersCondition,
        Gate::SidecarsRestartableDuringPodTermination,
        Gate::RestartAllContainersOnContainerExits,
        Gate::ReduceDefaultCrashLoopBackoffDecay,
    ];

    fn bit(self) -> u16 {
        1 << (Gate::ALL.iter().position(|g| *g == self).unwrap_or(15) as u16)
    }

    /// Parses a gate name (`SidecarContainers`, or `SidecarContainers=true`).
    pub fn from_name(name: &str) -> Result<Gate, String> {
        let name = name.trim().trim_end_matches("=true");
        Gate::ALL
            .into_iter()
            .find(|g| format!("{g:?}") == name)
            .ok_or_else(|| {
                let known: Vec<String> = Gate::ALL.iter().map(|g| format!("{g:?}")).collect();
                format!(
                    "unknown feature gate \"{name}\": podlife models {}",
                    known.join(", ")
                )
            })
    }

    /// `(minor, stage, on by default)` at each release where it changed.
    fn history(self) -> &'static [(u8, Stage, bool)] {
        use Stage::*;
        match self {
            Gate::SidecarContainers => &[(28, Alpha, false), (29, Beta, true), (33, Ga, true)],
            Gate::ContainerRestartRules => &[(34, Alpha, false), (35, Beta, true)],
            Gate::PodLifecycleSleepAction => {
                &[(29, Alpha, false), (30, Beta, true), (34, Ga, true)]
            }
            Gate::PodLifecycleSleepActionAllowZero => {
                &[(32, Alpha, false), (33, Beta, true), (34, Ga, true)]
            }
            Gate::ContainerStopSignals => &[(33, Alpha, false)],
            Gate::PodReadyToStartContainersCondition => {
                &[(28, Alpha, false), (29, Beta, true), (37, Ga, true)]
            }
            Gate::SidecarsRestartableDuringPodTermination => &[(37, Alpha, false)],
            Gate::RestartAllContainersOnContainerExits => &[(35, Alpha, false), (36, Beta, true)],
            Gate::ReduceDefaultCrashLoopBackoffDecay => &[(32, Alpha, false)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(minor: u8) -> KubeVersion {
        KubeVersion::new(minor)
    }

    #[test]
    fn an_alpha_gate_can_be_switched_on_where_it_exists() {
        assert!(!v(28).enabled(Gate::SidecarContainers));
        assert!(v(28)
            .with_gate(Gate::SidecarContainers)
            .unwrap()
            .enabled(Gate::SidecarContainers));
        assert!(v(36)
            .with_gate(Gate::SidecarsRestartableDuringPodTermination)
            .is_err());
        assert!(v(37)
            .with_gate(Gate::SidecarsRestartableDuringPodTermination)
            .unwrap()
            .enabled(Gate::SidecarsRestartableDuringPodTermination));
    }

    #[test]
    fn sidecars_are_off_by_default_only_in_1_28() {
        assert!(!v(28).enabled(Gate::SidecarContainers));
        assert!(v(29).enabled(Gate::SidecarContainers));
        assert_eq!(
            v(33).stage(Gate::SidecarContainers),
            Some((Stage::Ga, true))
        );
    }

    #[test]
    fn container_restart_rules_arrive_off_in_1_34_and_on_in_1_35() {
        assert_eq!(v(33).stage(Gate::ContainerRestartRules), None);
        assert!(!v(34).enabled(Gate::ContainerRestartRules));
        assert!(v(35).enabled(Gate::ContainerRestartRules));
    }

    #[test]
    fn versions_parse_in_range_only() {
        assert_eq!("1.36".parse::<KubeVersion>(), Ok(v(36)));
        assert_eq!("v1.29.4".parse::<KubeVersion>(), Ok(v(29)));
        assert!("1.27".parse::<KubeVersion>().is_err());
        assert!("2.0".parse::<KubeVersion>().is_err());
    }
}
