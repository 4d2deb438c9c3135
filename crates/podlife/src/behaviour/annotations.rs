//! The `podlife.dev/behaviour.<container>` annotation: what a manifest cannot say about a container (how
//! long it takes to start serving, how long it runs, its exit code, what it does with SIGTERM, how its
//! probes answer, how long its image takes to pull, which ports it serves, how much memory it uses),
//! written so the manifest stays valid Kubernetes YAML. The syntax is documented in
//! `docs/annotations.md`.

use crate::sorted_map::SortedMap;

use crate::time::{parse_duration, Millis, SimTime};

use super::memory::{parse_memory_use, MemoryUse};

/// `podlife.dev/behaviour.<container-name>`.
pub const BEHAVIOUR_ANNOTATION_PREFIX: &str = "podlife.dev/behaviour.";
/// `podlife.dev/scenario`: timed actions (read by [`crate::scenario`]).
pub const SCENARIO_ANNOTATION: &str = "podlife.dev/scenario";
/// `podlife.dev/service.<host>`: when a host outside the pod answers.
pub const SERVICE_ANNOTATION_PREFIX: &str = "podlife.dev/service.";

/// The keys of the behaviour annotation, a word list.
const KEYS: &str = "start-delay run exit sigterm pull listens memory startup readiness liveness";

/// What the annotation overrides.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Overrides {
    pub start_delay: Option<Millis>,
    pub run: Option<Millis>,
    pub exit: Option<i32>,
    pub sigterm: Option<SigtermOverride>,
    pub pull: Option<Millis>,
    /// Pulls fail until then (`SimTime(u64::MAX)`: always).
    pub pull_fails_until: Option<SimTime>,
    pub listens: Option<Vec<u16>>,
    /// Memory it uses, by time since it started (R105).
    pub memory: Option<MemoryUse>,
    pub startup: Option<ProbeAnswer>,
    pub readiness: Option<ProbeAnswer>,
    pub liveness: Option<ProbeAnswer>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SigtermOverride {
    Ignore,
    Exit { code: i32, after: Millis },
}

/// How a probe answers, by time since the container started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ProbeAnswer {
    pub ok_after: Option<Millis>,
    pub fail_after: Option<Millis>,
    /// `ok` or `fail` without times.
    pub always: Option<bool>,
}

impl ProbeAnswer {
    pub fn at(&self, since_start: Millis) -> bool {
        if let Some(a) = self.always {
            return a;
        }
        let ok_from = self.ok_after.unwrap_or(Millis(0));
        match self.fail_after {
            None => since_start >= ok_from,
            Some(fail_from) if ok_from <= fail_from => {
                since_start >= ok_from && since_start < fail_from
            }
            Some(fail_from) => since_start < fail_from || since_start >= ok_from,
        }
    }

    pub fn describe(&self) -> String {
        match (self.always, self.ok_after, self.fail_after) {
            (Some(true), ..) => "succeeds".into(),
            (Some(false), ..) => "fails".into(),
            (None, Some(ok), None) => format!("fails until {}, then succeeds", secs(ok)),
            (None, None, Some(f)) => format!("succeeds until {}, then fails", secs(f)),
            (None, Some(ok), Some(f)) if ok <= f => {
                format!("succeeds from {} to {}", secs(ok), secs(f))
            }
            (None, Some(ok), Some(f)) => format!("fails from {} to {}", secs(f), secs(ok)),
            (None, None, None) => "succeeds".into(),
        }
    }
}

pub(crate) fn secs(d: Millis) -> String {
    if d.0 % 1000 == 0 {
        format!("{} s", d.0 / 1000)
    } else {
        format!("{} s", crate::time::secs_text(d.0))
    }
}

