//! `podlife convert FILE --to native|legacy [--sidecar NAME]...`: the manifest with its sidecars moved,
//! printed as YAML (comments and formatting kept); what was moved and why, and what the result still
//! lacks, on standard error.

use std::io::Write;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use podlife::convert::{convert, Direction};
use podlife::{CheckOptions, KubeVersion};

use crate::check::{input, Input};
use crate::report::{render_text, Style};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Target {
    /// Sidecars as `initContainers` entries with `restartPolicy: Always` (Kubernetes 1.29+).
    Native,
    /// Sidecars as extra entries of `containers` (the pattern before native sidecars).
    Legacy,
}

#[derive(Args)]
pub struct ConvertArgs {
    /// The manifest; `-` reads standard input.
    file: String,
    /// Which kind of sidecar to produce.
    #[arg(long)]
    to: Target,
    /// The sidecars to move, by name (repeatable); default: detected.
    #[arg(long = "sidecar")]
    sidecars: Vec<String>,
    /// Kubernetes version (1.28 to 1.37).
    #[arg(long, default_value = "1.36", value_parser = |s: &str| s.parse::<KubeVersion>())]
    k8s: KubeVersion,
}

pub fn run(args: &ConvertArgs) -> ExitCode {
    let Input { text, display } = match input(&args.file) {
        Ok(i) => i,
        Err(code) => return code,
    };
    let display = display.as_str();
    let direction = match args.to {
        Target::Native => Direction::ToNative,
        Target::Legacy => Direction::ToLegacy,
    };
    let options = CheckOptions {
        k8s: args.k8s,
        pick: None,
    };
    match convert(&text, direction, &args.sidecars, &options) {
        Err(diagnostics) => {
            eprint!(
                "{}",
                render_text(display, &text, &diagnostics, Style::Plain)
            );
            ExitCode::from(1)
        }
        Ok(conversion) => {
            for m in &conversion.moved {
                eprintln!("moved {}: {} → {} ({})", m.name, m.from, m.to, m.reason);
            }
            if !conversion.suggestions.is_empty() {
                eprint!(
                    "{}",
                    render_text(
                        "converted",
                        &conversion.yaml,
                        &conversion.suggestions,
                        Style::Plain
                    )
                );
            }
            let _ = std::io::stdout()
                .lock()
                .write_all(conversion.yaml.as_bytes());
            ExitCode::SUCCESS
        }
    }
}
