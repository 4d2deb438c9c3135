//! Well-known images and server programs: what an image runs when the manifest gives no command (its
//! ENTRYPOINT and CMD), which ports a server listens on, how long it takes to listen, and what it does
//! with the stop signal (the image's STOPSIGNAL and the program's handler). The timings are typical
//! values on an idle node, not measurements; `docs/annotations.md` lists them and how to override them.
//! Each row says where its facts come from (`source`); what no source said is named as assumed there.

mod agnhost;
mod http;

pub(crate) use agnhost::subcommand as agnhost_subcommand;
pub(crate) use http::{probe_succeeds, Http};

use crate::word_list;

/// What a program does when it gets SIGTERM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OnTerm {
    /// No handler: the default action ends it with 143, except as PID 1, which ignores the signal.
    Default,
    /// A handler that exits with `code` after `after_ms`.
    Exit { code: i32, after_ms: u64 },
}

/// A long-running server or agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Server {
    /// How the summary names it.
    pub name: &'static str,
    /// Program names that run it, a word list (`crate::word_list`).
    pub programs: &'static str,
    /// Image names (last path segment, or a `path/name` suffix) whose default command runs it, a word
    /// list.
    pub images: &'static str,
    /// Ports it listens on with its default configuration.
    pub ports: &'static [u16],
    /// Its configuration comes with the pod, so the declared containerPorts are what it serves.
    pub serves_declared_ports: bool,
    /// Time from start to listening.
    pub listen_after_ms: u64,
    pub on_term: OnTerm,
    /// Why it behaves so on SIGTERM (for the summary).
    pub term_note: &'static str,
    /// Official images whose entrypoint puts the server in front of arguments that start with `-`.
    pub flags_entrypoint: bool,
    /// Where it reads the configuration that chooses its ports (`""`: from its arguments only). A
    /// volume mounted there brings the pod's own configuration, which podlife does not read: the server
    /// is then taken to serve the declared containerPorts too.
    pub config_dir: &'static str,
    /// Where these facts come from: the repository and file, or the documentation, that says them.
    pub source: &'static str,
    /// How it answers an httpGet request.
    pub http: Http,
    /// Ports named by its flags: (the flag's names as a word list, the port it listens on when the
    /// flag is not given). A flag's value is a port, `:port`, `host:port` or URLs (`http://0.0.0.0:2379`,
    /// comma-separated); port 0 switches that listener off. When this is set, `ports` is unused.
    pub port_flags: &'static [(&'static str, u16)],
}

impl Server {
    /// The first of its programs, the one its image runs.
    pub fn first_program(&self) -> Option<&'static str> {
        self.programs.split(' ').next().filter(|p| !p.is_empty())
    }
}

const fn exits(code: i32, after_ms: u64) -> OnTerm {
    OnTerm::Exit { code, after_ms }
}

/// A Go program with no SIGTERM handler of its own: Go's runtime has one, so PID 1 does get the
/// signal; the runtime resets it and raises it again, which PID 1 ignores, and falls through to
/// `exit(2)` (Go's runtime/signal_unix.go `dieFromSignal`).
pub(crate) const GO_RUNTIME_EXIT: OnTerm = exits(2, 0);
const GO_TERM_NOTE: &str = "it has no SIGTERM handler: Go's runtime exits 2 as PID 1";

/// What most rows share; each row names what differs.
const ROW: Server = Server {
    name: "",
    programs: "",
    images: "",
    ports: &[],
    serves_declared_ports: false,
    listen_after_ms: 0,
    on_term: OnTerm::Default,
    term_note: "",
    flags_entrypoint: false,
    config_dir: "",
    source: "",
    http: Http::Unread,
    port_flags: &[],
};

