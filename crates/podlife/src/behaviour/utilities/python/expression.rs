//! Python expressions of the one-liners: tokens, then a recursive-descent evaluator with Python's
//! precedence (`or` < `and` < `not` < comparisons < `+ -` < `* // %` < unary `-` < calls and
//! subscripts), on `None`, booleans, ints and strings.

use crate::sorted_map::SortedMap;

/// A value the one-liners compute with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    None,
    Bool(bool),
    Int(i64),
    Str(String),
}

impl Value {
    /// `str(value)`, what `print` writes.
    pub fn text(&self) -> String {
        match self {
            Value::None => "None".into(),
            Value::Bool(true) => "True".into(),
            Value::Bool(false) => "False".into(),
            Value::Int(n) => n.to_string(),
            Value::Str(s) => s.clone(),
        }
    }

    pub fn truthy(&self) -> bool {
        match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(n) => *n != 0,
            Value::Str(s) => !s.is_empty(),
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Str(_) => "str",
        }
    }
}

/// Why an expression has no value: podlife does not read it, or Python raises (the exception's line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    Unread(String),
    Raise(String),
}

fn unread<T>(why: impl Into<String>) -> Result<T, Problem> {
    Err(Problem::Unread(why.into()))
}

fn raise<T>(exception: String) -> Result<T, Problem> {
    Err(Problem::Raise(exception))
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Int(i64),
    Str(String),
    /// A name, dotted (`os.environ.get`), or a keyword (`and`, `None`).
    Name(String),
    Op(&'static str),
}

/// Operators, longest first so `//` is not read as `/`.
const OPERATORS: [&str; 17] = [
    "==", "!=", "<=", ">=", "//", "(", ")", "[", "]", ",", "+", "-", "*", "%", "<", ">", "=",
];

fn tokens(text: &str) -> Result<Vec<Token>, Problem> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while let Some(c) = rest.chars().next() {
        let (token, len) = if c == '"' || c == '\'' {
            string(rest, c)?
        } else if c.is_ascii_digit() {
            let len = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            match rest[..len].parse() {
                Ok(n) if !rest[len..].starts_with('.') => (Token::Int(n), len),
                _ => return unread(format!("the number in `{text}`")),
            }
        } else if c.is_alphabetic() || c == '_' {
            let len = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                .unwrap_or(rest.len());
            if is_string_prefix(&rest[..len]) && rest[len..].starts_with(['"', '\'']) {
                return unread(prefixed_literal(&rest[..len]));
            }
            (Token::Name(rest[..len].to_string()), len)
        } else if let Some(op) = OPERATORS.into_iter().find(|op| rest.starts_with(op)) {
            (Token::Op(op), op.len())
        } else {
            return unread(format!("`{c}` in `{text}`"));
        };
        out.push(token);
        rest = rest[len..].trim_start();
    }
    Ok(out)
}

/// `f`, `rb`, … (the lexical analysis's stringprefix and bytesprefix, any case): right before a quote
/// it makes a literal of another kind, where `not'x'` is the keyword and a string.
fn is_string_prefix(word: &str) -> bool {
    let word = word.to_ascii_lowercase();
    ["r", "u", "f", "b", "t", "br", "rb", "fr", "rf", "tr", "rt"].contains(&word.as_str())
}

/// What a string literal with a prefix is, named as Python's reference names it (a name right before
/// a quote is a prefix: "the name `f`" would send the learner looking for a variable).
fn prefixed_literal(prefix: &str) -> String {
    let prefix = prefix.to_ascii_lowercase();
    let what = if prefix.contains('f') || prefix.contains('t') {
        "an f-string"
    } else if prefix.contains('b') {
        "a bytes literal"
    } else {
        "a raw string"
    };
    format!("{what} `{prefix}\"…\"`")
}

