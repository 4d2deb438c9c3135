//! The compound commands that came late to podlife's reader — `case`, function definitions — and the
//! bash syntax container scripts lean on: arrays (`a=(x y)`, `${a[1]}`) and the regular expression
//! after `=~` in `[[ … ]]`, whose parentheses group instead of ending the command (bash's
//! `parse_cond_command`). Bash-only syntax is recorded, so that a `sh -c` script using it is refused as
//! dash and busybox ash refuse it.

use super::{is_meta, is_name, is_name_char, is_name_start, Command, List, ParseError, Parser};
use super::{Part, Word};

/// `a=(x y z)` or `a+=(w)`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ArrayAssign {
    pub name: String,
    pub append: bool,
    pub values: Vec<Word>,
}

/// One arm of a `case`: its patterns and the list it runs.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CaseArm {
    pub patterns: Vec<Word>,
    pub body: List,
}

/// The length in characters of `name[index]` at the start of `text`, if it starts with one.
pub(super) fn element_name_len(text: &str) -> Option<usize> {
    let name_len = text.chars().take_while(|c| is_name_char(*c)).count();
    if name_len == 0 || !text.chars().next().is_some_and(is_name_start) {
        return None;
    }
    let rest: String = text.chars().skip(name_len).collect();
    let inner = rest.strip_prefix('[')?;
    let close = inner.find(']')?;
    Some(name_len + 2 + inner[..close].chars().count())
}

impl Parser {
    pub(super) fn bash_only(&mut self, what: &'static str) {
        if self.bash_only.is_none() {
            self.bash_only = Some((self.i, what));
        }
    }

    /// A function definition's head at the cursor (`name()`, `function name`, `function name()`): its
    /// name, with the cursor after it. `None` (cursor unmoved) when the command is something else.
    pub(super) fn function_header(&mut self) -> Result<Option<String>, ParseError> {
        let save = self.i;
        let keyword = self.starts_with("function") && self.peek_at(8).is_some_and(|c| c == ' ');
        if keyword {
            self.i += 8;
            self.skip_blanks();
        }
        let mut name = String::new();
        while let Some(c) = self.peek().filter(|c| is_name_char(*c) || *c == '-') {
            name.push(c);
            self.i += 1;
        }
        if !name.starts_with(is_name_start) {
            if keyword {
                return Err(self.error("`function` needs a name"));
            }
            self.i = save;
            return Ok(None);
        }
        self.skip_blanks();
        if self.peek() == Some('(') {
            self.i += 1;
            self.skip_blanks();
            if self.peek() == Some(')') {
                self.i += 1;
                return Ok(Some(name));
            }
            if keyword {
                return Err(self.error("expected `)` after `function NAME(`"));
            }
        } else if keyword {
            return Ok(Some(name));
        }
        self.i = save;
        Ok(None)
    }

    /// The compound command a function runs.
    pub(super) fn function_body(&mut self, name: String) -> Result<Command, ParseError> {
        self.linebreak();
        let at = self.i;
        let body = self.command()?;
        if matches!(body.0, Command::Simple(_) | Command::Function { .. }) {
            return Err(ParseError {
                message: format!(
                    "the body of function `{name}` must be a compound command (`{{ …; }}`)"
                ),
                at,
            });
        }
        Ok(Command::Function {
            name,
            body: Box::new(body),
        })
    }

    /// `case WORD in [(]PATTERN[|PATTERN]...) LIST ;; ... esac`, after `case`.
    pub(super) fn case_command(&mut self) -> Result<Command, ParseError> {
        self.skip_blanks();
        if self.peek().is_none_or(is_meta) {
            return Err(self.error("`case` needs a word"));
        }
        let word = self.word()?;
        self.expect_reserved("in")?;
        let mut arms = Vec::new();
        loop {
            self.linebreak();
            if self.peek_reserved() == Some("esac") {
                self.i += 4;
                return Ok(Command::Case { word, arms });
            }
            let patterns = self.case_patterns()?;
            self.cases += 1;
            let body = self.list(&["esac"], false);
            self.cases -= 1;
            arms.push(CaseArm {
                patterns,
                body: body?,
            });
            self.linebreak();
            if self.starts_with(";;") {
                self.i += 2;
            } else if self.peek_reserved() != Some("esac") {
                return Err(self.error("expected `;;` or `esac` after a `case` arm"));
            }
        }
    }

