//! What go-yaml reads that saphyr refuses, and the text edits that let saphyr read it the same way.
//!
//! go-yaml is a port of libyaml, which is more lenient than YAML 1.2 in two places kubectl users meet:
//!
//! - **Indentation inside a flow collection or a quoted scalar.** libyaml checks indentation only in
//!   block context (scannerc.go `yaml_parser_fetch_next_token` unrolls indents only when
//!   `flow_level == 0`; `yaml_parser_scan_plain_scalar` and `yaml_parser_scan_flow_scalar` check none
//!   inside flow), so `command: [` … `]` with the `]` back at the key's column is fine. saphyr requires
//!   such lines to be indented past the enclosing block ("invalid indentation"). Leading white space on
//!   a line inside a flow collection or a quoted scalar means nothing (it separates tokens, or is
//!   trimmed by line folding), so the edit indents such a line past the column of its outermost opening
//!   `[`, `{` or quote.
//! - **`\'` in a double-quoted scalar.** go-yaml v2's escape table (scannerc.go
//!   `yaml_parser_scan_flow_scalar`) has `\'` for `'`; YAML 1.2 and saphyr do not. The edit writes it
//!   `\x27`, which both read as `'`. (The other way round, saphyr accepts YAML 1.2's `\/`, which go-yaml
//!   v2 refuses: `escapes.rs` refuses it.) The two tables are otherwise the same: `0 a b t TAB n v f r
//!   e SPACE " \ N _ L P x u U`.
//!
//! Finding where these places are needs a light reading of the text (quotes, comments, brackets, block
//! scalars). It may be wrong on odd texts, so the edits are never trusted: `tree.rs` uses them only when
//! saphyr refused the text as written, and keeps the result only if saphyr's own reading of the edited
//! text puts every edited line inside a flow collection or quoted scalar and every `\x27` inside a
//! double-quoted scalar. Before the first edit both texts are the same, so both readers are in the same
//! state there; an edit inside such a construct changes nothing go-yaml reads, so by induction they stay
//! in the same state after each edit.

use crate::diagnostic::Position;

/// One change to the text, at a 1-based line and column of the original.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Edit {
    /// `spaces` spaces before the first character of a line that starts inside a flow collection or
    /// a quoted scalar, whose first non-blank character is at `first`.
    Indent { line: u32, spaces: u32, first: u32 },
    /// `\'` at `column` (its backslash) becomes `\x27`.
    QuoteEscape { line: u32, column: u32 },
}

impl Edit {
    pub(super) fn line(self) -> u32 {
        match self {
            Edit::Indent { line, .. } | Edit::QuoteEscape { line, .. } => line,
        }
    }
}

/// What the reader knows at a point of the text.
#[derive(Default)]
struct Reader {
    /// Open `[` and `{`, and the column of the outermost one.
    flow_depth: usize,
    flow_opener: u32,
    /// Inside a quoted scalar: its quote and the quote's column.
    quote: Option<(char, u32)>,
    /// Inside a block scalar: lines indented deeper than this belong to it.
    block_scalar_parent: Option<usize>,
    edits: Vec<Edit>,
}

