//! `python3 -c SCRIPT` for the one-liners manifests use: `import` lines, `print(...)`, assignments,
//! `if`/`elif`/`else` blocks, `time.sleep(N)`, `sys.exit(N)`, and the environment through
//! `os.environ.get`, `os.getenv` and `os.environ[...]`, on ints, strings, `None` and booleans with
//! `+ - * // %`, comparisons, `and`/`or`/`not`, `int()` and `str()`. Anything else (a loop, a function,
//! an f-string, a name podlife did not see assigned) leaves the script unread: it stays an unknown
//! program, named as such. Semantics follow the Python 3 language reference; a script that fails the way
//! Python would (`int("x")`) exits 1 with the exception's last line.
//!
//! Output is timed as Python writes it. A container's standard output is a pipe, not a terminal, so
//! Python buffers `print`'s lines (sys.stdout: "When interactive, stdout is line-buffered. Otherwise, it
//! is block-buffered like regular text files") and writes them when its 8 KiB buffer fills, on
//! `flush=True` or `sys.stdout.flush()`, and at exit; `python3 -u` or `PYTHONUNBUFFERED` writes each
//! line at once. Standard error (a traceback, `sys.exit("message")`) is written at once. A program
//! killed before its exit never writes what it still held: the classic "no logs from my Python pod".

use crate::sorted_map::SortedMap;

use super::super::images::OnTerm;
use super::{Child, ChildKind, Ctx, Out, Ran, TimedOutput};
use crate::time::Millis;

mod expression;

use expression::{Problem, Value, Vars};

/// What running the script gave: its printed lines (each with its moment after the start), its exit
/// code and when it exited.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Run {
    pub lines: Vec<(Millis, String)>,
    pub code: i32,
    pub elapsed: Millis,
}

/// Why a script stays unread (the summary names it).
pub(super) type Unread = String;

/// How a statement ended the block it was in.
enum Flow {
    Next,
    Exit(i32),
}

/// How much standard output Python holds before writing it (io.DEFAULT_BUFFER_SIZE); perl's PerlIO
/// buffer is as large. Held output is written in whole lines here, once this much is held.
pub(super) const STDOUT_BUFFER: usize = 8192;

/// `python3 [-u] -c SCRIPT` (or `python`), or `None` when it is not a `-c` one-liner podlife reads.
pub(super) fn run(ctx: &mut Ctx<'_>, name: &str, args: &[String], text: &str) -> Option<Ran> {
    let unbuffered_switch = args.first().map(String::as_str) == Some("-u");
    let args = &args[usize::from(unbuffered_switch)..];
    if args.first().map(String::as_str) != Some("-c") {
        return None;
    }
    let script = args.get(1)?;
    let env = ctx.vars.clone();
    match run_script(script, &env, unbuffered_switch) {
        Ok(run) => Some(finish(ctx, name, text, run)),
        Err(why) => {
            let why = format!("a {name} one-liner podlife cannot read ({why})");
            Some(super::servers::unknown_program_because(
                ctx, name, text, &why,
            ))
        }
    }
}

/// The script's outcome, as a program on the virtual clock: what it prints at once is written now, what
/// it prints after a sleep when the sleep is over (and never, when it is stopped before), its exit code at
/// the end. Python installs no SIGTERM handler: the default action (143; ignored as PID 1); nor does
/// perl, whose one-liners end the same way.
pub(super) fn finish(ctx: &mut Ctx<'_>, name: &str, text: &str, run: Run) -> Ran {
    let start = ctx.at;
    // A pipeline's next command reads its input whole (`Ctx::input`), so what goes into a pipe is
    // handed over at once; the log and files take each line at its moment.
    let timed = matches!(ctx.out, Out::Log | Out::File(_));
    let (now, later): (Vec<_>, Vec<_>) = run
        .lines
        .into_iter()
        .map(|(after, line)| (start + after, line))
        .partition(|(at, _)| !timed || *at == start);
    for (_, line) in now {
        ctx.emit(vec![line]);
    }
    if run.elapsed == Millis(0) {
        return Ran::Status(run.code);
    }
    let mut c = Child::new(name, text, ChildKind::Other, start);
    c.ends_at = Some(start + run.elapsed);
    c.code = run.code;
    c.on_term = OnTerm::Default;
    if !later.is_empty() {
        c.output = Some(TimedOutput::new(ctx.out.clone(), later));
    }
    Ran::Program(Box::new(c))
}

/// Runs the script against the environment `env`; `unbuffered_switch`: `python3 -u`.
pub(super) fn run_script(
    script: &str,
    env: &SortedMap<String, String>,
    unbuffered_switch: bool,
) -> Result<Run, Unread> {
    let lines = logical_lines(script)?;
    // "If this is set to a non-empty string it is equivalent to specifying the -u option."
    let unbuffered_env = env.get("PYTHONUNBUFFERED").is_some_and(|v| !v.is_empty());
    let mut state = State {
        vars: Vars::new(env),
        run: Run::default(),
        stdout: Stdout {
            unbuffered: unbuffered_switch || unbuffered_env,
            ..Stdout::default()
        },
    };
    let code = match block(&lines, 0, &mut state)? {
        (_, Flow::Exit(code)) => code,
        (_, Flow::Next) => 0,
    };
    // At exit Python flushes what standard output still holds, after any traceback.
    state.flush_stdout();
    state.run.code = code;
    Ok(state.run)
}

