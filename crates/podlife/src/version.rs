//! Kubernetes versions 1.28–1.37 and the feature gates that touch the pod lifecycle (rules R1–R8).

/// A Kubernetes minor version of the 1.x line that podlife models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct KubeVersion {
    pub minor: u8,
}

impl KubeVersion {
    pub const OLDEST: KubeVersion = KubeVersion { minor: 28 };
    pub const NEWEST: KubeVersion = KubeVersion { minor: 37 };
}

impl Default for KubeVersion {
    fn default() -> Self {
        KubeVersion { minor: 36 }
    }
}