pub(crate) const SERVERS: &[Server] = &[
    Server {
        name: "nginx",
        programs: "nginx nginx-debug",
        images: "nginx nginx-slim nginxhttps hello-frontend",
        ports: &[80],
        serves_declared_ports: false,
        listen_after_ms: 0,
        on_term: exits(0, 0),
        term_note: "nginx gets the image's stop signal, SIGQUIT: it finishes open requests and exits 0",
        flags_entrypoint: true,
        source: "docker-library/docker-nginx Dockerfile (CMD nginx -g 'daemon off;', STOPSIGNAL SIGQUIT, EXPOSE 80); nginx-slim: kubernetes-retired/contrib ingress/controllers/nginx/nginx-slim Dockerfile (the same CMD); nginxhttps: kubernetes/examples staging/https-nginx (nginx with the pod's configuration); hello-frontend: kubernetes/website tasks/access-application-cluster/connecting-frontend-backend (an nginx proxy on 80)",
        http: Http::Unread,
        port_flags: &[],
        config_dir: "/etc/nginx",
    },
    Server {
        name: "nginx-unprivileged",
        programs: "nginx-unprivileged",
        images: "nginx-unprivileged",
        ports: &[8080],
        serves_declared_ports: false,
        listen_after_ms: 0,
        on_term: exits(0, 0),
        term_note: "nginx finishes open requests and exits 0",
        flags_entrypoint: true,
        source: "nginxinc/docker-nginx-unprivileged Dockerfile (EXPOSE 8080)",
        http: Http::Unread,
        port_flags: &[],
        config_dir: "/etc/nginx",
    },
    Server {
        name: "Apache httpd",
        programs: "httpd-foreground",
        images: "httpd",
        ports: &[80],
        serves_declared_ports: false,
        listen_after_ms: 0,
        on_term: exits(0, 0),
        term_note: "httpd gets the image's stop signal, SIGWINCH, a graceful stop: exits 0",
        flags_entrypoint: false,
        source: "docker-library/httpd Dockerfile (CMD httpd-foreground, STOPSIGNAL SIGWINCH, EXPOSE 80)",
        http: Http::Unread,
        port_flags: &[],
        config_dir: "/usr/local/apache2/conf",
    },
    Server {
        name: "envoy",
        programs: "envoy",
        images: "envoy envoy-distroless",
        ports: &[10000, 9901],
        serves_declared_ports: true,
        listen_after_ms: 1000,
        on_term: exits(0, 0),
        term_note: "envoy shuts down on SIGTERM and exits 0",
        flags_entrypoint: true,
        source: "envoyproxy/envoy ci/Dockerfile-envoy (listener 10000, admin 9901 in the image's envoy.yaml)",
        http: Http::Unread,
        port_flags: &[],
        config_dir: "",
    },
    Server {
        name: "istio-proxy",
        programs: "pilot-agent",
        images: "proxyv2 istio-proxy",
        ports: &[15090, 15021, 15001, 15006],
        serves_declared_ports: false,
        listen_after_ms: 2000,
        on_term: exits(0, 5000),
        term_note: "pilot-agent drains connections for terminationDrainDuration, 5 s by default, then exits 0",
        flags_entrypoint: false,
        source: "istio/istio pilot/docker/Dockerfile.proxyv2, pkg/config/constants (15090, 15021, 15001, 15006; terminationDrainDuration 5 s)",
        http: Http::Unread,
        port_flags: &[],
        config_dir: "",
    },
    Server {
        name: "linkerd-proxy",
        programs: "linkerd2-proxy linkerd-proxy",
        images: "linkerd/proxy linkerd-proxy linkerd2-proxy",
        ports: &[4143, 4191, 4140],
        serves_declared_ports: false,
        listen_after_ms: 1000,
        on_term: exits(0, 0),
        term_note: "linkerd-proxy stops on SIGTERM and exits 0",
        flags_entrypoint: false,
        source: "linkerd/linkerd2 proxy ports (4143 inbound, 4191 admin, 4140 outbound)",
        http: Http::Unread,
        port_flags: &[],
        config_dir: "",
    },
    Server {
        name: "fluentd",
        programs: "fluentd",
        images: "fluentd fluentd-kubernetes-daemonset",
        ports: &[24224],
        serves_declared_ports: false,
        listen_after_ms: 2000,
        on_term: exits(0, 1000),
        term_note: "fluentd flushes its buffers, about 1 s, and exits 0",
        flags_entrypoint: false,
        source: "fluent/fluentd-docker-image Dockerfile (EXPOSE 24224)",
        http: Http::Unread,
        port_flags: &[],
        config_dir: "",
    },
    Server {
        name: "fluent-bit",
        programs: "fluent-bit td-agent-bit",
        images: "fluent-bit",
        ports: &[],
        serves_declared_ports: true,
        listen_after_ms: 1000,
        on_term: exits(0, 1000),
        term_note: "fluent-bit flushes, about 1 s and at most its 5 s Grace, and exits 0",
        flags_entrypoint: false,
        source: "fluent/fluent-bit docs (HTTP server -H on 2020; Grace 5 s)",
        http: Http::Unread,
        port_flags: &[],
        config_dir: "",
    },
    Server {
        name: "redis",
        programs: "redis-server",
        images: "redis redis-stack-server valkey gb-redis-follower",
        ports: &[6379],
        serves_declared_ports: false,
        listen_after_ms: 0,
        on_term: exits(0, 0),
        term_note: "redis saves and exits 0",
        flags_entrypoint: true,
        source: "docker-library/redis Dockerfile (CMD redis-server, EXPOSE 6379); gb-redis-follower: GoogleCloudPlatform/kubernetes-engine-samples guestbook/redis-follower (redis-server --replicaof, 6379)",
        http: Http::Unread,
        port_flags: &[],
        config_dir: "/usr/local/etc/redis",
    },
    Server {
        name: "postgres",
        programs: "postgres postmaster",
        images: "postgres postgis",
        ports: &[5432],
        serves_declared_ports: false,
        listen_after_ms: 2000,
        on_term: exits(0, 1000),
        term_note: "postgres gets the image's stop signal, SIGINT, a fast shutdown: exits 0 after about 1 s",
        flags_entrypoint: true,
        source: "docker-library/postgres Dockerfile (STOPSIGNAL SIGINT, EXPOSE 5432)",
        http: Http::Unread,
        port_flags: &[],
        config_dir: "",
    },
    Server {
        name: "mysql",
        programs: "mysqld",
        images: "mysql percona-server",
        ports: &[3306, 33060],
        serves_declared_ports: false,
        listen_after_ms: 10000,
        on_term: exits(0, 2000),
        term_note: "mysqld shuts down cleanly, about 2 s, and exits 0",
        flags_entrypoint: true,
        source: "docker-library/mysql Dockerfile (EXPOSE 3306 33060); start-up time assumed",
        http: Http::Unread,
        port_flags: &[],
        config_dir: "",
    },
    Server {
        name: "mariadb",
        programs: "mariadbd",
        images: "mariadb",
        ports: &[3306],
        serves_declared_ports: false,
        listen_after_ms: 5000,
        on_term: exits(0, 2000),
        term_note: "mariadbd shuts down cleanly, about 2 s, and exits 0",
        flags_entrypoint: true,
        source: "docker-library/mariadb Dockerfile (EXPOSE 3306); start-up time assumed",
        http: Http::Unread,
        port_flags: &[],
        config_dir: "",
    },
    Server {
        name: "mongodb",
        programs: "mongod",
        images: "mongo",
        ports: &[27017],
        serves_declared_ports: false,
        listen_after_ms: 2000,
        on_term: exits(0, 1000),
        term_note: "mongod shuts down cleanly, about 1 s, and exits 0",
        flags_entrypoint: true,
        source: "docker-library/mongo Dockerfile (EXPOSE 27017)",
        http: Http::Unread,
        port_flags: &[],
        config_dir: "",
    },
    Server {
        name: "memcached",
        programs: "memcached",
        images: "memcached",
        ports: &[11211],
        serves_declared_ports: false,
        listen_after_ms: 0,
        on_term: exits(0, 0),
        term_note: "memcached exits 0 on SIGTERM",
        flags_entrypoint: true,
        source: "docker-library/memcached Dockerfile (EXPOSE 11211)",
        http: Http::Unread,
        port_flags: &[],
        config_dir: "",
    },
    Server {
        name: "rabbitmq",
        programs: "rabbitmq-server",
        images: "rabbitmq",
        ports: &[5672],
        serves_declared_ports: false,
        listen_after_ms: 5000,
        on_term: exits(0, 2000),
        term_note: "rabbitmq stops cleanly, about 2 s, and exits 0",
        flags_entrypoint: false,
        source: "docker-library/rabbitmq Dockerfile (EXPOSE 5672)",
        http: Http::Unread,
        port_flags: &[],
        config_dir: "",
    },
    Server {
        name: "Cloud SQL Auth Proxy",
        programs: "cloud-sql-proxy",
        images: "cloud-sql-proxy",
        ports: &[5432],
        serves_declared_ports: true,
        listen_after_ms: 1000,
        on_term: exits(143, 0),
        term_note: "cloud-sql-proxy v2 exits 143 on SIGTERM unless started with --exit-zero-on-sigterm",
        flags_entrypoint: false,
        source: "GoogleCloudPlatform/cloud-sql-proxy README (--port, --exit-zero-on-sigterm)",
        http: Http::Unread,
        port_flags: &[],
        config_dir: "",
    },
    Server {
        name: "Cloud SQL Proxy v1",
        programs: "cloud_sql_proxy",
        images: "gce-proxy",
        ports: &[5432],
        serves_declared_ports: true,
        listen_after_ms: 1000,
        on_term: exits(0, 0),
        term_note: "cloud_sql_proxy v1 stops on SIGTERM, assumed with 0",
        flags_entrypoint: false,
        source: "GoogleCloudPlatform/cloud-sql-proxy v1 README (-instances=...=tcp:PORT)",
        http: Http::Unread,
        port_flags: &[],
        config_dir: "",
    },
    Server {
        name: "OpenTelemetry Collector",
        programs: "otelcol otelcol-contrib otelcol-k8s",
        images: "opentelemetry-collector opentelemetry-collector-contrib opentelemetry-collector-k8s otel-collector",
        ports: &[4317, 4318],
        serves_declared_ports: false,
        listen_after_ms: 1000,
        on_term: exits(0, 0),
        term_note: "the collector shuts down on SIGTERM and exits 0",
        flags_entrypoint: false,
        source: "open-telemetry/opentelemetry-collector-releases Dockerfile (OTLP 4317, 4318)",
        http: Http::Unread,
        port_flags: &[],
        config_dir: "",
    },
    Server {
        name: "vector",
        programs: "vector",
        images: "vector",
        ports: &[],
        serves_declared_ports: true,
        listen_after_ms: 1000,
        on_term: exits(0, 1000),
        term_note: "vector drains its sinks, about 1 s, and exits 0",
        flags_entrypoint: false,
        source: "vectordotdev/vector docs (ports from its configuration)",
        http: Http::Unread,
        port_flags: &[],
        config_dir: "",
    },
    Server {
        name: "prometheus",
        programs: "prometheus",
        images: "prometheus",
        ports: &[9090],
        serves_declared_ports: false,
        listen_after_ms: 1000,
        on_term: exits(0, 1000),
        term_note: "prometheus closes its TSDB, about 1 s, and exits 0",
        flags_entrypoint: false,
        source: "prometheus/prometheus Dockerfile (EXPOSE 9090)",
        http: Http::Unread,
        port_flags: &[],
        config_dir: "",
    },
    Server {
        name: "traefik",
        programs: "traefik",
        images: "traefik",
        ports: &[80, 8080],
        serves_declared_ports: false,
        listen_after_ms: 1000,
        on_term: exits(0, 0),
        term_note: "traefik stops on SIGTERM and exits 0",
        flags_entrypoint: true,
        source: "traefik/traefik-library-image Dockerfile (EXPOSE 80)",
        http: Http::Unread,
        port_flags: &[],
        config_dir: "/etc/traefik",
    },
    Server {
        name: "caddy",
        programs: "caddy",
        images: "caddy",
        ports: &[80],
        serves_declared_ports: false,
        listen_after_ms: 0,
        on_term: exits(0, 0),
        term_note: "caddy stops on SIGTERM and exits 0",
        flags_entrypoint: false,
        source: "caddyserver/caddy-docker Dockerfile (EXPOSE 80)",
        http: Http::Unread,
        port_flags: &[],
        config_dir: "/etc/caddy",
    },
    Server {
        name: "tomcat",
        programs: "catalina.sh",
        images: "tomcat",
        ports: &[8080],
        serves_declared_ports: false,
        listen_after_ms: 3000,
        on_term: exits(143, 1000),
        term_note: "the JVM runs its shutdown hooks and exits 143",
        flags_entrypoint: false,
        source: "docker-library/tomcat Dockerfile (CMD catalina.sh run, EXPOSE 8080)",
        http: Http::Unread,
        port_flags: &[],
        config_dir: "",
    },
    Server {
        name: "Apache httpd (Debian)",
        programs: "apache2-foreground",
        images: "wordpress hpa-example gb-frontend",
        ports: &[80],
        on_term: exits(0, 0),
        term_note: "apache2 gets the image's stop signal, SIGWINCH, a graceful stop: exits 0",
        config_dir: "/etc/apache2",
        source: "docker-library/wordpress apache/Dockerfile and docker-library/php apache \
                 Dockerfile (CMD apache2-foreground, STOPSIGNAL SIGWINCH, EXPOSE 80); hpa-example: \
                 kubernetes/website docs/tasks/run-application/horizontal-pod-autoscale-walkthrough \
                 (FROM php:5-apache); gb-frontend: kubernetes/examples guestbook/php-redis \
                 Dockerfile (FROM php:5-apache)",
        ..ROW
    },
    Server {
        name: "agnhost",
        programs: "agnhost agnhost-2",
        images: "agnhost",
        source: "kubernetes/kubernetes test/images/agnhost/Dockerfile (ENTRYPOINT /agnhost, CMD \
                 pause) and each subcommand's own file (images/agnhost.rs)",
        ..ROW
    },
    Server {
        name: "hello-app",
        programs: "hello-app",
        images: "hello-app",
        ports: &[8080],
        on_term: GO_RUNTIME_EXIT,
        term_note: GO_TERM_NOTE,
        source: "GoogleCloudPlatform/kubernetes-engine-samples quickstarts/hello-app/main.go (one \
                 handler for /; the port from PORT, 8080 by default, and podlife does not read PORT)",
        http: Http::AnyPath,
        ..ROW
    },
    Server {
        name: "hello-go-gke",
        programs: "hello-go-gke",
        images: "hello-go-gke",
        ports: &[80],
        on_term: GO_RUNTIME_EXIT,
        term_note: GO_TERM_NOTE,
        source: "kubernetes/website tasks/access-application-cluster/connecting-frontend-backend \
                 (the backend serves on 80); its source was not found: its SIGTERM handling is \
                 assumed to be Go's runtime",
        ..ROW
    },
    Server {
        name: "node-hello",
        programs: "node-hello",
        images: "node-hello",
        ports: &[8080],
        term_note: "node installs no SIGTERM handler: as PID 1 it ignores SIGTERM",
        source: "kubernetes/website Hello Minikube tutorial of 2017 (server.js: one handler, \
                 listen(8080)); node's default signal actions",
        http: Http::AnyPath,
        ..ROW
    },
    Server {
        name: "http-echo",
        programs: "http-echo",
        images: "http-echo",
        on_term: GO_RUNTIME_EXIT,
        term_note: "http-echo handles only SIGINT: on SIGTERM Go's runtime exits 2 as PID 1",
        flags_entrypoint: true,
        source: "hashicorp/http-echo main.go (-listen :5678; -text or ECHO_TEXT, else exit 127; \
                 handlers / and /health; signal.Notify(os.Interrupt) only)",
        http: Http::AnyPath,
        port_flags: &[("-listen --listen", 5678)],
        ..ROW
    },
    Server {
        name: "goproxy",
        programs: "goproxy",
        images: "goproxy",
        ports: &[8080],
        on_term: GO_RUNTIME_EXIT,
        term_note: GO_TERM_NOTE,
        source: "kubernetes/kubernetes test/images/goproxy/goproxy.go (elazarl/goproxy on :8080, \
                 which answers a request that is not a proxy request 500)",
        http: Http::Always(500),
        ..ROW
    },
    Server {
        name: "serve_hostname",
        programs: "serve_hostname",
        images: "serve_hostname",
        ports: &[9376],
        on_term: exits(0, 60_000),
        term_note: "serve_hostname waits 60 s after SIGTERM, then exits 0",
        source: "kubernetes/kubernetes test/images/serve_hostname, now \
                 test/images/agnhost/serve-hostname/serve_hostname.go (--port 9376, one handler \
                 for /, 60 s after SIGTERM)",
        http: Http::AnyPath,
        port_flags: &[("--port", 9376)],
        ..ROW
    },
    Server {
        name: "cassandra",
        programs: "cassandra",
        images: "cassandra",
        ports: &[7000, 7001, 7199, 9042, 9160],
        listen_after_ms: 30_000,
        on_term: exits(143, 2000),
        term_note: "the JVM runs its shutdown hooks and exits 143",
        source: "kubernetes/examples cassandra/image/Dockerfile and docker-library/cassandra \
                 (EXPOSE 7000 7001 7199 9042 9160); start-up time assumed",
        ..ROW
    },
    Server {
        name: "etcd",
        programs: "etcd",
        images: "etcd",
        listen_after_ms: 1000,
        on_term: exits(0, 0),
        term_note: "etcd stops its server on SIGTERM; the exit code is assumed 0",
        source: "etcd-io/etcd server/etcdmain/config.go (client http://localhost:2379, peer \
                 :2380; gRPC health on the client port), pkg/osutil/interrupt_unix.go",
        port_flags: &[
            ("--listen-client-urls", 2379),
            ("--listen-peer-urls", 2380),
        ],
        ..ROW
    },
    Server {
        name: "kube-scheduler",
        programs: "kube-scheduler",
        images: "kube-scheduler",
        listen_after_ms: 1000,
        on_term: exits(0, 0),
        term_note: "kube-scheduler stops on SIGTERM; the exit code is assumed 0",
        source: "kubernetes/kubernetes cmd/kube-scheduler/app/options (--secure-port 10259; \
                 /healthz, /livez, /readyz always allowed, other paths need authorization)",
        http: Http::Paths {
            ok: "/healthz /livez /readyz",
            others: 403,
        },
        port_flags: &[("--secure-port", 10259)],
        ..ROW
    },
    Server {
        name: "konnectivity server",
        programs: "proxy-server",
        images: "proxy-server",
        listen_after_ms: 1000,
        on_term: exits(0, 0),
        term_note: "proxy-server stops on SIGTERM; the exit code is assumed 0",
        source: "kubernetes-sigs/apiserver-network-proxy cmd/server/app/options/options.go \
                 (--server-port 8090, --agent-port 8091, --admin-port 8095, --health-port 8092)",
        port_flags: &[
            ("--server-port", 8090),
            ("--agent-port", 8091),
            ("--admin-port", 8095),
            ("--health-port", 8092),
        ],
        ..ROW
    },
    Server {
        name: "zookeeper",
        programs: "start-zookeeper",
        images: "kubernetes-zookeeper",
        listen_after_ms: 3000,
        on_term: exits(143, 0),
        term_note: "the JVM exits 143",
        source: "kubernetes-retired/contrib statefulsets/zookeeper scripts/start-zookeeper \
                 (--client_port 2181, --election_port 3888, --server_port 2888; execs \
                 zkServer.sh start-foreground); start-up time assumed",
        port_flags: &[
            ("--client_port", 2181),
            ("--election_port", 3888),
            ("--server_port", 2888),
        ],
        ..ROW
    },
    Server {
        name: "fluentd (Kubernetes add-on)",
        programs: "td-agent",
        images: "fluentd-elasticsearch fluentd-gcp",
        serves_declared_ports: true,
        listen_after_ms: 2000,
        on_term: exits(0, 1000),
        term_note: "fluentd flushes its buffers, about 1 s, and exits 0",
        source: "kubernetes/kubernetes cluster/addons/fluentd-elasticsearch/fluentd-es-image and \
                 fluentd-gcp-image (td-agent tailing the node's logs; no port of its own is read)",
        ..ROW
    },
    Server {
        name: "event-exporter",
        programs: "event-exporter",
        images: "event-exporter",
        serves_declared_ports: true,
        on_term: GO_RUNTIME_EXIT,
        term_note: GO_TERM_NOTE,
        source: "GoogleCloudPlatform/k8s-stackdriver event-exporter (a Go agent exporting events); \
                 its metrics port was not confirmed: the declared ports are taken",
        ..ROW
    },
    Server {
        name: "node-problem-detector",
        programs: "node-problem-detector",
        images: "node-problem-detector",
        serves_declared_ports: true,
        on_term: exits(0, 0),
        term_note: "node-problem-detector stops on SIGTERM; the exit code is assumed 0",
        source: "kubernetes/node-problem-detector (a daemon reading the kernel log; v0.1 serves no \
                 port podlife knows, later versions --port 20256)",
        ..ROW
    },
    Server {
        name: "socat",
        programs: "socat",
        images: "alpine/socat",
        on_term: exits(143, 0),
        term_note: "socat exits 128+15 on SIGTERM",
        source: "socat(1) (TCP-LISTEN:<port> listens; a signal ends it with 128+signal); \
                 alpine/socat Dockerfile (ENTRYPOINT socat)",
        ..ROW
    },
    Server {
        name: "pause",
        programs: "/pause pause",
        images: "pause",
        ports: &[],
        serves_declared_ports: false,
        listen_after_ms: 0,
        on_term: exits(0, 0),
        term_note: "pause exits 0 on SIGTERM",
        flags_entrypoint: false,
        source: "kubernetes/kubernetes build/pause/linux/pause.c (exits 0 on SIGTERM)",
        http: Http::Unread,
        port_flags: &[],
        config_dir: "",
    },
];