/// The edits that let saphyr read `text` as go-yaml does (none for most texts).
pub(super) fn edits(text: &str) -> Vec<Edit> {
    let mut reader = Reader::default();
    for (index, line) in text.split('\n').enumerate() {
        let chars: Vec<char> = line.trim_end_matches('\r').chars().collect();
        reader.read_line(index as u32 + 1, &chars);
    }
    reader.edits
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

impl Reader {
    fn read_line(&mut self, line: u32, chars: &[char]) {
        let first = chars.iter().position(|&c| !is_blank(c));
        if self.in_block_scalar(first) {
            return;
        }
        let Some(first) = first else { return };
        if is_document_marker(chars) {
            // libyaml ends the document here whatever was open (an error inside a flow or a quote).
            *self = Reader {
                edits: std::mem::take(&mut self.edits),
                ..Reader::default()
            };
            return;
        }
        self.indent_if_inside(line, first as u32);
        self.read_tokens(line, chars, first);
    }

    /// A block scalar's content lines are text, never read as tokens.
    fn in_block_scalar(&mut self, first: Option<usize>) -> bool {
        match (self.block_scalar_parent, first) {
            (Some(_), None) => true,
            (Some(parent), Some(first)) if first > parent => true,
            _ => {
                self.block_scalar_parent = None;
                false
            }
        }
    }

    /// A line that starts inside a flow collection or a quoted scalar: indent it past the opener.
    fn indent_if_inside(&mut self, line: u32, first: u32) {
        let opener = if self.flow_depth > 0 {
            Some(self.flow_opener)
        } else {
            self.quote.map(|(_, column)| column)
        };
        if let Some(opener) = opener {
            if first <= opener {
                self.edits.push(Edit::Indent {
                    line,
                    spaces: opener + 1 - first,
                    first: first + 1,
                });
            }
        }
    }

    fn read_tokens(&mut self, line: u32, chars: &[char], first: usize) {
        let mut i = first;
        // Inside a plain scalar, quotes and (in block context) brackets are just characters.
        let mut in_plain = false;
        while i < chars.len() {
            let c = chars[i];
            if let Some((quote, _)) = self.quote {
                i = self.read_quoted(line, chars, i, quote);
                continue;
            }
            let token_start = i == first
                || is_blank(chars[i - 1])
                || (self.flow_depth > 0 && "[{,:".contains(chars[i - 1]));
            match c {
                '#' if i == first || is_blank(chars[i - 1]) => return,
                '\'' | '"' if token_start && !in_plain => self.quote = Some((c, i as u32)),
                '[' | '{' if self.flow_depth > 0 || (token_start && !in_plain) => {
                    if self.flow_depth == 0 {
                        self.flow_opener = i as u32;
                    }
                    self.flow_depth += 1;
                    in_plain = false;
                }
                ']' | '}' if self.flow_depth > 0 => {
                    self.flow_depth -= 1;
                    in_plain = false;
                }
                ',' if self.flow_depth > 0 => in_plain = false,
                ':' if chars
                    .get(i + 1)
                    .is_none_or(|&n| is_blank(n) || ",[]{}".contains(n)) =>
                {
                    in_plain = false
                }
                '-' | '?' if token_start && chars.get(i + 1).is_none_or(|&n| is_blank(n)) => {}
                '|' | '>' if token_start && !in_plain && self.flow_depth == 0 => {
                    self.block_scalar_parent = Some(block_scalar_parent(chars, i));
                    return;
                }
                '&' | '!' | '*' if token_start && !in_plain => {
                    i = skip_word(chars, i);
                    continue;
                }
                c if is_blank(c) => {}
                _ if token_start => in_plain = true,
                _ => {}
            }
            i += 1;
        }
    }

    /// Reads inside a quoted scalar from `i`; returns where reading goes on.
    fn read_quoted(&mut self, line: u32, chars: &[char], i: usize, quote: char) -> usize {
        let c = chars[i];
        match (quote, c, chars.get(i + 1)) {
            ('"', '\\', Some('\'')) => {
                self.edits.push(Edit::QuoteEscape {
                    line,
                    column: i as u32 + 1,
                });
                i + 2
            }
            ('"', '\\', _) => i + 2,
            ('\'', '\'', Some('\'')) => i + 2,
            (q, c, _) if q == c => {
                self.quote = None;
                i + 1
            }
            _ => i + 1,
        }
    }
}

/// `---` or `...` at the start of a line, alone or followed by a blank.
fn is_document_marker(chars: &[char]) -> bool {
    let marker: String = chars.iter().take(3).collect();
    (marker == "---" || marker == "...") && chars.get(3).is_none_or(|&c| is_blank(c))
}

/// An anchor, tag or alias runs to the next blank or flow indicator.
fn skip_word(chars: &[char], from: usize) -> usize {
    let mut i = from + 1;
    while i < chars.len() && !is_blank(chars[i]) && !",[]{}".contains(chars[i]) {
        i += 1;
    }
    i
}

/// The column (0-based) a block scalar's content is indented deeper than: its key's (`key: |`), or
/// its list item's dash (`- |`).
fn block_scalar_parent(chars: &[char], indicator: usize) -> usize {
    let key = key_column(chars);
    if key < indicator {
        key
    } else {
        chars[..indicator]
            .iter()
            .rposition(|&c| c == '-')
            .unwrap_or(key)
    }
}

/// The column (0-based) where a line's key starts, after any `- ` list markers.
fn key_column(chars: &[char]) -> usize {
    let mut i = chars.iter().position(|&c| !is_blank(c)).unwrap_or(0);
    while chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|&c| is_blank(c)) {
        i += 1;
        while chars.get(i).is_some_and(|&c| is_blank(c)) {
            i += 1;
        }
    }
    i
}

/// The text with the edits made, and how to find each of its positions in the original.
pub(super) struct EditedText {
    pub text: String,
    /// Per edited line, in order: the original column characters were inserted before, how many,
    /// and how many were inserted earlier on the line.
    insertions: crate::sorted_map::SortedMap<u32, Vec<Insertion>>,
}

impl EditedText {
    /// `edits` in text order, as `edits` finds them.
    pub(super) fn new(text: &str, edits: &[Edit]) -> EditedText {
        let mut insertions = crate::sorted_map::SortedMap::new();
        let mut out = String::with_capacity(text.len() + edits.len() * 2);
        let mut pending = edits;
        for (index, line) in text.split('\n').enumerate() {
            if index > 0 {
                out.push('\n');
            }
            let number = index as u32 + 1;
            let count = pending.iter().take_while(|e| e.line() == number).count();
            let (here, rest) = pending.split_at(count);
            pending = rest;
            if here.is_empty() {
                out.push_str(line);
                continue;
            }
            out.push_str(&edit_line(line, here));
            insertions.insert(number, line_insertions(here));
        }
        EditedText {
            text: out,
            insertions,
        }
    }

