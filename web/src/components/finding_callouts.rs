//! The comparison's findings as callouts: each numbered as its pins on the timelines, with what it
//! says of each variant, buttons that move the playhead to the moments that prove it, and its rules.
//! Findings the scenario cannot show are listed last, folded, with the reason.

use podlife::compare::{Finding, Side};
use yew::prelude::*;

use super::with_code;
use crate::comparison::{by_instant, ComparisonView};
use crate::trace_view::fmt_secs;

/// The callouts (a plain function, as [`super::compare_view::compare_view`] is).
pub fn finding_callouts(view: &ComparisonView, on_seek: &Callback<f64>) -> Html {
    let (shown, others) = view.findings.split_at(view.callouts);
    html! {
        <section class="findings" aria-labelledby="findings-title">
            <h3 id="findings-title">{ "What differs" }</h3>
            <ol class="callouts">
                { for shown.iter().enumerate().map(|(k, f)| callout(k + 1, f, on_seek)) }
            </ol>
            if !others.is_empty() {
                <details class="not-shown">
                    <summary>{ format!("Not shown by this scenario ({})", others.len()) }</summary>
                    <ul>
                        { for others.iter().map(|f| html! { <li>{ f.sentence.clone() }</li> }) }
                    </ul>
                </details>
            }
        </section>
    }
}

/// After a moment button: when the timelines have scrolled out of sight above, bring them back, so the
/// playhead's move is seen.
fn bring_timelines_into_view() {
    let pair = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(".compare-pair").ok().flatten());
    if let Some(pair) = pair {
        if pair.get_bounding_client_rect().bottom() < 80.0 {
            pair.scroll_into_view_with_bool(true);
        }
    }
}

fn callout(number: usize, f: &Finding, on_seek: &Callback<f64>) -> Html {
    let side = |name: &'static str, side: &Side| {
        html! {
            <div class={classes!("side", format!("side-{name}"))}>
                <dt>{ name }</dt>
                <dd>
                    { with_code(&side.text) }
                    if !side.moments.is_empty() {
                        <span class="moments">
                            { for by_instant(side).into_iter().map(|(t, what)| {
                                let on_seek = on_seek.clone();
                                let label = format!("Move the playhead to {} s: {what}", fmt_secs(t));
                                html! {
                                    <button type="button" class="moment" onclick={Callback::from(move |_: MouseEvent| { on_seek.emit(t); bring_timelines_into_view(); })}
                                            title={label.clone()} aria-label={label}>
                                        { format!("{} s", fmt_secs(t)) }
                                    </button>
                                }
                            }) }
                        </span>
                    }
                </dd>
            </div>
        }
    };
    html! {
        <li class="callout" data-kind={f.kind.name()} id={format!("finding-{number}")}>
            <h4><span class="badge" aria-hidden="true">{ number }</span>{ f.title.clone() }</h4>
            <dl>
                { side("legacy", &f.sides.legacy) }
                { side("native", &f.sides.native) }
            </dl>
            <p class="rules">
                { "Kubelet rules: " }
                { for f.rules.iter().enumerate().map(|(i, id)| {
                    let sep = if i > 0 { ", " } else { "" };
                    match podlife::rules::rule(id) {
                        // kubernetes.io first: it is what a learner preparing for the CKA/CKAD may use.
                        Some(r) => {
                            let href = if r.learn.is_empty() { r.url } else { r.learn };
                            html! { <>{ sep }<a {href} title={r.title} target="_blank" rel="noopener">{ format!("{id} {}", r.title) }</a></> }
                        }
                        None => html! { <>{ sep }{ *id }</> },
                    }
                }) }
            </p>
        </li>
    }
}
