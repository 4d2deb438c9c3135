//! The page: the manifest editor on one side; on the other the simulated lifecycle (timeline, pod
//! diagram, kubectl panels, "why") following one playhead. Every edit re-runs the core, coalesced to
//! the newest text; the manifest and settings are saved as they change and restored on reload.

use std::rc::Rc;

use yew::prelude::*;

use super::{
    compare_view, conditions_panel, page_header, why_panel, with_code, DiagnosticList, EventsPanel,
    GalleryMenu, ManifestEditor, Narration, PlaybackControls, PodDiagram, ScenarioControls,
    Timeline, TraceRef, WatchPanel, DRAFT_ID, LINK_ID,
};
use crate::animation::{apply_theme, typing_in_a_field, Deferred, FrameLoop, KeyListener};
use crate::comparison::{self, CompareOutcome};
use crate::gallery;
use crate::page_location::PageMode;
use crate::playback::{Playback, PlaybackAction};
use crate::scenario_form::ScenarioForm;
use crate::share_link::{self, Fragment, Mode, ShareState};
use crate::simulation::{run, RunResult, Settings};
use crate::{
    animation, compression, page_location, storage, trace_view, DEFAULT_EXAMPLE, DEFAULT_MANIFEST,
};

/// The playhead, shared with the components that move on every frame.
#[derive(Clone, Copy, PartialEq)]
pub struct PlayheadTime(pub f64);

/// What the page starts from: the saved session, or the default example.
fn restored() -> (String, Settings, String) {
    let settings = Settings {
        k8s: storage::load(storage::K8S)
            .and_then(|v| v.parse().ok())
            .unwrap_or_default(),
        scenario: storage::load(storage::SCENARIO)
            .map(|t| ScenarioForm::from_text(&t))
            .unwrap_or_default(),
        sidecar: None,
    };
    let example = storage::load(storage::EXAMPLE).unwrap_or_else(|| DEFAULT_EXAMPLE.into());
    let text = storage::load(storage::MANIFEST).unwrap_or_else(|| DEFAULT_MANIFEST.into());
    (text, settings, example)
}

/// The comparison of `result`'s manifest, when the page compares and the manifest runs.
fn compare_if(
    view: Mode,
    result: &RunResult,
    text: &str,
    settings: &Settings,
) -> Option<CompareOutcome> {
    let trace = result.trace.as_ref().filter(|_| view == Mode::Compare)?;
    Some(comparison::run_beside(text, settings, Rc::clone(trace)))
}

/// The playhead's new range: both variants' when comparing, else the one pod's.
fn load_action(result: &RunResult, compared: Option<&CompareOutcome>) -> Option<PlaybackAction> {
    if let Some(Ok(view)) = compared {
        return Some(PlaybackAction::Load {
            end: view.view_end(),
            times: Rc::new(view.event_times()),
            deletion: view.deletion_time(),
        });
    }
    let trace = result.trace.as_ref()?;
    Some(PlaybackAction::Load {
        end: trace_view::view_end(trace),
        times: Rc::new(trace_view::event_times(trace)),
        deletion: trace_view::deletion_time(trace),
    })
}

