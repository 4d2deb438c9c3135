//! `podlife simulate FILE [--k8s 1.36] [--until 120] [--delete-at 20] [--grace 5]
//! [--set-image NAME=IMAGE@T]... [--service HOST=T]... [--reboot-at T] [--kubelet-restart-at T]
//! [--node cpu=2,memory=4Gi]
//! [--format text|json|kubectl|events|markdown]`: the manifest's pod on the virtual clock.

use std::io::Write;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use podlife::scenario::{Action, Scenario};
use podlife::scheduling::NodeCapacity;
use podlife::time::{parse_duration, SimTime};
use podlife::{CheckOptions, KubeVersion, SimulateOptions};

use crate::check::{input, Input};
use crate::report::{render_text, Style};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TraceFormat {
    Text,
    Json,
    Kubectl,
    Events,
    Markdown,
}

#[derive(Args)]
pub struct SimulateArgs {
    /// The manifest; `-` reads standard input.
    file: String,
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// Output: a timeline with rule ids (text), the podlife.trace/v1 JSON, `kubectl get pod -w`, the Events of `kubectl describe`, or Markdown.
    #[arg(long, value_enum, default_value = "text")]
    format: TraceFormat,
}

/// The version and the scenario actions, shared by `simulate` and `compare`.
#[derive(Args)]
pub struct ScenarioArgs {
    /// Kubernetes version (1.28 to 1.37).
    #[arg(long, default_value = "1.36", value_parser = |s: &str| s.parse::<KubeVersion>())]
    pub k8s: KubeVersion,
    /// In a file with several workloads, the one to pick by metadata.name.
    #[arg(long)]
    pub pick: Option<String>,
    /// Stop at this time (`120`, `90s`, `2m`); default: until the pod is done or stable, at most 1h.
    #[arg(long, value_parser = at)]
    until: Option<SimTime>,
    /// Delete the pod at this time.
    #[arg(long, value_parser = at)]
    delete_at: Option<SimTime>,
    /// The deletion's grace period in seconds (`kubectl delete --grace-period`).
    #[arg(long, requires = "delete_at", value_parser = grace_seconds)]
    grace: Option<i64>,
    /// Update a container's image: NAME=IMAGE@TIME (repeatable).
    #[arg(long = "set-image", value_parser = set_image)]
    set_image: Vec<(SimTime, Action)>,
    /// A host outside the pod appears at this time: HOST=TIME (repeatable), e.g. `db=30s`. Without it,
    /// a host that no Service of the file defines is not there.
    #[arg(long = "service", value_parser = service)]
    services: Vec<(String, SimTime)>,
    /// Reboot the node at this time.
    #[arg(long, value_parser = at)]
    reboot_at: Option<SimTime>,
    /// Restart the kubelet at this time.
    #[arg(long, value_parser = at)]
    kubelet_restart_at: Option<SimTime>,
    /// Switch on a feature gate that is off by default in this version (repeatable), e.g. SidecarContainers on 1.28, SidecarsRestartableDuringPodTermination (KEP-4438) on 1.37.
    #[arg(long = "feature-gate", value_parser = |s: &str| podlife::version::Gate::from_name(s))]
    feature_gates: Vec<podlife::version::Gate>,
    /// The node's allocatable resources, e.g. `cpu=2,memory=4Gi` (default: an empty node with 4 CPUs and 16Gi); a pod whose requests do not fit stays Pending (R107).
    #[arg(long, value_parser = node_capacity)]
    node: Option<NodeCapacity>,
}

impl ScenarioArgs {
    pub fn options(&self) -> SimulateOptions {
        let mut scenario = Scenario {
            until: self.until,
            feature_gates: self.feature_gates.clone(),
            node: self.node.unwrap_or_default(),
            services: self.services.clone(),
            ..Scenario::default()
        };
        if let Some(t) = self.delete_at {
            scenario.add(t, Action::Delete { grace: self.grace });
        }
        for (t, action) in &self.set_image {
            scenario.add(*t, action.clone());
        }
        if let Some(t) = self.reboot_at {
            scenario.add(t, Action::NodeReboot);
        }
        if let Some(t) = self.kubelet_restart_at {
            scenario.add(t, Action::KubeletRestart);
        }
        SimulateOptions {
            check: CheckOptions {
                k8s: self.k8s,
                pick: self.pick.clone(),
            },
            scenario,
        }
    }
}

fn at(s: &str) -> Result<SimTime, String> {
    parse_duration(s).map(|d| SimTime(d.0))
}

/// `5`, `5s` or `1m`: whole seconds, as `kubectl delete --grace-period` takes them.
fn grace_seconds(s: &str) -> Result<i64, String> {
    parse_duration(s).map(|d| (d.0 / 1000) as i64)
}

/// `cpu=2,memory=4Gi`: the scenario's `node-cpu=2 node-memory=4Gi`, read by the core.
fn node_capacity(s: &str) -> Result<NodeCapacity, String> {
    let mut text = String::new();
    for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        match item.split_once('=') {
            Some((key @ ("cpu" | "memory"), value)) => {
                text.push_str(&format!("node-{key}={value} "))
            }
            _ => {
                return Err(format!(
                    "\"{item}\": expected cpu=QUANTITY or memory=QUANTITY, e.g. cpu=2,memory=4Gi"
                ))
            }
        }
    }
    Scenario::parse(&text).map(|scenario| scenario.node)
}

fn set_image(s: &str) -> Result<(SimTime, Action), String> {
    let (name, rest) = s
        .split_once('=')
        .ok_or("expected NAME=IMAGE@TIME, e.g. app=nginx:1.28@30s")?;
    let (image, when) = rest
        .rsplit_once('@')
        .ok_or("expected NAME=IMAGE@TIME, e.g. app=nginx:1.28@30s")?;
    Ok((
        at(when)?,
        Action::SetImage {
            container: name.to_string(),
            image: image.to_string(),
        },
    ))
}

fn service(s: &str) -> Result<(String, SimTime), String> {
    let (host, when) = s
        .rsplit_once('=')
        .filter(|(h, _)| !h.is_empty())
        .ok_or("expected HOST=TIME, e.g. db=30s")?;
    Ok((host.to_string(), at(when)?))
}

pub fn run(args: &SimulateArgs) -> ExitCode {
    let Input { text, display } = match input(&args.file) {
        Ok(i) => i,
        Err(code) => return code,
    };
    let display = display.as_str();
    let options = args.scenario.options();
    let mut out = std::io::stdout().lock();
    match podlife::simulate_manifest(&text, &options) {
        Err(diagnostics) => {
            eprint!(
                "{}",
                render_text(display, &text, &diagnostics, Style::Plain)
            );
            eprintln!("podlife: the API server would refuse this manifest; nothing to simulate");
            ExitCode::from(1)
        }
        Ok((trace, warnings)) => {
            if !warnings.is_empty() && args.format != TraceFormat::Json {
                eprint!("{}", render_text(display, &text, &warnings, Style::Plain));
            }
            let rendered = match args.format {
                TraceFormat::Json => {
                    serde_json::to_string_pretty(&trace).unwrap_or_default() + "\n"
                }
                TraceFormat::Text => podlife::views::timeline(&trace),
                TraceFormat::Kubectl => podlife::views::kubectl_watch(&trace),
                TraceFormat::Events => podlife::views::describe_events(&trace),
                TraceFormat::Markdown => podlife::views::markdown(&trace),
            };
            let _ = out.write_all(rendered.as_bytes());
            ExitCode::SUCCESS
        }
    }
}
