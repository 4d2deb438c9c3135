//! The shell language scripts are written in, run through the interpreter: functions and the
//! graceful-shutdown idiom built on them, `case`, bash arrays, `[[ … =~ … ]]`, `read`, `printf`,
//! command substitution and here-documents. Each test checks what a learner would see: the log, the
//! exit code and when it came.

use super::*;

fn shell(program: &str, script: &str) -> Container {
    let image = if program == "bash" {
        "bash:5"
    } else {
        "alpine:3"
    };
    Container {
        name: "app".into(),
        image: Some(image.into()),
        command: vec![program.into(), "-c".into(), script.into()],
        ..Container::default()
    }
}

fn spawn(program: &str, script: &str) -> Process {
    let c = shell(program, script);
    let b = Behaviour::infer(&BehaviourInput {
        container: &c,
        kind: ContainerKind::Regular,
        pod_restart_policy: "Always",
        annotation: None,
        hostname: Some("web-0"),
        job_completion_index: None,
    });
    b.spawn("app", SimTime(0))
}

fn log(world: &World) -> Vec<String> {
    world
        .logs
        .get("app")
        .map(|l| l.iter().map(|(_, line)| line.clone()).collect())
        .unwrap_or_default()
}

/// Runs a script that ends by itself: its exit code and log.
fn run(program: &str, script: &str) -> (i32, Vec<String>) {
    let mut world = World::default();
    let mut p = spawn(program, script);
    match p.run_until(SimTime::from_secs(100.0), &mut world) {
        ProcessState::Exited { code, .. } => (code, log(&world)),
        other => panic!("{script}: still {other:?}; log {:?}", log(&world)),
    }
}

fn exited(code: i32, at: f64) -> ProcessState {
    ProcessState::Exited {
        code,
        at: SimTime::from_secs(at),
    }
}

#[test]
fn a_function_trapped_on_term_cleans_up_and_exits_0_after_the_foreground_sleep() {
    let script = "cleanup() { echo bye; exit 0; }; trap cleanup TERM; while true; do sleep 1; done";
    for program in ["sh", "bash"] {
        let mut world = World::default();
        let mut p = spawn(program, script);
        p.signal(Signal::Term, SimTime::from_secs(10.5), &mut world);
        // The trap runs once the foreground `sleep 1` returns.
        assert_eq!(
            p.run_until(SimTime::from_secs(60.0), &mut world),
            exited(0, 11.0)
        );
        assert_eq!(log(&world), vec!["bye"], "{program}");
    }
}

#[test]
fn a_function_trapped_on_term_while_in_wait_exits_0_at_once() {
    let script = "term() { echo stopping; exit 0; }\ntrap term TERM\nsleep infinity & wait $!";
    let mut world = World::default();
    let mut p = spawn("bash", script);
    p.signal(Signal::Term, SimTime::from_secs(7.0), &mut world);
    assert_eq!(
        p.run_until(SimTime::from_secs(60.0), &mut world),
        exited(0, 7.0)
    );
    assert_eq!(log(&world), vec!["stopping"]);
}

#[test]
fn functions_take_positional_parameters_return_a_status_and_keep_locals() {
    let (code, log) = run(
        "sh",
        "greet() { local who=$1; echo \"hi $who of $#: $@\"; return 3; echo never; }\n\
         who=outer; greet a b; echo \"status $? who $who args $#\"",
    );
    assert_eq!(code, 0);
    assert_eq!(log, vec!["hi a of 2: a b", "status 3 who outer args 0"]);
    let (code, log) = run(
        "bash",
        "function count { for x in \"$@\"; do [ $x = stop ] && return 1; echo $x; done; }\n\
         count a stop c || echo stopped; shift_all() { shift; echo $1; }; shift_all p q; exit 4",
    );
    assert_eq!(code, 4);
    assert_eq!(log, vec!["a", "stopped", "q"]);
}

#[test]
fn a_runaway_recursion_overflows_the_stack_and_dies_of_sigsegv_without_its_exit_trap() {
    // busybox ash, dash and bash (without FUNCNEST) recurse until the kernel kills them: 128 + 11.
    for script in [
        "f() { f; }; f; echo after",
        "n=0; f() { n=$((n+1)); echo $n > /tmp/depth; f; }; f",
        "trap 'echo cleanup' EXIT; f() { eval f; }; f",
    ] {
        for program in ["sh", "bash"] {
            let (code, log) = run(program, script);
            assert_eq!((code, log), (139, vec![]), "{program}: {script}");
        }
    }
}

#[test]
fn a_recursion_that_ends_returns_through_every_call() {
    let (code, log) = run(
        "sh",
        "down() { if [ $1 -gt 0 ]; then down $(($1 - 1)); return $(($? + 1)); fi; echo bottom; }
         down 150; echo \"unwound $?\"",
    );
    assert_eq!(code, 0);
    assert_eq!(log, vec!["bottom", "unwound 150"]);
}

