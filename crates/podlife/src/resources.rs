//! The pod's resource requests as the scheduler and the kubelet's admission compute them (R94;
//! k8s.io/component-helpers `resource/helpers.go` `PodRequests`): init containers run one at a time, but a
//! sidecar keeps running beside every container after it, so
//!
//! - `InitContainerUse(i) = sum(requests of sidecars before i) + request(i)` (a sidecar counts itself),
//! - `effectiveInit = max_i InitContainerUse(i)`,
//! - `podRequest = max(effectiveInit, sum(regular) + sum(sidecars))` (plus the RuntimeClass overhead,
//!   which podlife does not model).
//!
//! Quantities are read as `resource.Quantity` reads them (`100m`, `0.5`, `1`, `128Mi`, `1Gi`, `1e3`,
//! `500M`); a container with a limit and no request gets the limit as its request (the API server's
//! defaulting, `SetDefaults_Pod`).

use serde::Serialize;

use crate::json::Value;
use crate::model::{Container, PodSpec};
use crate::pod_status::ContainerKind;

/// CPU in millicores and memory in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Requests {
    pub cpu_millicores: u64,
    pub memory_bytes: u64,
}

impl Requests {
    fn plus(self, o: Requests) -> Requests {
        Requests {
            cpu_millicores: self.cpu_millicores.saturating_add(o.cpu_millicores),
            memory_bytes: self.memory_bytes.saturating_add(o.memory_bytes),
        }
    }

    fn max(self, o: Requests) -> Requests {
        Requests {
            cpu_millicores: self.cpu_millicores.max(o.cpu_millicores),
            memory_bytes: self.memory_bytes.max(o.memory_bytes),
        }
    }

    /// `cpu 150m, memory 96Mi`.
    pub fn describe(self) -> String {
        format!(
            "cpu {}, memory {}",
            cpu_text(self.cpu_millicores),
            memory_text(self.memory_bytes)
        )
    }
}

/// The R94 computation for one pod, with its parts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodRequests {
    /// What the scheduler reserves.
    pub pod: Requests,
    /// `max_i InitContainerUse(i)`.
    pub effective_init: Requests,
    /// `sum(regular) + sum(sidecars)`: what runs together once the pod is initialized.
    pub long_running: Requests,
    /// Does any container say anything about cpu or memory?
    pub declared: bool,
    /// Quantities that could not be read (`container cpu "lots"`), counted as 0.
    pub unreadable: Vec<String>,
}

impl Requests {
    fn to_json(self) -> Value {
        Value::object([
            ("cpuMillicores", self.cpu_millicores.into()),
            ("memoryBytes", self.memory_bytes.into()),
        ])
    }
}

impl PodRequests {
    /// The same object its `Serialize` writes, as a JSON tree.
    pub fn to_json(&self) -> Value {
        Value::object([
            ("pod", self.pod.to_json()),
            ("effectiveInit", self.effective_init.to_json()),
            ("longRunning", self.long_running.to_json()),
            ("declared", self.declared.into()),
            ("unreadable", self.unreadable.clone().into()),
        ])
    }
}

/// A container of the pod as R94 needs it: its kind (as the kubelet model read it) and its spec.
pub struct Member<'a> {
    pub kind: ContainerKind,
    pub spec: &'a Container,
}

/// The members of `pod` in spec order (init containers, then regular), with the kinds given by
/// `kind_of` (the trace's reading, which knows whether the version kept `restartPolicy: Always`).
pub fn members<'a>(
    pod: &'a PodSpec,
    kind_of: impl Fn(&str) -> Option<ContainerKind>,
) -> Vec<Member<'a>> {
    let init = pod.init_containers.iter().map(|c| Member {
        kind: kind_of(&c.name).unwrap_or(if c.is_restartable() {
            ContainerKind::Sidecar
        } else {
            ContainerKind::Init
        }),
        spec: c,
    });
    let regular = pod.containers.iter().map(|c| Member {
        kind: ContainerKind::Regular,
        spec: c,
    });
    init.chain(regular).collect()
}

