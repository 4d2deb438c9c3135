//! Timed actions applied during a run (delete the pod, update an image, reboot the node, restart the
//! kubelet) and the horizon; read from CLI flags or from the manifest's `podlife.dev/scenario`
//! annotation, so a shared YAML carries its scenario (docs/annotations.md).

use crate::resources::{cpu_millicores, memory_bytes};
use crate::scheduling::NodeCapacity;
use crate::time::{parse_duration, Millis, SimTime};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// `kubectl delete pod` with an optional `--grace-period`.
    Delete { grace: Option<i64> },
    /// `kubectl set image`: a new image for one container (R65).
    SetImage { container: String, image: String },
    /// The node reboots: the sandbox is lost and start-up runs again from init container 0 (R98, R21).
    NodeReboot,
    /// The kubelet restarts: probes start over, nothing already finished reruns (R96, R97).
    KubeletRestart,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scenario {
    pub actions: Vec<(SimTime, Action)>,
    /// Stop here; `None`: until the pod is terminal or stable, at most one simulated hour.
    pub until: Option<SimTime>,
    /// Hosts outside the pod and when they appear (`podlife.dev/service.db: "up-at=12s"`,
    /// `service=db@12s`, `podlife simulate --service db=12s`).
    pub services: Vec<(String, SimTime)>,
    /// The Services the manifest's file defines (read by `load`, not from the scenario text): hosts
    /// that are there from the start.
    pub cluster_services: Vec<crate::behaviour::outside_hosts::ServiceHost>,
    /// Alpha gates switched on (`feature-gates=SidecarsRestartableDuringPodTermination`).
    pub feature_gates: Vec<crate::version::Gate>,
    /// The node's allocatable CPU and memory (`node-cpu=2; node-memory=4Gi`), the scheduler's fit (R107).
    pub node: NodeCapacity,
}

/// The longest a simulation runs: one hour of virtual time.
pub const HORIZON_CAP: Millis = Millis(3_600_000);

impl Scenario {
    pub fn add(&mut self, at: SimTime, action: Action) {
        self.actions.push((at, action));
        crate::stable_sort::sort_by_key(&mut self.actions, |(t, _)| *t);
    }

