//! `podlife check [--k8s 1.36] [--format text|json] [--pick NAME] FILE...`: diagnostics like a compiler's,
//! exit status 1 when any file has an error, 2 when a file cannot be read.

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use clap::Args;
use podlife::{CheckOptions, KubeVersion, Severity};

use crate::report::{render_text, Style};
use crate::Format;

#[derive(Args)]
pub struct CheckArgs {
    /// Kubernetes version whose API server and kubelet to imitate (1.28 to 1.37).
    #[arg(long, default_value = "1.36", value_parser = parse_version)]
    k8s: KubeVersion,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// In a file with several workloads, the one to pick by metadata.name.
    #[arg(long)]
    pick: Option<String>,
    /// Switch on a feature gate that is off by default in this version (e.g. SidecarContainers on 1.28).
    #[arg(long = "feature-gate", value_parser = |s: &str| podlife::version::Gate::from_name(s))]
    feature_gates: Vec<podlife::version::Gate>,
    /// Manifest files; `-` reads standard input.
    #[arg(required = true)]
    files: Vec<String>,
}

fn parse_version(s: &str) -> Result<KubeVersion, String> {
    s.parse()
}

/// A manifest read from a file or standard input, with the name to show in messages.
pub struct Input {
    pub text: String,
    pub display: String,
}

/// Reads the manifest of a single-file command; on failure says why and gives the exit code (2).
pub fn input(file: &str) -> Result<Input, ExitCode> {
    match read_input(file) {
        Ok(text) => Ok(Input {
            text,
            display: if file == "-" {
                "<stdin>".into()
            } else {
                file.to_string()
            },
        }),
        Err(message) => {
            eprintln!("podlife: {message}");
            Err(ExitCode::from(2))
        }
    }
}

/// Reads a file, or standard input for `-`.
pub fn read_input(name: &str) -> Result<String, String> {
    if name == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Ok(text)
    } else {
        std::fs::read_to_string(name).map_err(|e| format!("cannot read {name}: {e}"))
    }
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let mut k8s = args.k8s;
    for gate in &args.feature_gates {
        match k8s.with_gate(*gate) {
            Ok(v) => k8s = v,
            Err(message) => {
                eprintln!("podlife: {message}");
                return ExitCode::from(2);
            }
        }
    }
    let options = CheckOptions {
        k8s,
        pick: args.pick.clone(),
    };
    let style = if std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        Style::Color
    } else {
        Style::Plain
    };
    let mut any_error = false;
    let mut unreadable = false;
    let mut json_files = Vec::new();
    let mut out = std::io::stdout().lock();
    let (mut errors, mut warnings) = (0, 0);
    for name in &args.files {
        let text = match read_input(name) {
            Ok(text) => text,
            Err(message) => {
                eprintln!("podlife: {message}");
                unreadable = true;
                continue;
            }
        };
        let report = podlife::check(&text, &options);
        any_error |= report.has_errors();
        errors += report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        warnings += report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count();
        match args.format {
            Format::Text => {
                let display = if name == "-" {
                    "<stdin>"
                } else {
                    name.as_str()
                };
                let _ = out
                    .write_all(render_text(display, &text, &report.diagnostics, style).as_bytes());
            }
            Format::Json => json_files.push((name.clone(), report)),
        }
    }
    match args.format {
        Format::Json if json_files.len() == 1 => {
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string(&json_files[0].1).unwrap_or_default()
            );
        }
        Format::Json => {
            let files: Vec<serde_json::Value> = json_files
                .iter()
                .map(|(file, report)| serde_json::json!({ "file": file, "diagnostics": report.diagnostics }))
                .collect();
            let _ = writeln!(out, "{}", serde_json::json!({ "files": files }));
        }
        Format::Text if unreadable && errors == 0 && warnings == 0 => {}
        Format::Text => {
            let _ = writeln!(out, "{}", summary(errors, warnings, args.k8s));
        }
    }
    if unreadable {
        ExitCode::from(2)
    } else if any_error {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn summary(errors: usize, warnings: usize, version: KubeVersion) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if errors == 0 && warnings == 0 {
        format!("no problems found (Kubernetes {version})")
    } else {
        format!(
            "{}, {} (Kubernetes {version})",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    }
}
