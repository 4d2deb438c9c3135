//! The test corpus in `tests/corpus`: manifests a learner might paste, and what podlife must say about them.
//!
//! Every file starts with `#` header lines:
//!
//! ```text
//! # why: a learner misspells restartPolicy; the sidecar would silently become a blocking init container
//! # source: k8s.io/apimachinery strict decoding (unknown field)
//! # k8s: 1.36          (optional; default 1.36)
//! # pick: myjob        (optional)
//! # expect: error 14:11 spec.initContainers[0].restartPolice :: unknown field :: hint: restartPolicy
//! ```
//!
//! An `expect:` line names a severity, a `line:col` (1-based, counted in the whole file; `*` leaves it
//! unpinned), the exact field path (`-` for none), a substring of the message and optionally one of the
//! hint. In `bad/` and `seeds/` every error podlife reports must be expected; in `good/` there is no error
//! at all. Warnings nobody expects are allowed everywhere. A failing run lists every mismatch of every file.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use podlife::{check, CheckOptions, Diagnostic, KubeVersion, Position, Severity};

/// What one `expect:` line asks for.
struct Expectation {
    severity: Severity,
    /// `None` for `*`: any position.
    start: Option<Position>,
    path: String,
    message: String,
    hint: Option<String>,
}

impl Expectation {
    fn is_met_by(&self, d: &Diagnostic) -> bool {
        d.severity == self.severity
            && self.start.is_none_or(|start| d.span.start == start)
            && d.path == self.path
            && d.message.contains(&self.message)
            && self.hint.as_deref().is_none_or(|hint| {
                d.hint
                    .as_deref()
                    .is_some_and(|actual| actual.contains(hint))
            })
    }

    fn describe(&self) -> String {
        let start = self
            .start
            .map_or("*".to_string(), |p| format!("{}:{}", p.line, p.column));
        let path = if self.path.is_empty() {
            "-"
        } else {
            &self.path
        };
        let mut s = format!(
            "{} {start} {path} :: {}",
            severity_name(self.severity),
            self.message
        );
        if let Some(hint) = &self.hint {
            let _ = write!(s, " :: hint: {hint}");
        }
        s
    }
}

/// One corpus file with its header read.
struct Case {
    text: String,
    options: CheckOptions,
    expectations: Vec<Expectation>,
}

/// The three directories of the corpus and the rules each follows.
#[derive(Clone, Copy, PartialEq)]
enum Dir {
    /// `bad/`: at least one expectation, all met; every error expected.
    Bad,
    /// `seeds/`: the seeds' YAML blocks verbatim; all expectations met, every error expected.
    Seeds,
    /// `good/`: no error at all; pinned warnings must still appear.
    Good,
}

impl Dir {
    fn name(self) -> &'static str {
        match self {
            Dir::Bad => "bad",
            Dir::Seeds => "seeds",
            Dir::Good => "good",
        }
    }
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus")
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

fn describe_diagnostic(d: &Diagnostic) -> String {
    let mut s = format!(
        "{} {}:{}-{}:{} {}",
        severity_name(d.severity),
        d.span.start.line,
        d.span.start.column,
        d.span.end.line,
        d.span.end.column,
        d.headline()
    );
    if let Some(hint) = &d.hint {
        let _ = write!(s, " (hint: {hint})");
    }
    s
}

fn parse_position(text: &str) -> Result<Option<Position>, String> {
    if text == "*" {
        return Ok(None);
    }
    let (line, column) = text
        .split_once(':')
        .ok_or_else(|| format!("position `{text}` is not `line:col` or `*`"))?;
    let number = |s: &str| {
        s.parse::<u32>()
            .map_err(|_| format!("position `{text}` is not `line:col` or `*`"))
    };
    Ok(Some(Position {
        line: number(line)?,
        column: number(column)?,
    }))
}

fn parse_expectation(text: &str) -> Result<Expectation, String> {
    let mut parts = text.split(" :: ");
    let head = parts.next().unwrap_or_default();
    let message = parts
        .next()
        .ok_or_else(|| format!("`expect: {text}` has no ` :: message`"))?;
    let hint = match parts.next() {
        None => None,
        Some(h) => Some(
            h.strip_prefix("hint: ")
                .ok_or_else(|| {
                    format!("`expect: {text}`: the third part must start with `hint: `")
                })?
                .to_string(),
        ),
    };
    let words: Vec<&str> = head.split_whitespace().collect();
    let [severity, start, path] = words[..] else {
        return Err(format!(
            "`expect: {text}` must start with `severity line:col path`"
        ));
    };
    let severity = match severity {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        "info" => Severity::Info,
        other => return Err(format!("unknown severity `{other}`")),
    };
    Ok(Expectation {
        severity,
        start: parse_position(start)?,
        path: if path == "-" {
            String::new()
        } else {
            path.to_string()
        },
        message: message.to_string(),
        hint,
    })
}