/// What an image without a `command` does with its default command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ImageDefault {
    Server(&'static Server),
    /// Exits at once: (code, why).
    Exits(i32, &'static str),
    /// Its ENTRYPOINT is a program podlife reads, run with no arguments (`vish/stress`).
    Entrypoint(&'static str),
    Unknown,
}

/// Images whose ENTRYPOINT is a program podlife reads, which takes the container's `args`: (image,
/// program, source).
const ENTRYPOINT_IMAGES: &[(&str, &str, &str)] = &[
    (
        "curl",
        "curl",
        "curl/curl-container Dockerfile (ENTRYPOINT curl)",
    ),
    (
        "kubectl",
        "kubectl",
        "bitnami/kubectl Dockerfile (ENTRYPOINT kubectl)",
    ),
    (
        "vish/stress",
        "stress",
        "vishh/stress Dockerfile (ENTRYPOINT /stress) and main.go",
    ),
];

/// Images whose default command finishes at once in a container with no terminal: (image names as a
/// word list, exit code, why).
const EXITING_IMAGES: &[(&str, i32, &str)] = &[
    (
        "busybox alpine ubuntu debian centos fedora rockylinux almalinux amazonlinux archlinux \
         oraclelinux bash ubi8 ubi9 ubi ubi-minimal opensuse/leap",
        0,
        "the image's default shell has no terminal: its standard input is closed",
    ),
    (
        "python node ruby php perl pypy",
        0,
        "the image's default interactive interpreter reads end-of-input at once",
    ),
    (
        "golang rust gcc openjdk eclipse-temurin amazoncorretto maven gradle",
        0,
        "the image's default shell or REPL has no terminal",
    ),
    ("hello-world", 0, "the image's program prints a greeting"),
    ("curl", 2, "the image's entrypoint `curl` needs a URL"),
    (
        "kubectl",
        0,
        "the image's entrypoint `kubectl` only prints its help",
    ),
];

/// The image's name without registry, path, tag or digest: `docker.io/envoyproxy/envoy:v1` → `envoy`.
pub(crate) fn image_name(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    last.split(':').next().unwrap_or(last)
}

/// Does `image` name `pattern` (`nginx`, or a `path/name` suffix like `linkerd/proxy`)?
fn image_matches(image: &str, pattern: &str) -> bool {
    let without_digest = image.split('@').next().unwrap_or(image);
    let repo = match without_digest.rfind(':') {
        Some(i) if !without_digest[i..].contains('/') => &without_digest[..i],
        _ => without_digest,
    };
    if pattern.contains('/') {
        repo == pattern || repo.ends_with(&format!("/{pattern}"))
    } else {
        image_name(image) == pattern
    }
}

pub(crate) fn image_default(image: &str) -> ImageDefault {
    if let Some(s) = server_of_image(image) {
        return ImageDefault::Server(s);
    }
    for (names, code, why) in EXITING_IMAGES {
        if names.split(' ').any(|n| image_matches(image, n)) {
            return ImageDefault::Exits(*code, why);
        }
    }
    match tool_entrypoint(image) {
        Some(program) => ImageDefault::Entrypoint(program),
        None => ImageDefault::Unknown,
    }
}

pub(crate) fn server_of_image(image: &str) -> Option<&'static Server> {
    SERVERS
        .iter()
        .find(|s| s.images.split(' ').any(|n| image_matches(image, n)))
}

/// Images whose ENTRYPOINT is a tool that takes the `args` (`curlimages/curl`).
pub(crate) fn tool_entrypoint(image: &str) -> Option<&'static str> {
    ENTRYPOINT_IMAGES
        .iter()
        .find(|(pattern, _, _)| image_matches(image, pattern))
        .map(|(_, program, _)| *program)
}

