//! `podlife compare FILE [scenario flags as for simulate] [--sidecar NAME]... [--format text|json|markdown]`:
//! the manifest and its twin (legacy ↔ native) on one clock, side by side, and the differences found in
//! the two traces.

use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use podlife::compare::compare;

use crate::check::{input, Input};
use crate::report::{render_text, Style};
use crate::simulate::ScenarioArgs;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CompareFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Args)]
pub struct CompareArgs {
    /// The manifest; `-` reads standard input.
    file: String,
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// The sidecars to move, by name (repeatable); default: detected.
    #[arg(long = "sidecar")]
    sidecars: Vec<String>,
    /// Output: both timelines side by side and the findings (text), the podlife.compare/v1 JSON, or Markdown.
    #[arg(long, value_enum, default_value = "text")]
    format: CompareFormat,
}

pub fn run(args: &CompareArgs) -> ExitCode {
    let Input { text, display } = match input(&args.file) {
        Ok(i) => i,
        Err(code) => return code,
    };
    let display = display.as_str();
    let comparison = match compare(&text, &args.scenario.options(), &args.sidecars) {
        Ok(c) => c,
        Err(diagnostics) => {
            eprint!(
                "{}",
                render_text(display, &text, &diagnostics, Style::Plain)
            );
            return ExitCode::from(1);
        }
    };
    let rendered = match args.format {
        CompareFormat::Json => serde_json::to_string_pretty(&comparison).unwrap_or_default() + "\n",
        CompareFormat::Text => {
            let mut out = podlife::views::side_by_side(
                "legacy sidecar",
                &comparison.legacy,
                "native sidecar",
                &comparison.native,
            );
            out.push_str("\nfindings:\n");
            for f in &comparison.findings {
                let _ = writeln!(out, "  - {}", f.sentence);
            }
            out
        }
        CompareFormat::Markdown => {
            let mut out = String::from(
                "## Legacy vs native sidecar\n\n| finding | legacy | native |\n|---|---|---|\n",
            );
            for f in &comparison.findings {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} |",
                    f.sentence.replace('|', "\\|"),
                    f.legacy,
                    f.native
                );
            }
            out.push_str("\n### Legacy\n\n");
            out.push_str(&podlife::views::markdown(&comparison.legacy));
            out.push_str("\n### Native\n\n");
            out.push_str(&podlife::views::markdown(&comparison.native));
            out
        }
    };
    let _ = std::io::stdout().lock().write_all(rendered.as_bytes());
    ExitCode::SUCCESS
}