#[test]
fn case_runs_the_first_arm_whose_glob_matches() {
    let (_, log) = run(
        "sh",
        "for f in app.log db.sql x; do case $f in\n  *.log|*.txt) echo \"log $f\";;\n  \
         (*.sql) echo sql ;;\n  *) echo other\n esac; done; case z in a) echo a;; esac; echo $?",
    );
    assert_eq!(log, vec!["log app.log", "sql", "other", "0"]);
}

#[test]
fn bash_arrays_index_count_append_and_expand_to_fields() {
    let (_, log) = run(
        "bash",
        "a=(x y z); a+=(w); i=2\necho ${a[1]} ${a[$i]} ${#a[@]} ${a[-1]} $a\n\
         for e in \"${a[@]}\"; do echo \"[$e]\"; done",
    );
    assert_eq!(log, vec!["y z 4 w x", "[x]", "[y]", "[z]", "[w]"]);
}

#[test]
fn arrays_and_regex_matches_are_bash_not_sh() {
    use super::shell_steps::{Flavour, Script};
    for script in ["a=(x y)", "echo ${a[1]}", "[[ x =~ y ]]"] {
        assert!(Script::compile(script, Flavour::Bash).is_ok(), "{script}");
        let e = Script::compile(script, Flavour::Sh).unwrap_err();
        assert!(e.message.contains("bash syntax"), "{script}: {}", e.message);
    }
    // A nested `sh -c` with bash syntax fails as dash does: status 2 and a message.
    let (_, log) = run("bash", "sh -c 'a=(1 2)'; echo \"sh said $?\"");
    assert_eq!(log.last().map(String::as_str), Some("sh said 2"));
}

#[test]
fn double_brackets_match_regexes_into_bash_rematch_and_globs() {
    let (code, log) = run(
        "bash",
        "[[ `hostname` =~ -([0-9]+)$ ]] || exit 1\nordinal=${BASH_REMATCH[1]}\n\
         echo \"ordinal $ordinal of ${BASH_REMATCH[0]}\"\n\
         [[ abc =~ ^x ]] || echo \"no match, ${#BASH_REMATCH[@]} groups\"\n\
         [[ app.log == *.log && -n $ordinal ]] && echo glob\n\
         [[ mysql-12 =~ ([a-z]+)-([0-9]+) ]] && [[ ${BASH_REMATCH[2]} -eq 0 ]] || exit 5",
    );
    // The pod's hostname is `web-0`: the StatefulSet idiom reads ordinal 0 from it.
    assert_eq!(code, 5);
    assert_eq!(log, vec!["ordinal 0 of -0", "no match, 0 groups", "glob"]);
}

#[test]
fn read_takes_lines_from_files_and_pipes() {
    let (_, log) = run(
        "sh",
        "printf 'a 1\\nb 2 3\\n' > /tmp/f\nwhile read -r k v; do echo \"$v-$k\"; done < /tmp/f\n\
         read -r first < /tmp/f; echo \"first: $first\"\necho x y | { read p q; echo \"$q$p\"; }",
    );
    assert_eq!(log, vec!["1-a", "2 3-b", "first: a 1", "yx"]);
}

#[test]
fn printf_reuses_its_format_and_command_substitution_nests() {
    let (_, log) = run(
        "bash",
        "printf '%s=%d\\n' a 1 b 2\necho \"$(echo \"outer $(echo inner)\")\" `echo tick`\n\
         echo hello > /tmp/g; echo \"$(<  /tmp/g) world\"",
    );
    assert_eq!(log, vec!["a=1", "b=2", "outer inner tick", "hello world"]);
}

#[test]
fn here_documents_expand_unless_their_delimiter_is_quoted() {
    let (_, log) = run(
        "sh",
        "H=db\ncat <<EOF > /tmp/conf\nhost=$H\nEOF\ncat <<'EOF'\nraw $H\nEOF\ncat <<-EOF\n\tindented $H\n\tEOF\n\
         cat /tmp/conf",
    );
    assert_eq!(log, vec!["raw $H", "indented db", "host=db"]);
}

#[test]
fn a_substitution_reads_its_stdin_from_a_redirected_file() {
    let script =
        "printf 'a\\nb\\nc\\n' > /tmp/f; n=$(wc -l < /tmp/f); first=$(head -n 1 < /tmp/f); \
                  all=$(cat < /tmp/f); echo \"$n $first\" $all; exit $n";
    let (code, log) = run("sh", script);
    assert_eq!(code, 3, "{log:?}");
    assert_eq!(log, vec!["3 a a b c"]);
}
