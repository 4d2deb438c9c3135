//! Word expansion as a POSIX shell does it (XCU 2.6): parameters (`$x`, `${x:-default}`, `$?`, `$!`),
//! arithmetic (`$((i + 1))`, XCU 2.6.4 with C's operators), command substitution for the commands
//! whose output a script can know (`$(cat FILE)`, `$(date +%s)`, `$(seq 1 5)`, `$(hostname)`), and
//! field splitting of unquoted results. Pathname expansion (`*`) is not done: words stay literal.

use std::cell::Cell;

use crate::sorted_map::SortedMap;
use crate::word_list;

use super::busy_loop::MAX_VARIABLE_BYTES;
use super::shell_syntax::{parse, Command, Part, RedirOp, Word};
use super::shell_variables::{array_values, element, positional};
use super::world::{normalise, World};
use crate::time::SimTime;

/// Text a command would build past what a job may hold ([`MAX_VARIABLE_BYTES`]): `$(seq 1 100000000)`,
/// `printf '%999999999d'`. Building it is where the job spends its compute budget, so it computes
/// until stopped, rather than carry on with the text cut short into a different result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Overgrown;

/// What an expansion can see.
pub(crate) struct Env<'a> {
    pub vars: &'a mut SortedMap<String, String>,
    pub status: i32,
    pub last_bg: Option<u32>,
    pub world: &'a World,
    pub container: &'a str,
    pub at: SimTime,
    pub cwd: &'a str,
    pub depth: usize,
    /// Set when a substitution's output grew past what a job may hold: the job has spent its budget.
    pub overgrown: &'a Cell<bool>,
    /// Steps' worth of arithmetic parsed ([`arith_work`]): the job's step counts them.
    pub arith_work: &'a Cell<u64>,
}

/// Bytes of an arithmetic expression that cost one more step: a long one is many steps' work (each
/// operator and parenthesis is parsed through every level of precedence), and an exec probe may
/// evaluate it every second.
const ARITH_BYTES_PER_STEP: usize = 2;

/// Counts the work of evaluating `text` in `env`'s job.
pub(crate) fn arith_work(text: &str, env: &Env) {
    let work = (text.len() / ARITH_BYTES_PER_STEP) as u64;
    env.arith_work
        .set(env.arith_work.get().saturating_add(work));
}

/// Expands a word into fields. An error (bad arithmetic, `${x:?}`) ends a non-interactive shell.
pub(crate) fn expand(word: &Word, env: &mut Env<'_>) -> Result<Vec<String>, String> {
    let mut fields: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut have_current = word.quoted;
    for part in &word.parts {
        let (value, quoted) = match part {
            Part::Text { text, .. } => {
                current.push_str(text);
                have_current = true;
                continue;
            }
            Part::Param {
                name,
                modifier: None,
                quoted: true,
            } if list_param(name, env.vars).is_some() => {
                // `"$@"`, `"${a[@]}"`: one field per element.
                let values = list_param(name, env.vars).unwrap_or_default();
                for (k, v) in values.iter().enumerate() {
                    if k > 0 {
                        fields.push(std::mem::take(&mut current));
                    }
                    current.push_str(v);
                    have_current = true;
                }
                continue;
            }
            Part::Param {
                name,
                modifier,
                quoted,
            } => (param(name, modifier.as_ref(), env)?, *quoted),
            Part::Length(name) => (length(name, env)?.to_string(), true),
            Part::Command { script, quoted } => (substitute(script, env), *quoted),
            Part::Arith { expr, quoted } => {
                let text = expand_inline(expr, env)?;
                arith_work(&text, env);
                (arith(&text, env.vars)?.to_string(), *quoted)
            }
        };
        if quoted || !value.bytes().any(|b| matches!(b, b' ' | b'\t' | b'\n')) {
            // Nothing to split on: the value joins the current field whole (an empty unquoted one
            // adds nothing). Taking it rather than copying keeps `x=$x$x` from copying twice.
            if quoted || !value.is_empty() {
                append(&mut current, value);
                have_current = true;
            }
            continue;
        }
        // Field splitting on blanks.
        let blank = [' ', '\t', '\n'];
        let starts_blank = value.starts_with(blank);
        let ends_blank = value.ends_with(blank);
        let pieces: Vec<&str> = value.split(blank).filter(|p| !p.is_empty()).collect();
        if starts_blank && have_current {
            fields.push(std::mem::take(&mut current));
            have_current = false;
        }
        for (k, piece) in pieces.iter().enumerate() {
            if k > 0 {
                fields.push(std::mem::take(&mut current));
            }
            current.push_str(piece);
            have_current = true;
        }
        if ends_blank && have_current && !pieces.is_empty() {
            fields.push(std::mem::take(&mut current));
            have_current = false;
        }
    }
    if have_current {
        fields.push(current);
    }
    Ok(fields)
}

