//! Well-known images and server programs: what an image runs when the manifest gives no command (its
//! ENTRYPOINT and CMD), which ports a server listens on, how long it takes to listen, and what it does
//! with the stop signal (the image's STOPSIGNAL and the program's handler). The timings are typical
//! values on an idle node, not measurements; `docs/annotations.md` lists them and how to override them.

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

pub(crate) const SERVERS: &[Server] = &[
    Server {
        name: "nginx",
        programs: "nginx nginx-debug",
        images: "nginx",
        ports: &[80],
        serves_declared_ports: false,
        listen_after_ms: 0,
        on_term: exits(0, 0),
        term_note: "nginx gets the image's stop signal, SIGQUIT: it finishes open requests and exits 0",
        flags_entrypoint: true,
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
        config_dir: "/etc/nginx",
    },
    Server {
        name: "Apache httpd",
        programs: "httpd-foreground apache2-foreground",
        images: "httpd",
        ports: &[80],
        serves_declared_ports: false,
        listen_after_ms: 0,
        on_term: exits(0, 0),
        term_note: "httpd gets the image's stop signal, SIGWINCH, a graceful stop: exits 0",
        flags_entrypoint: false,
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
        config_dir: "",
    },
    Server {
        name: "redis",
        programs: "redis-server",
        images: "redis redis-stack-server valkey",
        ports: &[6379],
        serves_declared_ports: false,
        listen_after_ms: 0,
        on_term: exits(0, 0),
        term_note: "redis saves and exits 0",
        flags_entrypoint: true,
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
        config_dir: "",
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
        config_dir: "",
    },
];

/// What an image without a `command` does with its default command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ImageDefault {
    Server(&'static Server),
    /// Exits at once: (code, why).
    Exits(i32, &'static str),
    Unknown,
}

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
    ImageDefault::Unknown
}

pub(crate) fn server_of_image(image: &str) -> Option<&'static Server> {
    SERVERS
        .iter()
        .find(|s| s.images.split(' ').any(|n| image_matches(image, n)))
}

/// Images whose ENTRYPOINT is a tool that takes the `args` (`curlimages/curl`).
pub(crate) fn tool_entrypoint(image: &str) -> Option<&'static str> {
    ["curl", "kubectl"]
        .into_iter()
        .find(|n| image_name(image) == *n)
}

/// Is the image a plain OS or language image, whose `args` (without `command`) are the command?
pub(crate) fn args_are_the_command(image: &str, args: &[String]) -> bool {
    if tool_entrypoint(image).is_some() {
        return false;
    }
    match image_default(image) {
        ImageDefault::Exits(..) => true,
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

/// The arguments a server image's default command passes (nginx's CMD is `nginx -g 'daemon off;'`).
pub(crate) fn default_args(server: &Server) -> Vec<String> {
    match server.first_program() {
        Some("nginx") => vec!["-g".into(), "daemon off;".into()],
        _ => Vec::new(),
    }
}

/// A known server with these arguments, and the declared containerPorts of its container.
pub(crate) fn run_server(server: &'static Server, args: &[String], declared: &[u16]) -> ServerRun {
    let mut ports: Vec<u16> = server.ports.to_vec();
    let mut explicit = false;
    let mut on_term = server.on_term;
    match server.first_program().unwrap_or(server.name) {
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
