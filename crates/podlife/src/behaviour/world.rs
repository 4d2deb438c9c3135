//! What the containers of one pod share: files on volumes (each container sees a volume at its own mount
//! path), the pod's localhost network (which container listens on which port), and the services
//! outside the pod that scripts wait for (`nc -z db 5432`).

use std::collections::BTreeMap;

use crate::time::SimTime;

#[derive(Debug, Clone, Default)]
pub struct World {
    /// `(container, mount path) → volume`, from `volumeMounts`.
    pub mounts: BTreeMap<String, Vec<(String, String)>>,
    /// Port → container listening on it now.
    pub listening: BTreeMap<u16, String>,
    /// External host → when it starts answering (from the scenario; absent: reachable at once).
    pub services_up_at: BTreeMap<String, SimTime>,
}
