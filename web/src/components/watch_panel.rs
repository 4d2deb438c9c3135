//! `kubectl get pod -w`: the lines printed so far, the newest last.

use yew::prelude::*;

use super::TraceRef;

#[derive(Properties, PartialEq)]
pub struct WatchPanelProps {
    pub trace: TraceRef,
    /// The playhead, in whole milliseconds (the panel redraws only when a line appears or goes).
    pub now_ms: u64,
}

#[component]
pub fn WatchPanel(props: &WatchPanelProps) -> Html {
    let rows = use_memo(props.trace.clone(), |t| podlife::views::watch_rows(&t.0));
    let now = props.now_ms as f64 / 1000.0;
    let shown = rows.partition_point(|r| r.t.as_secs() <= now);
    let name = props.trace.0.pod.name.clone();
    let mut table = vec![[
        "NAME".to_string(),
        "READY".into(),
        "STATUS".into(),
        "RESTARTS".into(),
        "AGE".into(),
    ]];
    for r in &rows[..shown] {
        table.push([
            name.clone(),
            r.ready.clone(),
            r.status.clone(),
            // "3 (42s ago)" as kubectl printed it when the line appeared (R87).
            r.restarts_text(),
            podlife::printers::age(podlife::time::Millis(r.t.0)),
        ]);
    }
    html! {
        <section class="panel watch" aria-labelledby="watch-title">
            <h3 id="watch-title"><code>{ format!("kubectl get pod {name} -w") }</code></h3>
            <pre class="terminal" tabindex="0" aria-live="polite">{ align(&table) }</pre>
        </section>
    }
}

/// Columns padded like kubectl's tab writer (three spaces between columns).
pub fn align<const N: usize>(rows: &[[String; N]]) -> String {
    let mut widths = [0usize; N];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < N {
                line.push_str(&" ".repeat(widths[i] - cell.chars().count() + 3));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
