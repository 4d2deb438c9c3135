//! Probes and lifecycle hooks (validation.go `validateProbe`, `validateLivenessProbe`,
//! `validateReadinessProbe`, `validateStartupProbe`, `validateLifecycle`, `validateHandler`,
//! `validateSleepAction`): one handler each (R14), thresholds (R14), and a sleep shorter than the
//! grace period (R16).

use super::field_error::Findings;
use super::names::port_name_errors;
use super::Context;
use crate::field_path::FieldPath;
use crate::model::{Container, IntOrString, LifecycleHandler, PodSpec, Probe};
use crate::version::Gate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeKind {
    Liveness,
    Readiness,
    Startup,
}

impl ProbeKind {
    pub const ALL: [ProbeKind; 3] = [
        ProbeKind::Liveness,
        ProbeKind::Readiness,
        ProbeKind::Startup,
    ];

    pub fn field(self) -> &'static str {
        match self {
            ProbeKind::Liveness => "livenessProbe",
            ProbeKind::Readiness => "readinessProbe",
            ProbeKind::Startup => "startupProbe",
        }
    }

    pub fn of(self, container: &Container) -> Option<&Probe> {
        match self {
            ProbeKind::Liveness => container.liveness_probe.as_ref(),
            ProbeKind::Readiness => container.readiness_probe.as_ref(),
            ProbeKind::Startup => container.startup_probe.as_ref(),
        }
    }
}

pub fn validate_probe(probe: &Probe, kind: ProbeKind, path: &FieldPath, out: &mut Findings) {
    handler_count(&probe.handler_kinds(), path, out);
    if let Some(http) = &probe.http_get {
        validate_port(
            http.port.as_ref(),
            &path.child("httpGet").child("port"),
            out,
        );
    }
    if let Some(tcp) = &probe.tcp_socket {
        validate_port(
            tcp.port.as_ref(),
            &path.child("tcpSocket").child("port"),
            out,
        );
    }
    if let Some(grpc) = &probe.grpc {
        let port = grpc.port.unwrap_or(0);
        if !(1..=65535).contains(&port) {
            out.invalid(
                &path.child("grpc").child("port"),
                port,
                "must be between 1 and 65535, inclusive",
            );
        }
    }
    let numbers = [
        ("initialDelaySeconds", probe.initial_delay_seconds),
        ("timeoutSeconds", probe.timeout_seconds),
        ("periodSeconds", probe.period_seconds),
        ("successThreshold", probe.success_threshold),
        ("failureThreshold", probe.failure_threshold),
    ];
    for (field, value) in numbers {
        if let Some(v) = value.filter(|v| *v < 0) {
            out.invalid(&path.child(field), v, "must be greater than or equal to 0");
        }
    }
    if kind != ProbeKind::Readiness {
        if let Some(threshold) = probe.success_threshold.filter(|t| *t != 1) {
            out.invalid(&path.child("successThreshold"), threshold, "must be 1").hint(
                "A liveness or startup probe succeeds on its first success; only a readinessProbe may ask for \
                 several in a row.",
            );
        }
    }
    if let Some(grace) = probe.termination_grace_period_seconds {
        let p = path.child("terminationGracePeriodSeconds");
        if kind == ProbeKind::Readiness {
            out.invalid(&p, grace, "must not be set for readinessProbes")
                .hint("A failing readinessProbe never kills the container, so there is no grace period to set.");
        } else if grace <= 0 {
            out.invalid(&p, grace, "must be greater than 0");
        }
    }
}

/// `Required value: must specify a handler type` on the probe or hook itself;
/// `Forbidden: may not specify more than 1 handler type` on the second handler.
fn handler_count(kinds: &[&'static str], path: &FieldPath, out: &mut Findings) {
    match kinds {
        [] => {
            out.required(path, "must specify a handler type").hint(
                "Give exactly one way to run it: `exec`, `httpGet`, `tcpSocket` (and `grpc` for probes, `sleep` for hooks).",
            );
        }
        [_] => {}
        [_, second, ..] => {
            out.forbidden(
                &path.child(second),
                "may not specify more than 1 handler type",
            );
        }
    }
}

fn validate_port(port: Option<&IntOrString>, path: &FieldPath, out: &mut Findings) {
    match port {
        None => {
            out.invalid(path, 0, "must be between 1 and 65535, inclusive");
        }
        Some(IntOrString::Int(n)) if !(1..=65535).contains(n) => {
            out.invalid(path, *n, "must be between 1 and 65535, inclusive");
        }
        Some(IntOrString::Str(name)) => {
            for message in port_name_errors(name) {
                out.invalid(path, name.as_str(), message);
            }
        }
        Some(IntOrString::Int(_)) => {}
    }
}

pub fn validate_lifecycle(
    container: &Container,
    path: &FieldPath,
    spec: &PodSpec,
    cx: &Context,
    out: &mut Findings,
) {
    let Some(lifecycle) = &container.lifecycle else {
        return;
    };
    let lifecycle_path = path.child("lifecycle");
    let hooks = [
        ("postStart", &lifecycle.post_start),
        ("preStop", &lifecycle.pre_stop),
    ];
    for (field, hook) in hooks {
        if let Some(handler) = hook {
            validate_hook(
                handler,
                &lifecycle_path.child(field),
                spec.termination_grace_period_seconds,
                cx,
                out,
            );
        }
    }
}

fn validate_hook(
    handler: &LifecycleHandler,
    path: &FieldPath,
    grace: Option<i64>,
    cx: &Context,
    out: &mut Findings,
) {
    handler_count(&handler.handler_kinds(), path, out);
    if let Some(http) = &handler.http_get {
        validate_port(
            http.port.as_ref(),
            &path.child("httpGet").child("port"),
            out,
        );
    }
    if let Some(tcp) = &handler.tcp_socket {
        validate_port(
            tcp.port.as_ref(),
            &path.child("tcpSocket").child("port"),
            out,
        );
    }
    if let (Some(sleep), Some(grace)) = (&handler.sleep, grace) {
        let seconds = sleep.seconds.unwrap_or(0);
        let p = path.child("sleep");
        if cx.version.enabled(Gate::PodLifecycleSleepActionAllowZero) {
            if seconds < 0 || seconds > grace {
                out.invalid(&p, seconds, &format!("must be non-negative and less than terminationGracePeriodSeconds ({grace})"))
                    .hint(sleep_hint(grace));
            }
        } else if seconds <= 0 || seconds > grace {
            let detail = if cx.version.minor >= 32 {
                format!(
                    "must be greater than 0 and less than terminationGracePeriodSeconds ({grace}). Enable \
                     AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep."
                )
            } else {
                format!(
                    "must be greater than 0 and less than terminationGracePeriodSeconds ({grace})"
                )
            };
            out.invalid(&p, seconds, &detail).hint(sleep_hint(grace));
        }
    }
}

fn sleep_hint(grace: i64) -> String {
    format!(
        "The whole shutdown, preStop included, must fit in the pod's terminationGracePeriodSeconds ({grace} s): \
         shorten the sleep or raise the grace period (R16)."
    )
}
