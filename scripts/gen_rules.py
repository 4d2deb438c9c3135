#!/usr/bin/env python3
"""Regenerates the data of crates/podlife/src/rules.rs from the rulebook.

    python3 scripts/gen_rules.py docs/kubelet-rules.md > /tmp/rules_data.rs

prints the `RULES` entries (one `r(...)` call per rule); paste them between the `// BEGIN RULES`
and `// END RULES` markers of crates/podlife/src/rules.rs (the block is `#[rustfmt::skip]`). The
rulebook lives beside the repository and is not in CI, so rules.rs holds the committed result.

Titles come from each rule's bold heading, or from TITLES below where the heading is too terse for the
UI's "why" panel or longer than 80 characters. The source is the first upstream file the rule cites;
short names (`validation.go`, `computePodActions`, an e2e test name) are resolved by SHORT_NAMES, and a
rule that cites only a KEP or the docs links that.
"""
import re
import sys

K = "kubernetes/kubernetes"
E = "kubernetes/enhancements"
W = "kubernetes/website"

# Short names the rulebook uses after the first mention, with the repository and full path they mean.
SHORT_NAMES = [
    ("`validation.go`", K, "pkg/apis/core/validation/validation.go"),
    ("`kuberuntime_container.go`", K, "pkg/kubelet/kuberuntime/kuberuntime_container.go"),
    ("`kuberuntime_manager.go`", K, "pkg/kubelet/kuberuntime/kuberuntime_manager.go"),
    ("`kuberuntime_termination_order.go`", K, "pkg/kubelet/kuberuntime/kuberuntime_termination_order.go"),
    ("`computeInitContainerActions`", K, "pkg/kubelet/kuberuntime/kuberuntime_container.go"),
    ("`computePodActions`", K, "pkg/kubelet/kuberuntime/kuberuntime_manager.go"),
    ("`SyncPod`", K, "pkg/kubelet/kuberuntime/kuberuntime_manager.go"),
    ("`killContainersWithSyncResult`", K, "pkg/kubelet/kuberuntime/kuberuntime_container.go"),
    ("`killContainer`", K, "pkg/kubelet/kuberuntime/kuberuntime_container.go"),
    ("`worker.go`", K, "pkg/kubelet/prober/worker.go"),
    ("`prober_manager.go`", K, "pkg/kubelet/prober/prober_manager.go"),
    ("`generate.go`", K, "pkg/kubelet/status/generate.go"),
    ("`status_manager.go`", K, "pkg/kubelet/status/status_manager.go"),
    ("`kubelet_pods.go`", K, "pkg/kubelet/kubelet_pods.go"),
    ("`getPhase`", K, "pkg/kubelet/kubelet_pods.go"),
    ("`kubelet.go`", K, "pkg/kubelet/kubelet.go"),
    ("`printPod`", K, "pkg/printers/internalversion/printers.go"),
    ("KEP-753 README", E, "keps/sig-node/753-sidecar-containers/README.md"),
    ("docs `sidecar-containers.md`", W, "content/en/docs/concepts/workloads/pods/sidecar-containers.md"),
    ("docs `pod-lifecycle.md`", W, "content/en/docs/concepts/workloads/pods/pod-lifecycle.md"),
    ("e2e \"", K, "test/e2e_node/container_lifecycle_test.go"),
    ("e2e exit-code", K, "test/e2e_node/container_lifecycle_test.go"),
]

# kubernetes.io pages for the website's Markdown sources.
DOCS_PAGES = {
    "content/en/docs/concepts/workloads/pods/sidecar-containers.md":
        "https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/",
    "content/en/docs/concepts/workloads/pods/pod-lifecycle.md":
        "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/",
}

# Sources the rulebook gives without a file of its own.
SOURCE_OVERRIDES = {
    # "the matching keps/sig-node/*/kep.yaml": the folder of node KEPs.
    "R8": (E, "keps/sig-node"),
    # derived from R82-R88, which follow printPod.
    # the back-off is set up in kubelet.go; kuberuntime_manager.go only reads it.
    "R53": (K, "pkg/kubelet/kubelet.go"),
    "R89": (K, "pkg/printers/internalversion/printers.go"),
    # the rule's own source line (its 2026-12 addition about probe kills cites SyncPod first).
    "R53": (K, "pkg/kubelet/kubelet.go"),
    # the e2e test is cited by name only; the KEP it belongs to is the file to read.
    "R97": (E, "keps/sig-node/4781-kublet-restart-pod-status/README.md"),
}