fn parse_case(text: String) -> Result<Case, String> {
    let mut options = CheckOptions::default();
    let mut expectations = Vec::new();
    let (mut why, mut source) = (false, false);
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        let header = line.trim_start_matches('#').trim();
        let (key, value) = header
            .split_once(':')
            .ok_or_else(|| format!("header line `{line}` is not `# key: value`"))?;
        let value = value.trim();
        match key {
            "why" => why = true,
            "source" => source = true,
            "k8s" => {
                let minor = value
                    .strip_prefix("1.")
                    .and_then(|m| m.parse().ok())
                    .ok_or_else(|| format!("`k8s: {value}` is not a version like 1.36"))?;
                options.k8s = KubeVersion::new(minor);
            }
            "pick" => options.pick = Some(value.to_string()),
            "expect" => expectations.push(parse_expectation(value)?),
            other => return Err(format!("unknown header `{other}`")),
        }
    }
    if !why || !source {
        return Err("every corpus file needs `# why:` and `# source:` lines".to_string());
    }
    Ok(Case {
        text,
        options,
        expectations,
    })
}

/// Every `.yaml` file of `tests/corpus/<dir>`, in name order, with its header read.
fn load(dir: Dir) -> Vec<(String, Result<Case, String>)> {
    let dir_path = corpus_dir().join(dir.name());
    let entries = fs::read_dir(&dir_path)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir_path.display()));
    let mut paths: Vec<PathBuf> = entries
        .map(|e| {
            e.unwrap_or_else(|e| panic!("cannot list {}: {e}", dir_path.display()))
                .path()
        })
        .filter(|p| p.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let file_name = path.file_name().unwrap_or_default().to_string_lossy();
            let name = format!("{}/{file_name}", dir.name());
            let text = fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            (name, parse_case(text))
        })
        .collect()
}

/// The mismatches of one file, empty when podlife says exactly what the file expects.
fn mismatches(case: &Case, dir: Dir) -> Vec<String> {
    if dir == Dir::Bad && case.expectations.is_empty() {
        return vec!["corpus bug: a bad manifest needs at least one `# expect:` line".to_string()];
    }
    let report = check(&case.text, &case.options);
    let mut problems = Vec::new();
    for e in &case.expectations {
        if dir == Dir::Good && e.severity == Severity::Error {
            problems.push(format!(
                "corpus bug: a good manifest expects {}",
                e.describe()
            ));
        } else if !report.diagnostics.iter().any(|d| e.is_met_by(d)) {
            problems.push(format!("missing    {}", e.describe()));
        }
    }
    let errors = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error);
    for d in errors {
        let expected = dir != Dir::Good && case.expectations.iter().any(|e| e.is_met_by(d));
        if !expected {
            problems.push(format!("unexpected {}", describe_diagnostic(d)));
        }
    }
    if !problems.is_empty() {
        let pick = case.options.pick.as_deref().unwrap_or("the first workload");
        problems.push(format!(
            "podlife said (k8s 1.{}, {pick}):",
            case.options.k8s.minor
        ));
        if report.diagnostics.is_empty() {
            problems.push("  nothing".to_string());
        }
        let said = report
            .diagnostics
            .iter()
            .map(|d| format!("  {}", describe_diagnostic(d)));
        problems.extend(said);
    }
    problems
}

/// Check every file of a corpus directory and fail once, listing every mismatch of every file.
fn run(dir: Dir, at_least: usize) {
    let cases = load(dir);
    assert!(
        cases.len() >= at_least,
        "tests/corpus/{} has {} files, at least {at_least} are wanted",
        dir.name(),
        cases.len()
    );
    let mut failures = String::new();
    let mut failed = 0;
    for (name, case) in &cases {
        let problems = match case {
            Ok(case) => mismatches(case, dir),
            Err(problem) => vec![format!("corpus bug: {problem}")],
        };
        if problems.is_empty() {
            continue;
        }
        failed += 1;
        let _ = writeln!(failures, "\n{name}");
        for problem in problems {
            let _ = writeln!(failures, "  {problem}");
        }
    }
    assert!(
        failed == 0,
        "{failed} of {} files in tests/corpus/{} do not get the expected diagnostics:\n{failures}",
        cases.len(),
        dir.name()
    );
}

#[test]
fn bad_manifests_get_the_expected_diagnostics() {
    run(Dir::Bad, 45);
}

#[test]
fn good_manifests_have_no_errors() {
    run(Dir::Good, 12);
}

#[test]
fn seed_yaml_blocks_are_diagnosed() {
    run(Dir::Seeds, 8);
}
