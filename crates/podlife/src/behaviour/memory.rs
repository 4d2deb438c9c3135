//! Memory a container's programs hold, against its `resources.limits.memory` (R105): the container's
//! memory cgroup, whose OOM killer ends the whole container (cgroup v2's `memory.oom.group`, which the
//! kubelet sets) with SIGKILL, so it exits 137 and the runtime reports `OOMKilled`. What uses memory is
//! known for `stress(1)` (`--vm N --vm-bytes SIZE`: N workers, each holding SIZE) and said by the
//! `memory=` annotation for anything else; everything else is taken to fit.
//!
//! Sizes: Kubernetes quantities for the limit and the annotation (`100Mi`, `128M`, `1Gi`, plain bytes:
//! `compare::resources::memory_bytes`), stress's own suffixes for its arguments (`B`, `K`, `M`, `G`,
//! powers of 1024, stress.c `atoll_b`).

mod go_stress;

use crate::model::Container;
use crate::time::{Millis, SimTime};

use super::utilities::{Child, ChildKind, Ctx, Ran};

/// How long a `stress --vm` worker takes to allocate and touch its `--vm-bytes`: it writes one byte per
/// 4 KiB page, at about a GiB per second, so a few hundred MiB are in use within a few tenths of a
/// second, and a limit of a hundred MiB is crossed within about 0.1 s. podlife takes the whole
/// allocation as done 0.1 s after stress starts (an assumption, listed in docs/annotations.md).
pub(crate) const STRESS_ALLOCATION: Millis = Millis(100);

/// stress's default `--vm-bytes`: 256 MiB.
const STRESS_VM_BYTES: u64 = 256 << 20;

/// What the `memory=` annotation says a container uses: `base` from its start, growing by `per_sec`
/// bytes every second (`memory=300Mi`, `memory=10Mi/s`, `memory=100Mi+10Mi/s`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct MemoryUse {
    pub base: u64,
    pub per_sec: u64,
}

impl MemoryUse {
    /// Bytes in use `since` the container started.
    pub fn at(&self, since: Millis) -> u64 {
        let grown = u128::from(self.per_sec) * u128::from(since.0) / 1000;
        self.base
            .saturating_add(u64::try_from(grown).unwrap_or(u64::MAX))
    }

    /// The first moment after `since_start` (inclusive) when the use is over `limit`, as time since the
    /// container started; `None` when it never is.
    fn over(&self, limit: u64, since_start: Millis) -> Option<Millis> {
        if self.at(since_start) > limit {
            return Some(since_start);
        }
        if self.per_sec == 0 {
            return None;
        }
        // The smallest t (ms) with base + per_sec·t/1000 > limit.
        let needed = u128::from(limit - self.base) + 1;
        let t = (needed * 1000).div_ceil(u128::from(self.per_sec));
        let t = u64::try_from(t).ok()?;
        Some(Millis(t.max(since_start.0)))
    }
}

/// Reads the annotation's value: `300Mi`, `10Mi/s`, `100Mi+10Mi/s`.
pub(crate) fn parse_memory_use(value: &str) -> Result<MemoryUse, String> {
    let quantity = |text: &str| {
        crate::compare::resources::memory_bytes(text.trim()).ok_or_else(|| {
            format!(
                "\"{}\" is not a memory quantity (e.g. 300Mi, 1Gi, 500M)",
                text.trim()
            )
        })
    };
    let mut use_ = MemoryUse::default();
    for part in value.split('+') {
        match part.trim().strip_suffix("/s") {
            Some(rate) => use_.per_sec = quantity(rate)?,
            None => use_.base = quantity(part)?,
        }
    }
    Ok(use_)
}

/// The container's `resources.limits.memory` in bytes, if it has a readable one.
pub(crate) fn memory_limit(c: &Container) -> Option<u64> {
    let text = c.resources.as_ref()?.limits.get("memory")?;
    crate::compare::resources::memory_bytes(text).filter(|b| *b > 0)
}