#[component]
pub fn App() -> Html {
    let mode = *use_memo((), |_| {
        let mode = page_location::page_mode();
        if mode == PageMode::Embed {
            storage::detach();
        }
        mode
    });
    let initial = use_memo((), |_| restored());
    // The saved session as it was before this page wrote anything: what a link must not overwrite.
    let saved_before = use_memo((), |_| {
        (
            storage::load(storage::MANIFEST),
            storage::load(storage::EXAMPLE),
        )
    });
    let text = use_state(|| AttrValue::from(initial.0.clone()));
    let settings = use_state(|| initial.1.clone());
    let selected = use_state(|| initial.2.clone());
    let view = use_state(|| {
        if page_location::asks_to_compare() {
            return Mode::Compare;
        }
        storage::load(storage::VIEW)
            .map(|v| Mode::from_name(&v))
            .unwrap_or_default()
    });
    let result = use_state(|| Rc::new(run(&initial.0, &initial.1)));
    // The comparison, while the page compares: both variants, or why there is nothing to compare.
    let compared = use_state(|| compare_if(*view, &result, &initial.0, &initial.1));
    // The last comparison that worked: shown, greyed, while the manifest has errors.
    let last_compared = use_state(|| compared.as_ref().and_then(|c| c.clone().ok()));
    // The last run that produced a trace, with its pod: shown, greyed, while the manifest has errors.
    let last_good = use_state(|| result.trace.clone().map(|t| (t, result.shape.clone())));
    let generation = use_state(|| 1u32);
    let playback = use_reducer(|| {
        let speed = storage::load(storage::SPEED).and_then(|s| s.parse().ok());
        let p = Playback::default().step(PlaybackAction::Speed(speed.unwrap_or(1.0)));
        match load_action(&result, compared.as_ref()) {
            Some(action) => p.step(action),
            None => p,
        }
    });
    let theme = use_state(|| storage::load(storage::THEME).unwrap_or_else(|| "auto".into()));
    // What opening or making a share link has to say (an error, or the address to copy).
    let link_note = use_state(|| None::<LinkNote>);
    // A playhead a link asks for, applied once its manifest has run.
    let pending_seek = use_mut_ref(|| None::<f64>);

    // Re-run the core for the newest text and settings. Debounced by what a run costs: while runs are
    // cheap (the usual case) the core runs right after the edit, in the same task, so the timeline
    // changes in the same frame as the text; when runs are slow (a big pod crash-looping for an hour)
    // it waits for a pause in typing as long as the last run took.
    {
        let (result, last_good, generation, dispatcher) = (
            result.clone(),
            last_good.clone(),
            generation.clone(),
            playback.dispatcher(),
        );
        let (compared, last_compared) = (compared.clone(), last_compared.clone());
        let first = use_mut_ref(|| true);
        let last_cost = use_mut_ref(|| 0.0f64);
        let pending_seek = pending_seek.clone();
        use_effect_with(
            ((*text).clone(), (*settings).clone(), *view),
            move |(text, settings, view)| {
                storage::save(storage::MANIFEST, text);
                storage::save(storage::VIEW, view.name());
                let (text, settings, view) = (text.clone(), settings.clone(), *view);
                let wait = debounce_ms(*last_cost.borrow());
                let previous = result.trace.clone();
                let pending_seek = pending_seek.clone();
                let rerun = move || {
                    let started = now_ms();
                    let mut fresh = run(&text, &settings);
                    *last_cost.borrow_mut() = now_ms() - started;
                    // An edit that changes nothing the pod does (a comment, spacing) keeps the very
                    // same trace, so nothing that draws it is redrawn.
                    if let (Some(new), Some(old)) = (&fresh.trace, &previous) {
                        if new == old {
                            fresh.trace = Some(old.clone());
                        }
                    }
                    let comparison = compare_if(view, &fresh, &text, &settings);
                    if let Some(action) = load_action(&fresh, comparison.as_ref()) {
                        dispatcher.dispatch(action);
                        if let Some(t) = pending_seek.borrow_mut().take() {
                            dispatcher.dispatch(PlaybackAction::Seek(t));
                        }
                    }
                    if let Some(trace) = &fresh.trace {
                        last_good.set(Some((trace.clone(), fresh.shape.clone())));
                    }
                    // The last version that could run had nothing to compare: nothing stale to show.
                    match &comparison {
                        Some(Ok(c)) => last_compared.set(Some(c.clone())),
                        Some(Err(_)) => last_compared.set(None),
                        None => {}
                    }
                    // While the manifest has errors there is no comparison: the last one that worked is
                    // shown greyed.
                    compared.set(comparison);
                    generation.set(*generation + 1);
                    result.set(Rc::new(fresh));
                };
                let deferred = if std::mem::replace(&mut *first.borrow_mut(), false) {
                    None // the first run happened while the page was built
                } else if wait == 0 {
                    rerun();
                    None
                } else {
                    Some(Deferred::new(wait, rerun))
                };
                move || drop(deferred)
            },
        );
    }

    use_effect_with((*settings).clone(), |settings| {
        storage::save(storage::K8S, &settings.k8s.to_string());
        storage::save(storage::SCENARIO, &settings.scenario.to_text());
    });

    use_effect_with(playback.speed, |speed| {
        storage::save(storage::SPEED, &crate::playback::speed_text(*speed))
    });

    // Playback runs on animation frames while playing.
    {
        let dispatcher = playback.dispatcher();
        use_effect_with(playback.playing, move |&playing| {
            let frames = if playing {
                FrameLoop::start(move |ms| dispatcher.dispatch(PlaybackAction::Tick(ms)))
            } else {
                None
            };
            move || drop(frames)
        });
    }

    // Space, ←/→, Home/End anywhere on the page except in text fields.
    {
        let dispatcher = playback.dispatcher();
        use_effect_with((), move |_| {
            let listener = KeyListener::new(move |e: web_sys::KeyboardEvent| {
                if typing_in_a_field(&e) || e.alt_key() || e.ctrl_key() || e.meta_key() {
                    return;
                }
                let action = match e.key().as_str() {
                    " " => PlaybackAction::Toggle,
                    "ArrowLeft" => PlaybackAction::PreviousEvent,
                    "ArrowRight" => PlaybackAction::NextEvent,
                    "Home" => PlaybackAction::Start,
                    "End" => PlaybackAction::End,
                    _ => return,
                };
                e.prevent_default();
                dispatcher.dispatch(action);
            });
            move || drop(listener)
        });
    }

    use_effect_with(mode, |mode| {
        let name = match mode {
            PageMode::Full => "full",
            PageMode::Embed => "embed",
            PageMode::Presenter => "presenter",
        };
        animation::set_root_attribute("data-mode", name);
    });

    use_effect_with((*theme).clone(), |theme| {
        apply_theme(theme);
        storage::save(storage::THEME, theme);
    });

    let example = gallery::find(&selected);
    let edited_example = example.is_some_and(|e| e.manifest != text.as_str());

    let on_edit = {
        let (text, selected) = (text.clone(), selected.clone());
        Callback::from(move |new: String| {
            if *selected == DRAFT_ID {
                storage::save(storage::DRAFT, &new);
            }
            text.set(AttrValue::from(new));
        })
    };
    let on_pick = {
        let (text, selected, settings) = (text.clone(), selected.clone(), settings.clone());
        let dispatcher = playback.dispatcher();
        Callback::from(move |id: String| {
            if id == *selected {
                return;
            }
            // Leaving the user's own manifest: keep it. Leaving an edited example: ask first.
            if *selected == DRAFT_ID {
                storage::save(storage::DRAFT, &text);
            } else if gallery::find(&selected).is_none_or(|e| e.manifest != text.as_str()) {
                // An edited example, or a manifest that came with a link.
                let keep = !storage::has_draft();
                if keep {
                    storage::save(storage::DRAFT, &text);
                } else if !confirm("Discard your edits to this example? (Your own manifest is kept under \"Your manifest\".)") {
                    selected.set((*selected).clone()); // put the menu back
                    return;
                }
            }
            let new_text = if id == DRAFT_ID {
                storage::load(storage::DRAFT).unwrap_or_default()
            } else if let Some(e) = gallery::find(&id) {
                let mut s = (*settings).clone();
                s.scenario = ScenarioForm::default();
                s.sidecar = None;
                settings.set(s);
                e.manifest.to_string()
            } else {
                return;
            };
            storage::save(storage::EXAMPLE, &id);
            // Another pod: start from its beginning.
            dispatcher.dispatch(PlaybackAction::Pause);
            dispatcher.dispatch(PlaybackAction::Start);
            selected.set(id);
            text.set(AttrValue::from(new_text));
        })
    };
    // A link opens the page on a shared state (`#s=…`) or a gallery example (`#example/<id>`).
    {
        let (text, settings, selected, link_note, on_pick, view) = (
            text.clone(),
            settings.clone(),
            selected.clone(),
            link_note.clone(),
            on_pick.clone(),
            view.clone(),
        );
        let pending_seek = pending_seek.clone();
        let dispatcher = playback.dispatcher();
        let saved_before = saved_before.clone();
        use_effect_with((), move |_| {
            match share_link::parse_fragment(&page_location::fragment()) {
                Fragment::Example(id) => {
                    if gallery::find(&id).is_some() {
                        on_pick.emit(id);
                    } else {
                        link_note.set(Some(LinkNote::Error(format!(
                            "This link asks for the example \"{id}\", which this podlife does not have."
                        ))));
                    }
                    page_location::clear_fragment();
                }
                Fragment::State(payload) => {
                    page_location::clear_fragment();
                    wasm_bindgen_futures::spawn_local(async move {
                        match compression::open(&payload).await {
                            Err(e) => link_note.set(Some(LinkNote::Error(e.to_string()))),
                            Ok(state) => {
                                let (saved, example) = (*saved_before).clone();
                                if share_link::would_replace_work(saved.as_deref(), example.as_deref(), &state.yaml)
                                    && !confirm("This link brings its own manifest. Open it in place of the one in your editor? (Your own manifest stays under \"Your manifest\".)")
                                {
                                    link_note.set(Some(LinkNote::Error(
                                        "The link was not opened: your manifest is unchanged.".into(),
                                    )));
                                    return;
                                }
                                if let Some(saved) = saved.filter(|s| *s != state.yaml) {
                                    if !storage::has_draft() {
                                        storage::save(storage::DRAFT, &saved);
                                    }
                                }
                                let new_settings = state.settings();
                                if state.yaml != text.as_str()
                                    || new_settings != *settings
                                    || state.mode != *view
                                {
                                    // Seek once the link's manifest has run.
                                    *pending_seek.borrow_mut() = Some(state.playhead_secs());
                                } else {
                                    dispatcher
                                        .dispatch(PlaybackAction::Seek(state.playhead_secs()));
                                }
                                let id = gallery::EXAMPLES
                                    .iter()
                                    .find(|e| e.manifest == state.yaml)
                                    .map(|e| e.id.to_string())
                                    .unwrap_or_else(|| LINK_ID.into());
                                storage::save(storage::EXAMPLE, &id);
                                selected.set(id);
                                settings.set(new_settings);
                                view.set(state.mode);
                                text.set(AttrValue::from(state.yaml));
                            }
                        }
                    });
                }
                Fragment::None => {}
            }
        });
    }
    let on_share = {
        let (text, settings, link_note) = (text.clone(), settings.clone(), link_note.clone());
        let t = playback.t;
        let view = *view;
        Callback::from(move |_: MouseEvent| {
            let state = ShareState::from_page(&text, &settings, view, t);
            let link_note = link_note.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match compression::share(&state).await {
                    Ok(fragment) => match page_location::address_with(&fragment) {
                        Some(address) => {
                            page_location::copy_to_clipboard(&address);
                            link_note.set(Some(LinkNote::Shared(address)));
                        }
                        None => link_note.set(Some(LinkNote::Error(
                            "This page has no address to share.".into(),
                        ))),
                    },
                    Err(e) => link_note.set(Some(LinkNote::Error(e.to_string()))),
                }
            });
        })
    };
    let on_settings = {
        let settings = settings.clone();
        Callback::from(move |s: Settings| settings.set(s))
    };
    let on_playback = {
        let dispatcher = playback.dispatcher();
        Callback::from(move |a: PlaybackAction| dispatcher.dispatch(a))
    };
    let on_seek = {
        let dispatcher = playback.dispatcher();
        Callback::from(move |t: f64| dispatcher.dispatch(PlaybackAction::Seek(t)))
    };
    let on_theme = {
        let theme = theme.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            theme.set(select.value());
        })
    };

    let names: Vec<String> = result
        .shape
        .containers
        .iter()
        .map(|c| c.name.clone())
        .collect();
    let hosts = result
        .trace
        .as_deref()
        .map(podlife::behaviour::assumptions::hosts_to_time)
        .unwrap_or_default();
    // Read from storage when the selection changes, not on every animation frame.
    let has_draft = *use_memo((*selected).clone(), |_| storage::has_draft());
    let line_count = text.lines().count();
    let t = playback.t;
    let now_ms = (t * 1000.0).round().max(0.0) as u64;
    let stale = result.trace.is_none();
    let (shown_trace, shown_shape) = match (&result.trace, &*last_good) {
        (Some(t), _) => (Some(t.clone()), result.shape.clone()),
        (None, Some((t, shape))) => (Some(t.clone()), shape.clone()),
        (None, None) => (None, result.shape.clone()),
    };

    // The lanes change with the trace, not with the playhead: read them once per run.
    let lanes = use_memo(shown_trace.clone().map(TraceRef), |trace| {
        trace
            .as_ref()
            .map(|t| trace_view::lanes(&t.0))
            .unwrap_or_default()
    });
    let narration = shown_trace.as_ref().map(|trace| {
        html! { <Narration trace={TraceRef(trace.clone())} shown={trace_view::events_until(trace, t)} on_seek={on_seek.clone()} /> }
    });
    // The comparison shown: the current one, or (greyed) the last that worked while the text is broken.
    let comparison_note = match &*compared {
        Some(Err(errors)) if *view == Mode::Compare => Some(errors.clone()),
        _ => None,
    };
    let shown_comparison = match (&*compared, &*last_compared) {
        _ if *view != Mode::Compare => None,
        (Some(Ok(c)), _) => Some((c.clone(), false)),
        (None, Some(c)) if stale => Some((c.clone(), true)),
        _ => None,
    };
    let on_view = {
        let view = view.clone();
        Callback::from(move |_: MouseEvent| {
            view.set(match *view {
                Mode::Single => Mode::Compare,
                Mode::Compare => {
                    page_location::forget_compare_query();
                    Mode::Single
                }
            })
        })
    };
    // The regular containers: the ones a learner may name as a legacy sidecar.
    let app_like: Vec<String> = result
        .shape
        .containers
        .iter()
        .filter(|c| c.kind == podlife::pod_status::ContainerKind::Regular)
        .map(|c| c.name.clone())
        .collect();
    let on_sidecar = {
        let settings = settings.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let value = select.value();
            settings.set(Settings {
                sidecar: (!value.is_empty()).then_some(value),
                ..(*settings).clone()
            });
        })
    };
    let view_switch = html! {
        <div class="view-switch">
            <button type="button" id="compare-toggle" onclick={on_view} aria-pressed={(*view == Mode::Compare).to_string()}
                    title="Convert the manifest to its twin (legacy ↔ native sidecar) and run both side by side on one clock">
                { if *view == Mode::Compare { "Back to one pod" } else { "Compare legacy ↔ native" } }
            </button>
            if let Some(errors) = &comparison_note {
                <p class="compare-error" id="compare-error" role="status">
                    { "Nothing to compare: " }
                    { with_code(&errors.first().map(|d| nothing_to_compare(&d.message)).unwrap_or_default()) }
                </p>
            }
            // The learner can name the sidecar the converter did not find (the CLI's --sidecar).
            if *view == Mode::Compare && (comparison_note.is_some() || settings.sidecar.is_some()) && app_like.len() >= 2 {
                <label class="compare-sidecar">
                    { "Compare with this container as the sidecar: " }
                    <select id="compare-sidecar" onchange={on_sidecar}>
                        <option value="" selected={settings.sidecar.is_none()}>{ "(let podlife find it)" }</option>
                        { for app_like.iter().map(|name| html! {
                            <option value={name.clone()} selected={settings.sidecar.as_deref() == Some(name.as_str())}>{ name.clone() }</option>
                        }) }
                    </select>
                </label>
            }
            if comparison_note.is_none() && *view == Mode::Compare && stale {
                <p class="compare-error" id="compare-error" role="status">
                    { if shown_comparison.is_some() {
                        "The manifest has errors: this is the comparison of the last version that could run. Fix the errors to compare again."
                    } else {
                        "Fix the errors in the manifest (or choose another Kubernetes version) to compare it with its twin."
                    } }
                </p>
            }
        </div>
    };
    let simulation = match (shown_comparison.clone(), shown_trace) {
        (Some((c, stale)), _) => {
            html! {
                <>
                    <PlaybackControls playback={(*playback).clone()} on_action={on_playback} />
                    <ContextProvider<PlayheadTime> context={PlayheadTime(t)}>
                        { compare_view(&c, now_ms as f64 / 1000.0, &on_seek, stale, legend()) }
                    </ContextProvider<PlayheadTime>>
                </>
            }
        }
        (None, None) => html! {
            <p class="no-trace">{ "Nothing to simulate yet: fix the errors in the manifest and the lifecycle appears here." }</p>
        },
        (None, Some(trace)) => {
            let tref = TraceRef(trace.clone());
            let status = trace_view::status_at(&trace, t);
            let states = Rc::new(super::pod_diagram::states_at(&lanes, t));
            html! {
                <>
                    <p class="outcome" id="outcome">
                        if stale {
                            <strong>{ "Showing the last manifest that could run. " }</strong>
                        }
                        { trace_view::outcome_line(&trace) }
                    </p>
                    <PlaybackControls playback={(*playback).clone()} on_action={on_playback} />
                    <ContextProvider<PlayheadTime> context={PlayheadTime(t)}>
                        <Timeline trace={tref.clone()} {on_seek} {stale} />
                    </ContextProvider<PlayheadTime>>
                    { legend() }
                    <PodDiagram shape={shown_shape.clone()} {states} pod_name={trace.pod.name.clone()}
                                assumed={Rc::new(trace_view::assumed_by_container(&trace))}
                                status={status.map(|s| s.status.clone()).unwrap_or_else(|| "not created".into())} />
                    <div class={classes!("panels", stale.then_some("stale"))}>
                        <WatchPanel trace={tref.clone()} {now_ms} />
                        { conditions_panel(status.map(|s| s.conditions), status.map(|s| s.phase.name()).unwrap_or("—")) }
                        { why_panel(&tref, now_ms) }
                        <EventsPanel trace={tref.clone()} upto_ms={trace_view::current_events(&trace, t).first().map(|e| e.t.0 .0)} now_s={now_ms / 1000} />
                    </div>
                </>
            }
        }
    };

    if mode == PageMode::Embed {
        return html! {
            <main class="embed">
                { link_note_html(&link_note) }
                <section class="sim-column" aria-label="Simulated lifecycle" data-generation={generation.to_string()}>
                    { simulation }
                </section>
                <p class="embed-footer">
                    <a href={page_location::full_page_address().unwrap_or_default()} target="_blank" rel="noopener">
                        { "Open in the podlife playground" }
                    </a>{ " to edit the manifest and change the scenario." }
                </p>
            </main>
        };
    }

    html! {
        <>
            { page_header(html! { <>
                <GalleryMenu selected={AttrValue::from((*selected).clone())} {has_draft} {on_pick} />
                <button type="button" id="share" onclick={on_share} title="Copy a link to this manifest, its settings and the playhead">{ "Share" }</button>
                <label class="theme">
                    { "Theme " }
                    <select id="theme" onchange={on_theme}>
                        { for [("auto", "System"), ("light", "Light"), ("dark", "Dark")].into_iter().map(|(v, l)| html! {
                            <option value={v} selected={*theme == v}>{ l }</option>
                        }) }
                    </select>
                </label>
            </> }) }
            { link_note_html(&link_note) }
            <main class={classes!("playground", (*view == Mode::Compare).then_some("comparing"))}>
                <section class="editor-column" aria-label="Manifest">
                    if let Some(e) = example {
                        // Once edited (a learner's own pod pasted over it), the lesson is the example's, not theirs.
                        <p class={classes!("lesson", edited_example.then_some("edited"))}>
                            <strong>{ e.title }</strong>
                            if edited_example { <em>{ " (edited: its lesson may no longer hold)" }</em> }
                            { ": " }<span class="lesson-text">{ e.lesson }</span>
                        </p>
                    }
                    <ManifestEditor text={(*text).clone()} diagnostics={result.diagnostics.clone()} {on_edit} />
                    <DiagnosticList diagnostics={result.diagnostics.clone()} checked_lines={line_count} />
                </section>
                <section class="sim-column" aria-label="Simulated lifecycle" data-generation={generation.to_string()}>
                    { view_switch }
                    { simulation }
                    <ScenarioControls settings={(*settings).clone()} containers={names} on_change={on_settings}
                        manifest_scenario={shown_shape.scenario.clone().map(AttrValue::from)} hosts={hosts} />
                    if shown_comparison.is_none() { { narration } }
                </section>
            </main>
        </>
    }
}

