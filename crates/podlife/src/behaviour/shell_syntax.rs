//! What a POSIX shell reads (XCU 2.2–2.10), the way dash and busybox ash read a `sh -c` string: words
//! with their quotes and expansions, redirections and here-documents, pipelines, `&&`/`||` lists,
//! `&`, and the compound commands container scripts use (`while`, `until`, `for`, `if`, `case`, `{ }`,
//! `( )`, `(( ))`, function definitions), with the bash syntax scripts lean on (`[[ … =~ … ]]`, arrays):
//! see [`compound`]. What it cannot read comes back as a [`ParseError`], and the caller reads the script
//! as an unknown program.

mod compound;

pub(crate) use compound::{ArrayAssign, CaseArm};

/// Part of a word, after quote removal.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Part {
    Text {
        text: String,
        quoted: bool,
    },
    /// `$x`, `${x}`, `${x:-default}`, `$?`, `$!`.
    Param {
        name: String,
        modifier: Option<(String, Word)>,
        quoted: bool,
    },
    /// `${#x}`.
    Length(String),
    /// `$(...)` or `` `...` ``.
    Command {
        script: String,
        quoted: bool,
    },
    /// `$((...))`.
    Arith {
        expr: String,
        quoted: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Word {
    pub parts: Vec<Part>,
    /// Some part was quoted (so `""` is still an argument).
    pub quoted: bool,
}

impl Word {
    pub fn literal_text(text: &str) -> Word {
        Word {
            parts: vec![Part::Text {
                text: text.to_string(),
                quoted: true,
            }],
            quoted: true,
        }
    }

    /// The word's text when it has no expansions.
    pub fn literal(&self) -> Option<String> {
        let mut s = String::new();
        for p in &self.parts {
            match p {
                Part::Text { text, .. } => s.push_str(text),
                _ => return None,
            }
        }
        Some(s)
    }

    /// The word as written, roughly.
    #[cfg(test)]
    pub fn display(&self) -> String {
        let mut s = String::new();
        for p in &self.parts {
            match p {
                Part::Text { text, .. } => s.push_str(text),
                Part::Param { name, .. } => {
                    s.push('$');
                    s.push_str(name);
                }
                Part::Length(name) => {
                    s.push_str("${#");
                    s.push_str(name);
                    s.push('}');
                }
                Part::Command { script, .. } => {
                    s.push_str("$(");
                    s.push_str(script);
                    s.push(')');
                }
                Part::Arith { expr, .. } => {
                    s.push_str("$((");
                    s.push_str(expr);
                    s.push_str("))");
                }
            }
        }
        s
    }

    fn push_char(&mut self, c: char, quoted: bool) {
        if let Some(Part::Text { text, quoted: q }) = self.parts.last_mut() {
            if *q == quoted {
                text.push(c);
                return;
            }
        }
        self.parts.push(Part::Text {
            text: c.to_string(),
            quoted,
        });
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RedirOp {
    /// `>` and `>|`.
    Write,
    /// `>>`.
    Append,
    /// `<`.
    Read,
    /// `<>`.
    ReadWrite,
    /// `>&N`, `<&N`.
    Dup,
    /// `<<EOF`: the index of the body in [`Parsed::heredocs`].
    HereDoc(usize),
    /// `&>` (bash): stdout and stderr.
    WriteBoth,
    /// `&>>` (bash).
    AppendBoth,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Redirect {
    pub fd: u32,
    pub op: RedirOp,
    pub target: Word,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Simple {
    pub assigns: Vec<(String, Word)>,
    /// `a=(x y z)`, `a+=(w)` (bash).
    pub arrays: Vec<ArrayAssign>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
    /// The source text of the command.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Command {
    Simple(Simple),
    Group(List),
    Subshell(List),
    Loop {
        until: bool,
        cond: List,
        body: List,
    },
    For {
        var: String,
        words: Option<Vec<Word>>,
        body: List,
    },
    If {
        branches: Vec<(List, List)>,
        otherwise: Option<List>,
    },
    /// `(( expr ))`.
    Arith(String),
    /// `case WORD in PATTERN|PATTERN) LIST ;; ... esac`.
    Case {
        word: Word,
        arms: Vec<CaseArm>,
    },
    /// `name() COMMAND` or `function name COMMAND`: defines `name`.
    Function {
        name: String,
        body: Box<(Command, Vec<Redirect>)>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pipeline {
    pub negated: bool,
    pub commands: Vec<(Command, Vec<Redirect>)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Connector {
    And,
    Or,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(Connector, Pipeline)>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Item {
    pub and_or: AndOr,
    pub background: bool,
}

pub(crate) type List = Vec<Item>;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Parsed {
    pub list: List,
    pub heredocs: Vec<String>,
    /// The first bash-only syntax read (arrays, `=~`), and where: dash and busybox ash reject it.
    pub bash_only: Option<(usize, &'static str)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseError {
    pub message: String,
    /// Character offset in the script.
    pub at: usize,
}

/// Reads a whole script.
pub(crate) fn parse(text: &str) -> Result<Parsed, ParseError> {
    let mut p = Parser {
        s: text.chars().collect(),
        i: 0,
        heredocs: Vec::new(),
        pending: Vec::new(),
        depth: 0,
        cases: 0,
        bash_only: None,
    };
    let list = p.list(&[], false)?;
    p.skip_blanks();
    if let Some(c) = p.peek() {
        return Err(p.error(format!("unexpected `{c}`")));
    }
    Ok(Parsed {
        list,
        heredocs: p.heredocs,
        bash_only: p.bash_only,
    })
}

/// The reserved words.
const RESERVED: [&str; 16] = [
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "for", "in", "case",
    "esac", "{", "}", "!",
];

/// Scripts nest this deep at most (a guard against stack overflow on hostile input).
const MAX_DEPTH: usize = 64;

struct Parser {
    s: Vec<char>,
    i: usize,
    heredocs: Vec<String>,
    /// Here-documents whose bodies start after the next newline: (index, delimiter, strip tabs).
    pending: Vec<(usize, String, bool)>,
    depth: usize,
    /// How many `case` arms enclose the cursor (`;;` ends a list there).
    cases: usize,
    bash_only: Option<(usize, &'static str)>,
}

fn is_meta(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>'
    )
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

pub(crate) fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }

    fn peek_at(&self, k: usize) -> Option<char> {
        self.s.get(self.i + k).copied()
    }

    fn error(&self, message: impl Into<String>) -> ParseError {
        ParseError {
            message: message.into(),
            at: self.i,
        }
    }

    fn starts_with(&self, text: &str) -> bool {
        text.chars()
            .enumerate()
            .all(|(k, c)| self.peek_at(k) == Some(c))
    }

    /// Blanks, line continuations and comments.
    fn skip_blanks(&mut self) {
        loop {
            match self.peek() {
                Some(' ' | '\t' | '\r') => self.i += 1,
                Some('\\') if self.peek_at(1) == Some('\n') => self.i += 2,
                Some('#') => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.i += 1;
                    }
                }
                _ => break,
            }
        }
    }

    fn newline(&mut self) -> bool {
        if self.peek() == Some('\n') {
            self.i += 1;
            self.read_heredoc_bodies();
            true
        } else {
            false
        }
    }

    fn linebreak(&mut self) {
        loop {
            self.skip_blanks();
            if !self.newline() {
                break;
            }
        }
    }

    fn read_heredoc_bodies(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        for (index, delimiter, strip_tabs) in pending {
            let mut body = String::new();
            loop {
                if self.peek().is_none() {
                    break;
                }
                let mut line = String::new();
                while let Some(c) = self.peek() {
                    self.i += 1;
                    if c == '\n' {
                        break;
                    }
                    line.push(c);
                }
                let line = if strip_tabs {
                    line.trim_start_matches('\t').to_string()
                } else {
                    line
                };
                if line == delimiter {
                    break;
                }
                body.push_str(&line);
                body.push('\n');
            }
            if let Some(slot) = self.heredocs.get_mut(index) {
                *slot = body;
            }
        }
    }

    /// A reserved word at the cursor, if the next word is one (unquoted, followed by a delimiter).
    fn peek_reserved(&self) -> Option<&'static str> {
        // Most words start with none of them: one look at the first character settles it.
        let first = self.peek()?;
        for w in RESERVED.into_iter().filter(|w| w.starts_with(first)) {
            if self.starts_with(w) {
                let after = self.peek_at(w.chars().count());
                if after.is_none_or(|c| is_meta(c) || (w == "}" && c == ';')) {
                    return Some(w);
                }
            }
        }
        None
    }

    fn expect_reserved(&mut self, word: &str) -> Result<(), ParseError> {
        self.linebreak();
        if self.peek_reserved() == Some(RESERVED.into_iter().find(|w| *w == word).unwrap_or("")) {
            self.i += word.chars().count();
            Ok(())
        } else {
            let found = self
                .peek()
                .map_or("the end of the script".to_string(), |c| format!("`{c}`"));
            Err(self.error(format!("expected `{word}` but found {found}")))
        }
    }

    fn operator(&self) -> Option<&'static str> {
        ["&&", "||", ";;", "&>>", "&>", "|&", ";", "&", "|", "(", ")"]
            .into_iter()
            .find(|op| self.starts_with(op))
    }

    fn list(&mut self, stops: &[&str], close_paren: bool) -> Result<List, ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("the script nests too deeply"));
        }
        let mut items = Vec::new();
        let mut separated = true;
        loop {
            self.linebreak();
            if self.peek().is_none() {
                break;
            }
            if close_paren && self.peek() == Some(')') {
                break;
            }
            if self.cases > 0 && self.starts_with(";;") {
                break;
            }
            if let Some(w) = self.peek_reserved() {
                if stops.contains(&w) {
                    break;
                }
            }
            if !separated {
                return Err(self.error("expected `;` or a new line between commands"));
            }
            let and_or = self.and_or()?;
            self.skip_blanks();
            let background = match self.operator() {
                Some("&") => {
                    self.i += 1;
                    true
                }
                Some(";") => {
                    self.i += 1;
                    false
                }
                Some(";;") if self.cases > 0 => {
                    items.push(Item {
                        and_or,
                        background: false,
                    });
                    break;
                }
                Some(";;") => return Err(self.error("`;;` outside a `case`")),
                _ => {
                    separated = self.newline();
                    items.push(Item {
                        and_or,
                        background: false,
                    });
                    continue;
                }
            };
            separated = true;
            items.push(Item { and_or, background });
        }
        self.depth -= 1;
        Ok(items)
    }

    fn and_or(&mut self) -> Result<AndOr, ParseError> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            self.skip_blanks();
            let connector = match self.operator() {
                Some("&&") => Connector::And,
                Some("||") => Connector::Or,
                _ => break,
            };
            self.i += 2;
            self.linebreak();
            rest.push((connector, self.pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn pipeline(&mut self) -> Result<Pipeline, ParseError> {
        self.skip_blanks();
        let mut negated = false;
        if self.peek_reserved() == Some("!") {
            self.i += 1;
            negated = true;
        }
        let mut commands = vec![self.command()?];
        loop {
            self.skip_blanks();
            match self.operator() {
                Some("|") => self.i += 1,
                Some("|&") => self.i += 2,
                _ => break,
            }
            self.linebreak();
            commands.push(self.command()?);
        }
        Ok(Pipeline { negated, commands })
    }

    fn command(&mut self) -> Result<(Command, Vec<Redirect>), ParseError> {
        self.skip_blanks();
        let command = match self.peek_reserved() {
            Some(w @ ("while" | "until")) => {
                self.i += w.len();
                let cond = self.list(&["do"], false)?;
                self.expect_reserved("do")?;
                let body = self.list(&["done"], false)?;
                self.expect_reserved("done")?;
                Command::Loop {
                    until: w == "until",
                    cond,
                    body,
                }
            }
            Some("if") => {
                self.i += 2;
                let mut branches = Vec::new();
                let mut otherwise = None;
                loop {
                    let cond = self.list(&["then"], false)?;
                    self.expect_reserved("then")?;
                    let body = self.list(&["elif", "else", "fi"], false)?;
                    branches.push((cond, body));
                    self.linebreak();
                    match self.peek_reserved() {
                        Some("elif") => self.i += 4,
                        Some("else") => {
                            self.i += 4;
                            otherwise = Some(self.list(&["fi"], false)?);
                            self.expect_reserved("fi")?;
                            break;
                        }
                        _ => {
                            self.expect_reserved("fi")?;
                            break;
                        }
                    }
                }
                Command::If {
                    branches,
                    otherwise,
                }
            }
            Some("for") => {
                self.i += 3;
                self.skip_blanks();
                let name = self.word()?;
                let var = name
                    .literal()
                    .filter(|n| is_name(n))
                    .ok_or_else(|| self.error("`for` needs a variable name"))?;
                self.skip_blanks();
                let mut words = None;
                let save = self.i;
                self.linebreak();
                if self.peek_reserved() == Some("in") {
                    self.i += 2;
                    let mut list = Vec::new();
                    loop {
                        self.skip_blanks();
                        if self.peek().is_none_or(|c| c == '\n' || c == ';') {
                            break;
                        }
                        if self.peek().is_some_and(is_meta) {
                            return Err(self.error("unexpected operator in the `for` word list"));
                        }
                        list.push(self.word()?);
                    }
                    words = Some(list);
                    if self.peek() == Some(';') {
                        self.i += 1;
                    }
                } else {
                    self.i = save;
                    self.skip_blanks();
                    if self.peek() == Some(';') {
                        self.i += 1;
                    }
                }
                self.expect_reserved("do")?;
                let body = self.list(&["done"], false)?;
                self.expect_reserved("done")?;
                Command::For { var, words, body }
            }
            Some("{") => {
                self.i += 1;
                let body = self.list(&["}"], false)?;
                self.expect_reserved("}")?;
                Command::Group(body)
            }
            Some("case") => {
                self.i += 4;
                self.case_command()?
            }
            Some(w) if crate::word_list::contains("then else elif fi do done } esac in", w) => {
                return Err(self.error(format!("unexpected `{w}`")));
            }
            _ => {
                if let Some(name) = self.function_header()? {
                    self.function_body(name)?
                } else if self.peek() == Some('(') {
                    if self.peek_at(1) == Some('(') {
                        self.i += 2;
                        let expr = self.arith_body()?;
                        Command::Arith(expr)
                    } else {
                        self.i += 1;
                        let body = self.list(&[], true)?;
                        self.linebreak();
                        if self.peek() != Some(')') {
                            return Err(self.error("expected `)` to close the subshell"));
                        }
                        self.i += 1;
                        Command::Subshell(body)
                    }
                } else if let Some(op) = self.operator() {
                    return Err(self.error(format!("unexpected `{op}`")));
                } else {
                    return Ok((Command::Simple(self.simple()?), Vec::new()));
                }
            }
        };
        let mut redirects = Vec::new();
        loop {
            self.skip_blanks();
            if self.at_redirect() {
                redirects.push(self.redirect()?);
            } else {
                break;
            }
        }
        Ok((command, redirects))
    }

    fn at_redirect(&self) -> bool {
        let mut k = 0;
        while self.peek_at(k).is_some_and(|c| c.is_ascii_digit()) {
            k += 1;
        }
        match self.peek_at(k) {
            Some('<' | '>') => true,
            Some('&') if k == 0 => self.peek_at(1) == Some('>'),
            _ => false,
        }
    }

    fn redirect(&mut self) -> Result<Redirect, ParseError> {
        let mut digits = String::new();
        while let Some(c) = self.peek().filter(|c| c.is_ascii_digit()) {
            digits.push(c);
            self.i += 1;
        }
        let default_out = |d: &str| d.parse::<u32>().unwrap_or(1);
        let (op, fd) = if self.starts_with("&>>") {
            self.i += 3;
            (RedirOp::AppendBoth, 1)
        } else if self.starts_with("&>") {
            self.i += 2;
            (RedirOp::WriteBoth, 1)
        } else if self.starts_with(">>") {
            self.i += 2;
            (RedirOp::Append, default_out(&digits))
        } else if self.starts_with(">&") {
            self.i += 2;
            (RedirOp::Dup, default_out(&digits))
        } else if self.starts_with(">|") {
            self.i += 2;
            (RedirOp::Write, default_out(&digits))
        } else if self.starts_with(">") {
            self.i += 1;
            (RedirOp::Write, default_out(&digits))
        } else if self.starts_with("<<") {
            let strip = self.peek_at(2) == Some('-');
            self.i += if strip { 3 } else { 2 };
            self.skip_blanks();
            let delimiter = self.word()?;
            let text = delimiter
                .literal()
                .ok_or_else(|| self.error("a here-document needs a plain delimiter"))?;
            let index = self.heredocs.len();
            self.heredocs.push(String::new());
            self.pending.push((index, text, strip));
            return Ok(Redirect {
                fd: digits.parse().unwrap_or(0),
                op: RedirOp::HereDoc(index),
                target: delimiter,
            });
        } else if self.starts_with("<&") {
            self.i += 2;
            (RedirOp::Dup, digits.parse().unwrap_or(0))
        } else if self.starts_with("<>") {
            self.i += 2;
            (RedirOp::ReadWrite, digits.parse().unwrap_or(0))
        } else if self.starts_with("<") {
            self.i += 1;
            (RedirOp::Read, digits.parse().unwrap_or(0))
        } else {
            return Err(self.error("expected a redirection"));
        };
        self.skip_blanks();
        if self.peek().is_none_or(is_meta) {
            return Err(self.error("a redirection needs a file name"));
        }
        let target = self.word()?;
        Ok(Redirect { fd, op, target })
    }

    fn simple(&mut self) -> Result<Simple, ParseError> {
        let start = self.i;
        let mut assigns = Vec::new();
        let mut arrays = Vec::new();
        let mut words: Vec<Word> = Vec::new();
        let mut redirects = Vec::new();
        let mut double_bracket = false;
        loop {
            self.skip_blanks();
            if double_bracket {
                if self.starts_with("]]") && self.peek_at(2).is_none_or(is_meta) {
                    self.i += 2;
                    words.push(Word::literal_text("]]"));
                    double_bracket = false;
                    continue;
                }
                // After `=~` the regular expression's parentheses group: one word up to a blank.
                if words.last().and_then(Word::literal).as_deref() == Some("=~")
                    && self.peek().is_some_and(|c| !matches!(c, '\n' | ';'))
                {
                    words.push(self.regex_word()?);
                    continue;
                }
                if let Some(op) = ["&&", "||", "(", ")", "<", ">", "!"]
                    .iter()
                    .find(|op| self.starts_with(op))
                {
                    self.i += op.len();
                    words.push(Word::literal_text(op));
                    continue;
                }
                if self.peek().is_none_or(|c| c == '\n' || c == ';') {
                    return Err(self.error("`[[` without `]]`"));
                }
            } else if self.at_redirect() {
                redirects.push(self.redirect()?);
                continue;
            }
            if self.peek().is_none_or(is_meta) {
                break;
            }
            let w = self.word()?;
            if words.is_empty() && self.peek() == Some('(') {
                if let Some(array) = self.array_assignment(&w)? {
                    arrays.push(array);
                    continue;
                }
            }
            if words.is_empty() {
                if let Some(assign) = as_assignment(&w) {
                    assigns.push(assign);
                    continue;
                }
            }
            if words.is_empty() && w.literal().as_deref() == Some("[[") && !w.quoted {
                double_bracket = true;
            }
            words.push(w);
        }
        if words.len() == 1 && self.peek() == Some('(') {
            return Err(self.error("unexpected `(` after a command name"));
        }
        if words.is_empty() && assigns.is_empty() && arrays.is_empty() && redirects.is_empty() {
            return Err(self.error("expected a command"));
        }
        let text: String = self.s[start..self.i].iter().collect();
        Ok(Simple {
            assigns,
            arrays,
            words,
            redirects,
            text: text.trim().to_string(),
        })
    }

    fn word(&mut self) -> Result<Word, ParseError> {
        let mut w = Word::default();
        let start = self.i;
        while let Some(c) = self.peek() {
            if is_meta(c) {
                break;
            }
            match c {
                '\\' => {
                    self.i += 1;
                    match self.peek() {
                        Some('\n') => self.i += 1,
                        Some(ch) => {
                            w.push_char(ch, true);
                            w.quoted = true;
                            self.i += 1;
                        }
                        None => w.push_char('\\', false),
                    }
                }
                '\'' => {
                    self.i += 1;
                    w.quoted = true;
                    // An empty '' still makes a (quoted, empty) text part.
                    w.parts.push(Part::Text {
                        text: String::new(),
                        quoted: true,
                    });
                    loop {
                        match self.peek() {
                            None => return Err(self.error("unterminated single quote")),
                            Some('\'') => {
                                self.i += 1;
                                break;
                            }
                            Some(ch) => {
                                w.push_char(ch, true);
                                self.i += 1;
                            }
                        }
                    }
                }
                '"' => {
                    self.i += 1;
                    w.quoted = true;
                    w.parts.push(Part::Text {
                        text: String::new(),
                        quoted: true,
                    });
                    self.double_quoted(&mut w)?;
                }
                '$' => self.dollar(&mut w, false)?,
                '`' => self.backquote(&mut w, false)?,
                '~' if self.i == start => {
                    self.i += 1;
                    if self.peek().is_none_or(|c| c == '/' || is_meta(c)) {
                        w.parts.push(Part::Param {
                            name: "HOME".into(),
                            modifier: None,
                            quoted: true,
                        });
                    } else {
                        w.push_char('~', false);
                    }
                }
                _ => {
                    w.push_char(c, false);
                    self.i += 1;
                }
            }
        }
        w.parts
            .retain(|p| !matches!(p, Part::Text { text, .. } if text.is_empty()));
        Ok(w)
    }

    fn double_quoted(&mut self, w: &mut Word) -> Result<(), ParseError> {
        loop {
            match self.peek() {
                None => return Err(self.error("unterminated double quote")),
                Some('"') => {
                    self.i += 1;
                    return Ok(());
                }
                Some('\\') => {
                    self.i += 1;
                    match self.peek() {
                        Some('\n') => self.i += 1,
                        Some(ch @ ('$' | '`' | '"' | '\\')) => {
                            w.push_char(ch, true);
                            self.i += 1;
                        }
                        _ => w.push_char('\\', true),
                    }
                }
                Some('$') => self.dollar(w, true)?,
                Some('`') => self.backquote(w, true)?,
                Some(ch) => {
                    w.push_char(ch, true);
                    self.i += 1;
                }
            }
        }
    }

    fn dollar(&mut self, w: &mut Word, quoted: bool) -> Result<(), ParseError> {
        self.i += 1;
        match self.peek() {
            Some('{') => {
                self.i += 1;
                let mut depth = 1;
                let mut inner = String::new();
                loop {
                    match self.peek() {
                        None => return Err(self.error("unterminated `${`")),
                        Some('}') => {
                            depth -= 1;
                            self.i += 1;
                            if depth == 0 {
                                break;
                            }
                            inner.push('}');
                        }
                        Some('{') => {
                            depth += 1;
                            inner.push('{');
                            self.i += 1;
                        }
                        Some(c) => {
                            inner.push(c);
                            self.i += 1;
                        }
                    }
                }
                w.parts.push(self.braced(&inner, quoted)?);
            }
            Some('(') => {
                if self.peek_at(1) == Some('(') {
                    self.i += 2;
                    let expr = self.arith_body()?;
                    w.parts.push(Part::Arith { expr, quoted });
                } else {
                    self.i += 1;
                    let script = self.paren_body()?;
                    w.parts.push(Part::Command { script, quoted });
                }
            }
            Some(c) if is_name_start(c) => {
                let mut name = String::new();
                while let Some(c) = self.peek().filter(|c| is_name_char(*c)) {
                    name.push(c);
                    self.i += 1;
                }
                w.parts.push(Part::Param {
                    name,
                    modifier: None,
                    quoted,
                });
            }
            Some(c) if c.is_ascii_digit() || "?!$#@*-".contains(c) => {
                self.i += 1;
                w.parts.push(Part::Param {
                    name: c.to_string(),
                    modifier: None,
                    quoted,
                });
            }
            _ => w.push_char('$', quoted),
        }
        Ok(())
    }

    fn braced(&mut self, inner: &str, quoted: bool) -> Result<Part, ParseError> {
        if let Some(name) = inner.strip_prefix('#') {
            if is_name(name) || (name.len() == 1 && !name.is_empty()) {
                return Ok(Part::Length(name.to_string()));
            }
            if compound::element_name_len(name) == Some(name.chars().count()) {
                self.bash_only("an array");
                return Ok(Part::Length(name.to_string()));
            }
        }
        if let Some(len) = compound::element_name_len(inner) {
            self.bash_only("an array");
            return self.param_with_modifier(inner, len, quoted);
        }
        let name_len = if inner.chars().next().is_some_and(|c| "?!$#@*-".contains(c)) {
            1
        } else if inner.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            inner.chars().take_while(|c| c.is_ascii_digit()).count()
        } else {
            inner.chars().take_while(|c| is_name_char(*c)).count()
        };
        if name_len == 0 {
            return Err(self.error(format!("bad substitution `${{{inner}}}`")));
        }
        self.param_with_modifier(inner, name_len, quoted)
    }

    /// `${NAME…}` whose name is the first `name_len` characters: with `:-`, `#`, `%`, … after it.
    fn param_with_modifier(
        &self,
        inner: &str,
        name_len: usize,
        quoted: bool,
    ) -> Result<Part, ParseError> {
        let name: String = inner.chars().take(name_len).collect();
        let rest: String = inner.chars().skip(name_len).collect();
        if rest.is_empty() {
            return Ok(Part::Param {
                name,
                modifier: None,
                quoted,
            });
        }
        for op in [
            ":-", ":=", ":+", ":?", "%%", "##", "-", "=", "+", "?", "%", "#",
        ] {
            if let Some(arg) = rest.strip_prefix(op) {
                let mut sub = Parser {
                    s: arg.chars().collect(),
                    i: 0,
                    heredocs: Vec::new(),
                    pending: Vec::new(),
                    depth: self.depth + 1,
                    cases: 0,
                    bash_only: None,
                };
                if sub.depth > MAX_DEPTH {
                    return Err(self.error("the script nests too deeply"));
                }
                let mut word = Word::default();
                sub.double_quoted_until_end(&mut word)?;
                return Ok(Part::Param {
                    name,
                    modifier: Some((op.to_string(), word)),
                    quoted,
                });
            }
        }
        Err(self.error(format!("bad substitution `${{{inner}}}`")))
    }

    /// The argument of `${x:-...}`: expansions and quotes, up to the end.
    fn double_quoted_until_end(&mut self, w: &mut Word) -> Result<(), ParseError> {
        while let Some(c) = self.peek() {
            match c {
                '$' => self.dollar(w, false)?,
                '\'' => {
                    self.i += 1;
                    while let Some(ch) = self.peek() {
                        self.i += 1;
                        if ch == '\'' {
                            break;
                        }
                        w.push_char(ch, true);
                    }
                }
                '"' => {
                    self.i += 1;
                    self.double_quoted(w)?;
                }
                '\\' => {
                    self.i += 1;
                    if let Some(ch) = self.peek() {
                        w.push_char(ch, true);
                        self.i += 1;
                    }
                }
                _ => {
                    w.push_char(c, false);
                    self.i += 1;
                }
            }
        }
        Ok(())
    }

    /// The text up to the `)` closing a `$(`.
    fn paren_body(&mut self) -> Result<String, ParseError> {
        let mut depth = 1;
        let mut text = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(self.error("unterminated `$(`"));
            };
            self.i += 1;
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(text);
                    }
                }
                '\\' => {
                    text.push(c);
                    if let Some(n) = self.peek() {
                        text.push(n);
                        self.i += 1;
                    }
                    continue;
                }
                '\'' | '"' => {
                    text.push(c);
                    while let Some(n) = self.peek() {
                        self.i += 1;
                        text.push(n);
                        if n == '\\' && c == '"' {
                            if let Some(m) = self.peek() {
                                text.push(m);
                                self.i += 1;
                            }
                            continue;
                        }
                        if n == c {
                            break;
                        }
                    }
                    continue;
                }
                _ => {}
            }
            text.push(c);
        }
    }

    /// The text up to the `))` closing a `$((` or `((`.
    fn arith_body(&mut self) -> Result<String, ParseError> {
        let mut depth = 0;
        let mut text = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(self.error("unterminated `((`"));
            };
            self.i += 1;
            match c {
                '(' => depth += 1,
                ')' if depth == 0 && self.peek() == Some(')') => {
                    self.i += 1;
                    return Ok(text);
                }
                ')' if depth == 0 => return Err(self.error("expected `))`")),
                ')' => depth -= 1,
                _ => {}
            }
            text.push(c);
        }
    }

    fn backquote(&mut self, w: &mut Word, quoted: bool) -> Result<(), ParseError> {
        self.i += 1;
        let mut script = String::new();
        loop {
            match self.peek() {
                None => return Err(self.error("unterminated backquote")),
                Some('`') => {
                    self.i += 1;
                    break;
                }
                Some('\\') => {
                    self.i += 1;
                    match self.peek() {
                        Some(c @ ('`' | '\\' | '$')) => {
                            script.push(c);
                            self.i += 1;
                        }
                        _ => script.push('\\'),
                    }
                }
                Some(c) => {
                    script.push(c);
                    self.i += 1;
                }
            }
        }
        w.parts.push(Part::Command { script, quoted });
        Ok(())
    }
}

