//! Play/pause, previous/next event, jumps, the scrubber and the speed: every control labelled, the
//! keyboard shortcuts written next to them.

use yew::prelude::*;

use crate::svg_number::n;

use crate::playback::{speed_text, Playback, PlaybackAction, SPEEDS};
use crate::trace_view::fmt_secs;

#[derive(Properties, PartialEq)]
pub struct PlaybackControlsProps {
    pub playback: Playback,
    pub on_action: Callback<PlaybackAction>,
}

#[component]
pub fn PlaybackControls(props: &PlaybackControlsProps) -> Html {
    let p = &props.playback;
    let send = |action: PlaybackAction| {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(action.clone()))
    };
    let on_scrub = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Ok(t) = input.value().parse::<f64>() {
                on_action.emit(PlaybackAction::Seek(t));
            }
        })
    };
    let on_speed = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(s) = select.value().parse::<f64>() {
                on_action.emit(PlaybackAction::Speed(s));
            }
        })
    };
    html! {
        <div class="playback" role="group" aria-label="Playback">
            <button type="button" onclick={send(PlaybackAction::Start)} title="Jump to the start (Home)" aria-label="Jump to the start">{ icon("M3 2v12M14 2 6 8l8 6z") }</button>
            <button type="button" onclick={send(PlaybackAction::PreviousEvent)} title="Previous event (←)" aria-label="Previous event">{ icon("M12 2 4 8l8 6z") }</button>
            <button type="button" class="play" onclick={send(PlaybackAction::Toggle)} title="Play or pause (Space)"
                    aria-label={if p.playing { "Pause" } else { "Play" }} aria-pressed={p.playing.to_string()}>
                if p.playing { { icon("M3 2h3v12H3zM10 2h3v12h-3z") }{ " Pause" } } else { { icon("M4 2l10 6-10 6z") }{ " Play" } }
            </button>
            <button type="button" onclick={send(PlaybackAction::NextEvent)} title="Next event (→)" aria-label="Next event">{ icon("M4 2l8 6-8 6z") }</button>
            <button type="button" onclick={send(PlaybackAction::End)} title="Jump to the end (End)" aria-label="Jump to the end">{ icon("M2 2l8 6-8 6zM13 2v12") }</button>
            if p.deletion.is_some() {
                <button type="button" onclick={send(PlaybackAction::Deletion)} title="Jump to the moment the pod is deleted">{ "Jump to deletion" }</button>
            }
            <label class="scrub">
                <span class="visually-hidden">{ "Playhead (seconds)" }</span>
                <input type="range" min="0" max={n(p.end).to_string()} step="0.1" value={n(p.t).to_string()} oninput={on_scrub}
                       aria-valuetext={format!("{} seconds", fmt_secs((p.t * 10.0).round() / 10.0))} />
            </label>
            <output class="clock" aria-live="off">{ format!("{} s / {} s", fmt_secs((p.t * 10.0).floor() / 10.0), fmt_secs(p.end)) }</output>
            <label class="speed">
                { "Speed " }
                <select onchange={on_speed}>
                    { for SPEEDS.iter().map(|s| html! {
                        <option value={speed_text(*s)} selected={*s == p.speed}>{ format!("{}×", speed_text(*s)) }</option>
                    }) }
                </select>
            </label>
        </div>
    }
}

/// A 16×16 icon drawn with the text colour (no icon font: nothing to download, no missing glyphs).
fn icon(d: &'static str) -> Html {
    html! {
        <svg class="icon" width="14" height="14" viewBox="0 0 16 16" aria-hidden="true">
            <path d={d} />
        </svg>
    }
}
