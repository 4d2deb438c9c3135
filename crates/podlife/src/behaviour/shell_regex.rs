//! The POSIX extended regular expressions of bash's `[[ STRING =~ REGEX ]]` (regcomp with REG_EXTENDED,
//! XBD 9.4): literals, `.`, bracket expressions with ranges and `[:class:]`, `^`, `$`, groups,
//! alternation and the `* + ? {n,m}` repetitions; the groups become `BASH_REMATCH`. Matched by
//! backtracking with a step budget and a depth limit, so a hostile expression or a long string gives up
//! (no match) instead of hanging or overflowing the stack.

use std::cell::Cell;

/// Steps one match may take before it gives up (no match).
const BUDGET: u32 = 200_000;
/// Repetitions nest this deep at most (each one is a few stack frames; a wasm stack is small).
const MAX_DEPTH: u32 = 800;
/// Repetitions without an upper bound stop here.
const MANY: u32 = u32::MAX;

#[derive(Debug, Clone)]
enum Atom {
    Char(char),
    Any,
    /// A bracket expression: its single characters and ranges, negated or not.
    Set(Vec<(char, char)>, bool),
    Start,
    End,
    Group(Vec<Vec<Piece>>, usize),
}

#[derive(Debug, Clone)]
struct Piece {
    atom: Atom,
    min: u32,
    max: u32,
}

/// A compiled expression.
#[derive(Debug, Clone)]
pub(crate) struct Regex {
    branches: Vec<Vec<Piece>>,
    groups: usize,
}

type Caps = Vec<Option<(usize, usize)>>;

impl Regex {
    /// Compiles `pattern`; an error names what is wrong (bash's `[[` then returns 2).
    pub(crate) fn new(pattern: &str) -> Result<Regex, String> {
        let mut p = Reader {
            s: pattern.chars().collect(),
            i: 0,
            groups: 0,
        };
        let branches = p.alternation(0)?;
        if p.i < p.s.len() {
            return Err("unmatched `)`".into());
        }
        Ok(Regex {
            branches,
            groups: p.groups,
        })
    }

    /// The leftmost match: the whole match and each group's text (`""` for a group that took no part).
    pub(crate) fn captures(&self, text: &str) -> Option<Vec<String>> {
        let t: Vec<char> = text.chars().collect();
        let steps = Cell::new(0);
        let depth = Cell::new(0);
        let m = Matcher {
            t: &t,
            steps: &steps,
            depth: &depth,
        };
        for start in 0..=t.len() {
            let mut caps: Caps = vec![None; self.groups + 1];
            let mut end = None;
            let group = Atom::Group(self.branches.clone(), 0);
            let found = m.atom(&group, start, &mut caps, &mut |p, _| {
                end = Some(p);
                true
            });
            if found {
                caps[0] = end.map(|e| (start, e));
                let piece = |c: &Option<(usize, usize)>| {
                    c.map(|(a, b)| t[a..b].iter().collect()).unwrap_or_default()
                };
                return Some(caps.iter().map(piece).collect());
            }
            if steps.get() > BUDGET {
                return None;
            }
        }
        None
    }
}

struct Reader {
    s: Vec<char>,
    i: usize,
    groups: usize,
}

impl Reader {
    fn alternation(&mut self, depth: usize) -> Result<Vec<Vec<Piece>>, String> {
        if depth > 32 {
            return Err("groups nest too deeply".into());
        }
        let mut branches: Vec<Vec<Piece>> = vec![Vec::new()];
        while let Some(&c) = self.s.get(self.i) {
            match c {
                '|' => {
                    self.i += 1;
                    branches.push(Vec::new());
                }
                ')' if depth > 0 => break,
                '*' | '+' | '?' | '{' => {
                    let Some(last) = branches.last_mut().and_then(|b| b.last_mut()) else {
                        return Err(format!("`{c}` repeats nothing"));
                    };
                    let (min, max) = self.repetition()?;
                    // `a*?`: a second repetition widens the first (glibc reads it so).
                    let fresh = last.min == 1 && last.max == 1;
                    last.min = last.min.min(min);
                    last.max = if fresh { max } else { MANY };
                }
                _ => {
                    let atom = self.atom(depth)?;
                    if let Some(b) = branches.last_mut() {
                        b.push(Piece {
                            atom,
                            min: 1,
                            max: 1,
                        });
                    }
                }
            }
        }
        Ok(branches)
    }

