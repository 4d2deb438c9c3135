//! The timeline: one SVG lane per container (grouped init / sidecars / app), coloured by state, with
//! markers for probes, hooks (and their failures), failed pulls, the start of a kill, signals and exits
//! (an OOM kill its own); the pod phase and the five conditions above; and the
//! playhead, drawn by its own small component so a moving playhead never redraws the lanes.

use std::rc::Rc;

use podlife::trace::Trace;
use web_sys::Element;
use yew::prelude::*;

use crate::comparison::Pin;
use crate::svg_number::n;

use crate::trace_view::{self, fmt_secs, Lane, MarkerKind};

/// A trace compared by identity: a new run is a new `Rc`, and comparing two traces field by field on
/// every animation frame would cost more than drawing them.
#[derive(Clone)]
pub struct TraceRef(pub Rc<Trace>);

impl PartialEq for TraceRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The drawing's coordinate system (SVG user units; the SVG scales to its box).
pub const WIDTH: f64 = 1000.0;
pub const LABEL_WIDTH: f64 = 170.0;
const PLOT_RIGHT: f64 = 985.0;
const ROW: f64 = 24.0;
const SMALL_ROW: f64 = 13.0;

/// Where everything sits, shared by the lanes and the playhead.
#[derive(Clone, Copy, PartialEq)]
pub struct Scale {
    pub end: f64,
    pub height: f64,
    /// Where the lanes end (the comparison's pins sit below): the playhead stops there.
    pub lanes_bottom: f64,
}

impl Scale {
    pub fn x(&self, t: f64) -> f64 {
        let span = if self.end > 0.0 { self.end } else { 1.0 };
        LABEL_WIDTH + (t / span).clamp(0.0, 1.0) * (PLOT_RIGHT - LABEL_WIDTH)
    }

    pub fn t(&self, x: f64) -> f64 {
        ((x - LABEL_WIDTH) / (PLOT_RIGHT - LABEL_WIDTH)).clamp(0.0, 1.0) * self.end
    }
}

/// A row of lanes: its top, the lane it draws (`None`: a group header) and the header's text.
type Row = (f64, Option<usize>, &'static str);

/// The rows: axis, phase, five conditions, then group headers and lanes.
fn layout(lanes: &[Lane]) -> (Vec<Row>, f64) {
    let mut rows = Vec::new();
    let mut y = 20.0 + ROW + 5.0 * SMALL_ROW + 10.0;
    let mut group = None;
    for (i, lane) in lanes.iter().enumerate() {
        let g = trace_view::group_order(lane.kind);
        if group != Some(g) {
            group = Some(g);
            rows.push((y, None, trace_view::group_name(lane.kind)));
            y += 16.0;
        }
        rows.push((y, Some(i), ""));
        y += ROW + 4.0;
    }
    (rows, y + 4.0)
}

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub trace: TraceRef,
    /// Clicking the drawing moves the playhead there.
    pub on_seek: Callback<f64>,
    /// The trace is from an earlier, valid manifest (the current one has errors).
    pub stale: bool,
    /// The end of the time axis, when it is shared with another drawing (the comparison view); by
    /// default the trace's own view end.
    #[prop_or_default]
    pub end: Option<f64>,
    /// Numbered pins under the lanes: the moments the comparison's callouts point at.
    #[prop_or_default]
    pub pins: Rc<Vec<Pin>>,
    /// What the drawing is, for screen readers (default: the pod's timeline, told by the narration).
    #[prop_or_default]
    pub label: Option<AttrValue>,
}

/// Tick spacing giving about eight labels.
fn tick_step(end: f64) -> f64 {
    let raw = (end / 8.0).max(0.1);
    [
        0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0,
    ]
    .into_iter()
    .find(|s| *s >= raw)
    .unwrap_or(900.0)
}