/// How long to wait after an edit before running the core, given what the last run cost: nothing while
/// runs fit in a frame, then as long as a run takes (so typing is never blocked by runs it overtakes).
fn debounce_ms(last_run_ms: f64) -> i32 {
    if last_run_ms < 8.0 {
        0
    } else {
        last_run_ms.min(400.0) as i32
    }
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// The core's reason there is no twin, as the sentence after "Nothing to compare: ".
fn nothing_to_compare(message: &str) -> String {
    let reason = message
        .strip_prefix("nothing to convert: ")
        .unwrap_or(message);
    let mut chars = reason.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// What the page says about a link.
#[derive(Clone, PartialEq)]
enum LinkNote {
    /// A link was made: its address (also put on the clipboard).
    Shared(String),
    /// A link could not be opened or made, in words for the learner.
    Error(String),
}

fn link_note_html(note: &UseStateHandle<Option<LinkNote>>) -> Html {
    let dismiss = {
        let note = note.clone();
        Callback::from(move |_: MouseEvent| note.set(None))
    };
    match &**note {
        None => html! {},
        Some(LinkNote::Error(message)) => html! {
            <p class="link-note error" id="link-error" role="alert">
                { message.clone() }{ " " }
                <button type="button" class="link" onclick={dismiss}>{ "Dismiss" }</button>
            </p>
        },
        Some(LinkNote::Shared(address)) => html! {
            <p class="link-note" role="status">
                <label>{ "Link copied; anyone who opens it sees this manifest, its settings and this moment: " }
                    <input id="share-url" type="text" readonly=true value={address.clone()} size="40" />
                </label>{ " " }
                <button type="button" class="link" onclick={dismiss}>{ "Dismiss" }</button>
            </p>
        },
    }
}

fn confirm(message: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(message).ok())
        .unwrap_or(true)
}

/// What the colours and marks mean.
fn legend() -> Html {
    use podlife::trace::IntervalState as S;
    let states = [
        S::Waiting,
        S::Pulling,
        S::Running,
        S::Started,
        S::Ready,
        S::PostStart,
        S::Terminating,
        S::ExitedOk,
        S::ExitedError,
        S::BackOff,
    ];
    html! {
        <ul class="legend" aria-label="Legend">
            { for states.iter().map(|s| html! {
                <li><svg width="14" height="10" aria-hidden="true"><rect class={classes!("state", trace_view::state_class(*s))} width="14" height="10" /></svg>
                    { if *s == S::PostStart { "postStart / preStop" } else { trace_view::state_name(*s) } }</li>
            }) }
            <li><span class="mark">{ "▼" }</span>{ "probe failed" }</li>
            <li><span class="mark">{ "◆" }</span>{ "hook" }</li>
            <li><span class="mark failed">{ "◆" }</span>{ "hook failed" }</li>
            <li><span class="mark failed">{ "▲" }</span>{ "image pull failed" }</li>
            <li><span class="mark">{ "□" }</span>{ "kill begins (Killing)" }</li>
            <li><span class="mark">{ "│" }</span>{ "SIGTERM" }</li>
            <li><span class="mark">{ "◆│" }</span>{ "SIGKILL" }</li>
            <li><span class="mark">{ "●" }</span>{ "exit 0" }</li>
            <li><span class="mark">{ "✕" }</span>{ "exit ≠ 0" }</li>
            <li><span class="mark failed">{ "⊗" }</span>{ "OOMKilled" }</li>
        </ul>
    }
}
