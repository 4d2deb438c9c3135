//! What a container does, read from its command the way a person reading the manifest would. This
//! first reading answers only what the lifecycle warnings ask: does it run forever, and how long does an
//! exec hook take. The kubelet model (a later stage) grows this into a small shell interpreter.

mod command_reading;

pub use command_reading::{exec_duration_seconds, runs_forever};