/// Appends `value` to `field`, taking it whole when the field is still empty.
fn append(field: &mut String, value: String) {
    if field.is_empty() {
        *field = value;
    } else {
        field.push_str(&value);
    }
}

/// Expands a word into one string (assignments, redirection targets, `case`-free contexts).
pub(crate) fn expand_one(word: &Word, env: &mut Env<'_>) -> Result<String, String> {
    let mut fields = expand(word, env)?;
    if fields.len() == 1 {
        // The common case: the field itself, not a joined copy of it.
        return Ok(fields.pop().unwrap_or_default());
    }
    Ok(fields.join(" "))
}

/// `$x` and `${x}` inside an arithmetic expression or a here-document.
pub(crate) fn expand_inline(text: &str, env: &mut Env<'_>) -> Result<String, String> {
    if !text.contains('$') && !text.contains('`') {
        return Ok(text.to_string());
    }
    let quoted = format!("\"{}\"", text.replace('"', "\\\""));
    match parse(&quoted) {
        Ok(parsed) => {
            let word = parsed
                .list
                .first()
                .and_then(|i| i.and_or.first.commands.first())
                .and_then(|(c, _)| match c {
                    Command::Simple(s) => s.words.first().cloned(),
                    _ => None,
                });
            match word {
                Some(w) => expand_one(&w, env),
                None => Ok(text.to_string()),
            }
        }
        Err(_) => Ok(text.to_string()),
    }
}

/// The elements `$@` or `${a[@]}` (also `*`) stand for; `None` for any other parameter.
fn list_param(name: &str, vars: &SortedMap<String, String>) -> Option<Vec<String>> {
    if name == "@" || name == "*" {
        return Some(positional(vars));
    }
    let array = name.strip_suffix("[@]").or(name.strip_suffix("[*]"))?;
    Some(array_values(vars, array))
}

/// `${#x}`, `${#a[@]}` (how many elements), `${#a[1]}`.
fn length(name: &str, env: &mut Env<'_>) -> Result<usize, String> {
    if let Some(values) = list_param(name, env.vars) {
        if name != "@" && name != "*" {
            return Ok(values.len());
        }
    }
    Ok(param(name, None, env)?.chars().count())
}

/// `${a[INDEX]}`: the index is an arithmetic expression.
fn element_value(name: &str, env: &mut Env<'_>) -> Result<Option<String>, String> {
    let Some((array, index)) = name.strip_suffix(']').and_then(|n| n.split_once('[')) else {
        return Ok(env.vars.get(name).cloned());
    };
    if let Some(values) = list_param(name, env.vars) {
        return Ok(Some(values.join(" ")));
    }
    let index = expand_inline(index, env)?;
    let index = arith(&index, env.vars)?;
    Ok(element(env.vars, array, index))
}