/// A string literal at the start of `text`: (its value, its length). A prefix (`f"…"`) is not read.
fn string(text: &str, quote: char) -> Result<(Token, usize), Problem> {
    let mut value = String::new();
    let mut chars = text.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, 'n')) => value.push('\n'),
                Some((_, 't')) => value.push('\t'),
                Some((_, other)) => value.push(other),
                None => break,
            },
            c if c == quote => return Ok((Token::Str(value), i + 1)),
            c => value.push(c),
        }
    }
    unread("an unclosed string")
}

/// The script's names and the environment it reads.
pub(crate) struct Vars<'a> {
    env: &'a SortedMap<String, String>,
    names: SortedMap<String, Value>,
}

impl<'a> Vars<'a> {
    pub fn new(env: &'a SortedMap<String, String>) -> Vars<'a> {
        Vars {
            env,
            names: SortedMap::new(),
        }
    }

    pub fn set(&mut self, name: &str, value: Value) {
        self.names.insert(name.to_string(), value);
    }

    pub fn eval(&self, text: &str) -> Result<Value, Problem> {
        let tokens = tokens(text)?;
        let mut parser = Parser {
            tokens: &tokens,
            at: 0,
            vars: self,
        };
        let value = parser.or_expr()?;
        if parser.at != tokens.len() {
            return unread(format!("`{text}`"));
        }
        Ok(value)
    }

    /// An environment variable: one podlife does not know is not guessed. podlife knows what the
    /// kubelet and the Job controller set (`HOSTNAME`, `JOB_COMPLETION_INDEX`), not the container's
    /// `env:`, so the message says so: "which podlife does not set" read as if the manifest's value had
    /// been lost.
    fn env(&self, name: &str, default: Option<Value>) -> Result<Value, Problem> {
        match (self.env.get(name), default) {
            (Some(v), _) => Ok(Value::Str(v.clone())),
            (None, Some(d)) => Ok(d),
            (None, None) => unread(format!(
                "it reads {name} from the environment, which podlife does not know: it does not read \
                 the container's `env:`"
            )),
        }
    }
}

struct Parser<'t, 'v> {
    tokens: &'t [Token],
    at: usize,
    vars: &'v Vars<'v>,
}

impl Parser<'_, '_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn eat_op(&mut self, op: &str) -> bool {
        let found = matches!(self.peek(), Some(Token::Op(o)) if *o == op);
        self.at += usize::from(found);
        found
    }

    fn eat_word(&mut self, word: &str) -> bool {
        let found = matches!(self.peek(), Some(Token::Name(n)) if n == word);
        self.at += usize::from(found);
        found
    }

    fn or_expr(&mut self) -> Result<Value, Problem> {
        let mut left = self.and_expr()?;
        while self.eat_word("or") {
            let right = self.and_expr();
            if !left.truthy() {
                left = right?;
            }
        }
        Ok(left)
    }

    fn and_expr(&mut self) -> Result<Value, Problem> {
        let mut left = self.not_expr()?;
        while self.eat_word("and") {
            let right = self.not_expr();
            if left.truthy() {
                left = right?;
            }
        }
        Ok(left)
    }

