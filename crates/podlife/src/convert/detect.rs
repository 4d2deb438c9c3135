//! Which containers are sidecars, read the way a person reading the manifest would: a well-known
//! proxy, log or metrics image; a command that follows a file (`tail -f`); a name that says so
//! (`*-sidecar`, `*-proxy`, `logshipper`). Also what an init container does on the network (a proxy
//! must be running before it) and the shell words the suggestions look for.

use serde::Serialize;

use crate::model::{Container, Workload};

/// What kind of helper a sidecar is: decides where it goes (a proxy may have to serve init
/// containers; a log shipper only follows the app).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SidecarRole {
    /// Carries the pod's traffic (Envoy, istio-proxy, linkerd-proxy, Cloud SQL Auth Proxy).
    Proxy,
    /// Ships the app's logs (fluentd, fluent-bit, vector, `tail -f`).
    Logs,
    /// Exports metrics or telemetry (OpenTelemetry Collector, Prometheus exporters).
    Metrics,
    /// Anything else named as a sidecar.
    Other,
}

impl SidecarRole {
    pub fn noun(self) -> &'static str {
        match self {
            SidecarRole::Proxy => "a proxy",
            SidecarRole::Logs => "a log shipper",
            SidecarRole::Metrics => "a metrics agent",
            SidecarRole::Other => "a sidecar",
        }
    }
}

/// A container found to be a sidecar, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DetectedSidecar {
    pub name: String,
    /// Every reason found, strongest first: "image `envoyproxy/envoy` is a proxy",
    /// "runs `tail -F /opt/logs.txt`", "its name ends in -sidecar".
    pub reason: String,
    pub role: SidecarRole,
}

/// How strongly a signal says "sidecar": an image is surer than a command, a command than a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Strength {
    Name,
    Command,
    Image,
}

#[derive(Debug, Clone)]
pub(super) struct Signals {
    pub role: SidecarRole,
    pub reasons: Vec<String>,
    pub strength: Strength,
}

/// Well-known sidecar images: image names (the last path segment without tag), or `path/name`
/// suffixes, and what they are.
const IMAGES: &[(&[&str], SidecarRole)] = &[
    (
        &[
            "envoy",
            "envoy-distroless",
            "proxyv2",
            "istio-proxy",
            "linkerd/proxy",
            "linkerd-proxy",
            "linkerd2-proxy",
            "cloud-sql-proxy",
            "cloudsql-proxy",
            "gce-proxy",
            "oauth2-proxy",
            "kube-rbac-proxy",
            "consul-dataplane",
            "alloydb-auth-proxy",
        ],
        SidecarRole::Proxy,
    ),
    (
        &[
            "fluentd",
            "fluentd-kubernetes-daemonset",
            "fluent-bit",
            "td-agent-bit",
            "vector",
            "filebeat",
            "promtail",
            "logspout",
        ],
        SidecarRole::Logs,
    ),
    (
        &[
            "otel-collector",
            "opentelemetry-collector",
            "opentelemetry-collector-contrib",
            "opentelemetry-collector-k8s",
            "jaeger-agent",
            "datadoghq/agent",
            "statsd-exporter",
        ],
        SidecarRole::Metrics,
    ),
    (&["git-sync"], SidecarRole::Other),
];

/// The image without tag or digest: `docker.io/envoyproxy/envoy:v1` → `docker.io/envoyproxy/envoy`.
pub(super) fn image_repository(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    match without_digest.rfind(':') {
        Some(i) if !without_digest[i..].contains('/') => &without_digest[..i],
        _ => without_digest,
    }
}

/// The image's own name: the repository's last path segment.
pub(super) fn image_name(image: &str) -> &str {
    let repository = image_repository(image);
    repository.rsplit('/').next().unwrap_or(repository)
}

fn image_matches(image: &str, pattern: &str) -> bool {
    if pattern.contains('/') {
        let repository = image_repository(image);
        repository == pattern || repository.ends_with(&format!("/{pattern}"))
    } else {
        image_name(image) == pattern
    }
}