struct State<'a> {
    vars: Vars<'a>,
    run: Run,
    stdout: Stdout,
}

/// Standard output's buffer: the lines printed but not yet written.
#[derive(Default)]
struct Stdout {
    unbuffered: bool,
    held: Vec<String>,
    held_bytes: usize,
}

impl State<'_> {
    /// A line printed to standard output: written now when unbuffered or flushed, else held.
    fn print(&mut self, line: String, flush: bool) {
        self.stdout.held_bytes += line.len() + 1;
        self.stdout.held.push(line);
        if flush || self.stdout.unbuffered || self.stdout.held_bytes >= STDOUT_BUFFER {
            self.flush_stdout();
        }
    }

    /// Writes what standard output holds, now.
    fn flush_stdout(&mut self) {
        let at = self.run.elapsed;
        let held = std::mem::take(&mut self.stdout.held);
        self.run.lines.extend(held.into_iter().map(|l| (at, l)));
        self.stdout.held_bytes = 0;
    }

    /// A line to standard error, which Python writes at once.
    fn print_error(&mut self, line: String) {
        self.run.lines.push((self.run.elapsed, line));
    }
}

/// The script's lines as (indentation, text), blank lines and comments dropped, `a; b` split.
fn logical_lines(script: &str) -> Result<Vec<(usize, String)>, Unread> {
    let mut out = Vec::new();
    for raw in script.lines() {
        let text = raw.trim_end();
        let trimmed = text.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if text.contains('\t') {
            return Err("a tab in its indentation".into());
        }
        let indent = text.len() - trimmed.len();
        for part in expression::split_top_level(trimmed, ';') {
            let part = part.trim();
            if !part.is_empty() {
                out.push((indent, part.to_string()));
            }
        }
    }
    Ok(out)
}

/// Runs the lines of one block from `at` (all at the indentation of its first line); returns where
/// the block ends and how.
fn block(
    lines: &[(usize, String)],
    mut at: usize,
    state: &mut State<'_>,
) -> Result<(usize, Flow), Unread> {
    let Some((indent, _)) = lines.get(at) else {
        return Ok((at, Flow::Next));
    };
    let indent = *indent;
    while let Some((i, text)) = lines.get(at) {
        if *i < indent {
            break;
        }
        if *i > indent {
            return Err(format!("unexpected indentation at `{text}`"));
        }
        let (next, flow) = if text.starts_with("if ") {
            if_chain(lines, at, state)?
        } else {
            (at + 1, statement(text, state)?)
        };
        if let Flow::Exit(code) = flow {
            return Ok((next, Flow::Exit(code)));
        }
        at = next;
    }
    Ok((at, Flow::Next))
}

/// `if C:` … `elif C:` … `else:` …: the first branch whose condition holds runs.
fn if_chain(
    lines: &[(usize, String)],
    mut at: usize,
    state: &mut State<'_>,
) -> Result<(usize, Flow), Unread> {
    let indent = lines[at].0;
    let mut keyword = "if ";
    let mut taken = false;
    let mut outcome = Flow::Next;
    loop {
        let (condition, inline) = branch_head(&lines[at].1, keyword)?;
        let holds = match condition {
            _ if taken => false,
            None => true,
            Some(c) => match state.vars.eval(&c) {
                Ok(v) => v.truthy(),
                Err(Problem::Raise(exception)) => return Ok((at, raise(state, &exception))),
                Err(Problem::Unread(why)) => return Err(why),
            },
        };
        let (end, flow) = branch_body(lines, at, inline, holds, state)?;
        if holds {
            taken = true;
            outcome = flow;
        }
        at = end;
        keyword = match lines.get(at) {
            _ if keyword == "else" => break,
            Some((i, t)) if *i == indent && t.starts_with("elif ") => "elif ",
            Some((i, t)) if *i == indent && t.starts_with("else") => "else",
            _ => break,
        };
    }
    Ok((at, outcome))
}

/// A branch's condition (none for `else`) and the statement after its `:` on the same line, if any.
fn branch_head<'t>(text: &'t str, keyword: &str) -> Result<(Option<String>, &'t str), Unread> {
    let rest = &text[keyword.len()..];
    let colon = expression::find_top_level(rest, ':').ok_or_else(|| format!("`{text}`"))?;
    let condition = rest[..colon].trim();
    let inline = rest[colon + 1..].trim();
    if keyword == "else" {
        if !condition.is_empty() {
            return Err(format!("`{text}`"));
        }
        return Ok((None, inline));
    }
    Ok((Some(condition.to_string()), inline))
}

