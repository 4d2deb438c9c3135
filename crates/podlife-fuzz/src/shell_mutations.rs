//! Mutations that give containers, hooks and probes programs to run: busy loops, fork bombs, traps,
//! quick exits — the scripts the shell interpreter must read within the bound.

use crate::rng::Rng;

/// Scripts that are costly or tricky to interpret. Each is a single line of POSIX shell, quoted for
/// a YAML double-quoted string by `quoted`.
const SNIPPETS: &[&str] = &[
    "while true; do :; done",
    ":(){ :|:& };:",
    "sleep 0",
    "sleep infinity",
    "trap 'echo bye; sleep 5; exit 0' TERM; while true; do sleep 1; done",
    "trap '' TERM; while :; do :; done",
    "trap 'exit 1' TERM EXIT INT",
    "until false; do :; done",
    "for i in $(seq 1 1000000); do echo $i; done",
    "x=a; while :; do x=$x$x; done",
    "i=0; while [ $i -lt 100000000 ]; do i=$((i+1)); done",
    "yes",
    "exec sh -c \"$0\"",
    "f() { f; }; f",
    "sh -c 'sh -c \"sh -c :\"'",
    "echo $((1<<62)) $((9223372036854775807+1)) $((1/0))",
    "sleep 1 & sleep 2 & wait",
    "kill -TERM $$",
    "exit 137",
    "cat /dev/zero",
    "while sleep 0; do echo tick; done",
    "(((((((((((((((((((((((((((((((:)))))))))))))))))))))))))))))))",
    "{ { { { { { { { { { { { { { { { { :; }; }; }; }; }; }; }; }; }; }; }; }; }; }; }; }; }",
    "case x in x) while :; do :; done;; esac",
    "read line; eval \"$line\"",
];

fn snippet(rng: &mut Rng) -> String {
    let one = SNIPPETS[rng.below(SNIPPETS.len())];
    if rng.one_in(4) {
        format!("{one}; {}", SNIPPETS[rng.below(SNIPPETS.len())])
    } else {
        one.to_string()
    }
}

/// `script` as a YAML double-quoted scalar.
fn quoted(script: &str) -> String {
    format!("\"{}\"", script.replace('\\', "\\\\").replace('"', "\\\""))
}

fn exec_command(rng: &mut Rng) -> String {
    format!("[\"sh\", \"-c\", {}]", quoted(&snippet(rng)))
}

/// Lines starting a container (`- name:`), with their indentation.
fn containers(text: &str) -> Vec<(usize, usize)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("- name:"))
        .map(|(i, l)| (i, l.len() - l.trim_start().len()))
        .collect()
}

/// A line inserted after line `after`, at the indentation of that item's keys.
fn insert_key_line(text: &str, after: usize, depth: usize, line: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines.insert(after + 1, format!("{}{line}", " ".repeat(depth + 2)));
    lines.join("\n") + "\n"
}

/// An existing `command:` replaced by a script, or one added to a container that has none.
pub fn replace_command(rng: &mut Rng, text: &str, _: &[String]) -> String {
    let commands: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            l.trim_start().starts_with("command:") || l.trim_start().starts_with("args:")
        })
        .map(|(i, _)| i)
        .collect();
    if let Some(&at) = rng.pick(&commands) {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let key_end = lines[at].find(':').unwrap_or(0) + 1;
        lines[at] = format!("{} {}", &lines[at][..key_end], exec_command(rng));
        return lines.join("\n") + "\n";
    }
    match rng.pick(&containers(text)) {
        Some(&(at, depth)) => {
            insert_key_line(text, at, depth, &format!("command: {}", exec_command(rng)))
        }
        None => text.to_string(),
    }
}

/// A script put at the start of an existing quoted string (`'sh', '-c', '…'`, `- "…"`).
pub fn into_shell_string(rng: &mut Rng, text: &str, _: &[String]) -> String {
    let quotes: Vec<usize> = text.match_indices(['"', '\'']).map(|(i, _)| i).collect();
    let Some(&at) = rng.pick(&quotes) else {
        return text.to_string();
    };
    let script = snippet(rng).replace(&text[at..at + 1], "");
    format!("{}{script}; {}", &text[..at + 1], &text[at + 1..])
}

/// A preStop or postStart hook running a script, on a container.
pub fn add_hook(rng: &mut Rng, text: &str, _: &[String]) -> String {
    let Some(&(at, depth)) = rng.pick(&containers(text)) else {
        return text.to_string();
    };
    let hook = ["preStop", "postStart"][rng.below(2)];
    let line = format!(
        "lifecycle: {{{hook}: {{exec: {{command: {}}}}}}}",
        exec_command(rng)
    );
    insert_key_line(text, at, depth, &line)
}

/// An exec probe running a script every second, on a container.
pub fn add_exec_probe(rng: &mut Rng, text: &str, _: &[String]) -> String {
    let Some(&(at, depth)) = rng.pick(&containers(text)) else {
        return text.to_string();
    };
    let probe = ["livenessProbe", "readinessProbe", "startupProbe"][rng.below(3)];
    let line = format!(
        "{probe}: {{exec: {{command: {}}}, periodSeconds: 1, timeoutSeconds: {}}}",
        exec_command(rng),
        1 + rng.below(30)
    );
    insert_key_line(text, at, depth, &line)
}

#[cfg(test)]
mod tests {
    use super::*;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"sleep 5\"]\n";

    /// What `text` gave the pod's container: a new script, a hook, a probe.
    fn decoded(text: &str) -> podlife::model::Container {
        let loaded = podlife::load(text);
        assert!(
            loaded.diagnostics.is_empty(),
            "{text}\n{:?}",
            loaded.diagnostics
        );
        loaded.workloads[0].workload.pod.containers[0].clone()
    }

    /// The program mutations must reach the interpreter: what they write decodes as a pod. (Only
    /// loaded here: checking runs the interpreter, on busy loops.)
    #[test]
    fn commands_hooks_and_probes_decode_as_written() {
        let mut rng = Rng::new(7);
        for _ in 0..10 {
            let script = decoded(&replace_command(&mut rng, POD, &[])).command;
            assert!(script.len() == 3 && script[2] != "sleep 5", "{script:?}");
            assert!(decoded(&add_hook(&mut rng, POD, &[])).lifecycle.is_some());
            let probed = decoded(&add_exec_probe(&mut rng, POD, &[]));
            let probes = [
                &probed.liveness_probe,
                &probed.readiness_probe,
                &probed.startup_probe,
            ];
            assert_eq!(probes.iter().filter(|p| p.is_some()).count(), 1);
        }
    }
}
