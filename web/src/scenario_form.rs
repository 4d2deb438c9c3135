//! The scenario controls' values (delete the pod, update an image, reboot the node, the node's CPU and
//! memory), written and read as
//! the text of the `podlife.dev/scenario` annotation, so the core parses them exactly as it parses a
//! manifest's own scenario, and localStorage keeps one readable string.

use podlife::resources::{cpu_text, memory_text};
use podlife::scenario::{Action, Scenario};

/// `kubectl set image` at a moment.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SetImage {
    pub container: String,
    pub image: String,
    pub at: String,
}

/// What the scenario controls hold; times are durations as typed (`20`, `20s`, `1m`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScenarioForm {
    pub delete_at: Option<String>,
    pub grace: Option<String>,
    pub set_image: Option<SetImage>,
    pub reboot_at: Option<String>,
    /// The node's allocatable CPU and memory as typed (`2`, `500m`; `4Gi`); empty: the core's default.
    pub node_cpu: Option<String>,
    pub node_memory: Option<String>,
    /// Hosts outside the pod and when each appears (`service=db@30s`), as typed.
    pub services: Vec<(String, String)>,
}

impl ScenarioForm {
    /// `delete-at=20s grace=5s; set-image=app=nginx:1.28@30s; reboot-at=60s` (empty when nothing is set).
    pub fn to_text(&self) -> String {
        let mut items: Vec<String> = Vec::new();
        if let Some(at) = non_empty(&self.delete_at) {
            let mut item = format!("delete-at={}", seconds(at));
            if let Some(grace) = non_empty(&self.grace) {
                item.push_str(&format!(" grace={}", seconds(grace)));
            }
            items.push(item);
        }
        if let Some(s) = &self.set_image {
            if !s.container.trim().is_empty() && !s.image.trim().is_empty() {
                items.push(format!(
                    "set-image={}={}@{}",
                    s.container.trim(),
                    s.image.trim(),
                    seconds(if s.at.trim().is_empty() { "0" } else { &s.at })
                ));
            }
        }
        if let Some(at) = non_empty(&self.reboot_at) {
            items.push(format!("reboot-at={}", seconds(at)));
        }
        if let Some(cpu) = non_empty(&self.node_cpu) {
            items.push(format!("node-cpu={cpu}"));
        }
        if let Some(memory) = non_empty(&self.node_memory) {
            items.push(format!("node-memory={memory}"));
        }
        for (host, at) in &self.services {
            if !host.trim().is_empty() && !at.trim().is_empty() {
                items.push(format!("service={}@{}", host.trim(), seconds(at)));
            }
        }
        items.join("; ")
    }

    /// The core's scenario for these controls, or the core's message for a value it cannot read.
    pub fn scenario(&self) -> Result<Scenario, String> {
        Scenario::parse(&self.to_text())
    }

    /// Reads back what [`ScenarioForm::to_text`] wrote (a saved session); unreadable text gives no actions.
    pub fn from_text(text: &str) -> ScenarioForm {
        let mut form = ScenarioForm::default();
        let Ok(scenario) = Scenario::parse(text) else {
            return form;
        };
        form.node_cpu = scenario.node.cpu_millicores.map(cpu_text);
        form.node_memory = scenario.node.memory_bytes.map(memory_text);
        for (t, action) in scenario.actions {
            let at = t.to_string();
            match action {
                Action::Delete { grace } => {
                    form.delete_at = Some(at);
                    form.grace = grace.map(|g| format!("{g}s"));
                }
                Action::SetImage { container, image } => {
                    form.set_image = Some(SetImage {
                        container,
                        image,
                        at,
                    })
                }
                Action::NodeReboot => form.reboot_at = Some(at),
                Action::KubeletRestart => {}
            }
        }
        form.services = scenario
            .services
            .into_iter()
            .map(|(host, at)| (host, at.to_string()))
            .collect();
        form
    }
}

impl ScenarioForm {
    /// The time typed for `host`'s appearance ("" when none).
    pub fn service_at(&self, host: &str) -> String {
        self.services
            .iter()
            .find(|(h, _)| h == host)
            .map(|(_, at)| at.clone())
            .unwrap_or_default()
    }

    /// Sets (or, with an empty time, clears) when `host` appears.
    pub fn set_service_at(&mut self, host: &str, at: String) {
        self.services.retain(|(h, _)| h != host);
        if !at.trim().is_empty() {
            self.services.push((host.to_string(), at));
        }
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// A bare number typed in a seconds field means seconds.
fn seconds(value: &str) -> String {
    let v = value.trim();
    if v.parse::<f64>().is_ok() {
        format!("{v}s")
    } else {
        v.to_string()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn form_round_trips_through_the_annotation_syntax() {
        let form = ScenarioForm {
            delete_at: Some("20".into()),
            grace: Some("5".into()),
            set_image: Some(SetImage {
                container: "app".into(),
                image: "nginx:1.28".into(),
                at: "30s".into(),
            }),
            reboot_at: Some("1m".into()),
            node_cpu: Some("1500m".into()),
            node_memory: Some("4096Mi".into()),
            services: vec![("db".into(), "30".into())],
        };
        assert_eq!(
            form.to_text(),
            "delete-at=20s grace=5s; set-image=app=nginx:1.28@30s; reboot-at=1m; node-cpu=1500m; \
             node-memory=4096Mi; service=db@30s"
        );
        let back = ScenarioForm::from_text(&form.to_text());
        assert_eq!(back.delete_at.as_deref(), Some("20s"));
        assert_eq!(back.grace.as_deref(), Some("5s"));
        assert_eq!(back.reboot_at.as_deref(), Some("60s"));
        assert_eq!(back.service_at("db"), "30s");
        assert_eq!(back.set_image.unwrap().image, "nginx:1.28");
        assert_eq!(back.node_cpu.as_deref(), Some("1500m"));
        assert_eq!(
            back.node_memory.as_deref(),
            Some("4Gi"),
            "as the core prints it"
        );
    }

    #[test]
    fn a_cleared_time_removes_the_host() {
        let mut form = ScenarioForm::default();
        form.set_service_at("db", "15".into());
        assert_eq!(form.to_text(), "service=db@15s");
        form.set_service_at("db", " ".into());
        assert_eq!(form.to_text(), "");
    }

    #[test]
    fn empty_form_is_no_scenario_and_bad_values_are_reported() {
        assert_eq!(ScenarioForm::default().to_text(), "");
        assert!(ScenarioForm::default()
            .scenario()
            .unwrap()
            .actions
            .is_empty());
        let bad = ScenarioForm {
            delete_at: Some("soon".into()),
            ..Default::default()
        };
        assert!(bad.scenario().is_err());
        let no_memory = ScenarioForm {
            node_memory: Some("lots".into()),
            ..Default::default()
        };
        assert!(no_memory.scenario().is_err());
    }
}
