//! A script as the steps a shell takes (how dash's `evaltree` walks a parsed script, flattened so that a
//! process can stop at any step and resume on the virtual clock): commands to run, jumps on `$?` for
//! `&&`, `||`, `if` and loops, and the points where a job starts in the background (`&`), in a subshell
//! or in a pipeline. Each of those runs a separate block.

use super::shell_syntax::{
    parse, AndOr, Command, Connector, Item, List, ParseError, Pipeline, Redirect, Simple,
};

/// Which shell reads the script: dash and busybox ash run the last command of `sh -c` in place of
/// the shell (`exec`), bash only when the script is a single command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavour {
    Sh,
    Bash,
    /// Not a shell: `command` is a program and its arguments.
    Argv,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Step {
    Run {
        command: Simple,
        /// The shell replaces itself with this command when it is external and no trap is set.
        exec_if_last: bool,
        /// `set -e` applies (not in a condition or on the left of `&&`/`||`).
        errexit: bool,
    },
    /// A program podlife cannot read (an unknown image's entrypoint, a script it cannot parse), run as
    /// what its kind of container suggests.
    RunUnknown(UnknownProgram),
    Arith {
        expr: String,
        errexit: bool,
    },
    Jump(usize),
    JumpIfFailure(usize),
    JumpIfSuccess(usize),
    Negate,
    SetStatus(i32),
    Background(usize),
    Subshell(usize),
    Pipeline(Vec<usize>),
    ForStart(Option<Vec<super::shell_syntax::Word>>),
    ForNext {
        var: String,
        done: usize,
    },
    /// Leave `n` enclosing `for` loops (on `break`/`continue`).
    PopFors(usize),
    PushRedirects(Vec<Redirect>),
    /// Back to this many pushed redirections.
    PopRedirects(usize),
}

/// A program podlife cannot read: its name and the command line a learner wrote.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UnknownProgram {
    pub name: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Script {
    /// Block 0 is the script; the others run in background jobs, subshells and pipelines.
    pub blocks: Vec<Vec<Step>>,
    pub heredocs: Vec<String>,
    pub source: String,
    pub flavour: Flavour,
}

struct Loop {
    continue_at: usize,
    breaks: Vec<usize>,
    fors_outside: usize,
    redirects_outside: usize,
    is_for: bool,
}

struct Compiler {
    blocks: Vec<Vec<Step>>,
    loops: Vec<Loop>,
    fors: usize,
    redirects: usize,
}

impl Script {
    /// A `sh -c`/`bash -c` script.
    pub fn compile(source: &str, flavour: Flavour) -> Result<Script, ParseError> {
        let parsed = parse(source)?;
        let exec_last = match flavour {
            Flavour::Sh | Flavour::Argv => true,
            Flavour::Bash => is_single_simple(&parsed.list),
        };
        let mut c = Compiler {
            blocks: vec![Vec::new()],
            loops: Vec::new(),
            fors: 0,
            redirects: 0,
        };
        c.list(0, &parsed.list, exec_last, true);
        Ok(Script {
            blocks: c.blocks,
            heredocs: parsed.heredocs,
            source: source.to_string(),
            flavour,
        })
    }

    /// A program and its arguments, run as they are (no shell reads them).
    pub fn argv(argv: &[String]) -> Script {
        let words = argv
            .iter()
            .map(|a| super::shell_syntax::Word::literal_text(a))
            .collect();
        let command = Simple {
            assigns: Vec::new(),
            words,
            redirects: Vec::new(),
            text: argv.join(" "),
        };
        Script {
            blocks: vec![vec![Step::Run {
                command,
                exec_if_last: true,
                errexit: false,
            }]],
            heredocs: Vec::new(),
            source: argv.join(" "),
            flavour: Flavour::Argv,
        }
    }

    /// A script that runs one program podlife cannot read.
    pub fn unknown_program(name: &str, text: &str) -> Script {
        Script {
            blocks: vec![vec![Step::RunUnknown(UnknownProgram {
                name: name.to_string(),
                text: text.to_string(),
            })]],
            heredocs: Vec::new(),
            source: text.to_string(),
            flavour: Flavour::Argv,
        }
    }

    /// Every simple command of the script, in order (for summaries).
    pub fn commands(&self) -> impl Iterator<Item = &Simple> {
        self.blocks.iter().flatten().filter_map(|s| match s {
            Step::Run { command, .. } => Some(command),
            _ => None,
        })
    }
}

fn is_single_simple(list: &List) -> bool {
    matches!(list.as_slice(), [Item { and_or: AndOr { first, rest }, background: false }]
        if rest.is_empty() && !first.negated && first.commands.len() == 1
            && matches!(first.commands[0].0, Command::Simple(_)) && first.commands[0].1.is_empty())
}

