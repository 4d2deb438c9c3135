//! The defaults the API server fills in before validation (pkg/apis/core/v1/defaults.go, R15):
//! probe timings, the pod's restartPolicy and grace period, imagePullPolicy from the image tag, httpGet
//! path and scheme. A zero probe timing counts as unset, as it does upstream.

use crate::model::{Container, HttpGetAction, Probe, Workload};

pub fn apply(workload: &mut Workload) {
    let pod = &mut workload.pod;
    pod.restart_policy
        .get_or_insert_with(|| "Always".to_string());
    pod.termination_grace_period_seconds.get_or_insert(30);
    for container in pod
        .init_containers
        .iter_mut()
        .chain(pod.containers.iter_mut())
    {
        default_container(container);
    }
}

fn default_container(container: &mut Container) {
    if container.image_pull_policy.is_none() {
        if let Some(image) = &container.image {
            container.image_pull_policy = Some(default_pull_policy(image).to_string());
        }
    }
    for probe in [
        &mut container.liveness_probe,
        &mut container.readiness_probe,
        &mut container.startup_probe,
    ]
    .into_iter()
    .flatten()
    {
        default_probe(probe);
    }
    if let Some(lifecycle) = &mut container.lifecycle {
        for hook in [&mut lifecycle.post_start, &mut lifecycle.pre_stop]
            .into_iter()
            .flatten()
        {
            if let Some(http) = &mut hook.http_get {
                default_http_get(http);
            }
        }
    }
}

fn default_probe(probe: &mut Probe) {
    let fill = |field: &mut Option<i64>, value: i64| {
        if field.is_none_or(|v| v == 0) {
            *field = Some(value);
        }
    };
    fill(&mut probe.timeout_seconds, 1);
    fill(&mut probe.period_seconds, 10);
    fill(&mut probe.success_threshold, 1);
    fill(&mut probe.failure_threshold, 3);
    probe.initial_delay_seconds.get_or_insert(0);
    if let Some(http) = &mut probe.http_get {
        default_http_get(http);
    }
}

fn default_http_get(http: &mut HttpGetAction) {
    if http.path.as_deref().is_none_or(str::is_empty) {
        http.path = Some("/".to_string());
    }
    if http.scheme.as_deref().is_none_or(str::is_empty) {
        http.scheme = Some("HTTP".to_string());
    }
}

/// `Always` for `:latest` or an untagged image, otherwise `IfNotPresent` (a digest has no tag).
pub fn default_pull_policy(image: &str) -> &'static str {
    if image.contains('@') {
        return "IfNotPresent";
    }
    let last_segment = image.rsplit('/').next().unwrap_or(image);
    match last_segment.split_once(':') {
        Some((_, tag)) if tag != "latest" => "IfNotPresent",
        _ => "Always",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_policy_follows_the_tag() {
        assert_eq!(default_pull_policy("nginx"), "Always");
        assert_eq!(default_pull_policy("alpine:latest"), "Always");
        assert_eq!(
            default_pull_policy("envoyproxy/envoy:v1.30.1"),
            "IfNotPresent"
        );
        assert_eq!(default_pull_policy("registry:5000/app"), "Always");
        assert_eq!(default_pull_policy("busybox@sha256:abcd"), "IfNotPresent");
    }

    #[test]
    fn zero_probe_timings_are_defaulted() {
        let mut p = Probe {
            period_seconds: Some(0),
            failure_threshold: Some(5),
            ..Probe::default()
        };
        default_probe(&mut p);
        assert_eq!(
            (p.period_seconds, p.timeout_seconds, p.failure_threshold),
            (Some(10), Some(1), Some(5))
        );
    }
}
