use super::*;

fn env(pairs: &[(&str, &str)]) -> SortedMap<String, String> {
    let mut map = SortedMap::new();
    for (k, v) in pairs {
        map.insert(k.to_string(), v.to_string());
    }
    map
}

fn outcome(script: &str, pairs: &[(&str, &str)]) -> Result<(i32, Vec<String>), Unread> {
    run_script(script, &env(pairs)).map(|run| {
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
    let run = run_script("import time; time.sleep(5); print('done')", &env(&[])).unwrap();
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
    assert!(outcome("print(undefined)", &[]).is_err());
    assert!(outcome("import json; json.dumps(1)", &[]).is_err());
}
