//! What an httpGet, tcpSocket or gRPC probe, or an httpGet hook, finds at the pod's IP, and the kubelet's
//! own words for it (pkg/probe/http/http.go `DoHTTPProbe`, pkg/probe/tcp/tcp.go `DoTCPProbe`,
//! pkg/probe/grpc/grpc.go `Probe`, pkg/kubelet/prober/prober.go `runProbe`,
//! pkg/kubelet/lifecycle/handlers.go `Run`, `runHTTPHandler`): a connection succeeds only when a
//! container of the pod listens on the port at that moment (R104); otherwise the dial is refused, and the
//! probe's output is Go's error text, which `kubectl describe` prints after "Liveness probe failed: "
//! (R103).

use crate::model::{HttpGetAction, IntOrString, LifecycleHandler, Probe};
use crate::time::Millis;
use crate::word_list;

use super::pod_worker::PodWorker;

/// The pod's IP, as the CNI would give it on a kind or minikube node: one fixed, documented address
/// (docs/annotations.md), so messages read like a real cluster's.
pub const POD_IP: &str = "10.244.0.5";

/// Where a network handler connects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    /// `httpGet`: the URL it requests, and its path.
    Http {
        url: String,
        host: String,
        port: u16,
        path: String,
    },
    Tcp {
        host: String,
        port: u16,
    },
    Grpc {
        port: u16,
    },
}

impl Target {
    fn host(&self) -> &str {
        match self {
            Target::Http { host, .. } | Target::Tcp { host, .. } => host,
            Target::Grpc { .. } => POD_IP,
        }
    }

    fn port(&self) -> u16 {
        match self {
            Target::Http { port, .. } | Target::Tcp { port, .. } | Target::Grpc { port } => *port,
        }
    }
}

/// `dial tcp 10.244.0.5:8080: connect: connection refused` (Go's `net.OpError`).
fn refused(host: &str, port: u16) -> String {
    format!("dial tcp {host}:{port}: connect: connection refused")
}

/// The output of a connection nobody accepts, as each prober words it. A gRPC probe dials with
/// `WithBlock`, so a refused connection is retried until the probe's timeout.
pub(super) fn unreachable_output(target: &Target, timeout: Millis) -> String {
    match target {
        Target::Http {
            url, host, port, ..
        } => format!("Get \"{url}\": {}", refused(host, *port)),
        Target::Tcp { host, port } => refused(host, *port),
        Target::Grpc { port } => format!(
            "timeout: failed to connect service \"{POD_IP}:{port}\" within {}: context deadline exceeded",
            go_duration(timeout)
        ),
    }
}

/// What a probe whose annotation says it fails reports: the server answers, but not healthily (an
/// HTTP 500, a gRPC NOT_SERVING, a TCP accept that never comes, an exec command's empty output).
pub(super) fn failing_output(target: Option<&Target>) -> String {
    match target {
        Some(Target::Http { .. }) => "HTTP probe failed with statuscode: 500".into(),
        Some(Target::Tcp { host, port }) => format!("dial tcp {host}:{port}: i/o timeout"),
        Some(Target::Grpc { .. }) => "service unhealthy (responded with \"NOT_SERVING\")".into(),
        None => String::new(),
    }
}

/// Go's `time.Duration` text for whole and fractional seconds: `1s`, `1.5s`, `500ms`.
fn go_duration(d: Millis) -> String {
    if d.0 < 1000 && d.0 > 0 {
        format!("{}ms", d.0)
    } else {
        format!("{}s", crate::time::secs_text(d.0))
    }
}

/// Go's `%q` of a string: double quotes, with `"`, `\` and control characters escaped.
pub(super) fn go_quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The URL an httpGet handler requests: `http://10.244.0.5:8080/healthz` (prober.go `formatURL`).
fn http_url(action: &HttpGetAction, host: &str, port: u16) -> String {
    let scheme = action
        .scheme
        .as_deref()
        .unwrap_or("HTTP")
        .to_ascii_lowercase();
    let path = action.path.as_deref().unwrap_or("");
    let slash = if path.is_empty() || path.starts_with('/') {
        ""
    } else {
        "/"
    };
    format!("{scheme}://{host}:{port}{slash}{path}")
}

/// The host a handler connects to: its `host`, else the pod's IP.
fn host_of(host: Option<&String>) -> String {
    match host.map(|h| h.trim()).filter(|h| !h.is_empty()) {
        Some(h) => h.to_string(),
        None => POD_IP.to_string(),
    }
}

impl PodWorker {
    /// A port as the prober resolves it against the probed container's own `ports` (by name).
    pub(super) fn resolve_port(&self, idx: usize, port: &IntOrString) -> Option<u16> {
        match port {
            IntOrString::Int(n) => u16::try_from(*n).ok(),
            IntOrString::Str(name) => self.ctrs[idx]
                .spec
                .ports
                .iter()
                .find(|p| p.name.as_deref() == Some(name.as_str()))
                .and_then(|p| u16::try_from(p.container_port).ok())
                .or_else(|| name.parse().ok()),
        }
    }