/// Memory as a person reads it: `250 MiB`, `1.5 GiB`, `512 KiB`, `100 B`.
pub(crate) fn bytes_text(bytes: u64) -> String {
    for (unit, size) in [("GiB", 1u64 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] {
        if bytes >= size {
            let tenths = (u128::from(bytes) * 10).div_ceil(u128::from(size));
            return if tenths % 10 == 0 {
                format!("{} {unit}", tenths / 10)
            } else {
                format!("{}.{} {unit}", tenths / 10, tenths % 10)
            };
        }
    }
    format!("{bytes} B")
}

/// When the container's memory first goes over `limit`: the annotated use of a container started at
/// `started_at`, plus what its programs hold (`(from, bytes)`), from `clock` on. Returns the moment and
/// the use then.
pub(crate) fn oom_moment(
    limit: u64,
    started_at: SimTime,
    clock: SimTime,
    annotated: MemoryUse,
    held: &[(SimTime, u64)],
) -> Option<(SimTime, u64)> {
    // The use is the annotated line plus a step for each holding: check each step's start, and the
    // annotated line's own crossing in the stretch that follows it.
    let mut steps: Vec<SimTime> = held.iter().map(|(t, _)| (*t).max(clock)).collect();
    steps.push(clock);
    crate::stable_sort::sort_by(&mut steps, |a, b| a.cmp(b));
    steps.dedup();
    for (i, from) in steps.iter().enumerate() {
        let programs: u64 = held
            .iter()
            .filter(|(t, _)| t <= from)
            .fold(0u64, |sum, (_, b)| sum.saturating_add(*b));
        let Some(room) = limit.checked_sub(programs) else {
            return Some((
                *from,
                programs.saturating_add(annotated.at(from.since(started_at))),
            ));
        };
        let Some(after) = annotated.over(room, from.since(started_at)) else {
            continue;
        };
        let at = started_at + after;
        if steps.get(i + 1).is_none_or(|next| at < *next) {
            return Some((at, programs.saturating_add(annotated.at(after))));
        }
    }
    None
}

/// stress's sizes (`atoll_b`): a number with an optional `b`/`B`, `k`/`K`, `m`/`M` or `g`/`G` suffix,
/// each a power of 1024.
pub(crate) fn stress_size(text: &str) -> Option<u64> {
    let (number, shift) = match text.chars().last()? {
        'b' | 'B' => (&text[..text.len() - 1], 0),
        'k' | 'K' => (&text[..text.len() - 1], 10),
        'm' | 'M' => (&text[..text.len() - 1], 20),
        'g' | 'G' => (&text[..text.len() - 1], 30),
        c if c.is_ascii_digit() => (text, 0),
        _ => return None,
    };
    let n: u64 = number.parse().ok()?;
    n.checked_mul(1u64 << shift)
}

/// stress's durations (`atoll_s`): seconds with an optional `s`, `m`, `h`, `d` or `y` suffix.
fn stress_seconds(text: &str) -> Option<u64> {
    let (number, factor) = match text.chars().last()? {
        's' | 'S' => (&text[..text.len() - 1], 1),
        'm' | 'M' => (&text[..text.len() - 1], 60),
        'h' | 'H' => (&text[..text.len() - 1], 3600),
        'd' | 'D' => (&text[..text.len() - 1], 86_400),
        'y' | 'Y' => (&text[..text.len() - 1], 31_536_000),
        c if c.is_ascii_digit() => (text, 1),
        _ => return None,
    };
    number.parse::<u64>().ok()?.checked_mul(factor)
}

/// What a `stress` command line asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct StressRun {
    cpu: u64,
    io: u64,
    vm: u64,
    hdd: u64,
    vm_bytes: u64,
    timeout: Option<u64>,
}

/// Reads stress's options as stress.c does, one by one; an error is its message.
fn read_stress(args: &[String]) -> Result<StressRun, String> {
    let mut run = StressRun {
        vm_bytes: STRESS_VM_BYTES,
        ..StressRun::default()
    };
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        let takes_value = matches!(
            arg,
            "--cpu"
                | "-c"
                | "--io"
                | "-i"
                | "--vm"
                | "-m"
                | "--vm-bytes"
                | "--vm-stride"
                | "--vm-hang"
                | "--hdd"
                | "-d"
                | "--hdd-bytes"
                | "--timeout"
                | "-t"
                | "--backoff"
        );
        if !takes_value {
            if !matches!(
                arg,
                "--verbose" | "-v" | "--quiet" | "-q" | "--dry-run" | "-n" | "--vm-keep"
            ) {
                return Err(format!("unrecognized option: {arg}"));
            }
            i += 1;
            continue;
        }
        let Some(value) = args.get(i + 1) else {
            return Err(format!("missing argument to option '{arg}'"));
        };
        let size = || stress_size(value).filter(|n| *n > 0);
        let bad = || format!("invalid value for {arg}: {value}");
        match arg {
            "--cpu" | "-c" => run.cpu = size().ok_or_else(bad)?,
            "--io" | "-i" => run.io = size().ok_or_else(bad)?,
            "--vm" | "-m" => run.vm = size().ok_or_else(bad)?,
            "--hdd" | "-d" => run.hdd = size().ok_or_else(bad)?,
            "--vm-bytes" => run.vm_bytes = size().ok_or_else(bad)?,
            "--timeout" | "-t" => {
                run.timeout = Some(stress_seconds(value).filter(|n| *n > 0).ok_or_else(bad)?)
            }
            _ => {}
        }
        i += 2;
    }
    Ok(run)
}