fn param(
    name: &str,
    modifier: Option<&(String, Word)>,
    env: &mut Env<'_>,
) -> Result<String, String> {
    let value: Option<String> = match name {
        "?" => Some(env.status.to_string()),
        "!" => env.last_bg.map(|p| p.to_string()),
        "$" => Some("1".into()),
        "#" => Some(env.vars.get("#").cloned().unwrap_or_else(|| "0".into())),
        "0" => Some("sh".into()),
        "@" | "*" => Some(positional(env.vars).join(" ")),
        "-" => Some(String::new()),
        n => element_value(n, env)?,
    };
    let Some((op, word)) = modifier else {
        return Ok(value.unwrap_or_default());
    };
    let null = value.as_deref().is_none_or(str::is_empty);
    let unset = value.is_none();
    let applies = |colon: bool| if colon { null } else { unset };
    Ok(match op.as_str() {
        ":-" | "-" => {
            if applies(op.starts_with(':')) {
                expand_one(word, env)?
            } else {
                value.unwrap_or_default()
            }
        }
        ":=" | "=" => {
            if applies(op.starts_with(':')) {
                let v = expand_one(word, env)?;
                env.vars.insert(name.to_string(), v.clone());
                v
            } else {
                value.unwrap_or_default()
            }
        }
        ":+" | "+" => {
            if applies(op.starts_with(':')) {
                String::new()
            } else {
                expand_one(word, env)?
            }
        }
        ":?" | "?" => {
            if applies(op.starts_with(':')) {
                let msg = expand_one(word, env)?;
                return Err(format!(
                    "{name}: {}",
                    if msg.is_empty() {
                        "parameter not set".to_string()
                    } else {
                        msg
                    }
                ));
            }
            value.unwrap_or_default()
        }
        "#" | "##" | "%" | "%%" => {
            let v = value.unwrap_or_default();
            let pattern = expand_one(word, env)?;
            trim(&v, &pattern, op)
        }
        _ => value.unwrap_or_default(),
    })
}

/// `${x#pat}`, `${x%pat}` with `*` at either end of the pattern.
fn trim(value: &str, pattern: &str, op: &str) -> String {
    let longest = op.len() == 2;
    let prefix = op.starts_with('#');
    let candidates: Vec<usize> = (0..=value.len())
        .filter(|i| value.is_char_boundary(*i))
        .collect();
    let matches = |s: &str| glob_match(pattern, s);
    if prefix {
        let iter: Box<dyn Iterator<Item = &usize>> = if longest {
            Box::new(candidates.iter().rev())
        } else {
            Box::new(candidates.iter())
        };
        for &i in iter {
            if matches(&value[..i]) {
                return value[i..].to_string();
            }
        }
    } else {
        let iter: Box<dyn Iterator<Item = &usize>> = if longest {
            Box::new(candidates.iter())
        } else {
            Box::new(candidates.iter().rev())
        };
        for &i in iter {
            if matches(&value[i..]) {
                return value[..i].to_string();
            }
        }
    }
    value.to_string()
}

/// A shell pattern with `*` and `?` (no brackets).
pub(crate) fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// `$(...)`: the output of the commands whose output a script can know; empty otherwise.
fn substitute(script: &str, env: &mut Env<'_>) -> String {
    if env.depth > 8 {
        return String::new();
    }
    if let Some(file) = script.trim().strip_prefix('<') {
        // bash's `$(<FILE)`: the file's contents, as `$(cat FILE)`.
        return substitute(&format!("cat {}", file.trim()), env);
    }
    let Ok(parsed) = parse(script) else {
        return String::new();
    };
    let Some(item) = parsed.list.first() else {
        return String::new();
    };
    let Some((Command::Simple(simple), _)) = item.and_or.first.commands.first() else {
        return String::new();
    };
    let mut argv = Vec::new();
    env.depth += 1;
    for w in &simple.words {
        match expand(w, env) {
            Ok(f) => argv.extend(f),
            Err(_) => {
                env.depth -= 1;
                return String::new();
            }
        }
    }
    // `wc -l < FILE`, `cat < FILE`: what the command reads on its stdin is the file it would be
    // given as its last operand (and `wc` then prints the count alone, as it does here).
    let stdin = simple
        .redirects
        .iter()
        .rfind(|r| r.fd == 0 && matches!(r.op, RedirOp::Read | RedirOp::ReadWrite));
    if let Some(r) = stdin {
        match expand_one(&r.target, env) {
            Ok(file) => argv.push(file),
            Err(_) => {
                env.depth -= 1;
                return String::new();
            }
        }
    }
    env.depth -= 1;
    match output_of(&argv, env) {
        Ok(out) if out.len() <= MAX_VARIABLE_BYTES => out.trim_end_matches('\n').to_string(),
        _ => {
            env.overgrown.set(true);
            String::new()
        }
    }
}