    fn http_target(&self, idx: usize, action: &HttpGetAction) -> Option<Target> {
        let port = self.resolve_port(idx, action.port.as_ref()?)?;
        let host = host_of(action.host.as_ref());
        Some(Target::Http {
            url: http_url(action, &host, port),
            host,
            port,
            path: action.path.clone().unwrap_or_default(),
        })
    }

    /// Where a probe's network handler connects; `None` for an exec probe (or a port that does not
    /// resolve, which validation refuses).
    pub(super) fn probe_target(&self, idx: usize, probe: &Probe) -> Option<Target> {
        if let Some(h) = &probe.http_get {
            return self.http_target(idx, h);
        }
        if let Some(t) = &probe.tcp_socket {
            let port = self.resolve_port(idx, t.port.as_ref()?)?;
            let host = host_of(t.host.as_ref());
            return Some(Target::Tcp { host, port });
        }
        let port = probe.grpc.as_ref()?.port?;
        u16::try_from(port).ok().map(|port| Target::Grpc { port })
    }

    /// Does anything accept a connection at the target now? The pod's IP reaches whichever container
    /// of the pod listens on the port; a loopback `host` is the node's own, where the pod is not; any
    /// other host is outside the pod (a `podlife.dev/service` annotation says when it answers).
    pub(super) fn accepts(&self, target: &Target) -> bool {
        let host = target.host();
        if host == POD_IP {
            return self.world.serves(target.port());
        }
        if word_list::contains("localhost 127.0.0.1 ::1 [::1]", host) {
            return false;
        }
        self.world.answers(host, Some(target.port()), self.now)
    }

    /// What an httpGet probe that connected reads in the answer: a status of 400 or more fails it, in
    /// the prober's words (http.go `DoHTTPProbe`). Only servers whose handlers podlife has read answer
    /// with a status of their own (`images::Http`, R104); any other is taken to answer 200.
    pub(super) fn http_failure(&self, target: &Target) -> Option<String> {
        let code = self.http_status(target)?;
        (!crate::behaviour::http_probe_succeeds(code))
            .then(|| format!("HTTP probe failed with statuscode: {code}"))
    }

    /// The status the container listening on an httpGet target's port answers with now, from its
    /// program's answers and how long its instance has run.
    fn http_status(&self, target: &Target) -> Option<u16> {
        let Target::Http {
            host, port, path, ..
        } = target
        else {
            return None;
        };
        if host != POD_IP {
            return None;
        }
        let owner = self.world.listening.get(port)?;
        let c = &self.ctrs[self.index_of(owner)?];
        let since = self.now.since(c.running_since()?);
        c.behaviour.http_status(path, since)
    }

    /// An httpGet hook: it fails only when the request fails (the kubelet reads no status code), with
    /// handlers.go's sentence. A tcpSocket hook is not run at all: the kubelet has no such handler and
    /// fails it (the API keeps the field only for compatibility).
    pub(super) fn network_hook_failure(
        &self,
        idx: usize,
        hook: &LifecycleHandler,
    ) -> Option<String> {
        let container = &self.ctrs[idx].name;
        let pod = self.pod_full_name();
        if let Some(action) = &hook.http_get {
            let path = action.path.as_deref().unwrap_or("");
            let error = match self.http_target(idx, action) {
                Some(target) if self.accepts(&target) => return None,
                Some(target) => unreachable_output(&target, Millis(0)),
                None => "unable to resolve the port".to_string(),
            };
            return Some(format!(
                "HTTP lifecycle hook ({path}) for Container {} in Pod {} failed - error: {error}",
                go_quote(container),
                go_quote(&pod)
            ));
        }
        hook.tcp_socket.as_ref().map(|_| {
            "Cannot run handler: invalid handler: tcpSocket is not supported as a lifecycle hook"
                .to_string()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_connections_read_as_gos_errors() {
        let http = Target::Http {
            url: "http://10.244.0.5:8080/healthz".into(),
            host: POD_IP.into(),
            port: 8080,
            path: "/healthz".into(),
        };
        assert_eq!(
            unreachable_output(&http, Millis(1000)),
            "Get \"http://10.244.0.5:8080/healthz\": dial tcp 10.244.0.5:8080: connect: connection refused"
        );
        let tcp = Target::Tcp {
            host: POD_IP.into(),
            port: 5432,
        };
        assert_eq!(
            unreachable_output(&tcp, Millis(1000)),
            "dial tcp 10.244.0.5:5432: connect: connection refused"
        );
        assert_eq!(
            unreachable_output(&Target::Grpc { port: 9090 }, Millis(1000)),
            "timeout: failed to connect service \"10.244.0.5:9090\" within 1s: context deadline exceeded"
        );
    }

    #[test]
    fn urls_take_the_scheme_in_lower_case_and_a_leading_slash() {
        let action = HttpGetAction {
            path: Some("healthz".into()),
            port: None,
            host: None,
            scheme: Some("HTTPS".into()),
        };
        assert_eq!(
            http_url(&action, POD_IP, 8443),
            "https://10.244.0.5:8443/healthz"
        );
    }

    #[test]
    fn go_quotes_escape_quotes_and_newlines() {
        assert_eq!(go_quote("sh -c \"x\"\n"), "\"sh -c \\\"x\\\"\\n\"");
    }
}