#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let trace = &props.trace.0;
    let lanes = use_memo(props.trace.clone(), |t| trace_view::lanes(&t.0));
    let (rows, lanes_bottom) = layout(&lanes);
    let mut scale = Scale {
        end: props.end.unwrap_or_else(|| trace_view::view_end(trace)),
        height: lanes_bottom,
        lanes_bottom,
    };
    let pin_rows = pin_rows(&props.pins, &scale);
    scale.height += pins_height(&pin_rows);
    let height = scale.height;
    // On a time axis shared with a longer run, this run's own end is marked: nothing is drawn after it.
    let run_end = trace_view::secs(trace.end);
    let after_the_run = (run_end + 0.05 < scale.end).then(|| {
        let x = scale.x(run_end);
        html! {
            <g class="run-end">
                <rect x={n(x).to_string()} y="14" width={n(scale.x(scale.end) - x).to_string()} height={n(lanes_bottom - 14.0).to_string()}>
                    <title>{ format!("The simulation of this variant stops at {} s: nothing changes after it", fmt_secs(run_end)) }</title>
                </rect>
                if scale.x(scale.end) - x > 60.0 {
                    <text x={n(x + 4.0).to_string()} y={n(lanes_bottom - 4.0).to_string()}>{ "run ends" }</text>
                }
            </g>
        }
    });
    let svg_ref = use_node_ref();
    let onclick = {
        let (svg_ref, on_seek) = (svg_ref.clone(), props.on_seek.clone());
        Callback::from(move |e: MouseEvent| {
            if let Some(svg) = svg_ref.cast::<Element>() {
                let rect = svg.get_bounding_client_rect();
                if rect.width() > 0.0 {
                    let x = (e.client_x() as f64 - rect.left()) / rect.width() * WIDTH;
                    on_seek.emit(scale.t(x));
                }
            }
        })
    };

    let step = tick_step(scale.end);
    let ticks: Html = (0..=((scale.end / step).floor() as usize))
        .map(|i| {
            let t = i as f64 * step;
            let x = scale.x(t);
            html! {
                <g class="tick">
                    <line x1={n(x).to_string()} x2={n(x).to_string()} y1="14" y2={n(height).to_string()} />
                    <text x={n(x).to_string()} y="11" text-anchor="middle">{ format!("{} s", fmt_secs(t)) }</text>
                </g>
            }
        })
        .collect();

    let phase_y = 20.0;
    let phase: Html = trace_view::phase_segments(trace)
        .into_iter()
        .map(|(from, to, phase)| {
            let (x0, x1) = (scale.x(from), scale.x(to));
            html! {
                <g class={classes!("phase", format!("phase-{}", phase.name().to_ascii_lowercase()))}>
                    <rect x={n(x0).to_string()} y={n(phase_y).to_string()} width={n((x1 - x0).max(0.5)).to_string()} height={n(ROW - 6.0).to_string()}>
                        <title>{ format!("{} from {} s", phase.name(), fmt_secs(from)) }</title>
                    </rect>
                    if x1 - x0 > 60.0 {
                        <text x={n(x0 + 4.0).to_string()} y={n(phase_y + 13.0).to_string()}>{ phase.name() }</text>
                    }
                </g>
            }
        })
        .collect();
    let conditions: Html = trace_view::condition_segments(trace)
        .into_iter()
        .enumerate()
        .map(|(i, (name, spans))| {
            let y = phase_y + ROW + i as f64 * SMALL_ROW;
            html! {
                <g class="condition">
                    <text class="row-label" x="4" y={n(y + 9.0).to_string()}>{ name }</text>
                    <line class="condition-off" x1={n(LABEL_WIDTH).to_string()} x2={n(PLOT_RIGHT).to_string()} y1={n(y + 5.0).to_string()} y2={n(y + 5.0).to_string()} />
                    { for spans.into_iter().map(|(from, to)| {
                        let (x0, x1) = (scale.x(from), scale.x(to));
                        html! {
                            <rect class="condition-on" x={n(x0).to_string()} y={n(y + 1.0).to_string()} width={n((x1 - x0).max(0.5)).to_string()} height="8">
                                <title>{ format!("{name}=True from {} s to {} s", fmt_secs(from), fmt_secs(to)) }</title>
                            </rect>
                        }
                    }) }
                </g>
            }
        })
        .collect();

    let body: Html = rows
        .iter()
        .map(|(y, lane, header)| match lane {
            None => html! { <text class="group-label" x="4" y={n(y + 11.0).to_string()}>{ *header }</text> },
            Some(i) => lane_html(&lanes[*i], *y, &scale),
        })
        .collect();

    html! {
        <figure class={classes!("timeline", props.stale.then_some("stale"))}>
            <div class="timeline-canvas">
            <svg class="lanes" ref={svg_ref} viewBox={format!("0 0 {} {}", n(WIDTH), n(height))} role="img"
                 aria-label={props.label.clone().unwrap_or_else(|| AttrValue::from(
                     "Timeline of the pod: one lane per container; the text narration below says the same"))}
                 {onclick}>
                <defs>
                    <pattern id="hatch-error" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <rect width="6" height="6" class="s-exited-error" />
                        <line x1="0" y1="0" x2="0" y2="6" class="hatch-line" />
                    </pattern>
                    <pattern id="hatch-backoff" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">
                        <rect width="5" height="5" class="s-backoff" />
                        <line x1="0" y1="0" x2="0" y2="5" class="hatch-line" />
                    </pattern>
                </defs>
                { ticks }
                <text class="row-label" x="4" y={n(phase_y + 13.0).to_string()}>{ "pod phase" }</text>
                { phase }
                { conditions }
                { body }
                { after_the_run }
                { pins_html(&props.pins, &pin_rows, lanes_bottom, &scale, &props.on_seek) }
            </svg>
            <Playhead {scale} />
            </div>
        </figure>
    }
}