fn output_of(argv: &[String], env: &mut Env<'_>) -> Result<String, Overgrown> {
    let Some(program) = argv.first() else {
        return Ok(String::new());
    };
    let args = &argv[1..];
    let file_lines = |path: &str, env: &Env<'_>| {
        env.world
            .read_lines(env.container, &normalise(path, env.cwd))
    };
    Ok(match program.rsplit('/').next().unwrap_or(program) {
        "echo" => args
            .iter()
            .filter(|a| !matches!(a.as_str(), "-n" | "-e"))
            .cloned()
            .collect::<Vec<_>>()
            .join(" "),
        "printf" => match args.first() {
            Some(format) => printf(format, &args[1..])?,
            None => String::new(),
        },
        "cat" => args
            .iter()
            .filter(|a| !a.starts_with('-'))
            .filter_map(|a| file_lines(a, env))
            .flatten()
            .collect::<Vec<_>>()
            .join("\n"),
        "head" => args
            .iter()
            .rfind(|a| !a.starts_with('-') && a.parse::<u64>().is_err())
            .and_then(|a| file_lines(a, env))
            .and_then(|l| l.first().cloned())
            .unwrap_or_default(),
        "wc" => args
            .iter()
            .rfind(|a| !a.starts_with('-'))
            .and_then(|a| env.world.line_count(env.container, &normalise(a, env.cwd)))
            .map(|n| n.to_string())
            .unwrap_or_else(|| "0".into()),
        "seq" => seq(args)?.join("\n"),
        "date" => {
            env.world.note_clock_read();
            date(args, env.at)
        }
        "hostname" => env.vars.get("HOSTNAME").cloned().unwrap_or_default(),
        "whoami" => "root".into(),
        "basename" => args
            .first()
            .map(|a| {
                a.trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or(a)
                    .to_string()
            })
            .unwrap_or_default(),
        "dirname" => args
            .first()
            .map(|a| match a.trim_end_matches('/').rfind('/') {
                Some(0) => "/".to_string(),
                Some(i) => a[..i].to_string(),
                None => ".".to_string(),
            })
            .unwrap_or_default(),
        "expr" => arith(&args.join(" "), env.vars)
            .map(|n| n.to_string())
            .unwrap_or_default(),
        "pwd" => env.cwd.to_string(),
        _ => String::new(),
    })
}

/// The most lines `seq` gives before the count is [`Overgrown`]: a loop over more (`for i in $(seq 1
/// 90000)`) takes more steps than a process's run may (`busy_loop::STEPS_PER_RUN`) whatever its body,
/// so it computes until stopped either way, without its list being built and split again by every
/// dry run of the container.
const MAX_SEQ_LINES: usize = (super::busy_loop::STEPS_PER_RUN / 4) as usize;

/// `seq [FIRST [INCREMENT]] LAST`: its lines, as long as they fit what a job may hold (a count to a
/// million is 6.9 MB of text) and a run may loop over ([`MAX_SEQ_LINES`]).
pub(crate) fn seq(args: &[String]) -> Result<Vec<String>, Overgrown> {
    let nums: Vec<i64> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let (from, step, to) = match nums.as_slice() {
        [to] => (1, 1, *to),
        [from, to] => (*from, 1, *to),
        [from, step, to] => (*from, *step, *to),
        _ => return Ok(Vec::new()),
    };
    let terms = || {
        std::iter::successors(Some(from), move |i| i.checked_add(step))
            .take_while(move |i| step != 0 && ((step > 0 && *i <= to) || (step < 0 && *i >= to)))
    };
    // Measured before it is built: a count past what a job may hold is found without making its
    // hundred thousand strings first.
    let mut bytes = 0;
    for (n, i) in terms().enumerate() {
        bytes += decimal_len(i) + 1;
        if bytes > MAX_VARIABLE_BYTES || n >= MAX_SEQ_LINES {
            return Err(Overgrown);
        }
    }
    Ok(terms().map(|i| i.to_string()).collect())
}