fn image_role(image: &str) -> Option<SidecarRole> {
    let table = IMAGES
        .iter()
        .find(|(patterns, _)| patterns.iter().any(|p| image_matches(image, p)))
        .map(|(_, role)| *role);
    table.or_else(|| {
        image_name(image)
            .ends_with("-exporter")
            .then_some(SidecarRole::Metrics)
    })
}

/// The words of a command line: `command` and `args`, with a shell script's own words split out.
pub(super) fn words(argv: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for arg in argv {
        let spaced: String = arg
            .chars()
            .flat_map(|c| match c {
                ';' | '|' | '&' | '\n' | '(' | ')' => vec![' ', ';', ' '],
                '"' | '\'' | '`' => vec![' '],
                c => vec![c],
            })
            .collect();
        out.extend(spaced.split_whitespace().map(str::to_string));
    }
    out
}

/// A word as the program it runs: `/usr/bin/nc` → `nc`.
pub(super) fn program(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// `tail -f FILE` (or `-F`, `--follow`) anywhere in the command: the text from `tail` to the end of
/// that command.
pub(super) fn tail_follow(argv: &[String]) -> Option<String> {
    let words = words(argv);
    for (i, w) in words.iter().enumerate() {
        if program(w) != "tail" {
            continue;
        }
        let command: Vec<&String> = words[i..].iter().take_while(|w| *w != ";").collect();
        let follows = command.iter().skip(1).any(|a| {
            a.starts_with("--follow")
                || (a.starts_with('-')
                    && !a.starts_with("--")
                    && a.chars().skip(1).all(|c| c.is_ascii_alphanumeric())
                    && a.contains(['f', 'F']))
        });
        if follows {
            let text: Vec<&str> = command.iter().map(|s| s.as_str()).collect();
            return Some(text.join(" "));
        }
    }
    None
}

fn name_signals(name: &str) -> (Vec<String>, Option<SidecarRole>) {
    let lower = name.to_ascii_lowercase();
    let mut reasons = Vec::new();
    if lower.ends_with("-sidecar") {
        reasons.push("its name ends in -sidecar".to_string());
    }
    if lower.starts_with("sidecar-") {
        reasons.push("its name starts with sidecar-".to_string());
    }
    if lower.ends_with("-proxy") || lower == "proxy" {
        reasons.push("its name ends in -proxy".to_string());
    }
    if lower == "envoy" {
        reasons.push("its name is envoy, a proxy".to_string());
    }
    if [
        "logshipper",
        "log-shipper",
        "log-collector",
        "logcollector",
        "log-forwarder",
        "log-agent",
        "logging-agent",
    ]
    .iter()
    .any(|n| lower.contains(n))
    {
        reasons.push(format!("its name (`{name}`) says it ships logs"));
    }
    if lower.ends_with("-exporter") {
        reasons.push("its name ends in -exporter".to_string());
    }
    let role = if lower.contains("proxy") || lower.contains("envoy") || lower.contains("mesh") {
        Some(SidecarRole::Proxy)
    } else if lower.contains("log") || lower.contains("fluent") {
        Some(SidecarRole::Logs)
    } else if ["metric", "exporter", "otel", "telemetry"]
        .iter()
        .any(|w| lower.contains(w))
    {
        Some(SidecarRole::Metrics)
    } else {
        None
    };
    (reasons, role)
}

/// What says this container is a sidecar, if anything does.
pub(super) fn signals(c: &Container) -> Option<Signals> {
    let mut reasons = Vec::new();
    let mut strength = None;
    let image = c.image.as_deref().unwrap_or("");
    let by_image = image_role(image);
    if let Some(role) = by_image {
        reasons.push(format!(
            "image `{}` is {}",
            image_repository(image),
            role.noun()
        ));
        strength = Some(Strength::Image);
    }
    let tail = tail_follow(&c.argv().iter().map(|s| s.to_string()).collect::<Vec<_>>());
    if let Some(text) = &tail {
        reasons.push(format!("runs `{text}`"));
        strength = strength.or(Some(Strength::Command));
    }
    let (by_name, name_role) = name_signals(&c.name);
    if !by_name.is_empty() {
        strength = strength.or(Some(Strength::Name));
    }
    reasons.extend(by_name);
    let strength = strength?;
    let role = by_image
        .or(tail.as_ref().map(|_| SidecarRole::Logs))
        .or(name_role)
        .unwrap_or(SidecarRole::Other);
    Some(Signals {
        role,
        reasons,
        strength,
    })
}

/// The role of any container (a sidecar named explicitly need not show a signal).
pub(super) fn role_of(c: &Container) -> SidecarRole {
    signals(c).map_or(SidecarRole::Other, |s| s.role)
}

/// The legacy sidecars among `spec.containers`: containers whose image, command or name says they
/// are helpers. The first container is taken for the app unless its image is a well-known sidecar's
/// (Istio's holdApplicationUntilProxyStarts puts the proxy first, R90), and one container always stays
/// the app (the one with the weakest signal, the first of equals).
pub fn detect_sidecars(workload: &Workload) -> Vec<DetectedSidecar> {
    let containers = &workload.pod.containers;
    if containers.len() < 2 {
        return Vec::new();
    }
    let mut found: Vec<(usize, Signals)> = containers
        .iter()
        .enumerate()
        .filter_map(|(i, c)| signals(c).map(|s| (i, s)))
        .filter(|(i, s)| *i != 0 || s.strength == Strength::Image)
        .collect();
    if found.len() == containers.len() {
        let weakest = found
            .iter()
            .enumerate()
            .min_by_key(|(position, (_, s))| (s.strength, *position))
            .map(|(position, _)| position);
        if let Some(position) = weakest {
            found.remove(position);
        }
    }
    found
        .into_iter()
        .filter_map(|(i, s)| {
            containers.get(i).map(|c| DetectedSidecar {
                name: c.name.clone(),
                reason: s.reasons.join("; "),
                role: s.role,
            })
        })
        .collect()
}

/// The native sidecars: init containers with `restartPolicy: Always` (R1).
pub fn native_sidecars(workload: &Workload) -> Vec<DetectedSidecar> {
    workload
        .pod
        .init_containers
        .iter()
        .filter(|c| c.is_restartable())
        .map(|c| DetectedSidecar {
            name: c.name.clone(),
            reason: "an init container with `restartPolicy: Always` (R1)".into(),
            role: role_of(c),
        })
        .collect()
}

/// Programs that talk to the network (to another service of the cluster, a database, the internet).
const NETWORK_PROGRAMS: &[&str] = &[
    "nc",
    "ncat",
    "netcat",
    "curl",
    "wget",
    "telnet",
    "nslookup",
    "dig",
    "psql",
    "pg_isready",
    "mysql",
    "mysqladmin",
    "redis-cli",
    "mongosh",
    "mongo",
    "grpcurl",
    "git",
    "kubectl",
    "helm",
    "aws",
    "gsutil",
    "gcloud",
    "az",
    "flyway",
    "liquibase",
    "alembic",
    "vault",
];

/// What an init container does on the network, if anything says so: "`nc`", "a migration
/// (`/migrate up`)", "a URL (`postgres://...`)".
pub(super) fn network_evidence(c: &Container) -> Option<String> {
    let argv: Vec<String> = c.argv().iter().map(|s| s.to_string()).collect();
    let words = words(&argv);
    if let Some(w) = words
        .iter()
        .find(|w| NETWORK_PROGRAMS.contains(&program(w)))
    {
        return Some(format!("`{}`", program(w)));
    }
    if let Some(w) = words
        .iter()
        .find(|w| w.to_ascii_lowercase().contains("migrat"))
    {
        return Some(format!("a migration, `{w}`"));
    }
    if let Some(w) = words.iter().find(|w| w.contains("://")) {
        return Some(format!("a URL, `{w}`"));
    }
    let image = c.image.as_deref().unwrap_or("");
    if image_name(image).to_ascii_lowercase().contains("migrat") {
        return Some(format!("a migration image, `{}`", image_repository(image)));
    }
    if ["curl", "kubectl"].contains(&image_name(image)) {
        return Some(format!("the `{}` image", image_name(image)));
    }
    None
}
