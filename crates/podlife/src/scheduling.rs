//! The scheduler's resource fit on podlife's one node (R107; kubernetes/kubernetes
//! `pkg/scheduler/framework/plugins/noderesources/fit.go` `fitsRequest`, and `FitError.Error()` in
//! `pkg/scheduler/framework/types.go`): before the kubelet ever sees the pod, the default scheduler
//! must find a node whose allocatable CPU and memory hold the pod's requests. podlife's node is an
//! idealised empty one (nothing reserved, no other pods), 4 CPUs and 16 GiB unless the scenario says
//! otherwise (`node-cpu=2; node-memory=4Gi`).
//!
//! The pod's request is R94's (`resources::pod_requests`: the larger of the init containers'
//! peak and the long-running sum, a limit standing in for a missing request), which is what
//! `computePodResourceRequest` takes from `resource.PodRequests`.

use crate::resources::{cpu_text, memory_text, PodRequests, Requests};
use crate::version::KubeVersion;

/// 4 CPUs.
pub const DEFAULT_NODE_CPU_MILLICORES: u64 = 4_000;
/// 16 GiB.
pub const DEFAULT_NODE_MEMORY_BYTES: u64 = 16 << 30;

/// The node's allocatable CPU and memory as the scenario sets them; `None` keeps the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NodeCapacity {
    pub cpu_millicores: Option<u64>,
    pub memory_bytes: Option<u64>,
}

impl NodeCapacity {
    /// What the scheduler compares the pod's request with.
    pub fn allocatable(self) -> Requests {
        Requests {
            cpu_millicores: self.cpu_millicores.unwrap_or(DEFAULT_NODE_CPU_MILLICORES),
            memory_bytes: self.memory_bytes.unwrap_or(DEFAULT_NODE_MEMORY_BYTES),
        }
    }

    /// `cpu 4, memory 16Gi`: the node as the page and the CLI show it.
    pub fn describe(self) -> String {
        let a = self.allocatable();
        format!(
            "cpu {}, memory {}",
            cpu_text(a.cpu_millicores),
            memory_text(a.memory_bytes)
        )
    }

    /// Later settings replace earlier ones, one resource at a time.
    pub fn merge(&mut self, other: NodeCapacity) {
        self.cpu_millicores = other.cpu_millicores.or(self.cpu_millicores);
        self.memory_bytes = other.memory_bytes.or(self.memory_bytes);
    }
}

/// Why the only node does not fit the pod: `fitsRequest`'s reasons, in its order (cpu, then memory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FitError {
    /// `Insufficient cpu`, `Insufficient memory`.
    pub reasons: Vec<String>,
    /// What the pod requests and what the node has, for the learner's sentence.
    pub requested: Requests,
    pub allocatable: Requests,
}

/// `fitsRequest` against an empty node: a request larger than what the node can allocate does not fit.
/// A pod that requests nothing always fits (the pods count, 110, is never reached by one pod).
pub fn fit(requests: &PodRequests, node: NodeCapacity) -> Result<(), FitError> {
    let allocatable = node.allocatable();
    let wanted = requests.pod;
    let mut reasons = Vec::new();
    if wanted.cpu_millicores > allocatable.cpu_millicores {
        reasons.push("Insufficient cpu".to_string());
    }
    if wanted.memory_bytes > allocatable.memory_bytes {
        reasons.push("Insufficient memory".to_string());
    }
    if reasons.is_empty() {
        return Ok(());
    }
    Err(FitError {
        reasons,
        requested: wanted,
        allocatable,
    })
}

/// The scheduler's message for a pod no node fits (`FailedScheduling` event, `PodScheduled` condition):
/// `FitError.Error()` with one node. The filter reasons are counted per node and sorted as strings
/// (`1 Insufficient cpu, 1 Insufficient memory`), then the preemption plugin's PostFilter message:
///
/// - before 1.34, the node counts as one preemption might help, and with no pods to evict:
///   `preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.`;
/// - from 1.34, a request larger than the node's allocatable is `UnschedulableAndUnresolvable`
///   (kubernetes#131345), so `1 Preemption is not helpful for scheduling.`, and the DynamicResources
///   plugin (on by default from 1.34) runs its PostFilter first: `no new claims to deallocate, `.
///
/// Some releases before 1.34 printed a second period after the preemption message; podlife writes one.
pub fn fit_error_message(reasons: &[String], version: KubeVersion) -> String {
    let mut counted: Vec<String> = reasons.iter().map(|r| format!("1 {r}")).collect();
    crate::stable_sort::sort_by(&mut counted, |a, b| a.cmp(b));
    let post_filter = if version.minor >= 34 {
        "no new claims to deallocate, preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
    } else {
        "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
    };
    format!(
        "0/1 nodes are available: {}. {post_filter}",
        counted.join(", ")
    )
}

impl FitError {
    /// `the pod requests memory 1000Gi; the node can allocate memory 16Gi`: the short resources only.
    pub fn explain(&self) -> String {
        let short = |name: &str| self.reasons.iter().any(|r| r.ends_with(name));
        let mut wanted = Vec::new();
        let mut has = Vec::new();
        if short("cpu") {
            wanted.push(format!("cpu {}", cpu_text(self.requested.cpu_millicores)));
            has.push(format!("cpu {}", cpu_text(self.allocatable.cpu_millicores)));
        }
        if short("memory") {
            wanted.push(format!(
                "memory {}",
                memory_text(self.requested.memory_bytes)
            ));
            has.push(format!(
                "memory {}",
                memory_text(self.allocatable.memory_bytes)
            ));
        }
        format!(
            "the pod requests {}; the node can allocate {}",
            wanted.join(", "),
            has.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(cpu_millicores: u64, memory_bytes: u64) -> PodRequests {
        PodRequests {
            pod: Requests {
                cpu_millicores,
                memory_bytes,
            },
            ..PodRequests::default()
        }
    }

    impl NodeCapacity {
        fn with_cpu(self, millicores: u64) -> NodeCapacity {
            NodeCapacity {
                cpu_millicores: Some(millicores),
                ..self
            }
        }
    }

    #[test]
    fn a_request_equal_to_the_node_fits_and_one_more_does_not() {
        let node = NodeCapacity::default();
        assert_eq!(fit(&pod(4_000, 16 << 30), node), Ok(()));
        let err = fit(&pod(4_001, (16 << 30) + 1), node).unwrap_err();
        assert_eq!(err.reasons, ["Insufficient cpu", "Insufficient memory"]);
        assert_eq!(
            fit(&pod(100, 1 << 30), node.with_cpu(50))
                .unwrap_err()
                .explain(),
            "the pod requests cpu 100m; the node can allocate cpu 50m"
        );
        assert_eq!(fit(&pod(0, 0), node), Ok(()));
    }

    #[test]
    fn the_scenario_sets_each_resource_of_the_node() {
        let mut node = NodeCapacity::default();
        node.merge(NodeCapacity {
            cpu_millicores: Some(2_000),
            memory_bytes: None,
        });
        assert_eq!(node.describe(), "cpu 2, memory 16Gi");
        assert!(fit(&pod(2_500, 0), node).is_err());
    }

    #[test]
    fn the_message_follows_the_release() {
        let reasons = [
            "Insufficient memory".to_string(),
            "Insufficient cpu".to_string(),
        ];
        assert_eq!(
            fit_error_message(&reasons, KubeVersion::new(33)),
            "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
        );
        assert_eq!(
            fit_error_message(&reasons[..1], KubeVersion::new(34)),
            "0/1 nodes are available: 1 Insufficient memory. no new claims to deallocate, preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
        );
    }
}