/// The length of `i` written in decimal, its sign included.
fn decimal_len(i: i64) -> usize {
    let sign = usize::from(i < 0);
    let digits = i
        .unsigned_abs()
        .checked_ilog10()
        .map_or(1, |d| d as usize + 1);
    sign + digits
}

/// The virtual clock as a date: the pod starts at 2026-01-01 00:00:00 UTC.
pub(crate) fn date(args: &[String], at: SimTime) -> String {
    const EPOCH: u64 = 1_767_225_600;
    let secs = at.0 / 1000;
    if args.iter().any(|a| a == "+%s") {
        return (EPOCH + secs).to_string();
    }
    let (h, m, s) = (secs / 3600 % 24, secs / 60 % 60, secs % 60);
    let day = 1 + secs / 86_400;
    format!("Thu Jan {day:>2} {h:02}:{m:02}:{s:02} UTC 2026")
}

/// `printf FORMAT ARGS`: `%s`, `%d`, `%%` and backslash escapes; [`Overgrown`] past what a job may hold
/// (`%999999999d`).
pub(crate) fn printf(format: &str, args: &[String]) -> Result<String, Overgrown> {
    let mut out = String::new();
    let mut rest = args;
    // The format is reused while arguments remain, as POSIX printf does.
    loop {
        let used = printf_once(format, rest, &mut out)?;
        if used == 0 || used >= rest.len() {
            return Ok(out);
        }
        rest = &rest[used..];
    }
}

/// One pass of `format` over `args`: how many arguments it took.
fn printf_once(format: &str, args: &[String], out: &mut String) -> Result<usize, Overgrown> {
    let mut next = args.iter();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('\\') => out.push('\\'),
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
                None => out.push('\\'),
            },
            '%' => {
                let mut spec = String::new();
                while let Some(&n) = chars.peek() {
                    chars.next();
                    spec.push(n);
                    if n.is_ascii_alphabetic() || n == '%' {
                        break;
                    }
                }
                match spec.pop() {
                    Some('%') => out.push('%'),
                    Some(conversion) => {
                        let arg = next.next().map(String::as_str).unwrap_or("");
                        let field = pad(&spec, &convert(conversion, arg), out.len())?;
                        out.push_str(&field);
                    }
                    None => {}
                }
            }
            c => out.push(c),
        }
    }
    Ok(args.len() - next.len())
}

/// `%d` takes the number an argument starts with (0 for none); `%q` quotes for the shell; the
/// rest print the argument.
fn convert(conversion: char, arg: &str) -> String {
    match conversion {
        'd' | 'i' | 'u' => arg.trim().parse::<i64>().unwrap_or(0).to_string(),
        'q' if arg.is_empty() => "''".into(),
        'q' => arg
            .chars()
            .flat_map(|c| {
                let plain = c.is_ascii_alphanumeric() || "_./,:=@%+-".contains(c);
                (!plain).then_some('\\').into_iter().chain([c])
            })
            .collect(),
        _ => arg.to_string(),
    }
}

/// A field width (`%5s`, `%-8s`), after `built` bytes of output: [`Overgrown`] when the field would
/// take the output past what a job may hold.
fn pad(flags: &str, text: &str, built: usize) -> Result<String, Overgrown> {
    let left = flags.starts_with('-');
    let width: usize = flags
        .trim_start_matches('-')
        .split('.')
        .next()
        .and_then(|w| w.parse().ok())
        .unwrap_or(0);
    if built.saturating_add(width.max(text.len())) > MAX_VARIABLE_BYTES {
        return Err(Overgrown);
    }
    let fill = " ".repeat(width.saturating_sub(text.chars().count()));
    Ok(if left {
        format!("{text}{fill}")
    } else {
        format!("{fill}{text}")
    })
}