/// Reads `start-delay=2s; run=30s; exit=1; sigterm=exit=0 after=5s; readiness=ok-after=10s`.
/// Every problem is reported; the items that read well still apply.
pub(crate) fn parse_behaviour(text: &str) -> (Overrides, Vec<String>) {
    let mut o = Overrides::default();
    let mut errors = Vec::new();
    for item in text
        .split([';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let Some((key, value)) = item.split_once('=') else {
            errors.push(format!("\"{item}\": expected key=value (e.g. run=30s)"));
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        let result = match key {
            "start-delay" => duration(value).map(|d| o.start_delay = Some(d)),
            "run" => duration(value).map(|d| o.run = Some(d)),
            "exit" => exit_code(value).map(|c| o.exit = Some(c)),
            "sigterm" => sigterm(value).map(|s| o.sigterm = s),
            "pull" => pull(value, &mut o),
            "listens" => ports(value).map(|p| o.listens = Some(p)),
            "memory" => parse_memory_use(value).map(|m| o.memory = Some(m)),
            "startup" => probe(value).map(|p| o.startup = Some(p)),
            "readiness" => probe(value).map(|p| o.readiness = Some(p)),
            "liveness" => probe(value).map(|p| o.liveness = Some(p)),
            other => Err(unknown_key(other)),
        };
        if let Err(e) = result {
            errors.push(format!("{key}: {e}"));
        }
    }
    (o, errors)
}

fn unknown_key(key: &str) -> String {
    let best = KEYS
        .split(' ')
        .map(|k| (crate::edit_distance::jaro_winkler(k, key), k))
        .filter(|(score, k)| *score > 0.8 || crate::edit_distance::damerau_levenshtein(k, key) <= 1)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((_, k)) => format!("unknown key (did you mean `{k}`?)"),
        None => format!("unknown key (known: {})", KEYS.replace(' ', ", ")),
    }
}

fn duration(value: &str) -> Result<Millis, String> {
    parse_duration(value)
}

fn exit_code(value: &str) -> Result<i32, String> {
    match value.parse::<i32>() {
        Ok(c) if (0..=255).contains(&c) => Ok(c),
        _ => Err(format!("\"{value}\" is not an exit code (0-255)")),
    }
}

fn sigterm(value: &str) -> Result<Option<SigtermOverride>, String> {
    let mut words = value.split_whitespace();
    match words.next() {
        Some("ignore") if words.next().is_none() => Ok(Some(SigtermOverride::Ignore)),
        Some("default") if words.next().is_none() => Ok(None),
        Some(first) if first.starts_with("exit=") => {
            let code = exit_code(first.trim_start_matches("exit="))?;
            let mut after = Millis(0);
            for w in words {
                match w.split_once('=') {
                    Some(("after", d)) => after = duration(d)?,
                    _ => return Err(format!("\"{w}\": expected after=DURATION")),
                }
            }
            Ok(Some(SigtermOverride::Exit { code, after }))
        }
        _ => Err(format!(
            "\"{value}\": expected ignore, default, exit=N or exit=N after=DURATION"
        )),
    }
}

fn pull(value: &str, o: &mut Overrides) -> Result<(), String> {
    if value == "fail" {
        o.pull_fails_until = Some(SimTime(u64::MAX));
        return Ok(());
    }
    if let Some(d) = value.strip_prefix("fail-until=") {
        o.pull_fails_until = Some(SimTime(duration(d)?.0));
        return Ok(());
    }
    o.pull = Some(duration(value)?);
    Ok(())
}

fn ports(value: &str) -> Result<Vec<u16>, String> {
    value
        .split([',', ' '])
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.trim_start_matches(':')
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| format!("\"{p}\" is not a port (1-65535)"))
        })
        .collect()
}

fn probe(value: &str) -> Result<ProbeAnswer, String> {
    let mut answer = ProbeAnswer {
        ok_after: None,
        fail_after: None,
        always: None,
    };
    for w in value.split_whitespace() {
        match w.split_once('=') {
            None if w == "ok" => answer.always = Some(true),
            None if w == "fail" => answer.always = Some(false),
            Some(("ok-after", d)) => answer.ok_after = Some(duration(d)?),
            Some(("fail-after", d)) => answer.fail_after = Some(duration(d)?),
            _ => {
                return Err(format!(
                    "\"{w}\": expected ok, fail, ok-after=DURATION or fail-after=DURATION"
                ))
            }
        }
    }
    if answer.always.is_some() && (answer.ok_after.is_some() || answer.fail_after.is_some()) {
        return Err(format!("\"{value}\": ok/fail do not take times"));
    }
    if answer
        == (ProbeAnswer {
            ok_after: None,
            fail_after: None,
            always: None,
        })
    {
        return Err("empty probe answer: use ok, fail, ok-after=10s or fail-after=60s".into());
    }
    Ok(answer)
}

/// The behaviour annotation of `container` among a pod's annotations.
pub fn behaviour_annotation<'a>(
    annotations: &'a SortedMap<String, String>,
    container: &str,
) -> Option<&'a str> {
    annotations
        .get(&format!("{BEHAVIOUR_ANNOTATION_PREFIX}{container}"))
        .map(String::as_str)
}

