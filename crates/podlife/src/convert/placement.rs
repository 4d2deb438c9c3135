//! Where a moved sidecar goes, and why. The rules are symmetric so that legacy → native → legacy gives
//! the original order back:
//!
//! - **to native** (into `initContainers`): a proxy goes right before the first init container that
//!   makes network calls (`nc`, `curl`, `wget`, a database client, a migration), because a native
//!   sidecar declared before an init container is running while it runs and can carry its traffic
//!   (R22, R24, R91); with no such init container it goes after them all. Everything else (a log
//!   shipper, a metrics agent) goes after the existing init containers, just before the app (R25).
//! - **to legacy** (into `containers`): a proxy the app waits for (it has a startupProbe or a
//!   postStart hook) goes first, since a legacy pod starts its containers in list order (R26) and
//!   Istio's holdApplicationUntilProxyStarts puts the proxy first (R90); everything else goes last,
//!   after the app, where legacy sidecars are usually declared.
//!
//! Several sidecars keep their relative order in both directions.

use super::detect::{network_evidence, SidecarRole};
use crate::model::{Container, Workload};

/// Where in the target list a container goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Anchor {
    /// Before the item of this name (the first init container that needs the proxy).
    Before(String),
    /// At this index (clamped to the list's end).
    At(usize),
    /// After the last item.
    End,
}

/// Does the app wait for this sidecar at start-up? (a startupProbe or a postStart hook holds the
/// containers after a native sidecar back, R23).
pub(super) fn app_waits_for(c: &Container) -> bool {
    c.startup_probe.is_some() || c.lifecycle.as_ref().is_some_and(|l| l.post_start.is_some())
}

/// legacy → native: the anchor in `initContainers` and the reason.
pub(super) fn to_native(workload: &Workload, role: SidecarRole) -> (Anchor, String) {
    let init = &workload.pod.init_containers;
    let plain_init: Vec<&Container> = init.iter().filter(|c| !c.is_restartable()).collect();
    if role == SidecarRole::Proxy {
        let needing = plain_init
            .iter()
            .find_map(|c| network_evidence(c).map(|why| (c.name.clone(), why)));
        return match needing {
            Some((name, why)) => (
                Anchor::Before(name.clone()),
                format!(
                    "a proxy: placed before init container \"{name}\", which makes network calls ({why}); a native \
                     sidecar declared before an init container is already running when that one runs, so it can \
                     carry its traffic (R22, R24, R91), and the app starts only after it has started (R25)"
                ),
            ),
            None if init.is_empty() => (
                Anchor::End,
                "a proxy: the only init container; the app starts only after it has started (R22, R25)".into(),
            ),
            None => (
                Anchor::End,
                "a proxy: placed after the existing init containers, since none of them makes network calls (podlife \
                 looks for nc, curl, wget, database clients, migrations and URLs), and before the app, which starts \
                 only after it has started (R25)"
                    .into(),
            ),
        };
    }
    let reads_to_the_end = if role == SidecarRole::Logs {
        ", so it can read the app's logs to the end"
    } else {
        ""
    };
    let placed = if init.is_empty() {
        "the only init container, so it starts right before the app (R22, R25)".to_string()
    } else {
        "placed after the existing init containers, just before the app, since no init container needs it: it \
         starts right before the app (R25)"
            .to_string()
    };
    (
        Anchor::End,
        format!(
            "{}: {placed} and is stopped only after the app has exited (R71){reads_to_the_end}",
            role.noun()
        ),
    )
}

/// native → legacy: the anchor in `containers` (`first_placed`: how many sidecars already went to the
/// front) and the reason.
pub(super) fn to_legacy(
    workload: &Workload,
    c: &Container,
    role: SidecarRole,
    first_placed: usize,
) -> (Anchor, String) {
    // The init containers after it that it served (R91): they lose it.
    let position = workload
        .pod
        .init_containers
        .iter()
        .position(|i| i.name == c.name)
        .unwrap_or(0);
    let served: Vec<String> = workload
        .pod
        .init_containers
        .iter()
        .skip(position + 1)
        .filter(|i| !i.is_restartable() && network_evidence(i).is_some())
        .map(|i| format!("\"{}\"", i.name))
        .collect();
    let lost = if role == SidecarRole::Proxy && !served.is_empty() {
        format!(
            "; init container{} {} can no longer use it: a legacy sidecar starts only after all init containers (R91)",
            if served.len() == 1 { "" } else { "s" },
            served.join(", ")
        )
    } else {
        String::new()
    };
    if role == SidecarRole::Proxy && app_waits_for(c) {
        let holds = if c.startup_probe.is_some() {
            "a startupProbe"
        } else {
            "a postStart hook"
        };
        return (
            Anchor::At(first_placed),
            format!(
                "a proxy the app waits for ({holds}): placed first in containers, because a legacy pod starts its \
                 containers in list order (R26); only a blocking postStart hook makes the app wait for it, as \
                 Istio's holdApplicationUntilProxyStarts does (R90){lost}"
            ),
        );
    }
    let what = match role {
        SidecarRole::Logs => "a log shipper: placed last in containers, after the app",
        SidecarRole::Proxy => {
            "a proxy nothing waits for at start-up (no startupProbe or postStart hook): placed last in containers, \
             after the app"
        }
        _ => "placed last in containers, after the app",
    };
    (
        Anchor::End,
        format!(
            "{what}, where legacy sidecars are usually declared; as a regular container it starts only after the \
             init containers (R91) and gets SIGTERM together with the app (R92){lost}"
        ),
    )
}
