//! Reading `command`/`args` (and the image, when there is no command) for the evidence that a container
//! never exits on its own: `tail -f`, `sleep infinity`, an endless loop, a known server.

use crate::model::Container;

/// Images whose default command is a long-running server or agent.
const SERVER_IMAGES: &[&str] = &[
    "nginx",
    "httpd",
    "envoy",
    "proxyv2",
    "istio-proxy",
    "linkerd-proxy",
    "proxy",
    "fluentd",
    "fluent-bit",
    "redis",
    "postgres",
    "mysql",
    "mariadb",
    "mongo",
    "memcached",
    "rabbitmq",
    "cloud-sql-proxy",
    "otel-collector",
    "opentelemetry-collector",
    "opentelemetry-collector-contrib",
    "vector",
    "prometheus",
    "node-exporter",
    "haproxy",
    "traefik",
    "caddy",
    "consul",
    "vault",
    "tomcat",
    "jenkins",
];

/// Programs that serve until stopped.
const SERVER_PROGRAMS: &[&str] = &[
    "nginx",
    "httpd",
    "envoy",
    "pilot-agent",
    "fluentd",
    "fluent-bit",
    "redis-server",
    "postgres",
    "mysqld",
    "cloud-sql-proxy",
    "cloud_sql_proxy",
    "otelcol",
    "otelcol-contrib",
    "vector",
    "prometheus",
    "haproxy",
    "linkerd2-proxy",
    "memcached",
    "consul",
    "vault",
];

/// Why this container would run until it is stopped, if its command or image says so.
pub fn runs_forever(container: &Container) -> Option<String> {
    let argv = container.argv();
    if argv.is_empty() {
        let image = container.image.as_deref()?;
        let name = image_name(image);
        return SERVER_IMAGES
            .contains(&name)
            .then(|| format!("image `{image}` runs a server by default"));
    }
    let script = script_of(&argv);
    let words: Vec<&str> = script
        .split(|c: char| c.is_whitespace() || c == ';')
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).copied().unwrap_or("");
        if *w == "tail"
            && words[i + 1..].iter().take(3).any(|a| {
                matches!(*a, "-f" | "-F" | "--follow" | "-n+1") || a.starts_with("--follow")
            })
        {
            return Some(format!(
                "`{}` follows a file forever",
                excerpt(&script, "tail")
            ));
        }
        if *w == "sleep" && matches!(next, "infinity" | "inf") {
            return Some("`sleep infinity` never returns".into());
        }
    }
    if let Some(reason) = endless_loop(&script) {
        return Some(reason);
    }
    let program = argv
        .first()
        .map(|p| p.rsplit('/').next().unwrap_or(p))
        .unwrap_or_default();
    if SERVER_PROGRAMS.contains(&program) {
        return Some(format!("`{program}` is a long-running server"));
    }
    None
}

/// The shell script of `sh -c '...'` / `bash -c '...'`, or the argv joined.
fn script_of(argv: &[&str]) -> String {
    let shell = argv.first().map(|p| p.rsplit('/').next().unwrap_or(p));
    if matches!(shell, Some("sh" | "bash" | "ash" | "dash" | "zsh")) {
        if let Some(pos) = argv
            .iter()
            .position(|a| a.starts_with('-') && a.contains('c'))
        {
            if let Some(script) = argv.get(pos + 1) {
                return (*script).to_string();
            }
        }
    }
    argv.join(" ")
}

/// `while true; do ...; done` (or `while :`, `while [ 1 ]`) with no `break` or `exit` in its body.
fn endless_loop(script: &str) -> Option<String> {
    let compact: String = script.split_whitespace().collect::<Vec<_>>().join(" ");
    for head in [
        "while true",
        "while :",
        "while [ 1 ]",
        "while [ true ]",
        "while sleep",
        "until false",
    ] {
        if let Some(start) = compact.find(head) {
            let body = &compact[start..];
            let end = word_at(body, "done").map_or(body.len(), |e| e + 4);
            let body = &body[..end];
            if word_at(body, "break").is_none() && word_at(body, "exit").is_none() {
                return Some(format!("`{}` loops forever", shorten(body)));
            }
        }
    }
    None
}