/// Is the image a plain OS or language image, whose `args` (without `command`) are the command?
pub(crate) fn args_are_the_command(image: &str, args: &[String]) -> bool {
    if tool_entrypoint(image).is_some() {
        return false;
    }
    match image_default(image) {
        ImageDefault::Exits(..) | ImageDefault::Entrypoint(_) => true,
        // A server image's ENTRYPOINT takes the args (`proxyv2` runs `pilot-agent proxy sidecar`,
        // envoy takes `-c conf`), unless the first arg names a program of its own (`sh`, `nginx`).
        ImageDefault::Server(s) => args.first().is_some_and(|a| {
            let base = a.rsplit('/').next().unwrap_or(a);
            crate::word_list::contains("sh bash ash dash", base)
                || crate::word_list::contains(s.programs, base)
                || super::utilities::is_known_program(base)
        }),
        ImageDefault::Unknown => args.first().is_some_and(|a| {
            let base = a.rsplit('/').next().unwrap_or(a);
            crate::word_list::contains("sh bash ash dash sleep tail echo cat true", base)
                || super::utilities::is_known_program(base)
        }),
    }
}

/// How the program of `argv` answers httpGet requests: a known server's answers (an agnhost
/// subcommand's own), `Unread` for anything else.
pub(crate) fn http_of(argv: &[String]) -> Http {
    let Some(server) = argv.first().and_then(|p| server_of_program(p)) else {
        return Http::Unread;
    };
    if server.name == "agnhost" {
        return agnhost::subcommand(argv.get(1..).unwrap_or_default())
            .map_or(Http::Unread, |s| s.http);
    }
    server.http
}

