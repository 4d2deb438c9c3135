//! The pod spec (k8s.io/api core/v1 `PodSpec`): its three kinds of containers (R1), its restart policy,
//! grace period, deadline, volumes and readiness gates.

use serde::{Deserialize, Serialize};

use super::container::Container;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PodSpec {
    pub init_containers: Vec<Container>,
    pub containers: Vec<Container>,
    pub restart_policy: Option<String>,
    pub termination_grace_period_seconds: Option<i64>,
    pub active_deadline_seconds: Option<i64>,
    pub volumes: Vec<Volume>,
    pub readiness_gates: Vec<crate::json::Value>,
    pub host_network: Option<bool>,
}

impl PodSpec {
    /// The sidecars: init containers with `restartPolicy: Always` (R1), with their index.
    pub fn sidecars(&self) -> impl Iterator<Item = (usize, &Container)> {
        self.init_containers
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_restartable())
    }

    pub fn termination_grace_period(&self) -> i64 {
        self.termination_grace_period_seconds.unwrap_or(30)
    }
}

/// A volume: its name, and the kind of source (`emptyDir`, `configMap`, ...), which is all the
/// lifecycle needs (a volume mounted by several containers is shared between them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Volume {
    pub name: String,
    pub source: Option<String>,
}

impl<'de> Deserialize<'de> for Volume {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map: serde_json::Map<String, serde_json::Value> = serde_json::Map::deserialize(d)?;
        let name = map
            .get("name")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        let source = map.keys().find(|k| k.as_str() != "name").cloned();
        Ok(Volume { name, source })
    }
}