impl Compiler {
    fn here(&self, block: usize) -> usize {
        self.blocks[block].len()
    }

    fn emit(&mut self, block: usize, step: Step) -> usize {
        self.blocks[block].push(step);
        self.blocks[block].len() - 1
    }

    fn patch(&mut self, block: usize, at: usize, target: usize) {
        if let Some(step) = self.blocks[block].get_mut(at) {
            match step {
                Step::Jump(t) | Step::JumpIfFailure(t) | Step::JumpIfSuccess(t) => *t = target,
                Step::ForNext { done, .. } => *done = target,
                _ => {}
            }
        }
    }

    fn new_block(&mut self) -> usize {
        self.blocks.push(Vec::new());
        self.blocks.len() - 1
    }

    /// Compiles a job's own block (background, subshell, pipeline element): loops do not reach out of
    /// it.
    fn separate<F: FnOnce(&mut Compiler, usize)>(&mut self, f: F) -> usize {
        let block = self.new_block();
        let loops = std::mem::take(&mut self.loops);
        let fors = std::mem::replace(&mut self.fors, 0);
        let redirects = std::mem::replace(&mut self.redirects, 0);
        f(self, block);
        self.loops = loops;
        self.fors = fors;
        self.redirects = redirects;
        block
    }

    fn list(&mut self, block: usize, list: &List, tail: bool, errexit: bool) {
        for (i, item) in list.iter().enumerate() {
            let last = i + 1 == list.len();
            if item.background {
                let and_or = item.and_or.clone();
                // The forked shell execs a lone command (dash's EV_EXIT), so `$!` is the program.
                let b = self.separate(|c, b| c.and_or(b, &and_or, true, true));
                self.emit(block, Step::Background(b));
            } else {
                self.and_or(block, &item.and_or, tail && last, errexit);
            }
        }
    }

    fn and_or(&mut self, block: usize, and_or: &AndOr, tail: bool, errexit: bool) {
        let n = and_or.rest.len();
        self.pipeline(block, &and_or.first, tail && n == 0, errexit && n == 0);
        for (i, (connector, p)) in and_or.rest.iter().enumerate() {
            let jump = match connector {
                Connector::And => self.emit(block, Step::JumpIfFailure(0)),
                Connector::Or => self.emit(block, Step::JumpIfSuccess(0)),
            };
            let last = i + 1 == n;
            self.pipeline(block, p, tail && last, errexit && last);
            let after = self.here(block);
            self.patch(block, jump, after);
        }
    }

    fn pipeline(&mut self, block: usize, p: &Pipeline, tail: bool, errexit: bool) {
        if p.commands.len() == 1 {
            let (command, redirects) = &p.commands[0];
            self.command(
                block,
                command,
                redirects,
                tail && !p.negated,
                errexit && !p.negated,
            );
        } else {
            let mut blocks = Vec::new();
            for (command, redirects) in &p.commands {
                let command = command.clone();
                let redirects = redirects.clone();
                blocks.push(self.separate(|c, b| c.command(b, &command, &redirects, true, false)));
            }
            self.emit(block, Step::Pipeline(blocks));
        }
        if p.negated {
            self.emit(block, Step::Negate);
        }
    }