/// Where `word` stands as a whole shell word (not inside `/done` or `exited`).
fn word_at(text: &str, word: &str) -> Option<usize> {
    let is_boundary = |c: Option<char>| {
        c.is_none_or(|c| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')'))
    };
    text.match_indices(word).map(|(i, _)| i).find(|&i| {
        is_boundary(text[..i].chars().next_back())
            && is_boundary(text[i + word.len()..].chars().next())
    })
}

fn excerpt(script: &str, from: &str) -> String {
    let start = script.find(from).unwrap_or(0);
    let rest = &script[start..];
    let end = rest.find([';', '&', '|', '\n']).unwrap_or(rest.len());
    shorten(rest[..end].trim())
}

fn shorten(text: &str) -> String {
    if text.chars().count() > 48 {
        format!("{}...", text.chars().take(45).collect::<String>())
    } else {
        text.to_string()
    }
}

/// The image's repository name without registry, path or tag: `docker.io/envoyproxy/envoy:v1` → `envoy`.
fn image_name(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    last.split(':').next().unwrap_or(last)
}

/// How long an exec hook's command runs, when it is made of `sleep N` steps: `["sleep", "40"]`,
/// `["/bin/sh", "-c", "sleep 5 && nginx -s quit"]`.
pub fn exec_duration_seconds(command: &[String]) -> Option<f64> {
    let argv: Vec<&str> = command.iter().map(String::as_str).collect();
    let script = script_of(&argv);
    let words: Vec<&str> = script
        .split(|c: char| c.is_whitespace() || c == ';' || c == '&')
        .filter(|w| !w.is_empty())
        .collect();
    let mut total = None;
    for (i, w) in words.iter().enumerate() {
        if w.rsplit('/').next() == Some("sleep") {
            if let Some(n) = words
                .get(i + 1)
                .and_then(|n| n.trim_end_matches('s').parse::<f64>().ok())
            {
                *total.get_or_insert(0.0) += n;
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn container(command: &[&str], image: &str) -> Container {
        Container {
            name: "c".into(),
            image: Some(image.into()),
            command: command.iter().map(|s| s.to_string()).collect(),
            ..Container::default()
        }
    }

    #[test]
    fn tail_follow_runs_forever() {
        let c = container(&["sh", "-c", "tail -F /opt/logs.txt"], "alpine");
        assert!(runs_forever(&c).unwrap().contains("tail -F /opt/logs.txt"));
    }

    #[test]
    fn endless_loop_without_exit_runs_forever() {
        let c = container(
            &["sh", "-c", "while true; do echo hi >> /x; sleep 1; done"],
            "alpine",
        );
        assert!(runs_forever(&c).is_some());
        let c = container(
            &[
                "sh",
                "-c",
                "while true; do test -f /done && exit 0; sleep 1; done",
            ],
            "alpine",
        );
        assert_eq!(runs_forever(&c), None);
    }

    #[test]
    fn a_job_step_ends() {
        let c = container(&["sh", "-c", "echo logging > /opt/logs.txt"], "alpine");
        assert!(runs_forever(&c).is_none());
        assert!(runs_forever(&container(&["python", "migrate.py"], "python:3.12")).is_none());
    }

    #[test]
    fn server_images_without_command_run_forever() {
        assert!(runs_forever(&container(&[], "nginx:1.27")).is_some());
        assert!(runs_forever(&container(&[], "docker.io/envoyproxy/envoy:v1.30.1")).is_some());
        assert!(runs_forever(&container(&[], "busybox")).is_none());
    }

    #[test]
    fn sleep_hooks_have_a_duration() {
        let cmd = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(exec_duration_seconds(&cmd(&["sleep", "40"])), Some(40.0));
        assert_eq!(
            exec_duration_seconds(&cmd(&["/bin/sh", "-c", "sleep 5 && nginx -s quit"])),
            Some(5.0)
        );
        assert_eq!(exec_duration_seconds(&cmd(&["nginx", "-s", "quit"])), None);
    }
}