/// `stress`: forks its workers and waits for them, forever or until `--timeout` (then exits 0). Its vm
/// workers hold `--vm N` × `--vm-bytes` once they have touched it ([`STRESS_ALLOCATION`]); cpu, io and
/// hdd workers hold no memory worth counting. stress installs no SIGTERM handler: as PID 1 it ignores
/// SIGTERM.
pub(crate) fn stress(ctx: &mut Ctx<'_>, args: &[String], text: &str) -> Ran {
    // The `vish/stress` image's `/stress` is a different program, with Go flags.
    if super::images::image_default(&ctx.config.image)
        == super::images::ImageDefault::Entrypoint("stress")
    {
        return go_stress::run(ctx, args, text);
    }
    let run = match read_stress(args) {
        Ok(run) => run,
        Err(message) => {
            ctx.error(format!("stress: FAIL: [1] {message}"));
            return Ran::Status(1);
        }
    };
    if run.cpu + run.io + run.vm + run.hdd == 0 {
        // No work: stress prints its usage and exits 0.
        ctx.error("`stress' imposes certain types of compute stress on your system".into());
        return Ran::Status(0);
    }
    ctx.error(format!(
        "stress: info: [1] dispatching hogs: {} cpu, {} io, {} vm, {} hdd",
        run.cpu, run.io, run.vm, run.hdd
    ));
    let mut c = Child::new("stress", text, ChildKind::Other, ctx.at);
    c.memory = run.vm.saturating_mul(run.vm_bytes);
    c.memory_at = ctx.at + STRESS_ALLOCATION;
    c.ends_at = run.timeout.map(|s| ctx.at + Millis::secs(s));
    Ran::Program(Box::new(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stress_sizes_are_powers_of_1024() {
        assert_eq!(stress_size("250M"), Some(250 << 20));
        assert_eq!(stress_size("1g"), Some(1 << 30));
        assert_eq!(stress_size("512K"), Some(512 << 10));
        assert_eq!(stress_size("100B"), Some(100));
        assert_eq!(stress_size("4096"), Some(4096));
        assert_eq!(stress_size("250Mi"), None);
        assert_eq!(stress_seconds("2m"), Some(120));
    }

    #[test]
    fn the_annotation_reads_kubernetes_quantities_and_a_rate() {
        assert_eq!(
            parse_memory_use("300Mi"),
            Ok(MemoryUse {
                base: 300 << 20,
                per_sec: 0
            })
        );
        assert_eq!(
            parse_memory_use("100M+10Mi/s"),
            Ok(MemoryUse {
                base: 100_000_000,
                per_sec: 10 << 20
            })
        );
        assert!(parse_memory_use("lots").is_err());
    }

    #[test]
    fn a_growing_use_crosses_the_limit_when_it_should() {
        let grow = MemoryUse {
            base: 0,
            per_sec: 10 << 20,
        };
        // 100 MiB at 10 MiB/s: over it just after 10 s.
        let (at, _) = oom_moment(100 << 20, SimTime(0), SimTime(0), grow, &[]).unwrap();
        assert_eq!(at, SimTime(10_001));
        // A stress worker's 250 MiB at 0.1 s.
        let held = [(SimTime(100), 250u64 << 20)];
        let none = MemoryUse::default();
        assert_eq!(
            oom_moment(100 << 20, SimTime(0), SimTime(0), none, &held),
            Some((SimTime(100), 250 << 20))
        );
        assert_eq!(
            oom_moment(300 << 20, SimTime(0), SimTime(0), none, &held),
            None
        );
    }

    #[test]
    fn memory_reads_in_binary_units() {
        assert_eq!(bytes_text(250 << 20), "250 MiB");
        assert_eq!(bytes_text(3 << 29), "1.5 GiB");
        assert_eq!(bytes_text(12), "12 B");
    }
}