/// Evaluates an arithmetic expression (integers, C operators, assignments to variables).
pub(crate) fn arith(text: &str, vars: &mut SortedMap<String, String>) -> Result<i64, String> {
    let tokens = tokenize(text)?;
    let mut p = Arith {
        t: tokens,
        i: 0,
        vars,
        depth: 0,
    };
    if p.t.is_empty() {
        return Ok(0);
    }
    let v = p.assign()?;
    if p.i < p.t.len() {
        return Err(format!("arithmetic syntax error: \"{text}\""));
    }
    Ok(v)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(i64),
    Name(String),
    Op(&'static str),
}

/// The arithmetic operators, a word list, each before any operator it starts with (the tokenizer
/// takes the first that matches).
const OPS: &str = "\
    <<= >>= ++ -- << >> <= >= == != && || += -= *= /= %= &= |= ^= + - * / % < > = ! ~ & | ^ ( ) \
    ? :";

fn tokenize(text: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            let v = if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
                i64::from_str_radix(hex, 16)
            } else if s.len() > 1 && s.starts_with('0') {
                i64::from_str_radix(&s[1..], 8)
            } else {
                s.parse()
            };
            out.push(Tok::Num(
                v.map_err(|_| format!("arithmetic: bad number \"{s}\""))?,
            ));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Tok::Name(chars[start..i].iter().collect()));
        } else if c == '$' {
            i += 1;
        } else {
            let rest: String = chars[i..chars.len().min(i + 3)].iter().collect();
            let Some(op) = OPS.split(' ').find(|op| rest.starts_with(*op)) else {
                return Err(format!("arithmetic: unexpected `{c}`"));
            };
            out.push(Tok::Op(op));
            i += op.len();
        }
    }
    Ok(out)
}

struct Arith<'a> {
    t: Vec<Tok>,
    i: usize,
    vars: &'a mut SortedMap<String, String>,
    depth: usize,
}

impl Arith<'_> {
    fn peek_op(&self) -> Option<&'static str> {
        match self.t.get(self.i) {
            Some(Tok::Op(o)) => Some(o),
            _ => None,
        }
    }

    fn var(&self, name: &str) -> i64 {
        self.vars
            .get(name)
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0)
    }

    fn assign(&mut self) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("arithmetic: expression nests too deeply".into());
        }
        if let (Some(Tok::Name(name)), Some(Tok::Op(op))) =
            (self.t.get(self.i).cloned(), self.t.get(self.i + 1).cloned())
        {
            if word_list::contains("= += -= *= /= %= <<= >>= &= |= ^=", op) {
                self.i += 2;
                let rhs = self.assign()?;
                let old = self.var(&name);
                let v = match op {
                    "=" => rhs,
                    _ => binary(&op[..op.len() - 1], old, rhs)?,
                };
                self.vars.insert(name, v.to_string());
                self.depth -= 1;
                return Ok(v);
            }
        }
        let v = self.ternary();
        self.depth -= 1;
        v
    }

    fn ternary(&mut self) -> Result<i64, String> {
        let cond = self.binary(0)?;
        if self.peek_op() == Some("?") {
            self.i += 1;
            let a = self.assign()?;
            if self.peek_op() != Some(":") {
                return Err("arithmetic: expected `:`".into());
            }
            self.i += 1;
            let b = self.assign()?;
            return Ok(if cond != 0 { a } else { b });
        }
        Ok(cond)
    }

    fn binary(&mut self, level: usize) -> Result<i64, String> {
        // The operators of each level, as word lists, from the loosest binding to the tightest.
        const LEVELS: &[&str] = &[
            "||",
            "&&",
            "|",
            "^",
            "&",
            "== !=",
            "< <= > >=",
            "<< >>",
            "+ -",
            "* / %",
        ];
        if level == LEVELS.len() {
            return self.unary();
        }
        let mut left = self.binary(level + 1)?;
        while let Some(op) = self
            .peek_op()
            .filter(|o| word_list::contains(LEVELS[level], o))
        {
            self.i += 1;
            let right = self.binary(level + 1)?;
            left = binary(op, left, right)?;
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("arithmetic: expression nests too deeply".into());
        }
        let v = match self.t.get(self.i).cloned() {
            Some(Tok::Op(op @ ("-" | "+" | "!" | "~"))) => {
                self.i += 1;
                let v = self.unary()?;
                match op {
                    "-" => v.wrapping_neg(),
                    "+" => v,
                    "!" => i64::from(v == 0),
                    _ => !v,
                }
            }
            Some(Tok::Op(op @ ("++" | "--"))) => {
                self.i += 1;
                let Some(Tok::Name(name)) = self.t.get(self.i).cloned() else {
                    return Err("arithmetic: `++`/`--` needs a variable".into());
                };
                self.i += 1;
                let v = self
                    .var(&name)
                    .wrapping_add(if op == "++" { 1 } else { -1 });
                self.vars.insert(name, v.to_string());
                v
            }
            Some(Tok::Op("(")) => {
                self.i += 1;
                let v = self.assign()?;
                if self.peek_op() != Some(")") {
                    return Err("arithmetic: expected `)`".into());
                }
                self.i += 1;
                v
            }
            Some(Tok::Num(n)) => {
                self.i += 1;
                n
            }
            Some(Tok::Name(name)) => {
                self.i += 1;
                let v = self.var(&name);
                if let Some(op @ ("++" | "--")) = self.peek_op() {
                    self.i += 1;
                    let nv = v.wrapping_add(if op == "++" { 1 } else { -1 });
                    self.vars.insert(name, nv.to_string());
                }
                v
            }
            _ => return Err("arithmetic: expected a number".into()),
        };
        self.depth -= 1;
        Ok(v)
    }
}