/// The callouts' pins: a dashed line through the lanes at each moment, and the callout's number in a
/// badge below them. Badges that would overlap one already placed go to the next row down, so every
/// number stays readable.
fn pins_html(
    pins: &[Pin],
    rows: &[usize],
    lanes_bottom: f64,
    scale: &Scale,
    on_seek: &Callback<f64>,
) -> Html {
    pins.iter()
        .zip(rows.iter().copied())
        .map(|(pin, row)| {
            let x = scale.x(pin.t);
            // A pin moves the playhead to its very moment, not to where the click fell.
            let onclick = {
                let (on_seek, t) = (on_seek.clone(), pin.t);
                Callback::from(move |e: MouseEvent| {
                    e.stop_propagation();
                    on_seek.emit(t);
                })
            };
            let cy = lanes_bottom + PIN_RADIUS + 2.0 + row as f64 * (2.0 * PIN_RADIUS + 2.0);
            html! {
                <g class="pin" data-finding={pin.number.to_string()} data-t={fmt_secs(pin.t)} {onclick}>
                    <line x1={n(x).to_string()} x2={n(x).to_string()} y1="14" y2={n(lanes_bottom).to_string()} />
                    <circle cx={n(x).to_string()} cy={n(cy).to_string()} r={n(PIN_RADIUS).to_string()} />
                    <text x={n(x).to_string()} y={n(cy + 4.5).to_string()} text-anchor="middle">{ pin.number }</text>
                    <title>{ format!("Finding {} at {} s: {}", pin.number, fmt_secs(pin.t), pin.what) }</title>
                </g>
            }
        })
        .collect()
}

/// Radius of a pin's badge, in drawing units.
const PIN_RADIUS: f64 = 10.0;

/// The row of each pin's badge: the first row where it overlaps no badge already placed.
fn pin_rows(pins: &[Pin], scale: &Scale) -> Vec<usize> {
    let mut placed: Vec<(f64, usize)> = Vec::new();
    pins.iter()
        .map(|pin| {
            let x = scale.x(pin.t);
            let row = (0..)
                .find(|row| {
                    !placed
                        .iter()
                        .any(|(px, r)| r == row && (px - x).abs() < 2.0 * PIN_RADIUS + 1.0)
                })
                .unwrap_or(0);
            placed.push((x, row));
            row
        })
        .collect()
}

/// The height the pins need under the lanes, given their rows.
fn pins_height(rows: &[usize]) -> f64 {
    match rows.iter().copied().max() {
        None => 0.0,
        Some(rows) => (rows + 1) as f64 * (2.0 * PIN_RADIUS + 2.0) + 4.0,
    }
}

fn lane_html(lane: &Lane, y: f64, scale: &Scale) -> Html {
    let bars: Html = lane
        .intervals
        .iter()
        .map(|(from, to, state)| {
            let (x0, x1) = (scale.x(*from), scale.x(*to));
            html! {
                <rect class={classes!("state", trace_view::state_class(*state))}
                      x={n(x0).to_string()} y={n(y).to_string()} width={n((x1 - x0).max(0.0)).to_string()} height={n(ROW).to_string()}>
                    <title>{ format!("{}: {} from {} s to {} s", lane.name, trace_view::state_name(*state), fmt_secs(*from), fmt_secs(*to)) }</title>
                </rect>
            }
        })
        .collect();
    let markers: Html = lane
        .markers
        .iter()
        .map(|m| {
            let x = scale.x(m.t);
            let (cls, shape) = match m.kind {
                MarkerKind::ProbeFailed => {
                    ("m-probe", format!("M{} {} l-4 -6 h8 z", n(x), n(y + 7.0)))
                }
                MarkerKind::Hook => (
                    "m-hook",
                    format!("M{} {} l4 5 l-4 5 l-4 -5 z", n(x), n(y + 2.0)),
                ),
                // The hook's diamond, larger and in the error colour.
                MarkerKind::HookFailed => (
                    "m-hook-failed",
                    format!("M{} {} l6 7 l-6 7 l-6 -7 z", n(x), n(y + 1.0)),
                ),
                // A triangle pointing up, in the middle of the lane (nothing else is drawn there
                // while an image is pulled).
                MarkerKind::PullFailed => (
                    "m-pull-failed",
                    format!("M{} {} l6 -12 l6 12 z", n(x - 6.0), n(y + ROW / 2.0 + 6.0)),
                ),
                // A hollow square over the lane's top: the kill begins (before its preStop and signal).
                MarkerKind::KillStarted => (
                    "m-kill-started",
                    format!("M{} {} h8 v8 h-8 z", n(x - 4.0), n(y - 5.0)),
                ),
                MarkerKind::Sigterm => (
                    "m-sigterm",
                    format!("M{} {} v{}", n(x), n(y - 2.0), n(ROW + 4.0)),
                ),
                MarkerKind::Sigkill => (
                    "m-sigkill",
                    format!(
                        "M{} {} l5 5 l-5 5 l-5 -5 z M{} {} v{}",
                        n(x),
                        n(y + ROW - 12.0),
                        n(x),
                        n(y - 2.0),
                        n(ROW + 4.0)
                    ),
                ),
                MarkerKind::ExitOk => (
                    "m-exit-ok",
                    format!("M{} {} a4 4 0 1 0 0.01 0 z", n(x), n(y + ROW - 9.0)),
                ),
                MarkerKind::ExitError => ("m-exit-error", cross(x, y + ROW - 12.0)),
                // The exit's cross on a filled disc: the memory limit's killer ended it.
                MarkerKind::OomKilled => (
                    "m-oom",
                    format!(
                        "M{} {} a7 7 0 1 0 0.01 0 z {}",
                        n(x),
                        n(y + ROW - 15.0),
                        cross(x, y + ROW - 12.0)
                    ),
                ),
            };
            html! {
                <path class={classes!("marker", cls)} d={shape}>
                    <title>{ m.label.clone() }</title>
                </path>
            }
        })
        .collect();
    html! {
        <g class="lane" data-container={lane.name.clone()}>
            <text class="lane-label" x="4" y={n(y + 16.0).to_string()}>
                { truncate(&lane.name, 22) }
                <title>{ format!("{} ({}): {}", lane.name, lane.image, lane.behaviour) }</title>
            </text>
            { bars }
            { markers }
            { assumed_badge(&lane.assumed, LABEL_WIDTH - 6.0, y + 16.0, "end") }
        </g>
    }
}