TITLES = {
    "R2": "SidecarContainers: alpha in 1.28, beta (on by default) in 1.29, GA in 1.33",
    "R3": "With the gate off, the API server silently drops restartPolicy: Always",
    "R6": "Sidecars are not restarted during pod termination in any release up to 1.36",
    "R8": "Other feature gates that change the pod lifecycle",
    "R12": "Container names are unique across init, regular and ephemeral containers",
    "R14": "Probe fields: thresholds, probe grace period, exactly one handler",
    "R19": "Job templates: restartPolicy OnFailure or Never",
    "R25": "Regular containers wait for initialization to finish",
    "R26": "Regular containers start one after another, in spec order, in one sync",
    "R28": "postStart runs beside the entrypoint and blocks the next container",
    "R30": "Timing: exits are noticed by the 1 s relist, probe results sync at once",
    "R32": "Only regular containers and sidecars have probes",
    "R33": "Probe thresholds, and each probe's result before its first attempt",
    "R34": "Probe workers start with the pod and tick every periodSeconds",
    "R35": "Started once the startup probe passes (at once without one); failing kills it",
    "R36": "A failing liveness probe kills the container, which restarts by policy",
    "R37": "A readiness probe only sets Ready; it never restarts anything",
    "R42": "While a pod terminates, liveness and startup probes stop; readiness goes on",
    "R44": "The scheduler sets PodScheduled; the kubelet the other four conditions",
    "R45": "Initialized: every init container exited 0 and every sidecar is started",
    "R46": "ContainersReady: every regular container and sidecar is Ready",
    "R47": "Ready: ContainersReady and every readiness gate",
    "R48": "The order in which the pod conditions become True",
    "R49": "Ready during termination: probes decide, a terminal phase clears it",
    "R50": "The pod's restartPolicy governs regular and init containers",
    "R51": "A failed init container: retried, or the pod Fails under Never",
    "R53": "Crash-loop back-off: 10 s, doubling up to 300 s",
    "R54": "Back-off shows as waiting with reason CrashLoopBackOff",
    "R56": "A regular container's restart reruns no init container and no sidecar",
    "R57": "Probe kills restart a regular container unless restartPolicy is Never",
    "R60": "How the kubelet computes the pod phase (first match wins)",
    "R67": "The API server sets the deletion grace period",
    "R68": "The grace period the kubelet uses to kill a pod",
    "R69": "Termination stops probes and kills all containers at once",
    "R70": "Stopping a container: preStop, then SIGTERM, then SIGKILL",
    "R76": "Exit codes: 137 after SIGKILL, 143 after SIGTERM, or the handler's own",
    "R83": "kubectl's STATUS starts as the pod phase (or status.reason)",
    "R84": "kubectl's STATUS: the init-container pass (Init:N/M, Init:Error ...)",
    "R85": "kubectl's STATUS: the regular-container pass (waiting or terminated reason)",
    "R86": "Deleted pods show Terminating",
    "R87": "kubectl's RESTARTS column",
    "R88": "Waiting reasons before a container exists: PodInitializing, ContainerCreating",
    "R89": "Typical STATUS sequences in kubectl get pod",
    "R94": "Pod requests with sidecars, for scheduling and admission",
    "R95": "Sidecars get an OOM score no worse than the regular containers",
    "R99": "ContainerRestartRules: per-container restartPolicy and rules (1.34+)",
    "R100": "RestartAllContainersOnContainerExits: restart the whole pod in place (1.35+)",
    "R101": "SidecarsRestartableDuringPodTermination: sidecars restart while terminating",
}


def url(repo, path):
    if repo == W:
        return DOCS_PAGES[path]
    kind = "blob" if "." in path.rsplit("/", 1)[-1] else "tree"
    return f"https://github.com/{repo}/{kind}/master/{path}"


def first_source(rule_id, text):
    if rule_id in SOURCE_OVERRIDES:
        return SOURCE_OVERRIDES[rule_id]
    candidates = []
    for m in re.finditer(r"(kubernetes/kubernetes|enhancements|istio/istio)\s+`([^`]+/[^`]+)`", text):
        repo = {"enhancements": E}.get(m.group(1), m.group(1))
        candidates.append((m.start(), repo, m.group(2)))
    # A bare path after a `;` keeps the repository of the mention before it.
    for m in re.finditer(r"`((?:pkg|test|staging|keps)/[^`]+)`", text):
        if not any(c[0] <= m.start() <= c[0] + 40 + len(c[2]) for c in candidates):
            before = [c for c in candidates if c[0] < m.start()]
            repo = before[-1][1] if before else (E if m.group(1).startswith("keps/") else K)
            candidates.append((m.start(), repo, m.group(1)))
    for needle, repo, path in SHORT_NAMES:
        at = text.find(needle)
        if at >= 0:
            candidates.append((at, repo, path))
    if not candidates:
        raise SystemExit(f"{rule_id}: no source found in {text!r}")
    _, repo, path = min(candidates)
    return repo, path.rstrip("/")


def title_of(rule_id, heading):
    if rule_id in TITLES:
        return TITLES[rule_id]
    return heading.replace("`", "").replace('"', "").strip().rstrip(".")


def main():
    text = open(sys.argv[1] if len(sys.argv) > 1 else "docs/kubelet-rules.md").read()
    parts = re.split(r"\n(?=\*\*R\d+\. )", text)[1:]
    for part in parts:
        m = re.match(r"\*\*(R\d+)\. (.*?)\*\*", part, re.S)
        rule_id, heading = m.group(1), " ".join(m.group(2).split())
        src = re.search(r"\*Source:?\*:?(.*?)(?:\n\n|\n---|\Z)", part, re.S)
        repo, path = first_source(rule_id, " ".join(src.group(1).split()) if src else "")
        title = title_of(rule_id, heading)
        assert len(title) <= 80, (rule_id, title)
        source = f"{repo} {path}"
        print(f'    r("{rule_id}", "{title}", "{source}", "{url(repo, path)}"),')


main()
