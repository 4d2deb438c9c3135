//! `vish/stress`, the Go stress program of the Kubernetes resource examples (vishh/stress `main.go`):
//! `-cpus N` goroutines copying /dev/zero, and `-mem-total Q` allocated in `-mem-alloc-size` chunks
//! (4Ki) with `-mem-alloc-sleep` (1ms) between them, then it waits forever. Its quantities are
//! Kubernetes quantities (`resource.MustParse`: `150Mi`); a bad one panics (exit 2), as does Go's flag
//! package on an unknown flag. It installs no SIGTERM handler: Go's runtime exits 2 as PID 1.

use crate::time::Millis;

use super::super::images::GO_RUNTIME_EXIT;
use super::super::utilities::{Child, ChildKind, Ctx, Ran};

/// What its flags ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct GoStress {
    cpus: u64,
    mem_total: u64,
    alloc_size: u64,
    alloc_sleep: Millis,
}

/// Reads its flags as Go's `flag` package does (`-name value`, `-name=value`, `--name` alike); an
/// error is the message it prints before exiting 2.
fn read(args: &[String]) -> Result<GoStress, String> {
    let mut run = GoStress {
        cpus: 0,
        mem_total: 0,
        alloc_size: 4 << 10,
        alloc_sleep: Millis(1),
    };
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        let Some(flag) = arg.strip_prefix("--").or_else(|| arg.strip_prefix('-')) else {
            break; // flag.Parse stops at the first non-flag argument
        };
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (flag, None),
        };
        let value = match inline {
            Some(v) => v,
            None => {
                i += 1;
                args.get(i)
                    .cloned()
                    .ok_or_else(|| format!("flag needs an argument: -{name}"))?
            }
        };
        let bad = || format!("invalid value \"{value}\" for flag -{name}");
        match name {
            "cpus" => run.cpus = value.parse().map_err(|_| bad())?,
            "mem-total" => run.mem_total = quantity(&value)?,
            "mem-alloc-size" => run.alloc_size = quantity(&value)?,
            "mem-alloc-sleep" => run.alloc_sleep = go_duration(&value).ok_or_else(bad)?,
            _ => return Err(format!("flag provided but not defined: -{name}")),
        }
        i += 1;
    }
    Ok(run)
}

/// `resource.MustParse`: a Kubernetes quantity, or a panic.
fn quantity(text: &str) -> Result<u64, String> {
    crate::compare::resources::memory_bytes(text).ok_or_else(|| {
        format!("panic: cannot parse '{text}': quantities must match the regular expression")
    })
}

/// Go's `time.ParseDuration` for the units stress is given: `500ms`, `1s`, `2m`, `0`.
fn go_duration(text: &str) -> Option<Millis> {
    if text == "0" {
        return Some(Millis(0));
    }
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let n: u64 = text[..split].parse().ok()?;
    let per_unit_us: u64 = match &text[split..] {
        "us" | "µs" => 1,
        "ms" => 1000,
        "s" => 1_000_000,
        "m" => 60_000_000,
        "h" => 3_600_000_000,
        _ => return None,
    };
    Some(Millis(n.checked_mul(per_unit_us)? / 1000))
}

/// When its memory use first reaches `bytes`: after the allocation that gets it there, each chunk
/// followed by one sleep.
fn time_to_hold(run: &GoStress, bytes: u64) -> Millis {
    let chunks = bytes.div_ceil(run.alloc_size.max(1));
    Millis(chunks.saturating_mul(run.alloc_sleep.0))
}

/// `vish/stress` started with `args`. With a memory limit below `-mem-total`, the memory step is put
/// at the allocation that crosses the limit (the OOM killer acts then, R105); otherwise at the end of
/// the allocation.
pub(crate) fn run(ctx: &mut Ctx<'_>, args: &[String], text: &str) -> Ran {
    let run = match read(args) {
        Ok(run) => run,
        Err(message) => {
            ctx.error(message);
            return Ran::Status(2);
        }
    };
    ctx.error(format!(
        "Allocating {} of memory in {} chunks, {} ms apart; {} CPU-burning goroutines",
        super::bytes_text(run.mem_total),
        super::bytes_text(run.alloc_size),
        run.alloc_sleep.0,
        run.cpus
    ));
    let mut c = Child::new("stress", text, ChildKind::Other, ctx.at);
    c.on_term = GO_RUNTIME_EXIT;
    let crossing = ctx
        .config
        .memory_limit
        .filter(|limit| run.mem_total > *limit)
        .map(|limit| (limit / run.alloc_size.max(1) + 1) * run.alloc_size);
    c.memory = crossing.unwrap_or(run.mem_total);
    c.memory_at = ctx.at + time_to_hold(&run, c.memory);
    Ran::Program(Box::new(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn flags_read_as_gos_flag_package_reads_them() {
        let run = read(&args(&["-cpus", "2"])).unwrap();
        assert_eq!((run.cpus, run.mem_total), (2, 0));
        let run = read(&args(&["--mem-total=150Mi", "-mem-alloc-size", "1Mi"])).unwrap();
        assert_eq!((run.mem_total, run.alloc_size), (150 << 20, 1 << 20));
        assert!(read(&args(&["-vm", "1"]))
            .unwrap_err()
            .contains("not defined"));
        assert!(read(&args(&["-cpus"])).is_err());
    }

    #[test]
    fn memory_grows_a_chunk_per_sleep() {
        let run = read(&args(&[
            "-mem-total",
            "100Mi",
            "-mem-alloc-size",
            "10Mi",
            "-mem-alloc-sleep",
            "1s",
        ]))
        .unwrap();
        assert_eq!(time_to_hold(&run, 100 << 20), Millis(10_000));
        assert_eq!(time_to_hold(&run, 31 << 20), Millis(4_000));
        assert_eq!(go_duration("500ms"), Some(Millis(500)));
        assert_eq!(go_duration("fast"), None);
    }
}