    fn repetition(&mut self) -> Result<(u32, u32), String> {
        let c = self.s[self.i];
        self.i += 1;
        Ok(match c {
            '*' => (0, MANY),
            '+' => (1, MANY),
            '?' => (0, 1),
            _ => {
                let close = self.s[self.i..]
                    .iter()
                    .position(|c| *c == '}')
                    .ok_or("unterminated `{`")?;
                let inner: String = self.s[self.i..self.i + close].iter().collect();
                self.i += close + 1;
                let number = |t: &str| {
                    t.trim()
                        .parse::<u32>()
                        .map_err(|_| format!("bad `{{{inner}}}`"))
                };
                match inner.split_once(',') {
                    None => (number(&inner)?, number(&inner)?),
                    Some((a, "")) => (number(a)?, MANY),
                    Some((a, b)) => (number(a)?, number(b)?),
                }
            }
        })
    }

    fn atom(&mut self, depth: usize) -> Result<Atom, String> {
        let c = self.s[self.i];
        self.i += 1;
        Ok(match c {
            '.' => Atom::Any,
            '^' => Atom::Start,
            '$' => Atom::End,
            '(' => {
                self.groups += 1;
                let index = self.groups;
                let inner = self.alternation(depth + 1)?;
                if self.s.get(self.i) != Some(&')') {
                    return Err("unmatched `(`".into());
                }
                self.i += 1;
                Atom::Group(inner, index)
            }
            '[' => self.bracket()?,
            '\\' => {
                let n = *self.s.get(self.i).ok_or("trailing backslash")?;
                self.i += 1;
                Atom::Char(n)
            }
            c => Atom::Char(c),
        })
    }

    /// `[...]`, after the `[`.
    fn bracket(&mut self) -> Result<Atom, String> {
        let negated = self.s.get(self.i) == Some(&'^');
        if negated {
            self.i += 1;
        }
        let mut set = Vec::new();
        let mut first = true;
        loop {
            let c = *self.s.get(self.i).ok_or("unterminated `[`")?;
            self.i += 1;
            if c == ']' && !first {
                return Ok(Atom::Set(set, negated));
            }
            first = false;
            if c == '[' && self.s.get(self.i) == Some(&':') {
                let rest: String = self.s[self.i + 1..].iter().collect();
                let end = rest.find(":]").ok_or("unterminated `[:`")?;
                set.extend(class(&rest[..end])?);
                self.i += 1 + rest[..end].chars().count() + 2;
                continue;
            }
            let high = match (self.s.get(self.i), self.s.get(self.i + 1)) {
                (Some('-'), Some(&h)) if h != ']' => {
                    self.i += 2;
                    h
                }
                _ => c,
            };
            set.push((c, high));
        }
    }
}