pub(crate) fn server_of_program(program: &str) -> Option<&'static Server> {
    let base = program.rsplit('/').next().unwrap_or(program);
    SERVERS.iter().find(|s| {
        crate::word_list::contains(s.programs, base)
            || crate::word_list::contains(s.programs, program)
    })
}

/// How a known server started with `args` runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ServerRun {
    /// Serves until stopped.
    Serves {
        server: &'static Server,
        ports: Vec<u16>,
        on_term: OnTerm,
    },
    /// Runs and exits at once (`nginx -t`, a server that daemonizes): (code, why).
    Exits(i32, String),
}

fn flag_value(args: &[String], names: &[&str]) -> Option<String> {
    for (i, a) in args.iter().enumerate() {
        for n in names {
            if a == n {
                return args.get(i + 1).cloned();
            }
            if let Some(v) = a.strip_prefix(&format!("{n}=")) {
                return Some(v.to_string());
            }
        }
    }
    None
}

fn port_of(text: &str) -> Option<u16> {
    let t = text.rsplit(':').next().unwrap_or(text);
    t.parse().ok()
}

/// The ports a flag's value names: `8080`, `:8080`, `0.0.0.0:8080`, or URLs, comma-separated
/// (`http://0.0.0.0:2379,http://10.0.0.1:2379`); port 0 (a listener switched off) names none.
fn ports_of_value(value: &str) -> Vec<u16> {
    let mut ports = Vec::new();
    for part in value.split(',') {
        let authority = part.split("://").last().unwrap_or(part);
        let authority = authority.split('/').next().unwrap_or(authority);
        if let Some(p) = port_of(authority).filter(|p| *p > 0 && !ports.contains(p)) {
            ports.push(p);
        }
    }
    ports
}

