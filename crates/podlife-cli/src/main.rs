//! `podlife`: the command line over the podlife core, for course authors and for tests.

mod check;
mod compare;
mod convert;
mod report;
mod simulate;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "podlife",
    version,
    about = "Kubernetes pod lifecycle playground: check, simulate, convert and compare pod manifests"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check manifests as the API server would (strict fields, validation) and warn about lifecycle traps.
    Check(check::CheckArgs),
    /// Simulate the pod on a virtual clock: what the kubelet does, event by event, with the rule behind each.
    Simulate(simulate::SimulateArgs),
    /// Move sidecars between `containers` (legacy) and `initContainers` with `restartPolicy: Always` (native).
    Convert(convert::ConvertArgs),
    /// Simulate the manifest and its twin (legacy ↔ native) on one clock and report what differs.
    Compare(compare::CompareArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Simulate(args) => simulate::run(&args),
        Command::Convert(args) => convert::run(&args),
        Command::Compare(args) => compare::run(&args),
    }
}
