//! When a sidecar may receive SIGTERM during pod termination (pkg/kubelet/kuberuntime/
//! kuberuntime_termination_order.go, R71, R80): after every regular container has terminated and after
//! the sidecar declared after it has terminated, so the last-declared sidecar goes first. A container
//! that is not running counts as terminated; plain init containers are waited for by nobody. In 1.28
//! (alpha) there was no order: sidecars were stopped with the regular containers.

use crate::pod_status::ContainerKind;

/// One container of the pod as the ordering sees it.
#[derive(Debug, Clone, Copy)]
pub struct Member {
    pub kind: ContainerKind,
    /// Position in `initContainers` (sidecars) or `containers`.
    pub index: usize,
    pub terminated: bool,
}

/// May the container at `me` be signalled now? Regular and plain init containers always may.
pub fn may_terminate(me: Member, all: &[Member], ordered: bool) -> bool {
    if me.kind != ContainerKind::Sidecar || !ordered {
        return true;
    }
    let regular_done = all
        .iter()
        .filter(|m| m.kind == ContainerKind::Regular)
        .all(|m| m.terminated);
    let later_sidecars_done = all
        .iter()
        .filter(|m| m.kind == ContainerKind::Sidecar && m.index > me.index)
        .all(|m| m.terminated);
    regular_done && later_sidecars_done
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(kind: ContainerKind, index: usize, terminated: bool) -> Member {
        Member {
            kind,
            index,
            terminated,
        }
    }

    #[test]
    fn sidecar_sigterm_waits_for_regular_containers_r71() {
        let all = [
            m(ContainerKind::Sidecar, 0, false),
            m(ContainerKind::Regular, 0, false),
        ];
        assert!(!may_terminate(all[0], &all, true));
        let all = [
            m(ContainerKind::Sidecar, 0, false),
            m(ContainerKind::Regular, 0, true),
        ];
        assert!(may_terminate(all[0], &all, true));
    }

    #[test]
    fn sidecars_stop_last_declared_first_r71() {
        let all = [
            m(ContainerKind::Sidecar, 0, false),
            m(ContainerKind::Init, 1, true),
            m(ContainerKind::Sidecar, 2, false),
            m(ContainerKind::Regular, 0, true),
        ];
        assert!(
            !may_terminate(all[0], &all, true),
            "sidecar 0 waits for sidecar 2"
        );
        assert!(
            may_terminate(all[2], &all, true),
            "the last-declared sidecar goes first"
        );
    }

    #[test]
    fn in_1_28_sidecars_are_not_ordered_r80() {
        let all = [
            m(ContainerKind::Sidecar, 0, false),
            m(ContainerKind::Regular, 0, false),
        ];
        assert!(may_terminate(all[0], &all, false));
    }
}