/// `NAME=value` at the start of a simple command.
fn as_assignment(w: &Word) -> Option<(String, Word)> {
    let Some(Part::Text {
        text,
        quoted: false,
    }) = w.parts.first()
    else {
        return None;
    };
    let (name, value) = text.split_once('=')?;
    if !is_name(name) {
        return None;
    }
    let mut rest = Word {
        parts: Vec::new(),
        quoted: w.quoted,
    };
    if !value.is_empty() {
        rest.parts.push(Part::Text {
            text: value.to_string(),
            quoted: false,
        });
    }
    rest.parts.extend(w.parts.iter().skip(1).cloned());
    Some((name.to_string(), rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(cmd: &Command) -> Vec<String> {
        match cmd {
            Command::Simple(s) => s.words.iter().map(Word::display).collect(),
            _ => vec![],
        }
    }

    fn first(text: &str) -> Command {
        let parsed = parse(text).unwrap();
        parsed.list[0].and_or.first.commands[0].0.clone()
    }

    #[test]
    fn quotes_backslashes_and_comments_are_read_as_sh_does() {
        assert_eq!(
            words(&first(r#"echo 'a b' "c $x" d\ e # comment"#)),
            vec!["echo", "a b", "c $x", "d e"]
        );
        let parsed = parse("echo \"\" ''").unwrap();
        let Command::Simple(s) = &parsed.list[0].and_or.first.commands[0].0 else {
            panic!()
        };
        assert_eq!(s.words.len(), 3);
        assert!(s.words[1].quoted);
    }

    #[test]
    fn lists_loops_and_traps_parse() {
        let p = parse("trap 'sleep 5; exit 0' TERM; sleep 60 & wait $!").unwrap();
        assert_eq!(p.list.len(), 3);
        assert!(p.list[1].background);
        let p = parse("while true; do echo \"logging\" >> /opt/logs.txt; sleep 1; done").unwrap();
        assert!(matches!(
            p.list[0].and_or.first.commands[0].0,
            Command::Loop { until: false, .. }
        ));
        let p = parse("until nc -z db 5432; do echo waiting for db; sleep 2; done;").unwrap();
        assert!(matches!(
            p.list[0].and_or.first.commands[0].0,
            Command::Loop { until: true, .. }
        ));
        let p = parse("if [ -f /x ]; then echo a; elif false; then :; else exit 3; fi").unwrap();
        let Command::If {
            branches,
            otherwise,
        } = &p.list[0].and_or.first.commands[0].0
        else {
            panic!()
        };
        assert_eq!(branches.len(), 2);
        assert!(otherwise.is_some());
        assert!(parse("for i in 1 2 3\ndo\n  echo $i\ndone").is_ok());
        assert!(parse("a && b || c | d").is_ok());
        assert!(parse("{ echo a; echo b; } > /tmp/x").is_ok());
        assert!(parse("(cd /tmp && touch x) &").is_ok());
        assert!(parse("x=$((1 + 2)); echo ${x:-none} $(date) `hostname`").is_ok());
        assert!(parse("[[ -f /a && -f /b ]] && echo ok").is_ok());
    }

    #[test]
    fn here_documents_are_read_after_the_line() {
        let p = parse("cat <<EOF > /tmp/conf\nline 1\nline 2\nEOF\necho done").unwrap();
        assert_eq!(p.heredocs, vec!["line 1\nline 2\n".to_string()]);
        assert_eq!(p.list.len(), 2);
    }

    #[test]
    fn parse_errors_are_values_not_panics() {
        for bad in [
            "echo 'unterminated",
            "while true; do echo",
            "if true; then",
            "case $x in a) echo",
            "f() echo",
            "a=(x",
            "case x in a|) ;; esac",
            "echo $(",
            "done",
            "| x",
            "echo ${",
            "((",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