    fn command(
        &mut self,
        block: usize,
        command: &Command,
        redirects: &[Redirect],
        tail: bool,
        errexit: bool,
    ) {
        let pushed = !redirects.is_empty();
        if pushed {
            self.emit(block, Step::PushRedirects(redirects.to_vec()));
            self.redirects += 1;
        }
        let tail = tail && !pushed;
        match command {
            Command::Simple(simple) => self.simple(block, simple, tail, errexit),
            Command::Group(list) => self.list(block, list, tail, errexit),
            Command::Subshell(list) => {
                let list = list.clone();
                let b = self.separate(|c, b| c.list(b, &list, true, true));
                self.emit(block, Step::Subshell(b));
            }
            Command::Arith(expr) => {
                self.emit(
                    block,
                    Step::Arith {
                        expr: expr.clone(),
                        errexit,
                    },
                );
            }
            Command::If {
                branches,
                otherwise,
            } => {
                let mut to_end = Vec::new();
                for (cond, body) in branches {
                    self.list(block, cond, false, false);
                    let skip = self.emit(block, Step::JumpIfFailure(0));
                    self.list(block, body, tail, errexit);
                    to_end.push(self.emit(block, Step::Jump(0)));
                    let next = self.here(block);
                    self.patch(block, skip, next);
                }
                match otherwise {
                    Some(list) => self.list(block, list, tail, errexit),
                    None => {
                        self.emit(block, Step::SetStatus(0));
                    }
                }
                let end = self.here(block);
                for j in to_end {
                    self.patch(block, j, end);
                }
            }
            Command::Loop { until, cond, body } => {
                let top = self.here(block);
                self.loops.push(Loop {
                    continue_at: top,
                    breaks: Vec::new(),
                    fors_outside: self.fors,
                    redirects_outside: self.redirects,
                    is_for: false,
                });
                self.list(block, cond, false, false);
                let exit = if *until {
                    self.emit(block, Step::JumpIfSuccess(0))
                } else {
                    self.emit(block, Step::JumpIfFailure(0))
                };
                self.list(block, body, false, errexit);
                self.emit(block, Step::Jump(top));
                let end = self.here(block);
                self.patch(block, exit, end);
                self.emit(block, Step::SetStatus(0));
                if let Some(l) = self.loops.pop() {
                    for b in l.breaks {
                        self.patch(block, b, end);
                    }
                }
            }
            Command::For { var, words, body } => {
                self.emit(block, Step::ForStart(words.clone()));
                self.fors += 1;
                let next = self.emit(
                    block,
                    Step::ForNext {
                        var: var.clone(),
                        done: 0,
                    },
                );
                self.loops.push(Loop {
                    continue_at: next,
                    breaks: Vec::new(),
                    fors_outside: self.fors - 1,
                    redirects_outside: self.redirects,
                    is_for: true,
                });
                self.list(block, body, false, errexit);
                self.emit(block, Step::Jump(next));
                self.fors -= 1;
                let end = self.here(block);
                self.patch(block, next, end);
                self.emit(block, Step::SetStatus(0));
                if let Some(l) = self.loops.pop() {
                    for b in l.breaks {
                        self.patch(block, b, end);
                    }
                }
            }
        }
        if pushed {
            self.redirects -= 1;
            self.emit(block, Step::PopRedirects(self.redirects));
        }
    }

    fn simple(&mut self, block: usize, simple: &Simple, tail: bool, errexit: bool) {
        let name = simple.words.first().and_then(|w| w.literal());
        let control = name
            .as_deref()
            .filter(|n| *n == "break" || *n == "continue");
        if let (Some(control), false) = (control, self.loops.is_empty()) {
            let n = simple
                .words
                .get(1)
                .and_then(|w| w.literal())
                .and_then(|t| t.parse::<usize>().ok())
                .unwrap_or(1)
                .clamp(1, self.loops.len());
            let target = self.loops.len() - n;
            let (fors_outside, redirects_outside, is_for) = {
                let l = &self.loops[target];
                (l.fors_outside, l.redirects_outside, l.is_for)
            };
            // `continue` stays inside the target `for` loop; `break` leaves it.
            let keep = if control == "continue" && is_for {
                fors_outside + 1
            } else {
                fors_outside
            };
            let pop = self.fors.saturating_sub(keep);
            if pop > 0 {
                self.emit(block, Step::PopFors(pop));
            }
            if self.redirects > redirects_outside {
                self.emit(block, Step::PopRedirects(redirects_outside));
            }
            if control == "continue" {
                let at = self.loops[target].continue_at;
                self.emit(block, Step::Jump(at));
            } else {
                let j = self.emit(block, Step::Jump(0));
                self.loops[target].breaks.push(j);
            }
            return;
        }
        self.emit(
            block,
            Step::Run {
                command: simple.clone(),
                exec_if_last: tail,
                errexit,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_command_of_sh_c_replaces_the_shell() {
        let s = Script::compile("echo start; nginx -g 'daemon off;'", Flavour::Sh).unwrap();
        let execs: Vec<bool> = s.blocks[0]
            .iter()
            .filter_map(|st| match st {
                Step::Run { exec_if_last, .. } => Some(*exec_if_last),
                _ => None,
            })
            .collect();
        assert_eq!(execs, vec![false, true]);
        let s = Script::compile("echo start; nginx", Flavour::Bash).unwrap();
        assert!(s.blocks[0].iter().all(|st| !matches!(
            st,
            Step::Run {
                exec_if_last: true,
                ..
            }
        )));
    }

    #[test]
    fn background_jobs_and_pipelines_get_their_own_blocks() {
        let s = Script::compile("sleep 60 & wait $!; a | b", Flavour::Sh).unwrap();
        assert_eq!(s.blocks.len(), 4);
        assert!(matches!(s.blocks[0][0], Step::Background(1)));
    }

    #[test]
    fn break_leaves_the_loop() {
        let s = Script::compile("while true; do break; done; echo after", Flavour::Sh).unwrap();
        let jumps: Vec<&Step> = s.blocks[0]
            .iter()
            .filter(|st| matches!(st, Step::Jump(_)))
            .collect();
        assert_eq!(jumps.len(), 2);
    }
}