/// The characters of a `[:class:]` in the C locale.
fn class(name: &str) -> Result<Vec<(char, char)>, String> {
    Ok(match name {
        "digit" => vec![('0', '9')],
        "alpha" => vec![('a', 'z'), ('A', 'Z')],
        "alnum" => vec![('a', 'z'), ('A', 'Z'), ('0', '9')],
        "upper" => vec![('A', 'Z')],
        "lower" => vec![('a', 'z')],
        "space" => vec![(' ', ' '), ('\t', '\r')],
        "blank" => vec![(' ', ' '), ('\t', '\t')],
        "xdigit" => vec![('0', '9'), ('a', 'f'), ('A', 'F')],
        "punct" => vec![('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
        _ => return Err(format!("unknown class `[:{name}:]`")),
    })
}

struct Matcher<'a> {
    t: &'a [char],
    steps: &'a Cell<u32>,
    depth: &'a Cell<u32>,
}

type Next<'k> = &'k mut dyn FnMut(usize, &mut Caps) -> bool;

impl Matcher<'_> {
    fn spent(&self) -> bool {
        self.steps.set(self.steps.get() + 1);
        self.steps.get() > BUDGET
    }

    /// Matches `pieces` from `pos`, then whatever `k` needs.
    fn seq(&self, pieces: &[Piece], pos: usize, caps: &mut Caps, k: Next<'_>) -> bool {
        match pieces.split_first() {
            None => k(pos, caps),
            Some((first, rest)) => self.repeat(first, 0, pos, caps, &mut |p, caps| {
                self.seq(rest, p, caps, &mut *k)
            }),
        }
    }

    /// Greedy repetition: one more of `piece` if it can, else what follows.
    fn repeat(&self, piece: &Piece, count: u32, pos: usize, caps: &mut Caps, k: Next<'_>) -> bool {
        if self.depth.get() >= MAX_DEPTH {
            return false;
        }
        self.depth.set(self.depth.get() + 1);
        let matched = self.repeat_here(piece, count, pos, caps, k);
        self.depth.set(self.depth.get() - 1);
        matched
    }

    fn repeat_here(
        &self,
        piece: &Piece,
        count: u32,
        pos: usize,
        caps: &mut Caps,
        k: Next<'_>,
    ) -> bool {
        if self.spent() {
            return false;
        }
        if count < piece.max {
            let more = self.atom(&piece.atom, pos, caps, &mut |p, caps| {
                // An empty match cannot repeat forever.
                (p != pos || count < piece.min) && self.repeat(piece, count + 1, p, caps, &mut *k)
            });
            if more {
                return true;
            }
        }
        count >= piece.min && k(pos, caps)
    }

    fn atom(&self, atom: &Atom, pos: usize, caps: &mut Caps, k: Next<'_>) -> bool {
        let here = self.t.get(pos).copied();
        match atom {
            Atom::Char(c) => here == Some(*c) && k(pos + 1, caps),
            Atom::Any => here.is_some() && k(pos + 1, caps),
            Atom::Set(set, negated) => {
                here.is_some_and(|h| set.iter().any(|(a, b)| (*a..=*b).contains(&h)) != *negated)
                    && k(pos + 1, caps)
            }
            Atom::Start => pos == 0 && k(pos, caps),
            Atom::End => pos == self.t.len() && k(pos, caps),
            Atom::Group(branches, index) => branches.iter().any(|branch| {
                self.seq(branch, pos, caps, &mut |p, caps| {
                    let old = caps.get(*index).copied().flatten();
                    if let Some(slot) = caps.get_mut(*index) {
                        *slot = Some((pos, p));
                    }
                    if k(p, caps) {
                        return true;
                    }
                    if let Some(slot) = caps.get_mut(*index) {
                        *slot = old;
                    }
                    false
                })
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(re: &str, text: &str) -> Option<Vec<String>> {
        Regex::new(re).unwrap().captures(text)
    }

    #[test]
    fn groups_capture_as_bash_rematch_shows_them() {
        assert_eq!(
            groups("-([0-9]+)$", "mysql-2"),
            Some(vec!["-2".into(), "2".into()])
        );
        assert_eq!(groups("-([0-9]+)$", "mysql"), None);
        assert_eq!(
            groups("^(.*?)[[:space:]]+(.*?)$", "mysql-bin.000003 154"),
            Some(vec![
                "mysql-bin.000003 154".into(),
                "mysql-bin.000003".into(),
                "154".into()
            ])
        );
        assert_eq!(
            groups("^(a|bc){2}x", "bcax"),
            Some(vec!["bcax".into(), "a".into()])
        );
        assert_eq!(groups("[^a-c]", "abcd"), Some(vec!["d".into()]));
        assert_eq!(groups("v\\.[0-9]", "v10 v.1"), Some(vec!["v.1".into()]));
    }

    #[test]
    fn bad_and_hostile_expressions_end() {
        for bad in ["(", "[a", "*a", "a{1", "[[:nope:]]"] {
            assert!(Regex::new(bad).is_err(), "{bad}");
        }
        let text = "a".repeat(40);
        assert_eq!(groups("^(a*)*b$", &text), None);
        // A string too long to backtrack through gives up instead of overflowing the stack.
        let long = "x".repeat(100_000);
        assert_eq!(groups("^(.*)y$", &long), None);
        assert_eq!(groups("^x", &long), Some(vec!["x".into()]));
    }
}