/// Behaviour annotations that name no container of the pod, as warnings.
pub fn stray_behaviour_annotations(
    annotations: &SortedMap<String, String>,
    containers: &[&str],
) -> Vec<String> {
    annotations
        .keys()
        .filter_map(|k| k.strip_prefix(BEHAVIOUR_ANNOTATION_PREFIX))
        .filter(|name| !containers.contains(name))
        .map(|name| {
            format!(
                "annotation {BEHAVIOUR_ANNOTATION_PREFIX}{name}: the pod has no container \"{name}\" \
                 (containers: {})",
                containers.join(", ")
            )
        })
        .collect()
}

/// Reads `podlife.dev/service.<host>: "up-at=12s"`: when `host` starts answering.
pub fn parse_service_annotation(value: &str) -> Result<SimTime, String> {
    let value = value.trim();
    match value.split_once('=') {
        Some(("up-at", d)) => parse_duration(d.trim()).map(|m| SimTime(m.0)),
        _ => Err(format!(
            "\"{value}\": expected up-at=DURATION (e.g. up-at=12s)"
        )),
    }
}

/// The services of a pod's annotations: `(host, up at)`, and the problems.
pub fn service_annotations(
    annotations: &SortedMap<String, String>,
) -> (Vec<(String, SimTime)>, Vec<String>) {
    let mut services = Vec::new();
    let mut errors = Vec::new();
    for (k, v) in annotations {
        if let Some(host) = k.strip_prefix(SERVICE_ANNOTATION_PREFIX) {
            match parse_service_annotation(v) {
                Ok(t) => services.push((host.to_string(), t)),
                Err(e) => errors.push(format!("annotation {k}: {e}")),
            }
        }
    }
    (services, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaviour_annotation_reads_every_key() {
        let (o, errors) = parse_behaviour(
            "start-delay=2s; run=30s; exit=1; sigterm=exit=0 after=5s; pull=3s; listens=8080,9090; \
             startup=fail; readiness=ok-after=10s; liveness=fail-after=60s",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(o.start_delay, Some(Millis(2000)));
        assert_eq!(o.run, Some(Millis(30_000)));
        assert_eq!(o.exit, Some(1));
        assert_eq!(
            o.sigterm,
            Some(SigtermOverride::Exit {
                code: 0,
                after: Millis(5000)
            })
        );
        assert_eq!(o.pull, Some(Millis(3000)));
        assert_eq!(o.listens, Some(vec![8080, 9090]));
        assert!(!o.startup.unwrap().at(Millis(1_000_000)));
        let readiness = o.readiness.unwrap();
        assert!(!readiness.at(Millis(9_999)));
        assert!(readiness.at(Millis(10_000)));
        let liveness = o.liveness.unwrap();
        assert!(liveness.at(Millis(59_999)));
        assert!(!liveness.at(Millis(60_000)));
    }

    #[test]
    fn bad_annotation_text_is_reported_never_a_panic() {
        let (o, errors) =
            parse_behaviour("run=abc; exit=300; sigterm=maybe; colour=blue; startup=; x; rnu=3s");
        assert_eq!(errors.len(), 7, "{errors:?}");
        assert!(errors.iter().any(|e| e.contains("did you mean `run`")));
        assert_eq!(o, Overrides::default());
        let (o, errors) = parse_behaviour("sigterm=ignore;;  ; pull=fail");
        assert!(errors.is_empty());
        assert_eq!(o.sigterm, Some(SigtermOverride::Ignore));
        assert_eq!(o.pull_fails_until, Some(SimTime(u64::MAX)));
    }

    #[test]
    fn a_probe_can_fail_for_a_while() {
        let (o, _) = parse_behaviour("liveness=fail-after=10s ok-after=20s");
        let l = o.liveness.unwrap();
        assert!(l.at(Millis(5_000)));
        assert!(!l.at(Millis(15_000)));
        assert!(l.at(Millis(25_000)));
    }

    #[test]
    fn service_annotations_say_when_a_host_answers() {
        assert_eq!(parse_service_annotation("up-at=12s"), Ok(SimTime(12_000)));
        assert!(parse_service_annotation("12s").is_err());
        let mut a = SortedMap::new();
        a.insert("podlife.dev/service.db".to_string(), "up-at=7s".to_string());
        a.insert(
            "podlife.dev/behaviour.ghost".to_string(),
            "run=1s".to_string(),
        );
        assert_eq!(
            service_annotations(&a).0,
            vec![("db".to_string(), SimTime(7000))]
        );
        assert_eq!(stray_behaviour_annotations(&a, &["app"]).len(), 1);
    }
}