/// R94 over the members, in spec order.
pub fn pod_requests(members: &[Member<'_>]) -> PodRequests {
    let mut out = PodRequests::default();
    let mut sidecars_so_far = Requests::default();
    for m in members {
        let r = container_requests(m.spec, &mut out);
        match m.kind {
            ContainerKind::Sidecar => {
                sidecars_so_far = sidecars_so_far.plus(r);
                out.effective_init = out.effective_init.max(sidecars_so_far);
                out.long_running = out.long_running.plus(r);
            }
            ContainerKind::Init => {
                out.effective_init = out.effective_init.max(sidecars_so_far.plus(r));
            }
            ContainerKind::Regular => out.long_running = out.long_running.plus(r),
        }
    }
    out.pod = out.effective_init.max(out.long_running);
    out
}

/// One container's requests: `requests`, else `limits` (the API server copies a limit into a missing
/// request).
fn container_requests(c: &Container, out: &mut PodRequests) -> Requests {
    let Some(res) = &c.resources else {
        return Requests::default();
    };
    let mut pick = |name: &str, read: fn(&str) -> Option<u64>| -> u64 {
        let text = res.requests.get(name).or_else(|| res.limits.get(name));
        let Some(text) = text else { return 0 };
        out.declared = true;
        read(text).unwrap_or_else(|| {
            out.unreadable
                .push(format!("container \"{}\" {name} \"{text}\"", c.name));
            0
        })
    };
    Requests {
        cpu_millicores: pick("cpu", cpu_millicores),
        memory_bytes: pick("memory", memory_bytes),
    }
}

/// A quantity as a fraction `numerator / denominator`, exactly (`1.5Gi` = 3·2^30 / 2).
fn quantity(text: &str) -> Option<(u128, u128)> {
    let t = text.trim();
    let (number, suffix) = match t.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+')) {
        Some(i) => t.split_at(i),
        None => (t, ""),
    };
    let number = number.strip_prefix('+').unwrap_or(number);
    if number.is_empty() || number == "." {
        return None;
    }
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if !whole.chars().all(|c| c.is_ascii_digit()) || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if fraction.len() > 18 || whole.len() > 20 {
        return None;
    }
    let digits: u128 = format!("{whole}{fraction}").parse().ok()?;
    let mut denominator: u128 = 10u128.checked_pow(fraction.len() as u32)?;
    let mut multiplier: u128 = 1;
    match suffix {
        "" => {}
        "m" => denominator = denominator.checked_mul(1000)?,
        "k" => multiplier = 1_000,
        "M" => multiplier = 1_000_000,
        "G" => multiplier = 1_000_000_000,
        "T" => multiplier = 1_000_000_000_000,
        "P" => multiplier = 1_000_000_000_000_000,
        "E" => multiplier = 1_000_000_000_000_000_000,
        "Ki" => multiplier = 1 << 10,
        "Mi" => multiplier = 1 << 20,
        "Gi" => multiplier = 1 << 30,
        "Ti" => multiplier = 1 << 40,
        "Pi" => multiplier = 1 << 50,
        "Ei" => multiplier = 1 << 60,
        s => {
            // A decimal exponent: `1e3`, `12E6`.
            let exp = s.strip_prefix(['e', 'E'])?;
            let (negative, exp) = match exp.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, exp.strip_prefix('+').unwrap_or(exp)),
            };
            let n: u32 = exp.parse().ok().filter(|n| *n <= 18)?;
            if negative {
                denominator = denominator.checked_mul(10u128.pow(n))?;
            } else {
                multiplier = 10u128.pow(n);
            }
        }
    }
    Some((digits.checked_mul(multiplier)?, denominator))
}

/// CPU as millicores, rounded up as `Quantity.MilliValue` does (`0.5` → 500, `100m` → 100).
pub fn cpu_millicores(text: &str) -> Option<u64> {
    let (n, d) = quantity(text)?;
    u64::try_from((n.checked_mul(1000)?).div_ceil(d)).ok()
}

/// Memory as bytes, rounded up as `Quantity.Value` does (`128Mi` → 134217728, `1G` → 10^9).
pub fn memory_bytes(text: &str) -> Option<u64> {
    let (n, d) = quantity(text)?;
    u64::try_from(n.div_ceil(d)).ok()
}

/// `250m`, `1`, `1.5` (whole and half cores read better as cores).
pub fn cpu_text(millicores: u64) -> String {
    if millicores % 1000 == 0 {
        format!("{}", millicores / 1000)
    } else {
        format!("{millicores}m")
    }
}

