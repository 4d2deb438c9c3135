//! The pod as a box: its containers (coloured by their state at the playhead), the localhost network
//! they share, and the volumes they mount, drawn like the seeds' diagrams.

use std::rc::Rc;

use podlife::pod_status::ContainerKind;
use yew::prelude::*;

use crate::svg_number::n;

use super::timeline::assumed_badge;

use crate::simulation::PodShape;
use crate::trace_view::{self, lane_state_name, state_class, Lane};

#[derive(Properties, PartialEq)]
pub struct PodDiagramProps {
    pub shape: Rc<PodShape>,
    /// Each container's state at the playhead, by name (`None`: not created yet).
    pub states: Rc<Vec<(String, Option<podlife::trace::IntervalState>)>>,
    pub pod_name: AttrValue,
    /// kubectl's STATUS at the playhead.
    pub status: AttrValue,
    /// What podlife assumed about each container, by name (`trace_view::assumed_by_container`).
    #[prop_or_default]
    pub assumed: Rc<Vec<(String, Vec<String>)>>,
}

const BOX_W: f64 = 150.0;
const BOX_H: f64 = 54.0;
const GAP: f64 = 16.0;

#[component]
pub fn PodDiagram(props: &PodDiagramProps) -> Html {
    let shape = &props.shape;
    if shape.containers.is_empty() {
        return html! {};
    }
    let count = shape.containers.len() as f64;
    let width = (count * (BOX_W + GAP) + GAP).max(420.0);
    let volumes_y = 40.0 + BOX_H + 56.0;
    let height = if shape.volumes.is_empty() {
        volumes_y
    } else {
        volumes_y + 46.0
    };
    let x_of = |i: usize| GAP + i as f64 * (BOX_W + GAP);
    let assumed_of = |name: &str| -> &[String] {
        props
            .assumed
            .iter()
            .find(|(c, _)| c == name)
            .map_or(&[], |(_, a)| a.as_slice())
    };

    let containers: Html = shape
        .containers
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let state = props
                .states
                .iter()
                .find(|(name, _)| *name == c.name)
                .and_then(|(_, s)| *s);
            let (cls, label) = match state {
                Some(s) => (state_class(s), lane_state_name(c.kind, s)),
                None => ("s-none", "not created"),
            };
            let x = x_of(i);
            let kind = match c.kind {
                ContainerKind::Init => "init",
                ContainerKind::Sidecar => "sidecar (native)",
                ContainerKind::Regular => "container",
            };
            let ports = if c.ports.is_empty() {
                String::new()
            } else {
                format!(
                    " · :{}",
                    c.ports.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(",:")
                )
            };
            html! {
                <g class="pod-container" data-container={c.name.clone()} data-state={label}>
                    <rect class={classes!("state", cls)} x={n(x).to_string()} y="40" width={n(BOX_W).to_string()} height={n(BOX_H).to_string()} rx="6" />
                    <text class="box-name" x={n(x + 8.0).to_string()} y="58">{ trim(&c.name, 20) }</text>
                    <text class="box-kind" x={n(x + 8.0).to_string()} y="73">{ format!("{kind}{ports}") }</text>
                    <text class="box-state" x={n(x + 8.0).to_string()} y="87">{ label }</text>
                    { assumed_badge(assumed_of(&c.name), x + BOX_W - 6.0, 87.0, "end") }
                    <line class="net-link" x1={n(x + BOX_W / 2.0).to_string()} x2={n(x + BOX_W / 2.0).to_string()} y1={n(40.0 + BOX_H).to_string()} y2={n(40.0 + BOX_H + 18.0).to_string()} />
                </g>
            }
        })
        .collect();

    let net_y = 40.0 + BOX_H + 18.0;
    let volumes: Html = shape
        .volumes
        .iter()
        .enumerate()
        .map(|(v, (name, source))| {
            let vw = 130.0;
            let vx = GAP + v as f64 * (vw + GAP);
            let vy = volumes_y;
            let links: Html = shape
                .containers
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    let (_, path) = c.mounts.iter().find(|(vol, _)| vol == name)?;
                    let cx = x_of(i) + 20.0 + (v as f64 * 14.0) % (BOX_W - 40.0);
                    Some(html! {
                        <path class="mount-link" d={format!("M{} {} C{} {} {} {} {} {}", n(cx), n(40.0 + BOX_H), n(cx), n(vy - 20.0), n(vx + vw / 2.0), n(vy - 30.0), n(vx + vw / 2.0), n(vy))}>
                            <title>{ format!("{} mounts {} at {}", c.name, name, path) }</title>
                        </path>
                    })
                })
                .collect();
            html! {
                <g class="volume">
                    { links }
                    <rect x={n(vx).to_string()} y={n(vy).to_string()} width={n(vw).to_string()} height="30" rx="12" />
                    <text x={n(vx + 8.0).to_string()} y={n(vy + 19.0).to_string()}>{ format!("{} ({})", trim(name, 12), source) }</text>
                </g>
            }
        })
        .collect();

    html! {
        <figure class="pod-diagram">
            <svg viewBox={format!("0 0 {} {}", n(width), n(height))} style={format!("max-width: {}px", n(width * 1.15))} role="img"
                 aria-label={format!("Pod {} ({}): {} containers sharing localhost{}", props.pod_name, props.status, shape.containers.len(),
                     match shape.volumes.len() { 0 => String::new(), 1 => " and 1 volume".into(), n => format!(" and {n} volumes") })}>
                <rect class="pod-box" x="4" y="4" width={n(width - 8.0).to_string()} height={n(height - 8.0).to_string()} rx="10" />
                <text class="pod-title" x="14" y="26">{ format!("Pod {} · {}", props.pod_name, props.status) }</text>
                { containers }
                <line class="net" x1={n(GAP).to_string()} x2={n(x_of(shape.containers.len() - 1) + BOX_W).to_string()} y1={n(net_y).to_string()} y2={n(net_y).to_string()} />
                <text class="net-label" x={n(width - 12.0).to_string()} y={n(net_y + 16.0).to_string()} text-anchor="end">{ "one network: localhost" }</text>
                { volumes }
            </svg>
        </figure>
    }
}

fn trim(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.into()
    } else {
        text.chars().take(max - 1).chain(['…']).collect()
    }
}

/// Each lane's state at `t`, for the diagram.
pub fn states_at(lanes: &[Lane], t: f64) -> Vec<(String, Option<podlife::trace::IntervalState>)> {
    lanes
        .iter()
        .map(|l| (l.name.clone(), trace_view::state_at(l, t)))
        .collect()
}
