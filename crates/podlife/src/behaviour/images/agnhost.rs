//! agnhost, the Kubernetes e2e tests' one image of many small servers (kubernetes/kubernetes
//! `test/images/agnhost/`): ENTRYPOINT `/agnhost`, CMD `pause` (its Dockerfile), the first argument
//! choosing the subcommand. Each subcommand's ports, HTTP answers and SIGTERM handling, read from its
//! source file; a subcommand not listed stays an unknown program, named as such.

use super::http::Http;
use super::{OnTerm, GO_RUNTIME_EXIT};

/// One agnhost subcommand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Subcommand {
    pub name: &'static str,
    /// Ports it listens on: (its flag names, a word list; the default when no flag is given).
    pub port_flags: &'static [(&'static str, u16)],
    pub http: Http,
    pub on_term: OnTerm,
    /// A flag whose value in seconds delays the exit after SIGTERM (`--delay-shutdown`).
    pub delay_flag: &'static str,
    pub term_note: &'static str,
    pub source: &'static str,
}

pub(crate) const SUBCOMMANDS: &[Subcommand] = &[
    Subcommand {
        name: "pause",
        port_flags: &[],
        http: Http::Unread,
        on_term: GO_RUNTIME_EXIT,
        delay_flag: "--delay-shutdown",
        term_note: "agnhost pause exits 2 on SIGTERM (after --delay-shutdown seconds)",
        source: "kubernetes/kubernetes test/images/agnhost/pause/pause.go",
    },
    Subcommand {
        name: "liveness",
        port_flags: &[("", 8080)],
        http: Http::HealthyFor {
            path: "/healthz",
            healthy_ms: 10_000,
            ok: "/started /redirect",
        },
        on_term: GO_RUNTIME_EXIT,
        delay_flag: "",
        term_note: "agnhost liveness has no SIGTERM handler: Go's runtime exits 2 as PID 1",
        source: "kubernetes/kubernetes test/images/agnhost/liveness/server.go (/healthz: 200 for \
                 the first 10 s, then 500; :8080)",
    },
    Subcommand {
        name: "serve-hostname",
        port_flags: &[("--port", 9376)],
        http: Http::AnyPath,
        on_term: OnTerm::Exit {
            code: 0,
            after_ms: 60_000,
        },
        delay_flag: "",
        term_note: "agnhost serve-hostname waits 60 s after SIGTERM (\"Awaiting pod deletion\"), \
                    then exits 0",
        source: "kubernetes/kubernetes test/images/agnhost/serve-hostname/serve_hostname.go",
    },
    Subcommand {
        name: "netexec",
        port_flags: &[("--http-port", 8080)],
        http: Http::Unread,
        on_term: OnTerm::Exit {
            code: 0,
            after_ms: 0,
        },
        delay_flag: "--delay-shutdown",
        term_note: "agnhost netexec stops after --delay-shutdown seconds; its exit code is \
                    assumed 0",
        source: "kubernetes/kubernetes test/images/agnhost/netexec/netexec.go, agnhost Dockerfile \
                 (EXPOSE 8080 8081: UDP 8081 is not a TCP port)",
    },
    Subcommand {
        name: "test-webserver",
        port_flags: &[("--port", 80)],
        http: Http::Unread,
        on_term: GO_RUNTIME_EXIT,
        delay_flag: "",
        term_note: "agnhost test-webserver has no SIGTERM handler: Go's runtime exits 2 as PID 1",
        source: "kubernetes/kubernetes test/images/agnhost/test-webserver/test-webserver.go",
    },
];

/// The subcommand `args` start with (`[]`: the image's CMD, `pause`).
pub(crate) fn subcommand(args: &[String]) -> Result<&'static Subcommand, String> {
    let name = args.first().map_or("pause", String::as_str);
    SUBCOMMANDS
        .iter()
        .find(|s| s.name == name)
        .ok_or_else(|| name.to_string())
}