/// The ports a server's flags name, each flag's default where it is not given (`port_flags`). Go's
/// `flag` package and pflag both take `-name=value`, `-name value` and the `--` forms alike, so each
/// flag is looked up under every name of its word list.
pub(crate) fn flag_ports(args: &[String], port_flags: &[(&str, u16)]) -> Vec<u16> {
    let mut ports = Vec::new();
    for (names, default) in port_flags {
        let names: Vec<&str> = names.split(' ').filter(|n| !n.is_empty()).collect();
        let given = flag_value(args, &names).map(|v| ports_of_value(&v));
        for p in given.unwrap_or_else(|| vec![*default]) {
            if p > 0 && !ports.contains(&p) {
                ports.push(p);
            }
        }
    }
    ports
}

/// An agnhost subcommand's SIGTERM handling, its `--delay-shutdown` seconds added.
fn agnhost_on_term(sub: &agnhost::Subcommand, args: &[String]) -> OnTerm {
    let delay_s: u64 = if sub.delay_flag.is_empty() {
        0
    } else {
        flag_value(args, &[sub.delay_flag])
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    match sub.on_term {
        OnTerm::Exit { code, after_ms } => exits(code, after_ms + delay_s * 1000),
        OnTerm::Default => OnTerm::Default,
    }
}

/// socat's listening addresses: `TCP-LISTEN:5432,fork` (also `TCP4-`, `TCP6-LISTEN`, `TCP-L:`), in
/// any case (socat(1) "ADDRESS TYPES").
fn socat_listen_ports(args: &[String]) -> Vec<u16> {
    args.iter()
        .filter_map(|a| {
            let (kind, rest) = a.split_once(':')?;
            let kind = kind.to_ascii_uppercase();
            let listens = word_list::contains(
                "TCP-LISTEN TCP4-LISTEN TCP6-LISTEN TCP-L TCP4-L TCP6-L",
                &kind,
            );
            let port = rest.split(',').next()?;
            listens.then(|| port.parse().ok()).flatten()
        })
        .collect()
}

/// The arguments a server image's default command passes (nginx's CMD is `nginx -g 'daemon off;'`).
pub(crate) fn default_args(server: &Server) -> Vec<String> {
    match server.first_program() {
        Some("nginx") => vec!["-g".into(), "daemon off;".into()],
        Some("agnhost") => vec!["pause".into()],
        _ => Vec::new(),
    }
}

/// A known server with these arguments, and the declared containerPorts of its container.
pub(crate) fn run_server(server: &'static Server, args: &[String], declared: &[u16]) -> ServerRun {
    let mut ports: Vec<u16> = if server.port_flags.is_empty() {
        server.ports.to_vec()
    } else {
        flag_ports(args, server.port_flags)
    };
    let mut explicit = !server.port_flags.is_empty();
    let mut on_term = server.on_term;
    match server.first_program().unwrap_or(server.name) {
        "agnhost" => match agnhost::subcommand(args) {
            Ok(sub) => {
                ports = flag_ports(args.get(1..).unwrap_or_default(), sub.port_flags);
                explicit = true;
                on_term = agnhost_on_term(sub, args);
            }
            Err(name) => {
                return ServerRun::Exits(
                    1,
                    format!(
                        "`agnhost {name}` is a subcommand podlife has not read (it reads {}): \
                         taken to fail",
                        agnhost::SUBCOMMANDS
                            .iter()
                            .map(|s| s.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            }
        },
        "socat" => {
            ports = socat_listen_ports(args);
            explicit = true;
        }
        "nginx" => {
            if args
                .iter()
                .any(|a| a == "-t" || a == "-T" || a == "-v" || a == "-V")
            {
                return ServerRun::Exits(0, "`nginx -t`/`-v` checks and exits".into());
            }
            let daemon_off = args
                .iter()
                .any(|a| a.replace(' ', "").contains("daemonoff"));
            if !daemon_off {
                return ServerRun::Exits(
                    0,
                    "nginx without `-g 'daemon off;'` forks into the background, so the container's \
                     process exits 0 at once"
                        .into(),
                );
            }
        }
        "redis-server" => {
            if let Some(p) = flag_value(args, &["--port"]).and_then(|p| p.parse().ok()) {
                ports = vec![p];
                explicit = true;
            }
            if flag_value(args, &["--daemonize"]).as_deref() == Some("yes") {
                return ServerRun::Exits(
                    0,
                    "`--daemonize yes` forks into the background, so the process exits 0 at once"
                        .into(),
                );
            }
        }
        "postgres" => {
            if let Some(p) = flag_value(args, &["-p", "--port"]).and_then(|p| p.parse().ok()) {
                ports = vec![p];
                explicit = true;
            }
        }
        "cloud-sql-proxy" => {
            if args.iter().any(|a| a == "--exit-zero-on-sigterm") {
                on_term = exits(0, 0);
            }
            let port = flag_value(args, &["--port", "-p"])
                .and_then(|p| p.parse().ok())
                .or_else(|| {
                    args.iter()
                        .find_map(|a| a.split("port=").nth(1).and_then(|p| p.parse().ok()))
                });
            if let Some(p) = port {
                ports = vec![p];
                explicit = true;
            }
        }
        // `-H`/`--http` switches on fluent-bit's monitoring server, on 2020 unless `-P`/`--port` says.
        "fluent-bit" if args.iter().any(|a| a == "-H" || a == "--http") => {
            let port = flag_value(args, &["-P", "--port"]).and_then(|p| p.parse().ok());
            ports = vec![port.unwrap_or(2020)];
            explicit = true;
        }
        "cloud_sql_proxy" => {
            let port = args.iter().find_map(|a| {
                a.split("tcp:")
                    .nth(1)
                    .and_then(|p| p.split(',').next())
                    .and_then(port_of)
            });
            if let Some(p) = port {
                ports = vec![p];
                explicit = true;
            }
        }
        _ => {}
    }
    if server.serves_declared_ports && !declared.is_empty() && !explicit {
        ports = declared.to_vec();
    }
    for p in declared {
        if !ports.contains(p) {
            ports.push(*p);
        }
    }
    ServerRun::Serves {
        server,
        ports,
        on_term,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_named_without_registry_tag_or_digest() {
        assert_eq!(image_name("docker.io/envoyproxy/envoy:v1.30.1"), "envoy");
        assert_eq!(image_name("nginx@sha256:abc"), "nginx");
        assert_eq!(image_name("localhost:5000/app"), "app");
        assert!(image_matches(
            "cr.l5d.io/linkerd/proxy:stable-2.14",
            "linkerd/proxy"
        ));
        assert!(!image_matches("example.com/other/proxy", "linkerd/proxy"));
    }

    #[test]
    fn os_images_with_no_command_exit_at_once() {
        assert!(matches!(
            image_default("busybox:1.36"),
            ImageDefault::Exits(0, _)
        ));
        assert!(matches!(image_default("alpine"), ImageDefault::Exits(0, _)));
        assert!(matches!(
            image_default("my-app:latest"),
            ImageDefault::Unknown
        ));
        assert!(
            matches!(image_default("istio/proxyv2:1.22"), ImageDefault::Server(s) if s.on_term == exits(0, 5000))
        );
    }

    #[test]
    fn nginx_without_daemon_off_forks_away() {
        let nginx = server_of_program("nginx").unwrap();
        assert!(matches!(
            run_server(nginx, &["-g".into(), "daemon off;".into()], &[]),
            ServerRun::Serves { .. }
        ));
        assert!(matches!(
            run_server(nginx, &[], &[]),
            ServerRun::Exits(0, _)
        ));
        assert!(matches!(
            run_server(nginx, &["-c".into(), "/etc/x.conf".into()], &[]),
            ServerRun::Exits(0, _)
        ));
    }

    #[test]
    fn fluent_bit_serves_http_only_when_told_to() {
        let fb = server_of_program("fluent-bit").unwrap();
        let serves = |args: &[&str]| match run_server(
            fb,
            &args.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
            &[],
        ) {
            ServerRun::Serves { ports, .. } => ports,
            ServerRun::Exits(..) => panic!("fluent-bit exits"),
        };
        assert_eq!(serves(&["-i", "tail", "-o", "stdout"]), Vec::<u16>::new());
        assert_eq!(serves(&["-i", "tail", "-H", "-o", "stdout"]), vec![2020]);
        assert_eq!(serves(&["--http", "-P", "2021"]), vec![2021]);
    }

    fn listening(program: &str, args: &[&str]) -> Vec<u16> {
        let server = server_of_program(program).unwrap();
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        match run_server(server, &args, &[]) {
            ServerRun::Serves { ports, .. } => ports,
            ServerRun::Exits(_, why) => panic!("{program} exits: {why}"),
        }
    }

    #[test]
    fn ports_named_by_flags_replace_each_default() {
        assert_eq!(listening("etcd", &[]), vec![2379, 2380]);
        assert_eq!(
            listening(
                "/usr/local/bin/etcd",
                &[
                    "--listen-client-urls",
                    "http://0.0.0.0:2379,http://0.0.0.0:4001"
                ]
            ),
            vec![2379, 4001, 2380]
        );
        assert_eq!(
            listening("kube-scheduler", &["--secure-port=10260"]),
            vec![10260]
        );
        assert_eq!(
            listening("http-echo", &["-listen=:8080", "-text=hi"]),
            vec![8080]
        );
        assert_eq!(listening("http-echo", &["-text", "hi"]), vec![5678]);
        // Port 0 switches a listener off (konnectivity's --server-port with a UDS).
        assert_eq!(
            listening("proxy-server", &["--server-port=0", "--agent-port=8132"]),
            vec![8132, 8095, 8092]
        );
    }

    #[test]
    fn agnhost_listens_by_subcommand_and_socat_by_its_listen_address() {
        assert_eq!(listening("agnhost", &["liveness"]), vec![8080]);
        assert_eq!(
            listening("/agnhost", &["serve-hostname", "--port", "9000"]),
            vec![9000]
        );
        assert_eq!(listening("agnhost", &["pause"]), Vec::<u16>::new());
        assert_eq!(
            listening("socat", &["tcp-listen:5432,fork", "tcp-connect:db:5432"]),
            vec![5432]
        );
        let agnhost = server_of_program("agnhost").unwrap();
        assert!(matches!(
            run_server(agnhost, &["porter".to_string()], &[]),
            ServerRun::Exits(1, why) if why.contains("not read")
        ));
        let pause = |args: &[&str]| {
            let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
            match run_server(agnhost, &args, &[]) {
                ServerRun::Serves { on_term, .. } => on_term,
                ServerRun::Exits(..) => panic!("pause exits"),
            }
        };
        assert_eq!(pause(&["pause"]), exits(2, 0));
        assert_eq!(pause(&["pause", "--delay-shutdown=5"]), exits(2, 5000));
    }

    #[test]
    fn cloud_sql_proxy_exits_143_unless_told_otherwise() {
        let p = server_of_program("cloud-sql-proxy").unwrap();
        let ServerRun::Serves { on_term, ports, .. } =
            run_server(p, &["--port=3306".into(), "p:r:i".into()], &[])
        else {
            panic!()
        };
        assert_eq!(on_term, exits(143, 0));
        assert_eq!(ports, vec![3306]);
        let ServerRun::Serves { on_term, .. } =
            run_server(p, &["--exit-zero-on-sigterm".into()], &[])
        else {
            panic!()
        };
        assert_eq!(on_term, exits(0, 0));
    }
}
