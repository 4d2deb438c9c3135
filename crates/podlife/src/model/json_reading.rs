//! Reads the model from the JSON that strict decoding hands on, by hand.
//!
//! The model keeps its serde `Deserialize` impls (the reference: `tests/model_reading.rs` checks that
//! both readers agree, on the corpus and on every value of it replaced by each JSON type), but the
//! loader uses this reader: serde's generated visitors, instantiated through `serde_json::Value`'s
//! deserializer for every field type, were about 45 KB of the wasm, and this is a few KB.
//!
//! The rules are serde's, as the derives are written: a missing field takes its default (`None` for an
//! `Option`), `null` is `None` for an `Option` and an error anywhere else, an integer must be a JSON
//! integer that fits in an `i64` (`80.0` is an error), unknown fields are ignored, and an error anywhere
//! fails the whole read.

use crate::json::{Map, Value};

use super::{
    Container, ContainerPort, ExecAction, GrpcAction, HttpGetAction, IntOrString, JobSettings,
    Lifecycle, LifecycleHandler, PodFailurePolicy, PodSpec, Probe, ResourceRequirements,
    SleepAction, TcpSocketAction, Volume, VolumeMount,
};

/// A model type read from JSON; `None` where serde would fail.
pub(crate) trait FromJson: Sized {
    fn from_json(value: &Value) -> Option<Self>;
}

impl FromJson for String {
    fn from_json(value: &Value) -> Option<Self> {
        value.as_str().map(str::to_string)
    }
}

impl FromJson for i64 {
    fn from_json(value: &Value) -> Option<Self> {
        value.as_i64()
    }
}

impl FromJson for bool {
    fn from_json(value: &Value) -> Option<Self> {
        value.as_bool()
    }
}

impl FromJson for Value {
    fn from_json(value: &Value) -> Option<Self> {
        Some(value.clone())
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Value) -> Option<Self> {
        match value {
            Value::Null => Some(None),
            v => T::from_json(v).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value) -> Option<Self> {
        // A plain loop: `collect::<Option<Vec<_>>>()` instantiates a larger adapter for every T.
        let items = value.as_array()?;
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            out.push(T::from_json(item)?);
        }
        Some(out)
    }
}

/// The field `name` of an object: its default when missing.
fn field<T: FromJson + Default>(object: &Map, name: &str) -> Option<T> {
    match object.get(name) {
        None => Some(T::default()),
        Some(v) => T::from_json(v),
    }
}

impl FromJson for IntOrString {
    /// serde's `untagged`: the integer first, then the string.
    fn from_json(value: &Value) -> Option<Self> {
        match value {
            Value::String(s) => Some(IntOrString::Str(s.clone())),
            v => v.as_i64().map(IntOrString::Int),
        }
    }
}

impl FromJson for PodSpec {
    fn from_json(value: &Value) -> Option<Self> {
        let o = value.as_object()?;
        Some(PodSpec {
            init_containers: field(o, "initContainers")?,
            containers: field(o, "containers")?,
            restart_policy: field(o, "restartPolicy")?,
            termination_grace_period_seconds: field(o, "terminationGracePeriodSeconds")?,
            active_deadline_seconds: field(o, "activeDeadlineSeconds")?,
            volumes: field(o, "volumes")?,
            readiness_gates: field(o, "readinessGates")?,
            host_network: field(o, "hostNetwork")?,
        })
    }
}

impl FromJson for Volume {
    /// The name, and the first other key as the source (as `Volume`'s own `Deserialize` does).
    fn from_json(value: &Value) -> Option<Self> {
        let o = value.as_object()?;
        Some(Volume {
            name: o
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            source: o.keys().find(|k| k.as_str() != "name").cloned(),
        })
    }
}

impl FromJson for Container {
    fn from_json(value: &Value) -> Option<Self> {
        let o = value.as_object()?;
        Some(Container {
            name: field(o, "name")?,
            image: field(o, "image")?,
            command: field(o, "command")?,
            args: field(o, "args")?,
            restart_policy: field(o, "restartPolicy")?,
            restart_policy_rules: field(o, "restartPolicyRules")?,
            liveness_probe: field(o, "livenessProbe")?,
            readiness_probe: field(o, "readinessProbe")?,
            startup_probe: field(o, "startupProbe")?,
            lifecycle: field(o, "lifecycle")?,
            ports: field(o, "ports")?,
            volume_mounts: field(o, "volumeMounts")?,
            image_pull_policy: field(o, "imagePullPolicy")?,
            resources: field(o, "resources")?,
        })
    }
}

impl FromJson for ContainerPort {
    fn from_json(value: &Value) -> Option<Self> {
        let o = value.as_object()?;
        Some(ContainerPort {
            name: field(o, "name")?,
            container_port: field(o, "containerPort")?,
            host_port: field(o, "hostPort")?,
            host_ip: field(o, "hostIP")?,
            protocol: field(o, "protocol")?,
        })
    }
}

