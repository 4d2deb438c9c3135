//! How a well-known server answers an httpGet request: the status code for a path, `since` the server
//! started. The kubelet's HTTP prober counts 200–399 as success and any other code as a failure
//! (pkg/probe/http/http.go `DoHTTPProbe`: "HTTP probe failed with statuscode: 404"); an httpGet hook
//! reads no status at all (lifecycle/handlers.go).

use crate::time::Millis;
use crate::word_list;

/// A server's HTTP answers, as read from its source (each row of `SERVERS` cites it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Http {
    /// Not read: any request to a port it listens on is taken to succeed. Every server whose handlers
    /// podlife has not read is this, so a probe never fails on a guess.
    Unread,
    /// One handler for `/` (Go's `ServeMux` routes every path to it): every path answers 200.
    AnyPath,
    /// Every request gets this status (goproxy answers a request that is not a proxy request 500).
    Always(u16),
    /// These paths (a word list) answer 200; every other path gets `others` (404 from a Go `ServeMux`
    /// without a `/` handler, 403 from a kube-* component's authorizer).
    Paths { ok: &'static str, others: u16 },
    /// `path` answers 200 while the server has run at most `healthy_ms`, then 500 (agnhost
    /// `liveness`: `duration.Seconds() > 10` → 500); the paths of `ok` answer 200 always, every other
    /// path 404.
    HealthyFor {
        path: &'static str,
        healthy_ms: u64,
        ok: &'static str,
    },
}

impl Http {
    /// The status for `path` (query string ignored) `since` the server started; `None` when podlife
    /// does not read this server's answers.
    pub fn status(&self, path: &str, since: Millis) -> Option<u16> {
        let path = path.split('?').next().unwrap_or(path);
        let path = if path.is_empty() { "/" } else { path };
        match *self {
            Http::Unread => None,
            Http::AnyPath => Some(200),
            Http::Always(code) => Some(code),
            Http::Paths { ok, others } => Some(if word_list::contains(ok, path) {
                200
            } else {
                others
            }),
            Http::HealthyFor {
                path: health,
                healthy_ms,
                ok,
            } => Some(if path == health {
                if since.0 > healthy_ms {
                    500
                } else {
                    200
                }
            } else if word_list::contains(ok, path) {
                200
            } else {
                404
            }),
        }
    }
}

/// The kubelet's HTTP prober: 200 ≤ code < 400 is success (http.go `DoHTTPProbe`).
pub(crate) fn probe_succeeds(code: u16) -> bool {
    (200..400).contains(&code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agnhost_liveness_answers_500_once_it_has_run_more_than_ten_seconds() {
        let liveness = Http::HealthyFor {
            path: "/healthz",
            healthy_ms: 10_000,
            ok: "/started",
        };
        assert_eq!(liveness.status("/healthz", Millis(9_000)), Some(200));
        assert_eq!(liveness.status("/healthz", Millis(10_000)), Some(200));
        assert_eq!(liveness.status("/healthz", Millis(10_001)), Some(500));
        assert_eq!(liveness.status("/started", Millis(60_000)), Some(200));
        assert_eq!(liveness.status("/ready", Millis(0)), Some(404));
    }

    #[test]
    fn a_go_mux_with_a_root_handler_serves_every_path_and_one_without_it_404s() {
        assert_eq!(Http::AnyPath.status("/anything?x=1", Millis(0)), Some(200));
        let scheduler = Http::Paths {
            ok: "/healthz /livez /readyz",
            others: 403,
        };
        assert_eq!(scheduler.status("/healthz", Millis(0)), Some(200));
        assert_eq!(scheduler.status("/metrics", Millis(0)), Some(403));
        assert_eq!(Http::Unread.status("/healthz", Millis(0)), None);
        assert!(probe_succeeds(302) && !probe_succeeds(404) && !probe_succeeds(500));
    }
}