    /// Where a position of the edited text was in the original; inside inserted characters, the
    /// character they were inserted before.
    pub(super) fn original(&self, at: Position) -> Position {
        let Some(inserted) = self.insertions.get(&at.line) else {
            return at;
        };
        // The last insertion that starts at or before `at` in the edited line.
        let after = inserted.partition_point(|i| i.before + i.earlier <= at.column);
        let column = match after.checked_sub(1).map(|i| inserted[i]) {
            None => at.column,
            Some(i) if at.column < i.before + i.earlier + i.count => i.before,
            Some(i) => at.column - i.earlier - i.count,
        };
        Position {
            line: at.line,
            column,
        }
    }

    /// Where the character an edit is about (a line's first, a `\'`'s backslash) is in the edited text.
    pub(super) fn edited(&self, edit: Edit) -> Position {
        let (line, column) = match edit {
            Edit::Indent { line, first, .. } => (line, first),
            Edit::QuoteEscape { line, column } => (line, column),
        };
        let shift = self.insertions.get(&line).map_or(0, |inserted| {
            let upto = inserted.partition_point(|i| i.before <= column);
            upto.checked_sub(1)
                .map_or(0, |i| inserted[i].earlier + inserted[i].count)
        });
        Position {
            line,
            column: column + shift,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Insertion {
    before: u32,
    count: u32,
    earlier: u32,
}

fn line_insertions(edits: &[Edit]) -> Vec<Insertion> {
    let mut earlier = 0;
    edits
        .iter()
        .map(|e| {
            let (before, count) = insertion(*e);
            let i = Insertion {
                before,
                count,
                earlier,
            };
            earlier += count;
            i
        })
        .collect()
}

/// An edit as characters inserted before an original column: an indent before the line's first
/// column; `\'` → `\x27` as `x2` before the `'` (which becomes `7`).
fn insertion(edit: Edit) -> (u32, u32) {
    match edit {
        Edit::Indent { spaces, .. } => (1, spaces),
        Edit::QuoteEscape { column, .. } => (column + 1, 2),
    }
}

/// One line with its edits (an indent first, then escapes left to right).
fn edit_line(line: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    for edit in edits {
        if let Edit::Indent { spaces, .. } = edit {
            out.extend(std::iter::repeat_n(' ', *spaces as usize));
        }
    }
    let mut escapes = edits.iter().filter_map(|e| match e {
        Edit::QuoteEscape { column, .. } => Some(column + 1),
        Edit::Indent { .. } => None,
    });
    let mut next_quote = escapes.next();
    for (index, c) in line.chars().enumerate() {
        if next_quote == Some(index as u32 + 1) {
            out.push_str("x27");
            next_quote = escapes.next();
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closing_bracket_back_at_the_key_is_indented_past_the_opening_one() {
        let text = "a:\n  command: [\n    \"x\"\n  ]\n";
        let edits = edits(text);
        // Every line inside the brackets is moved past the `[` (column 12), whether saphyr needs it
        // or not: where saphyr's limit lies depends on the block around, which this reading ignores.
        let item = Edit::Indent {
            line: 3,
            spaces: 8,
            first: 5,
        };
        let bracket = Edit::Indent {
            line: 4,
            spaces: 10,
            first: 3,
        };
        assert_eq!(edits, vec![item, bracket]);
        let edited = EditedText::new(text, &edits);
        assert_eq!(edited.text.lines().nth(3), Some("            ]"));
        let moved = Position {
            line: 4,
            column: 13,
        };
        assert_eq!(edited.original(moved), Position { line: 4, column: 3 });
        assert_eq!(edited.edited(bracket), moved);
    }

    #[test]
    fn an_escaped_single_quote_becomes_a_hex_escape() {
        let text = "a: \"it\\'s\" # \\'\nb: 'it\\'\n";
        let edits = edits(text);
        assert_eq!(edits, vec![Edit::QuoteEscape { line: 1, column: 7 }]);
        let edited = EditedText::new(text, &edits);
        assert!(
            edited.text.starts_with("a: \"it\\x27s\" # \\'\n"),
            "{}",
            edited.text
        );
        let closing = Position {
            line: 1,
            column: 12,
        };
        assert_eq!(
            edited.original(closing),
            Position {
                line: 1,
                column: 10
            }
        );
    }

    #[test]
    fn quotes_inside_plain_scalars_and_block_scalars_are_text() {
        let text = "a: it's [\nb: |\n  \"x\\'\n  [\nc: x\nd:\n  - |\n    \"y\\'\n";
        assert_eq!(edits(text), vec![]);
        let list_item = "- \"y\\'\"\n";
        assert_eq!(
            edits(list_item),
            vec![Edit::QuoteEscape { line: 1, column: 5 }]
        );
    }
}
