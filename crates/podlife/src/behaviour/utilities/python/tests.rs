use super::*;

fn env(pairs: &[(&str, &str)]) -> SortedMap<String, String> {
    let mut map = SortedMap::new();
    for (k, v) in pairs {
        map.insert(k.to_string(), v.to_string());
    }
    map
}

fn outcome(script: &str, pairs: &[(&str, &str)]) -> Result<(i32, Vec<String>), Unread> {
    run_script(script, &env(pairs), false).map(|run| {
        let lines = run.lines.into_iter().map(|(_, l)| l).collect();
        (run.code, lines)
    })
}

const BY_INDEX: &str = "import os, sys\n\
    index = int(os.environ.get(\"JOB_COMPLETION_INDEX\"))\n\
    if index == 0:\n  sys.exit(1)\nelif index == 1:\n  sys.exit(42)\nelse:\n  sys.exit(0)\n";

#[test]
fn an_exit_chosen_by_the_completion_index_follows_the_branch_taken() {
    assert_eq!(
        outcome(BY_INDEX, &[("JOB_COMPLETION_INDEX", "0")]),
        Ok((1, vec![]))
    );
    assert_eq!(
        outcome(BY_INDEX, &[("JOB_COMPLETION_INDEX", "1")]),
        Ok((42, vec![]))
    );
    assert_eq!(
        outcome(BY_INDEX, &[("JOB_COMPLETION_INDEX", "7")]),
        Ok((0, vec![]))
    );
}

#[test]
fn an_environment_variable_podlife_does_not_set_leaves_the_script_unread() {
    let why = outcome(BY_INDEX, &[]).unwrap_err();
    assert!(why.contains("JOB_COMPLETION_INDEX"), "{why}");
    // A learner who set it in `env:` is told why podlife still does not see it.
    assert!(
        why.contains("does not read the container's `env:`"),
        "{why}"
    );
    // With a default the script does not depend on it.
    assert_eq!(
        outcome("import os\nprint(os.environ.get('X', 'none'))", &[]),
        Ok((0, vec!["none".to_string()]))
    );
}

#[test]
fn print_modulo_and_an_inline_if_read_as_python_does() {
    let script = "import os, sys; print(\"Hello world\")\n\
        if int(os.environ.get(\"I\")) % 2 == 0: sys.exit(1)";
    assert_eq!(
        outcome(script, &[("I", "4")]),
        Ok((1, vec!["Hello world".to_string()]))
    );
    assert_eq!(
        outcome(script, &[("I", "3")]),
        Ok((0, vec!["Hello world".to_string()]))
    );
}

#[test]
fn sleep_takes_its_seconds_and_exceptions_exit_1() {
    let run = run_script(
        "import time; time.sleep(5); print('done')",
        &env(&[]),
        false,
    )
    .unwrap();
    assert_eq!(run.elapsed, Millis(5000));
    assert_eq!(run.lines, vec![(Millis(5000), "done".to_string())]);
    let (code, lines) = outcome("n = int('x')", &[]).unwrap();
    assert_eq!(code, 1);
    assert_eq!(
        lines.last().map(String::as_str),
        Some("ValueError: invalid literal for int() with base 10: 'x'")
    );
    assert_eq!(outcome("import sys; sys.exit(-1)", &[]), Ok((255, vec![])));
}

#[test]
fn loops_functions_and_unknown_names_stay_unread() {
    assert!(outcome("for i in range(3): print(i)", &[]).is_err());
    assert!(outcome("print(f'{x}')", &[]).is_err());
    // Each named as what it is, not by the part of it podlife tripped over.
    let why = |script: &str| outcome(script, &[]).unwrap_err();
    assert_eq!(
        why("for i in range(3): print(i)"),
        "a `for` loop: `for i in range(3): print(i)`"
    );
    assert_eq!(
        why("import time\nwhile True:\n  time.sleep(1)"),
        "a `while` loop: `while True:`"
    );
    assert_eq!(why("def f():\n  return 1"), "a function: `def f():`");
    assert_eq!(why("print(f'{1}')"), "an f-string `f\"…\"`");
    assert_eq!(why("print(b'x')"), "a bytes literal `b\"…\"`");
    // A name that merely starts with a keyword is a name.
    assert_eq!(why("formatted = 1; print(nothing)"), "the name `nothing`");
    assert_eq!(
        outcome("x = 'a'\nif not'': print(x)", &[]),
        Ok((0, vec!["a".to_string()]))
    );
    assert!(outcome("print(undefined)", &[]).is_err());
    assert!(outcome("import json; json.dumps(1)", &[]).is_err());
}

/// The script's lines with their moments in seconds, run with `python3 -u` when `unbuffered`.
fn timed(script: &str, pairs: &[(&str, &str)], unbuffered: bool) -> Vec<(u64, String)> {
    let run = run_script(script, &env(pairs), unbuffered).unwrap();
    run.lines
        .into_iter()
        .map(|(t, l)| (t.0 / 1000, l))
        .collect()
}

fn lines(v: &[(u64, &str)]) -> Vec<(u64, String)> {
    v.iter().map(|(t, l)| (*t, l.to_string())).collect()
}

const SLEEPY: &str = "import time; print('a'); time.sleep(5); print('b'); time.sleep(5)";

#[test]
fn stdout_is_held_until_exit_unless_python_runs_unbuffered() {
    assert_eq!(timed(SLEEPY, &[], false), lines(&[(10, "a"), (10, "b")]));
    assert_eq!(timed(SLEEPY, &[], true), lines(&[(0, "a"), (5, "b")]));
    assert_eq!(
        timed(SLEEPY, &[("PYTHONUNBUFFERED", "1")], false),
        lines(&[(0, "a"), (5, "b")])
    );
    // "Set to a non-empty string": an empty one leaves the buffer on.
    assert_eq!(
        timed(SLEEPY, &[("PYTHONUNBUFFERED", "")], false),
        lines(&[(10, "a"), (10, "b")])
    );
}

#[test]
fn a_flush_writes_what_is_held_and_stderr_is_written_at_once() {
    let script = "import sys, time; print('a'); print('b', flush=True); time.sleep(2)\n\
        print('c'); sys.stdout.flush(); time.sleep(2); print('d'); print('oops', file=sys.stderr)\n\
        time.sleep(1)";
    assert_eq!(
        timed(script, &[], false),
        lines(&[(0, "a"), (0, "b"), (2, "c"), (4, "oops"), (5, "d")])
    );
    assert!(outcome("print('a', end='')", &[]).is_err());
}

#[test]
fn an_uncaught_exceptions_traceback_comes_before_the_output_flushed_at_exit() {
    let (code, printed) = outcome("print('hi'); n = int('x')", &[]).unwrap();
    assert_eq!(code, 1);
    assert_eq!(
        printed,
        vec![
            "Traceback (most recent call last):".to_string(),
            "ValueError: invalid literal for int() with base 10: 'x'".to_string(),
            "hi".to_string(),
        ]
    );
}

#[test]
fn a_full_buffer_is_written_before_exit() {
    // 800 lines of 11 bytes: the buffer of 8192 bytes fills at the 745th.
    let script = format!(
        "import time\n{}time.sleep(3)",
        "print('0123456789')\n".repeat(800)
    );
    let written = timed(&script, &[], false);
    let at_once = written.iter().filter(|(t, _)| *t == 0).count();
    assert_eq!((at_once, written.len()), (745, 800));
    assert!(written[745..].iter().all(|(t, _)| *t == 3));
}
