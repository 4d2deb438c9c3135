//! `perl -e SCRIPT` for the one-liners manifests use: `print`/`say` of string literals, numbers and
//! bignum's `bpi(N)` (the Job example `perl -Mbignum=bpi -wle 'print bpi(1000)'`), `sleep N` and
//! `exit N`, with the switches perlrun(1) describes (`-l` ends each print with a newline, `-w`, `-M`
//! loads a module), and `$| = 1`. Anything else (a loop, a variable, `-n`/`-p`) leaves the script unread:
//! it stays an unknown program, named as such.
//!
//! As Python's, perl's standard output is buffered when it is not a terminal (perlvar, `$|`: "STDOUT will
//! typically be line buffered if output is to the terminal and block buffered otherwise"): printed lines
//! are written when the buffer fills and at exit, or at once after `$| = 1`.

use super::python::{finish, Run, Unread, STDOUT_BUFFER};
use super::{Ctx, Ran};
use crate::time::Millis;

/// The switches and the script of a perl command line.
#[derive(Debug, Default, PartialEq, Eq)]
struct Invocation {
    script: String,
    /// `-l`: each `print` ends with a newline.
    line_endings: bool,
    /// `-Mbignum=bpi` (or `-Mbigrat`, `-Mbigfloat` importing `bpi`): `bpi(N)` is defined.
    has_bpi: bool,
}

pub(super) fn run(ctx: &mut Ctx<'_>, args: &[String], text: &str) -> Option<Ran> {
    let outcome = invocation(args).and_then(|inv| run_script(&inv));
    Some(match outcome {
        Ok(run) => finish(ctx, "perl", text, run),
        Err(why) => {
            let why = format!("a perl one-liner podlife cannot read ({why})");
            super::servers::unknown_program_because(ctx, "perl", text, &why)
        }
    })
}

/// perl's switches up to `-e SCRIPT` (perlrun: switches may be bundled, `-wle`; `-e` takes the next
/// argument).
fn invocation(args: &[String]) -> Result<Invocation, Unread> {
    let mut inv = Invocation::default();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        if let Some(module) = arg.strip_prefix("-M") {
            inv.has_bpi |= module.starts_with("big") && module.contains("bpi");
            continue;
        }
        let Some(switches) = arg.strip_prefix('-') else {
            return Err(format!("the script file `{arg}`"));
        };
        for (k, c) in switches.char_indices() {
            match c {
                'w' | 'W' | 'X' | 's' => {}
                'l' => inv.line_endings = true,
                'e' | 'E' => {
                    if k + 1 != switches.len() {
                        return Err(format!("the switch `-{switches}`"));
                    }
                    inv.script = args.get(i).cloned().ok_or("`-e` without a script")?;
                    return Ok(inv);
                }
                _ => return Err(format!("the switch `-{c}`")),
            }
        }
    }
    Err("no `-e` script".into())
}

fn run_script(inv: &Invocation) -> Result<Run, Unread> {
    let mut run = Run::default();
    let mut out = String::new();
    let mut autoflush = false;
    for statement in inv.script.split(';').map(str::trim) {
        if statement.starts_with("$|") {
            autoflush = autoflush_value(statement)?;
            continue;
        }
        let (word, rest) = statement
            .split_once(char::is_whitespace)
            .unwrap_or((statement, ""));
        match word {
            "" => {}
            "print" | "say" => {
                out.push_str(&list_text(rest.trim(), inv)?);
                if inv.line_endings || word == "say" {
                    out.push('\n');
                }
                if autoflush || out.len() >= STDOUT_BUFFER {
                    flush_lines(&mut out, &mut run);
                }
            }
            "sleep" => run.elapsed = Millis(run.elapsed.0 + number(rest)?.saturating_mul(1000)),
            "exit" => {
                run.code = if rest.trim().is_empty() {
                    0
                } else {
                    (number(rest)? % 256) as i32
                };
                break;
            }
            _ => return Err(unread_statement(word, statement)),
        }
    }
    // At exit perl writes what its buffer still holds.
    flush_lines(&mut out, &mut run);
    if !out.is_empty() {
        run.lines.push((run.elapsed, out));
    }
    Ok(run)
}

