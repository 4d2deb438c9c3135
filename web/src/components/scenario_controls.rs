//! Scenario actions (delete the pod at a time with a grace period, update an image, reboot the node,
//! when each host the pod waits for appears), the node's allocatable CPU and memory, and the Kubernetes
//! version. Changes apply when a field is committed (change event), not on each key.

use podlife::behaviour::assumptions::TimedHost;
use yew::prelude::*;

use crate::scenario_form::{ScenarioForm, SetImage};
use crate::simulation::Settings;
use podlife::resources::{cpu_text, memory_text};

#[derive(Properties, PartialEq)]
pub struct ScenarioControlsProps {
    pub settings: Settings,
    /// Container names, for the image update.
    pub containers: Vec<String>,
    pub on_change: Callback<Settings>,
    /// The manifest's own `podlife.dev/scenario`, shown so the controls do not hide it.
    #[prop_or_default]
    pub manifest_scenario: Option<AttrValue>,
    /// The hosts outside the pod its commands wait for and no Service of the file defines (the core's
    /// `hosts_to_time`).
    #[prop_or_default]
    pub hosts: Vec<TimedHost>,
}

/// "Hosts the pod waits for": each with the time it appears, stored as the scenario's `service=`.
fn hosts_fieldset(props: &ScenarioControlsProps) -> Html {
    if props.hosts.is_empty() {
        return Html::default();
    }
    let rows = props.hosts.iter().enumerate().map(|(i, h)| {
        let (settings, on_change, host) = (
            props.settings.clone(),
            props.on_change.clone(),
            h.host.clone(),
        );
        let on_at = Callback::from(move |e: Event| {
            let mut next = settings.clone();
            next.scenario.set_service_at(&host, value_of(&e));
            on_change.emit(next);
        });
        let state = match h.appears_at {
            Some(t) => format!("appears at {t}"),
            None => "not there".to_string(),
        };
        html! {
            <li>
                <label>
                    <code>{ h.host.clone() }</code>{ " appears at " }
                    <input id={format!("service-at-{i}")} aria-label={format!("Host {} appears at (seconds; empty: never)", h.host)}
                           type="text" inputmode="decimal" size="5" placeholder="never"
                           value={props.settings.scenario.service_at(&h.host)} onchange={on_at} />
                    { " s" }
                </label>
                <span class="host-state">{ format!(" ({state}; or the annotation ") }<code>{ format!("{}: \"up-at=30s\"", h.annotation) }</code>{ ")" }</span>
            </li>
        }
    });
    html! {
        <fieldset class="hosts">
            <legend>{ "Hosts the pod waits for" }</legend>
            <ul>{ for rows }</ul>
        </fieldset>
    }
}

fn value_of(e: &Event) -> String {
    let input: web_sys::HtmlInputElement = e.target_unchecked_into();
    input.value()
}