    /// `[(]PATTERN[|PATTERN]...)`.
    fn case_patterns(&mut self) -> Result<Vec<Word>, ParseError> {
        if self.peek() == Some('(') {
            self.i += 1;
        }
        let mut patterns = Vec::new();
        loop {
            self.skip_blanks();
            if self.peek().is_none_or(is_meta) {
                return Err(self.error("expected a `case` pattern"));
            }
            patterns.push(self.word()?);
            self.skip_blanks();
            match self.peek() {
                Some('|') => self.i += 1,
                Some(')') => {
                    self.i += 1;
                    return Ok(patterns);
                }
                _ => return Err(self.error("expected `)` after a `case` pattern")),
            }
        }
    }

    /// `NAME=(...)` or `NAME+=(...)`, with `word` the `NAME=` before the cursor's `(`.
    pub(super) fn array_assignment(
        &mut self,
        word: &Word,
    ) -> Result<Option<ArrayAssign>, ParseError> {
        let Some(text) = word.literal().filter(|_| !word.quoted) else {
            return Ok(None);
        };
        let (name, append) = match text.strip_suffix("+=") {
            Some(name) => (name, true),
            None => match text.strip_suffix('=') {
                Some(name) => (name, false),
                None => return Ok(None),
            },
        };
        if !is_name(name) {
            return Ok(None);
        }
        self.bash_only("an array");
        self.i += 1;
        let mut values = Vec::new();
        loop {
            self.linebreak();
            match self.peek() {
                None => return Err(self.error("unterminated array: expected `)`")),
                Some(')') => {
                    self.i += 1;
                    break;
                }
                Some(c) if is_meta(c) => {
                    return Err(self.error(format!("unexpected `{c}` in an array")));
                }
                Some(_) => values.push(self.word()?),
            }
        }
        Ok(Some(ArrayAssign {
            name: name.to_string(),
            append,
            values,
        }))
    }

    /// The regular expression after `=~`: up to a blank outside parentheses, quotes kept literal.
    pub(super) fn regex_word(&mut self) -> Result<Word, ParseError> {
        self.bash_only("`=~`");
        let mut w = Word::default();
        let mut depth = 0usize;
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\n' | ';' | '&' | '|' if depth == 0 => break,
                '(' => depth += 1,
                ')' if depth == 0 => break,
                ')' => depth -= 1,
                '$' if self
                    .peek_at(1)
                    .is_some_and(|n| n == '{' || is_name_start(n)) =>
                {
                    self.dollar(&mut w, false)?;
                    continue;
                }
                '"' | '\'' => {
                    self.quoted_regex_text(&mut w, c)?;
                    continue;
                }
                '\\' => {
                    self.i += 1;
                    w.push_char('\\', false);
                    let Some(n) = self.peek() else { break };
                    w.push_char(n, false);
                    self.i += 1;
                    continue;
                }
                _ => {}
            }
            w.push_char(c, false);
            self.i += 1;
        }
        if w.parts.is_empty() {
            return Err(self.error("`=~` needs a regular expression"));
        }
        Ok(w)
    }

    /// A quoted piece of a regular expression: matched literally, so its special characters are
    /// escaped.
    fn quoted_regex_text(&mut self, w: &mut Word, quote: char) -> Result<(), ParseError> {
        self.i += 1;
        let mut piece = Word::default();
        if quote == '"' {
            self.double_quoted(&mut piece)?;
        } else {
            loop {
                match self.peek() {
                    None => return Err(self.error("unterminated single quote")),
                    Some('\'') => {
                        self.i += 1;
                        break;
                    }
                    Some(ch) => {
                        piece.push_char(ch, true);
                        self.i += 1;
                    }
                }
            }
        }
        for part in piece.parts {
            match part {
                Part::Text { text, .. } => {
                    for ch in text.chars() {
                        if "\\.[]()*+?{}|^$".contains(ch) {
                            w.push_char('\\', false);
                        }
                        w.push_char(ch, false);
                    }
                }
                other => w.parts.push(other),
            }
        }
        w.quoted = true;
        Ok(())
    }
}