/// `$| = N` (`$|=N`, `$|++`): standard output is written at each print when the value is not 0.
fn autoflush_value(statement: &str) -> Result<bool, Unread> {
    let rest = statement.trim_start_matches("$|").trim();
    if rest == "++" {
        return Ok(true);
    }
    let unread = || format!("`{statement}`");
    let value = rest.strip_prefix('=').ok_or_else(unread)?;
    Ok(number(value).map_err(|_| unread())? != 0)
}

/// Why a statement is not read: its kind when its keyword says it (a loop, a condition, a sub), so the
/// learner is not left to guess which part of it was the problem.
fn unread_statement(word: &str, statement: &str) -> Unread {
    let keyword = word
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or(word);
    let what = match keyword {
        "while" | "until" | "for" | "foreach" => format!("a `{keyword}` loop"),
        "if" | "unless" => format!("an `{keyword}` condition"),
        "sub" => "a sub".to_string(),
        _ => return format!("`{statement}`"),
    };
    format!("{what}: `{statement}`")
}

/// Moves the complete lines of `out` into the log.
fn flush_lines(out: &mut String, run: &mut Run) {
    while let Some(i) = out.find('\n') {
        run.lines.push((run.elapsed, out[..i].to_string()));
        out.drain(..=i);
    }
}

fn number(text: &str) -> Result<u64, Unread> {
    text.trim()
        .parse()
        .map_err(|_| format!("the number `{}`", text.trim()))
}

/// `print`'s list, each item's text joined with nothing between (perl's default `$,`).
fn list_text(list: &str, inv: &Invocation) -> Result<String, Unread> {
    let mut text = String::new();
    for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        text.push_str(&item_text(item, inv)?);
    }
    Ok(text)
}

fn item_text(item: &str, inv: &Invocation) -> Result<String, Unread> {
    if let Some(inner) = item.strip_prefix('\'').and_then(|i| i.strip_suffix('\'')) {
        return Ok(inner.to_string());
    }
    if let Some(inner) = item.strip_prefix('"').and_then(|i| i.strip_suffix('"')) {
        if inner.contains(['$', '@']) {
            return Err(format!("the interpolation in {item}"));
        }
        return Ok(inner.replace("\\n", "\n").replace("\\t", "\t"));
    }
    if item.chars().all(|c| c.is_ascii_digit()) {
        return Ok(item.to_string());
    }
    let digits = item
        .strip_prefix("bpi(")
        .and_then(|i| i.strip_suffix(')'))
        .filter(|_| inv.has_bpi)
        .ok_or_else(|| format!("`{item}`"))?;
    let digits: usize = number(digits)?
        .try_into()
        .map_err(|_| "a huge bpi".to_string())?;
    if !(1..=20_000).contains(&digits) {
        return Err(format!("bpi({digits})"));
    }
    Ok(pi_text(digits))
}

thread_local! {
    /// The last π computed: a container's program is read for its summary and run at each start,
    /// and `bpi(1000)` takes some 10 ms each time.
    static LAST_PI: std::cell::RefCell<Option<(usize, String)>> =
        const { std::cell::RefCell::new(None) };
}

/// π to `digits` significant digits, rounded as Math::BigFloat's `bpi` returns it: "3.14159…".
fn pi_text(digits: usize) -> String {
    if let Some(text) = LAST_PI.with_borrow(|last| {
        last.as_ref()
            .filter(|(n, _)| *n == digits)
            .map(|(_, text)| text.clone())
    }) {
        return text;
    }
    let text = compute_pi_text(digits);
    LAST_PI.set(Some((digits, text.clone())));
    text
}

fn compute_pi_text(digits: usize) -> String {
    let mut d = pi_digits(digits + 5);
    d.truncate(digits + 1);
    let round_up = d.pop().is_some_and(|last| last >= 5);
    if round_up {
        for digit in d.iter_mut().rev() {
            *digit += 1;
            if *digit < 10 {
                break;
            }
            *digit = 0;
        }
    }
    let mut text: String = d.iter().map(|x| char::from(b'0' + x)).collect();
    if text.len() > 1 {
        text.insert(1, '.');
    }
    text
}