    fn not_expr(&mut self) -> Result<Value, Problem> {
        if self.eat_word("not") {
            return Ok(Value::Bool(!self.not_expr()?.truthy()));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Value, Problem> {
        let left = self.sum()?;
        let op = match self.peek() {
            Some(Token::Op(op)) if ["==", "!=", "<", "<=", ">", ">="].contains(op) => *op,
            Some(Token::Name(n)) if n == "is" => {
                self.at += 1;
                let negated = self.eat_word("not");
                let right = self.sum()?;
                return Ok(Value::Bool((left == right) != negated));
            }
            _ => return Ok(left),
        };
        self.at += 1;
        let right = self.sum()?;
        compare(op, &left, &right).map(Value::Bool)
    }

    fn sum(&mut self) -> Result<Value, Problem> {
        let mut left = self.term()?;
        loop {
            let op = if self.eat_op("+") {
                "+"
            } else if self.eat_op("-") {
                "-"
            } else {
                return Ok(left);
            };
            let right = self.term()?;
            left = arithmetic(op, left, right)?;
        }
    }

    fn term(&mut self) -> Result<Value, Problem> {
        let mut left = self.unary()?;
        loop {
            let op = ["*", "//", "%"].into_iter().find(|op| self.eat_op(op));
            let Some(op) = op else { return Ok(left) };
            let right = self.unary()?;
            left = arithmetic(op, left, right)?;
        }
    }

    fn unary(&mut self) -> Result<Value, Problem> {
        if self.eat_op("-") {
            return arithmetic("-", Value::Int(0), self.unary()?);
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Value, Problem> {
        let token = self.peek().cloned();
        self.at += 1;
        match token {
            Some(Token::Int(n)) => Ok(Value::Int(n)),
            Some(Token::Str(s)) => Ok(Value::Str(s)),
            Some(Token::Op("(")) => {
                let value = self.or_expr()?;
                if !self.eat_op(")") {
                    return unread("an unclosed `(`");
                }
                Ok(value)
            }
            Some(Token::Name(name)) => self.named(&name),
            _ => unread("an expression it cannot read"),
        }
    }

    /// A name, a call `name(args)` or a subscript `os.environ[key]`.
    fn named(&mut self, name: &str) -> Result<Value, Problem> {
        if self.eat_op("(") {
            let args = self.arguments()?;
            return self.call(name, args);
        }
        if name == "os.environ" && self.eat_op("[") {
            let key = self.or_expr()?;
            if !self.eat_op("]") {
                return unread("an unclosed `[`");
            }
            return self.vars.env(&key.text(), None);
        }
        match name {
            "None" => Ok(Value::None),
            "True" => Ok(Value::Bool(true)),
            "False" => Ok(Value::Bool(false)),
            _ => match self.vars.names.get(name) {
                Some(v) => Ok(v.clone()),
                None => unread(format!("the name `{name}`")),
            },
        }
    }

    fn arguments(&mut self) -> Result<Vec<Value>, Problem> {
        let mut args = Vec::new();
        if self.eat_op(")") {
            return Ok(args);
        }
        loop {
            args.push(self.or_expr()?);
            if self.eat_op(")") {
                return Ok(args);
            }
            if !self.eat_op(",") {
                return unread("a call's arguments");
            }
        }
    }

    fn call(&self, name: &str, mut args: Vec<Value>) -> Result<Value, Problem> {
        match (name, args.len()) {
            ("os.environ.get" | "os.getenv", 1 | 2) => {
                // Without a default an unset variable gives None; podlife does not guess whether
                // the container sets it, so that stays unread (`Vars::env`).
                let default = (args.len() == 2).then(|| args.remove(1));
                self.vars.env(&args[0].text(), default)
            }
            ("int", 1) => int(&args[0]),
            ("str", 1) => Ok(Value::Str(args[0].text())),
            _ => unread(format!("the call `{name}(...)`")),
        }
    }
}

/// `int(value)`, with Python's exceptions.
fn int(value: &Value) -> Result<Value, Problem> {
    match value {
        Value::Int(n) => Ok(Value::Int(*n)),
        Value::Bool(b) => Ok(Value::Int(i64::from(*b))),
        Value::Str(s) => match s.trim().parse::<i64>() {
            Ok(n) => Ok(Value::Int(n)),
            Err(_) => raise(format!(
                "ValueError: invalid literal for int() with base 10: '{s}'"
            )),
        },
        Value::None => raise(
            "TypeError: int() argument must be a string, a bytes-like object or a real number, \
             not 'NoneType'"
                .into(),
        ),
    }
}

fn as_int(value: &Value) -> Option<i64> {
    match value {
        Value::Int(n) => Some(*n),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

/// `+ - * // %` on ints (floor division and a modulo with the divisor's sign), `+` on strings.
fn arithmetic(op: &str, left: Value, right: Value) -> Result<Value, Problem> {
    if let (Value::Str(a), "+", Value::Str(b)) = (&left, op, &right) {
        return Ok(Value::Str(format!("{a}{b}")));
    }
    let (Some(a), Some(b)) = (as_int(&left), as_int(&right)) else {
        if let Value::Str(_) = left {
            if op == "+" {
                return raise(format!(
                    "TypeError: can only concatenate str (not \"{}\") to str",
                    right.type_name()
                ));
            }
            return unread(format!("`{op}` on a string"));
        }
        return raise(format!(
            "TypeError: unsupported operand type(s) for {op}: '{}' and '{}'",
            left.type_name(),
            right.type_name()
        ));
    };
    let overflow = || Problem::Unread("an int beyond 64 bits".into());
    if (op == "//" || op == "%") && b == 0 {
        return raise("ZeroDivisionError: integer division or modulo by zero".into());
    }
    let n = match op {
        "+" => a.checked_add(b),
        "-" => a.checked_sub(b),
        "*" => a.checked_mul(b),
        "//" => Some(floor_div(a, b)),
        _ => Some(a - b * floor_div(a, b)),
    };
    n.map(Value::Int).ok_or_else(overflow)
}

fn floor_div(a: i64, b: i64) -> i64 {
    let q = a.wrapping_div(b);
    if a % b != 0 && ((a < 0) != (b < 0)) {
        q - 1
    } else {
        q
    }
}

fn compare(op: &str, left: &Value, right: &Value) -> Result<bool, Problem> {
    match op {
        "==" => return Ok(equal(left, right)),
        "!=" => return Ok(!equal(left, right)),
        _ => {}
    }
    let ordering = match (left, right) {
        (Value::Str(a), Value::Str(b)) => a.cmp(b),
        _ => match (as_int(left), as_int(right)) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => {
                return raise(format!(
                    "TypeError: '{op}' not supported between instances of '{}' and '{}'",
                    left.type_name(),
                    right.type_name()
                ))
            }
        },
    };
    Ok(match op {
        "<" => ordering.is_lt(),
        "<=" => ordering.is_le(),
        ">" => ordering.is_gt(),
        _ => ordering.is_ge(),
    })
}

/// Python's `==`: `True == 1`, but a string never equals a number.
fn equal(left: &Value, right: &Value) -> bool {
    match (as_int(left), as_int(right)) {
        (Some(a), Some(b)) => a == b,
        _ => left == right,
    }
}

/// The parts of `text` between top-level `sep`s (outside strings and brackets).
pub(crate) fn split_top_level(text: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    while let Some(i) = find_top_level(&text[start..], sep) {
        parts.push(&text[start..start + i]);
        start += i + sep.len_utf8();
    }
    parts.push(&text[start..]);
    parts
}

/// The byte offset of the first `target` outside strings and brackets.
pub(crate) fn find_top_level(text: &str, target: char) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' => quote = Some(c),
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth = depth.saturating_sub(1),
                c if c == target && depth == 0 => return Some(i),
                _ => {}
            },
        }
    }
    None
}

/// `name = value` (not `==`, `<=`, …): the name and the value's text.
pub(crate) fn assignment(text: &str) -> Option<(&str, &str)> {
    let i = find_top_level(text, '=')?;
    let (name, rest) = (text[..i].trim(), &text[i + 1..]);
    let is_name = !name.is_empty()
        && name.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    (is_name && !rest.starts_with('=')).then_some((name, rest.trim()))
}

/// `callee(arg, …)` filling the whole text: the callee and the arguments' texts.
pub(crate) fn call(text: &str) -> Option<(&str, Vec<String>)> {
    let open = text.find('(')?;
    let callee = text[..open].trim();
    let inner = text[open + 1..].strip_suffix(')')?;
    let valid_callee = !callee.is_empty()
        && callee
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.');
    if !valid_callee || find_top_level(inner, ')').is_some() {
        return None;
    }
    let args = split_top_level(inner, ',')
        .into_iter()
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect();
    Some((callee, args))
}
