//! The typed model of what a pod's lifecycle depends on (k8s.io/api core/v1 `PodSpec`, `Container`,
//! `Probe`, `Lifecycle`; batch/v1 `JobSpec`), read with serde from the JSON that strict decoding hands
//! on. Fields the lifecycle does not depend on are not modelled here, but they are still known by name
//! to the schema, so strict checking covers them.

mod container;
mod handler;
mod pod;
mod workload;

pub use container::{Container, ContainerPort, ResourceRequirements, VolumeMount};
pub use handler::{
    ExecAction, GrpcAction, HttpGetAction, IntOrString, Lifecycle, LifecycleHandler, Probe,
    SleepAction, TcpSocketAction,
};
pub use pod::{PodSpec, Volume};
pub use workload::{JobSettings, PodFailurePolicy, Workload, WorkloadKind};