impl FromJson for VolumeMount {
    fn from_json(value: &Value) -> Option<Self> {
        let o = value.as_object()?;
        Some(VolumeMount {
            name: field(o, "name")?,
            mount_path: field(o, "mountPath")?,
            read_only: field(o, "readOnly")?,
            sub_path: field(o, "subPath")?,
        })
    }
}

impl FromJson for ResourceRequirements {
    fn from_json(value: &Value) -> Option<Self> {
        let o = value.as_object()?;
        Some(ResourceRequirements {
            requests: quantities(o.get("requests"))?,
            limits: quantities(o.get("limits"))?,
        })
    }
}

/// A map of quantities as text: a string as it is, any other value as JSON (`2`, `0.5`).
fn quantities(value: Option<&Value>) -> Option<crate::sorted_map::SortedMap<String, String>> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Some(Default::default());
    };
    let map = value.as_object()?;
    Some(
        map.iter()
            .map(|(k, v)| {
                let text = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.clone(), text)
            })
            .collect(),
    )
}

impl FromJson for ExecAction {
    fn from_json(value: &Value) -> Option<Self> {
        let o = value.as_object()?;
        Some(ExecAction {
            command: field(o, "command")?,
        })
    }
}

impl FromJson for HttpGetAction {
    fn from_json(value: &Value) -> Option<Self> {
        let o = value.as_object()?;
        Some(HttpGetAction {
            path: field(o, "path")?,
            port: field(o, "port")?,
            host: field(o, "host")?,
            scheme: field(o, "scheme")?,
        })
    }
}

impl FromJson for TcpSocketAction {
    fn from_json(value: &Value) -> Option<Self> {
        let o = value.as_object()?;
        Some(TcpSocketAction {
            port: field(o, "port")?,
            host: field(o, "host")?,
        })
    }
}

impl FromJson for GrpcAction {
    fn from_json(value: &Value) -> Option<Self> {
        let o = value.as_object()?;
        Some(GrpcAction {
            port: field(o, "port")?,
            service: field(o, "service")?,
        })
    }
}

impl FromJson for SleepAction {
    fn from_json(value: &Value) -> Option<Self> {
        let o = value.as_object()?;
        Some(SleepAction {
            seconds: field(o, "seconds")?,
        })
    }
}

impl FromJson for Probe {
    fn from_json(value: &Value) -> Option<Self> {
        let o = value.as_object()?;
        Some(Probe {
            exec: field(o, "exec")?,
            http_get: field(o, "httpGet")?,
            tcp_socket: field(o, "tcpSocket")?,
            grpc: field(o, "grpc")?,
            initial_delay_seconds: field(o, "initialDelaySeconds")?,
            timeout_seconds: field(o, "timeoutSeconds")?,
            period_seconds: field(o, "periodSeconds")?,
            success_threshold: field(o, "successThreshold")?,
            failure_threshold: field(o, "failureThreshold")?,
            termination_grace_period_seconds: field(o, "terminationGracePeriodSeconds")?,
        })
    }
}

impl FromJson for LifecycleHandler {
    fn from_json(value: &Value) -> Option<Self> {
        let o = value.as_object()?;
        Some(LifecycleHandler {
            exec: field(o, "exec")?,
            http_get: field(o, "httpGet")?,
            tcp_socket: field(o, "tcpSocket")?,
            sleep: field(o, "sleep")?,
        })
    }
}

impl FromJson for Lifecycle {
    fn from_json(value: &Value) -> Option<Self> {
        let o = value.as_object()?;
        Some(Lifecycle {
            post_start: field(o, "postStart")?,
            pre_stop: field(o, "preStop")?,
            stop_signal: field(o, "stopSignal")?,
        })
    }
}

impl FromJson for JobSettings {
    fn from_json(value: &Value) -> Option<Self> {
        let o = value.as_object()?;
        Some(JobSettings {
            backoff_limit: field(o, "backoffLimit")?,
            backoff_limit_per_index: field(o, "backoffLimitPerIndex")?,
            active_deadline_seconds: field(o, "activeDeadlineSeconds")?,
            completions: field(o, "completions")?,
            parallelism: field(o, "parallelism")?,
            pod_failure_policy: field(o, "podFailurePolicy")?,
            completion_mode: field(o, "completionMode")?,
        })
    }
}

impl FromJson for PodFailurePolicy {
    fn from_json(value: &Value) -> Option<Self> {
        let o = value.as_object()?;
        Some(PodFailurePolicy {
            rules: field(o, "rules")?,
        })
    }
}

/// A pod spec read from JSON, as `serde_json::from_value::<PodSpec>(v).ok()` would.
pub fn read_pod_spec(value: &Value) -> Option<PodSpec> {
    PodSpec::from_json(value)
}

/// Job settings read from JSON, as `serde_json::from_value::<JobSettings>(v).ok()` would.
pub fn read_job_settings(value: &Value) -> Option<JobSettings> {
    JobSettings::from_json(value)
}
