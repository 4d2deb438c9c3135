//! The typed model of what a pod's lifecycle depends on (k8s.io/api core/v1 `PodSpec`, `Container`,
//! `Probe`, `Lifecycle`; batch/v1 `JobSpec`), read from the JSON that strict decoding hands on by
//! `json_reading` (which agrees with the serde derives, kept as its reference). Fields the lifecycle
//! does not depend on are not modelled here, but they are still known by name to the schema, so
//! strict checking covers them.

mod container;
mod handler;
mod json_reading;
mod pod;
mod workload;

pub use container::{Container, ContainerPort, ResourceRequirements, VolumeMount};
pub use handler::{
    ExecAction, GrpcAction, HttpGetAction, IntOrString, Lifecycle, LifecycleHandler, Probe,
    SleepAction, TcpSocketAction,
};
pub use json_reading::{read_job_settings, read_pod_spec};
pub use pod::{PodSpec, Volume};
pub use workload::{JobSettings, PodFailurePolicy, Workload, WorkloadKind};