/// A small "assumed" badge: where podlife took something to be so, its sentences as the accessible name
/// and the tooltip (the narration and diagnostics say the same in words).
pub fn assumed_badge(assumed: &[String], x: f64, y: f64, anchor: &'static str) -> Html {
    if assumed.is_empty() {
        return Html::default();
    }
    let text = format!("assumed: {}", assumed.join("; "));
    html! {
        <text class="assumed-badge" x={n(x).to_string()} y={n(y).to_string()} text-anchor={anchor}
              role="img" aria-label={text.clone()}>
            { "assumed" }
            <title>{ text }</title>
        </text>
    }
}

/// An 8-unit cross centred on `x`, its top at `top`.
fn cross(x: f64, top: f64) -> String {
    format!(
        "M{} {} l8 8 M{} {} l-8 8",
        n(x - 4.0),
        n(top),
        n(x + 4.0),
        n(top)
    )
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max - 1).collect();
        s.push('…');
        s
    }
}

#[derive(Properties, PartialEq)]
struct PlayheadProps {
    scale: Scale,
}

/// The playhead over the lanes; it reads the playback context, so only it redraws each frame.
#[component]
fn Playhead(props: &PlayheadProps) -> Html {
    let t = use_context::<crate::components::PlayheadTime>()
        .map(|p| p.0)
        .unwrap_or(0.0);
    let x = props.scale.x(t);
    let height = props.scale.height;
    // On a narrow screen the drawing scrolls sideways in its box: keep the playhead in view, so
    // playing, stepping and the comparison's moment buttons never move it out of sight (and the two
    // timelines of a comparison scroll together, both following the one playhead).
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((x * 10.0).round() as i64, move |_| {
            let canvas = node.cast::<Element>().and_then(|svg| svg.parent_element());
            if let Some(canvas) = canvas {
                if let Some(scroller) = canvas.parent_element() {
                    follow(&scroller, &canvas, x);
                }
            }
        });
    }
    html! {
        <svg class="playhead" ref={node} viewBox={format!("0 0 {} {}", n(WIDTH), n(height))} aria-hidden="true">
            <line x1={n(x).to_string()} x2={n(x).to_string()} y1="14" y2={n(props.scale.lanes_bottom).to_string()} />
            <path d={format!("M{} 14 l-5 -7 h10 z", n(x))} />
        </svg>
    }
}

/// Scrolls `scroller` sideways, when its drawing is wider than it, so that the drawing's `x` (in
/// drawing units) is in view, with a margin.
fn follow(scroller: &Element, drawing: &Element, x: f64) {
    let (box_width, full_width) = (
        f64::from(scroller.client_width()),
        f64::from(drawing.client_width()),
    );
    if full_width <= box_width + 1.0 || full_width <= 0.0 {
        return;
    }
    let at = x / WIDTH * full_width;
    let left = f64::from(scroller.scroll_left());
    let margin = box_width * 0.15;
    if at < left + margin || at > left + box_width - margin {
        scroller.set_scroll_left((at - box_width / 2.0).max(0.0) as i32);
    }
}