fn binary(op: &str, a: i64, b: i64) -> Result<i64, String> {
    Ok(match op {
        "||" => i64::from(a != 0 || b != 0),
        "&&" => i64::from(a != 0 && b != 0),
        "|" => a | b,
        "^" => a ^ b,
        "&" => a & b,
        "==" => i64::from(a == b),
        "!=" => i64::from(a != b),
        "<" => i64::from(a < b),
        "<=" => i64::from(a <= b),
        ">" => i64::from(a > b),
        ">=" => i64::from(a >= b),
        "<<" => a.wrapping_shl(b as u32),
        ">>" => a.wrapping_shr(b as u32),
        "+" => a.wrapping_add(b),
        "-" => a.wrapping_sub(b),
        "*" => a.wrapping_mul(b),
        "/" | "%" if b == 0 => return Err("arithmetic: division by zero".into()),
        "/" => a.wrapping_div(b),
        "%" => a.wrapping_rem(b),
        _ => return Err(format!("arithmetic: unknown operator `{op}`")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_expand(text: &str, vars: &[(&str, &str)]) -> Vec<String> {
        let mut v: SortedMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let world = World::default();
        let mut env = Env {
            vars: &mut v,
            status: 3,
            last_bg: Some(42),
            world: &world,
            container: "c",
            at: SimTime(0),
            cwd: "/",
            depth: 0,
            overgrown: &Cell::new(false),
            arith_work: &Cell::new(0),
        };
        let parsed = parse(&format!("x {text}")).unwrap();
        let Command::Simple(s) = &parsed.list[0].and_or.first.commands[0].0 else {
            panic!()
        };
        s.words[1..]
            .iter()
            .flat_map(|w| expand(w, &mut env).unwrap())
            .collect()
    }

    #[test]
    fn parameters_expand_and_unquoted_values_split() {
        assert_eq!(env_expand("$? $!", &[]), vec!["3", "42"]);
        assert_eq!(
            env_expand("$L \"$L\"", &[("L", "a b")]),
            vec!["a", "b", "a b"]
        );
        assert_eq!(
            env_expand("${X:-def} ${Y:+set}", &[("Y", "1")]),
            vec!["def", "set"]
        );
        assert_eq!(env_expand("pre${X}post", &[("X", "-")]), vec!["pre-post"]);
        assert_eq!(env_expand("\"\" $EMPTY", &[]), vec![""]);
        assert_eq!(
            env_expand("${F%.txt} ${F##*/}", &[("F", "/a/b.txt")]),
            vec!["/a/b", "b.txt"]
        );
    }

    #[test]
    fn arithmetic_follows_c() {
        let mut v = SortedMap::new();
        v.insert("i".to_string(), "4".to_string());
        assert_eq!(arith("i + 1", &mut v), Ok(5));
        assert_eq!(arith("i++", &mut v), Ok(4));
        assert_eq!(v["i"], "5");
        assert_eq!(arith("(1 + 2) * 3 % 4 == 1 && 2 > 1", &mut v), Ok(1));
        assert_eq!(arith("x = 7 ? 2 : 3", &mut v), Ok(2));
        assert!(arith("1 / 0", &mut v).is_err());
        assert!(arith("1 +", &mut v).is_err());
        assert_eq!(env_expand("$(( 2 * 3 ))", &[]), vec!["6"]);
    }

    #[test]
    fn known_command_substitutions_have_output() {
        assert_eq!(env_expand("$(seq 1 3)", &[]), vec!["1", "2", "3"]);
        assert_eq!(env_expand("\"$(echo a  b)\"", &[]), vec!["a b"]);
        assert_eq!(env_expand("$(unknown-tool)x", &[]), vec!["x"]);
    }

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn decimal_lengths_are_those_of_the_written_numbers() {
        for i in [0, 9, 10, -1, -10, 99_999, i64::MAX, i64::MIN] {
            assert_eq!(decimal_len(i), i.to_string().len(), "{i}");
        }
    }

    #[test]
    fn seq_counts_whole_or_not_at_all() {
        assert_eq!(seq(&words(&["5", "-2", "1"])), Ok(words(&["5", "3", "1"])));
        assert_eq!(seq(&words(&["1", "0", "3"])), Ok(Vec::new()));
        // The count is whole while a run may loop over it, and not cut short past it.
        let lines = seq(&words(&[&MAX_SEQ_LINES.to_string()])).expect("fits");
        assert_eq!(lines.len(), MAX_SEQ_LINES);
        assert_eq!(
            seq(&words(&[&(MAX_SEQ_LINES + 1).to_string()])),
            Err(Overgrown)
        );
        assert_eq!(seq(&words(&["1", "1000000"])), Err(Overgrown));
        // At the end of the integers it stops rather than wrap.
        let max = i64::MAX.to_string();
        assert_eq!(seq(&words(&[&max, &max])), Ok(vec![max.clone()]));
    }

    #[test]
    fn a_substitution_past_what_a_job_may_hold_is_overgrown_not_cut() {
        let mut vars = SortedMap::new();
        let world = World::default();
        let overgrown = Cell::new(false);
        let mut env = Env {
            vars: &mut vars,
            status: 0,
            last_bg: None,
            world: &world,
            container: "c",
            at: SimTime(0),
            cwd: "/",
            depth: 0,
            overgrown: &overgrown,
            arith_work: &Cell::new(0),
        };
        assert_eq!(substitute("seq 1 3", &mut env), "1\n2\n3");
        assert!(!overgrown.get());
        assert_eq!(substitute("seq 1 1000000", &mut env), "");
        assert!(overgrown.get());
    }

    #[test]
    fn printf_widths_are_built_only_while_they_fit() {
        assert_eq!(
            printf("%5d|%-3s|", &words(&["42", "a"])),
            Ok("   42|a  |".into())
        );
        assert_eq!(printf("%999999999d", &words(&["1"])), Err(Overgrown));
        // Reusing the format for every argument is bounded the same way.
        let wide = format!("%{}s", MAX_VARIABLE_BYTES / 2);
        assert_eq!(printf(&wide, &words(&["a", "b", "c"])), Err(Overgrown));
        assert_eq!(
            printf(&wide, &words(&["a"])).map(|t| t.len()),
            Ok(MAX_VARIABLE_BYTES / 2)
        );
    }
}