/// Runs (when `run`) or skips a branch's body: the statement on its own line, or the deeper block
/// under it.
fn branch_body(
    lines: &[(usize, String)],
    at: usize,
    inline: &str,
    run: bool,
    state: &mut State<'_>,
) -> Result<(usize, Flow), Unread> {
    if !inline.is_empty() {
        let flow = if run {
            statement(inline, state)?
        } else {
            Flow::Next
        };
        return Ok((at + 1, flow));
    }
    let indent = lines[at].0;
    let body_end = (at + 1..lines.len())
        .find(|k| lines[*k].0 <= indent)
        .unwrap_or(lines.len());
    if body_end == at + 1 {
        return Err(format!("an empty block after `{}`", lines[at].1));
    }
    if !run {
        return Ok((body_end, Flow::Next));
    }
    let (_, flow) = block(&lines[..body_end], at + 1, state)?;
    Ok((body_end, flow))
}

/// One simple statement.
fn statement(text: &str, state: &mut State<'_>) -> Result<Flow, Unread> {
    if text.starts_with("import ") || text.starts_with("from ") || text == "pass" {
        return Ok(Flow::Next);
    }
    if let Some(what) = compound_statement(text) {
        return Err(format!("{what}: `{text}`"));
    }
    let outcome = match expression::assignment(text) {
        Some((name, value)) => state.vars.eval(value).map(|v| {
            state.vars.set(name, v);
            Flow::Next
        }),
        None => call_statement(text, state),
    };
    match outcome {
        Ok(flow) => Ok(flow),
        Err(Problem::Raise(exception)) => Ok(raise(state, &exception)),
        Err(Problem::Unread(why)) => Err(why),
    }
}

/// The compound statements podlife does not run, named by their keyword (the statement's text alone
/// did not say which part was the problem).
fn compound_statement(text: &str) -> Option<&'static str> {
    let keyword = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()?;
    Some(match keyword {
        "for" => "a `for` loop",
        "while" => "a `while` loop",
        "def" | "lambda" => "a function",
        "class" => "a class",
        "try" | "except" | "finally" => "a `try` statement",
        "with" => "a `with` statement",
        "async" | "await" => "async code",
        _ => return None,
    })
}

/// A call on its own: `print(...)`, `time.sleep(N)`, `sys.exit(N)`.
fn call_statement(text: &str, state: &mut State<'_>) -> Result<Flow, Problem> {
    let unread = || Problem::Unread(format!("`{text}`"));
    let (callee, args) = expression::call(text).ok_or_else(unread)?;
    if callee == "print" {
        return print(&args, state).map(|()| Flow::Next);
    }
    let values = args
        .iter()
        .map(|a| state.vars.eval(a))
        .collect::<Result<Vec<Value>, Problem>>()?;
    match callee {
        "sys.stdout.flush" if args.is_empty() => {
            state.flush_stdout();
            Ok(Flow::Next)
        }
        "time.sleep" => match values.as_slice() {
            [Value::Int(s)] if *s >= 0 => {
                state.run.elapsed =
                    Millis(state.run.elapsed.0 + s.unsigned_abs().saturating_mul(1000));
                Ok(Flow::Next)
            }
            _ => Err(unread()),
        },
        "sys.exit" | "exit" | "quit" => Ok(exit(state, values.first())),
        _ => Err(Problem::Unread(format!("the call `{callee}(...)`"))),
    }
}

/// `print(value, …, file=…, flush=…)`: the values' texts joined by spaces, to standard output (or to
/// standard error with `file=sys.stderr`), written at once with a true `flush`.
fn print(args: &[String], state: &mut State<'_>) -> Result<(), Problem> {
    let mut texts = Vec::new();
    let (mut to_stderr, mut flush) = (false, false);
    for arg in args {
        match expression::assignment(arg) {
            Some(("file", "sys.stderr")) => to_stderr = true,
            Some(("file", "sys.stdout")) => to_stderr = false,
            Some(("flush", value)) => flush = state.vars.eval(value)?.truthy(),
            Some((keyword, _)) => {
                return Err(Problem::Unread(format!("print's `{keyword}=`")));
            }
            None => texts.push(state.vars.eval(arg)?.text()),
        }
    }
    let line = texts.join(" ");
    if to_stderr {
        state.print_error(line);
    } else {
        state.print(line, flush);
    }
    Ok(())
}

/// `sys.exit(arg)`: an int is the status (taken modulo 256 by the OS), `None` or nothing 0, anything
/// else is printed to stderr and the status is 1.
fn exit(state: &mut State<'_>, arg: Option<&Value>) -> Flow {
    match arg {
        None | Some(Value::None) => Flow::Exit(0),
        Some(Value::Int(n)) => Flow::Exit((n.rem_euclid(256)) as i32),
        Some(Value::Bool(b)) => Flow::Exit(i32::from(*b)),
        Some(other) => {
            state.print_error(other.text());
            Flow::Exit(1)
        }
    }
}

/// An uncaught exception: Python prints the traceback (its last line is the exception) and exits 1.
fn raise(state: &mut State<'_>, exception: &str) -> Flow {
    state.print_error("Traceback (most recent call last):".into());
    state.print_error(exception.into());
    Flow::Exit(1)
}

#[cfg(test)]
mod tests;