    /// Parses `delete-at=20s grace=5s; set-image=app=nginx:1.28@30s; service=db@30s; reboot-at=60s;
    /// kubelet-restart-at=90s; until=120s; node-cpu=2; node-memory=4Gi` (separators: `;`, `,` or
    /// spaces).
    pub fn parse(text: &str) -> Result<Scenario, String> {
        let mut scenario = Scenario::default();
        let mut pending_delete: Option<SimTime> = None;
        let mut grace: Option<i64> = None;
        for item in text
            .split([';', ',', ' ', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let (key, value) = item
                .split_once('=')
                .ok_or_else(|| format!("\"{item}\": expected key=value"))?;
            match key {
                "delete-at" => pending_delete = Some(at(value)?),
                "grace" => {
                    let g = parse_duration(value)?;
                    grace = Some((g.0 / 1000) as i64);
                }
                "set-image" => {
                    let (container, rest) =
                        value.split_once('=').ok_or_else(|| format!("\"{item}\": expected set-image=NAME=IMAGE@TIME"))?;
                    let (image, when) =
                        rest.rsplit_once('@').ok_or_else(|| format!("\"{item}\": expected set-image=NAME=IMAGE@TIME"))?;
                    scenario.add(at(when)?, Action::SetImage { container: container.into(), image: image.into() });
                }
                "service" => {
                    let (host, when) = value.rsplit_once('@').filter(|(h, _)| !h.is_empty()).ok_or_else(|| format!("\"{item}\": expected service=HOST@TIME"))?;
                    scenario.services.push((host.to_string(), at(when)?));
                }
                "reboot-at" => scenario.add(at(value)?, Action::NodeReboot),
                "kubelet-restart-at" => scenario.add(at(value)?, Action::KubeletRestart),
                "until" => scenario.until = Some(at(value)?),
                "feature-gates" => {
                    for name in value.split('+') {
                        scenario.feature_gates.push(crate::version::Gate::from_name(name)?);
                    }
                }
                "node-cpu" => scenario.node.cpu_millicores = Some(node_quantity(key, value, cpu_millicores)?),
                "node-memory" => scenario.node.memory_bytes = Some(node_quantity(key, value, memory_bytes)?),
                other => {
                    return Err(format!(
                        "unknown scenario key \"{other}\": use delete-at, grace, set-image, service, reboot-at, kubelet-restart-at, until, feature-gates, node-cpu, node-memory"
                    ))
                }
            }
        }
        if let Some(t) = pending_delete {
            scenario.add(t, Action::Delete { grace });
        } else if grace.is_some() {
            return Err("grace= goes with delete-at=".into());
        }
        Ok(scenario)
    }

    /// Adds the actions of `other` (CLI flags override nothing; they add).
    pub fn merge(&mut self, other: Scenario) {
        for (t, a) in other.actions {
            self.add(t, a);
        }
        if other.until.is_some() {
            self.until = other.until;
        }
        self.services.extend(other.services);
        self.cluster_services.extend(other.cluster_services);
        self.feature_gates.extend(other.feature_gates);
        self.node.merge(other.node);
    }
}

/// A node resource as a quantity (`2`, `1500m`, `4Gi`), read as the API server reads one; a node
/// with none of it could run nothing, so 0 is refused too.
fn node_quantity(key: &str, value: &str, read: fn(&str) -> Option<u64>) -> Result<u64, String> {
    read(value).filter(|n| *n > 0).ok_or_else(|| {
        format!("{key}=\"{value}\": expected a positive quantity such as 2, 500m, 4Gi or 512Mi")
    })
}

fn at(text: &str) -> Result<SimTime, String> {
    parse_duration(text).map(|d| SimTime(d.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenario_annotation_reads_every_action() {
        let s = Scenario::parse(
            "delete-at=20s grace=5s; set-image=app=nginx:1.28@30s; reboot-at=1m; until=2m",
        )
        .unwrap();
        assert_eq!(s.until, Some(SimTime(120_000)));
        assert_eq!(
            s.actions,
            vec![
                (SimTime(20_000), Action::Delete { grace: Some(5) }),
                (
                    SimTime(30_000),
                    Action::SetImage {
                        container: "app".into(),
                        image: "nginx:1.28".into()
                    }
                ),
                (SimTime(60_000), Action::NodeReboot),
            ]
        );
    }

    #[test]
    fn a_service_appears_when_the_scenario_says() {
        let s = Scenario::parse("service=db.default.svc@30s until=2m").unwrap();
        assert_eq!(s.services, vec![("db.default.svc".into(), SimTime(30_000))]);
        assert!(Scenario::parse("service=db").is_err());
        assert!(Scenario::parse("service=@3s").is_err());
    }

    #[test]
    fn scenario_mistakes_are_explained() {
        assert!(Scenario::parse("delete=20s")
            .unwrap_err()
            .contains("unknown scenario key"));
        assert!(Scenario::parse("set-image=app@30s").is_err());
        assert!(Scenario::parse("grace=5").is_err());
        assert!(Scenario::parse("node-memory=lots")
            .unwrap_err()
            .contains("positive quantity"));
        assert!(Scenario::parse("node-cpu=0").is_err());
    }

    #[test]
    fn the_scenario_sets_the_nodes_capacity_r107() {
        let s = Scenario::parse("node-cpu=1500m; node-memory=4Gi").unwrap();
        assert_eq!(s.node.cpu_millicores, Some(1500));
        assert_eq!(s.node.memory_bytes, Some(4 << 30));
        assert_eq!(Scenario::default().node.describe(), "cpu 4, memory 16Gi");
    }
}
