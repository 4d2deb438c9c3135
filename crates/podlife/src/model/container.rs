//! A container as the lifecycle sees it (k8s.io/api core/v1 `Container`): what runs, how it is probed
//! and hooked, what it mounts, and its restart policy when it is a sidecar.

use std::collections::BTreeMap;

use crate::sorted_map::SortedMap;

use serde::{Deserialize, Serialize};

use super::handler::{Lifecycle, Probe};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Container {
    pub name: String,
    pub image: Option<String>,
    pub command: Vec<String>,
    pub args: Vec<String>,
    /// `Always` makes an init container a sidecar (R1); on regular containers it needs
    /// ContainerRestartRules (R99).
    pub restart_policy: Option<String>,
    pub restart_policy_rules: Option<crate::json::Value>,
    pub liveness_probe: Option<Probe>,
    pub readiness_probe: Option<Probe>,
    pub startup_probe: Option<Probe>,
    pub lifecycle: Option<Lifecycle>,
    pub ports: Vec<ContainerPort>,
    pub volume_mounts: Vec<VolumeMount>,
    pub image_pull_policy: Option<String>,
    pub resources: Option<ResourceRequirements>,
}

impl Container {
    /// An init container with `restartPolicy: Always` (R1).
    pub fn is_restartable(&self) -> bool {
        self.restart_policy.as_deref() == Some("Always")
    }

    /// `command` and `args` as one argument vector, as the runtime would run it (image entrypoint
    /// unknown when `command` is empty).
    pub fn argv(&self) -> Vec<&str> {
        self.command
            .iter()
            .chain(self.args.iter())
            .map(String::as_str)
            .collect()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerPort {
    pub name: Option<String>,
    pub container_port: i64,
    pub host_port: Option<i64>,
    #[serde(rename = "hostIP")]
    pub host_ip: Option<String>,
    pub protocol: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct VolumeMount {
    pub name: String,
    pub mount_path: String,
    pub read_only: Option<bool>,
    pub sub_path: Option<String>,
}

/// Quantities are kept as the text the user wrote (`500m`, `128Mi`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ResourceRequirements {
    #[serde(deserialize_with = "quantities")]
    pub requests: SortedMap<String, String>,
    #[serde(deserialize_with = "quantities")]
    pub limits: SortedMap<String, String>,
}

/// A quantity may be written as a JSON number (`cpu: 1`) or a string (`cpu: "500m"`).
fn quantities<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<SortedMap<String, String>, D::Error> {
    let raw: Option<BTreeMap<String, serde_json::Value>> = Option::deserialize(d)?;
    Ok(raw
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| {
            let text = match v {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            (k, text)
        })
        .collect())
}