/// `96Mi`, `1Gi`, `1500000` (bytes when no binary unit divides it).
pub fn memory_text(bytes: u64) -> String {
    in_largest_unit(bytes, &[("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)])
}

/// `bytes` in the first of `units` (largest first) that divides it exactly, else as a plain number.
pub fn in_largest_unit(bytes: u64, units: &[(&str, u64)]) -> String {
    for &(unit, size) in units {
        if bytes >= size && bytes % size == 0 {
            return format!("{}{unit}", bytes / size);
        }
    }
    bytes.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_read_as_resource_quantity_reads_them() {
        assert_eq!(cpu_millicores("100m"), Some(100));
        assert_eq!(cpu_millicores("0.5"), Some(500));
        assert_eq!(cpu_millicores("2"), Some(2000));
        assert_eq!(cpu_millicores("1.0001"), Some(1001), "rounded up");
        assert_eq!(memory_bytes("128Mi"), Some(128 << 20));
        assert_eq!(memory_bytes("1Gi"), Some(1 << 30));
        assert_eq!(memory_bytes("0.5Gi"), Some(1 << 29));
        assert_eq!(memory_bytes("500M"), Some(500_000_000));
        assert_eq!(memory_bytes("1e3"), Some(1000));
        assert_eq!(memory_bytes("129e6"), Some(129_000_000));
        assert_eq!(memory_bytes("64"), Some(64));
        assert_eq!(cpu_millicores("lots"), None);
        assert_eq!(cpu_millicores(""), None);
        assert_eq!(cpu_millicores("1.2.3"), None);
        assert_eq!(cpu_millicores("-1"), None);
        assert_eq!(memory_bytes("12Qi"), None);
    }

    #[test]
    fn quantities_print_in_the_largest_unit_that_divides_them() {
        assert_eq!(cpu_text(150), "150m");
        assert_eq!(cpu_text(2000), "2");
        assert_eq!(memory_text(96 << 20), "96Mi");
        assert_eq!(memory_text(1 << 30), "1Gi");
        assert_eq!(memory_text(1536 << 20), "1536Mi");
        assert_eq!(memory_text(1_000_000), "1000000");
        assert_eq!(memory_text(0), "0");
    }

    fn container(name: &str, cpu: &str, memory: &str) -> Container {
        let mut c = Container {
            name: name.into(),
            ..Container::default()
        };
        let mut res = crate::model::ResourceRequirements::default();
        res.requests.insert("cpu".into(), cpu.into());
        res.requests.insert("memory".into(), memory.into());
        c.resources = Some(res);
        c
    }

    /// KEP-753's example: an init container larger than everything that runs after it decides, and a
    /// sidecar counts in every init container after it and in the long-running sum.
    #[test]
    fn pod_requests_follow_r94() {
        let sidecar = container("proxy", "100m", "64Mi");
        let migrate = container("migrate", "500m", "256Mi");
        let app = container("app", "200m", "128Mi");
        let members = [
            Member {
                kind: ContainerKind::Sidecar,
                spec: &sidecar,
            },
            Member {
                kind: ContainerKind::Init,
                spec: &migrate,
            },
            Member {
                kind: ContainerKind::Regular,
                spec: &app,
            },
        ];
        let r = pod_requests(&members);
        assert_eq!(r.effective_init.cpu_millicores, 600);
        assert_eq!(r.effective_init.memory_bytes, 320 << 20);
        assert_eq!(r.long_running.cpu_millicores, 300);
        assert_eq!(r.pod.describe(), "cpu 600m, memory 320Mi");

        // The same containers the legacy way: the proxy beside the app, the init container alone.
        let legacy = [
            Member {
                kind: ContainerKind::Init,
                spec: &migrate,
            },
            Member {
                kind: ContainerKind::Regular,
                spec: &app,
            },
            Member {
                kind: ContainerKind::Regular,
                spec: &sidecar,
            },
        ];
        assert_eq!(
            pod_requests(&legacy).pod.describe(),
            "cpu 500m, memory 256Mi"
        );
    }

    #[test]
    fn a_limit_without_a_request_is_the_request_and_bad_quantities_are_named() {
        let mut c = Container {
            name: "app".into(),
            ..Container::default()
        };
        let mut res = crate::model::ResourceRequirements::default();
        res.limits.insert("cpu".into(), "1".into());
        res.requests.insert("memory".into(), "lots".into());
        c.resources = Some(res);
        let r = pod_requests(&[Member {
            kind: ContainerKind::Regular,
            spec: &c,
        }]);
        assert_eq!(r.pod.cpu_millicores, 1000);
        assert_eq!(r.pod.memory_bytes, 0);
        assert!(r.declared);
        assert_eq!(r.unreadable, vec!["container \"app\" memory \"lots\""]);
    }
}