/// The first `n` decimal digits of π by Rabinowitz and Wagon's spigot ("A Spigot Algorithm for the
/// Digits of π", 1995): a mixed-radix fraction multiplied by 10 per digit, with held predigits for
/// runs of 9s.
fn pi_digits(n: usize) -> Vec<u8> {
    // Each cell stays below its radix 2i - 1 and the carry below about 20, so `x` stays below 40 times
    // the length: u32 is wide enough for 20 000 digits, and its division is the cheaper one.
    let len = n * 10 / 3 + 2;
    let mut a = vec![2u32; len];
    let mut out: Vec<u8> = Vec::with_capacity(n + 1);
    let (mut predigit, mut nines) = (0u8, 0usize);
    for _ in 0..=n {
        let mut q = 0u32;
        for i in (1..=len as u32).rev() {
            let cell = &mut a[i as usize - 1];
            let x = 10 * *cell + q * i;
            let denominator = 2 * i - 1;
            *cell = x % denominator;
            q = x / denominator;
        }
        a[0] = q % 10;
        q /= 10;
        match q {
            9 => nines += 1,
            10 => {
                out.push(predigit + 1);
                out.extend(std::iter::repeat_n(0, nines));
                (predigit, nines) = (0, 0);
            }
            _ => {
                out.push(predigit);
                out.extend(std::iter::repeat_n(9, nines));
                (predigit, nines) = (q as u8, 0);
            }
        }
    }
    // The first digit out is the initial predigit 0.
    out.into_iter().skip(1).take(n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn pi_digits_match_the_known_expansion() {
        assert_eq!(pi_text(10), "3.141592654");
        assert_eq!(pi_text(1), "3");
        let long = pi_text(60);
        assert_eq!(
            long,
            "3.14159265358979323846264338327950288419716939937510582097494"
        );
    }

    #[test]
    fn the_job_examples_pi_one_liner_prints_a_thousand_digits_and_exits_0() {
        let inv = invocation(&args(&["-Mbignum=bpi", "-wle", "print bpi(1000)"])).unwrap();
        assert!(inv.line_endings && inv.has_bpi);
        let run = run_script(&inv).unwrap();
        assert_eq!(run.code, 0);
        assert_eq!(run.lines.len(), 1);
        assert_eq!(run.lines[0].1.len(), 1001);
        assert!(run.lines[0].1.starts_with("3.14159265358979"));
        // The 1000th significant digit is 8 followed by a 9: rounded up (checked against Machin's
        // formula in arbitrary precision).
        assert!(
            run.lines[0].1.ends_with("909216420199"),
            "{}",
            run.lines[0].1
        );
    }

    #[test]
    fn bpi_without_its_module_and_loops_stay_unread() {
        let inv = invocation(&args(&["-le", "print bpi(10)"])).unwrap();
        assert!(run_script(&inv).is_err());
        assert!(invocation(&args(&["-ne", "print"])).is_err());
        let inv = invocation(&args(&["-e", "while (1) { sleep 1 }"])).unwrap();
        assert_eq!(
            run_script(&inv),
            Err("a `while` loop: `while (1) { sleep 1 }`".to_string())
        );
        let inv = invocation(&args(&["-e", "print 'a' if 1"])).unwrap();
        assert!(run_script(&inv).is_err());
    }

    #[test]
    fn sleep_and_exit_set_the_duration_and_the_code() {
        let inv = invocation(&args(&["-le", "print 'hi'; sleep 3; exit 4"])).unwrap();
        let run = run_script(&inv).unwrap();
        // Held in the buffer until perl exits, three seconds later.
        assert_eq!(run.lines, vec![(Millis(3000), "hi".to_string())]);
        assert_eq!((run.elapsed, run.code), (Millis(3000), 4));
    }

    #[test]
    fn autoflush_writes_each_line_when_it_is_printed() {
        let script = "$| = 1; print 'a'; sleep 2; print 'b'; $|=0; print 'c'; sleep 1";
        let inv = invocation(&args(&["-le", script])).unwrap();
        let run = run_script(&inv).unwrap();
        let lines = |v: &[(u64, &str)]| -> Vec<(Millis, String)> {
            v.iter().map(|(t, l)| (Millis(*t), l.to_string())).collect()
        };
        assert_eq!(run.lines, lines(&[(0, "a"), (2000, "b"), (3000, "c")]));
        let inv = invocation(&args(&["-le", "$|++; print 'a'; sleep 2"])).unwrap();
        assert_eq!(run_script(&inv).unwrap().lines, lines(&[(0, "a")]));
        let inv = invocation(&args(&["-le", "$| = 'x'"])).unwrap();
        assert_eq!(run_script(&inv), Err("`$| = 'x'`".to_string()));
    }
}