#[component]
pub fn ScenarioControls(props: &ScenarioControlsProps) -> Html {
    let s = &props.settings;
    let f = &s.scenario;
    let update = |edit: fn(&mut ScenarioForm, String)| {
        let (settings, on_change) = (s.clone(), props.on_change.clone());
        Callback::from(move |e: Event| {
            let mut next = settings.clone();
            edit(&mut next.scenario, value_of(&e));
            on_change.emit(next);
        })
    };
    let on_version = {
        let (settings, on_change) = (s.clone(), props.on_change.clone());
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(k8s) = select.value().parse() {
                on_change.emit(Settings {
                    k8s,
                    ..settings.clone()
                });
            }
        })
    };
    let image = f.set_image.clone().unwrap_or_default();
    // What the core cannot use is said here, next to the field, not only in the diagnostics.
    let error = match f.scenario() {
        Err(message) => Some(message),
        Ok(_) => f
            .set_image
            .as_ref()
            .filter(|s| !s.container.trim().is_empty())
            .filter(|s| !props.containers.iter().any(|c| c == s.container.trim()))
            .map(|s| format!("the pod has no container \"{}\"", s.container.trim())),
    };
    let invalid = error.is_some().then_some("true");
    // The core's default node, shown where the fields are empty.
    let node = podlife::scheduling::NodeCapacity::default().allocatable();
    let (default_cpu, default_memory) = (
        cpu_text(node.cpu_millicores),
        memory_text(node.memory_bytes),
    );
    let first = props.containers.first().cloned().unwrap_or_default();
    html! {
        <form class="scenario" aria-label="Scenario" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            <label>
                { "Kubernetes " }
                <select id="k8s-version" onchange={on_version}>
                    { for podlife::KubeVersion::all().map(|v| html! {
                        <option value={v.to_string()} selected={v.minor == s.k8s.minor}>{ v.to_string() }</option>
                    }) }
                </select>
            </label>
            <fieldset>
                <legend>{ "Delete the pod" }</legend>
                <label>{ "at " }
                    <input id="delete-at" aria-label="Delete the pod at (seconds)" aria-invalid={invalid} type="text" inputmode="decimal" size="5" placeholder="—" value={f.delete_at.clone().unwrap_or_default()}
                           onchange={update(|f, v| f.delete_at = Some(v).filter(|v| !v.trim().is_empty()))} />
                    { " s" }
                </label>
                <label>{ "grace " }
                    <input id="delete-grace" aria-label="Grace period for the deletion (seconds; empty: the pod's own)" type="text" inputmode="decimal" size="4" placeholder="spec" value={f.grace.clone().unwrap_or_default()}
                           onchange={update(|f, v| f.grace = Some(v).filter(|v| !v.trim().is_empty()))} />
                    { " s" }
                </label>
            </fieldset>
            <fieldset>
                <legend>{ "Update an image" }</legend>
                <label>{ "container " }
                    <input id="set-image-container" aria-label="Container whose image to update" aria-invalid={invalid} type="text" size="10" list="container-names" placeholder={first}
                           value={image.container.clone()}
                           onchange={update(|f, v| f.set_image.get_or_insert_with(SetImage::default).container = v)} />
                </label>
                <datalist id="container-names">
                    { for props.containers.iter().map(|c| html! { <option value={c.clone()} /> }) }
                </datalist>
                <label>{ "image " }
                    <input id="set-image-image" aria-label="New image" type="text" size="14" placeholder="nginx:1.29" value={image.image.clone()}
                           onchange={update(|f, v| f.set_image.get_or_insert_with(SetImage::default).image = v)} />
                </label>
                <label>{ "at " }
                    <input id="set-image-at" aria-label="Update the image at (seconds)" type="text" inputmode="decimal" size="4" placeholder="—" value={image.at.clone()}
                           onchange={update(|f, v| f.set_image.get_or_insert_with(SetImage::default).at = v)} />
                    { " s" }
                </label>
            </fieldset>
            <fieldset>
                <legend>{ "Reboot the node" }</legend>
                <label>{ "at " }
                    <input id="reboot-at" aria-label="Reboot the node at (seconds)" type="text" inputmode="decimal" size="5" placeholder="—" value={f.reboot_at.clone().unwrap_or_default()}
                           onchange={update(|f, v| f.reboot_at = Some(v).filter(|v| !v.trim().is_empty()))} />
                    { " s" }
                </label>
            </fieldset>
            <fieldset>
                <legend>{ "The node" }</legend>
                <label>{ "CPU " }
                    <input id="node-cpu" aria-label="The node's allocatable CPU (cores or millicores: 2, 500m; empty: the default)" aria-invalid={invalid} type="text" size="5" placeholder={default_cpu} value={f.node_cpu.clone().unwrap_or_default()}
                           onchange={update(|f, v| f.node_cpu = Some(v).filter(|v| !v.trim().is_empty()))} />
                </label>
                <label>{ "memory " }
                    <input id="node-memory" aria-label="The node's allocatable memory (4Gi, 512Mi; empty: the default)" aria-invalid={invalid} type="text" size="6" placeholder={default_memory} value={f.node_memory.clone().unwrap_or_default()}
                           onchange={update(|f, v| f.node_memory = Some(v).filter(|v| !v.trim().is_empty()))} />
                </label>
            </fieldset>
            { hosts_fieldset(props) }
            <p class="scenario-help">
                if let Some(error) = error {
                    <span class="scenario-error" role="alert">{ format!("Not applied: {error}.") }</span>{ " " }
                }
                { "Times are seconds (20) or durations (1m30s); a field applies when you press Enter or leave it. The node is an empty one: a pod whose requests do not fit stays Pending." }
                if let Some(own) = &props.manifest_scenario {
                    <br />{ "This manifest's own scenario (" }<code>{ "podlife.dev/scenario" }</code>{ "): " }
                    <code class="own-scenario">{ own.clone() }</code>{ ". The controls add to it." }
                }
            </p>
        </form>
    }
}
