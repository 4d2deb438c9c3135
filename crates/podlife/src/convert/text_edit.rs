//! Reading the user's YAML for the rewrite: the text as lines (so that every byte not edited is kept),
//! the pod spec's tree, and each list under it as items with their line ranges. The rewrite itself
//! works on what one reading gives (`list_model`, `block`); the result is read again only once, by the
//! final check.
//!
//! Vocabulary: a list is a block sequence under a key (`containers:`); an item starts at its dash; its
//! *content* runs from the dash line to its last line indented deeper than the dash (blank lines inside
//! included, trailing ones not); the comment lines right above the dash (no blank line between) belong
//! to it too.

use crate::yaml::{self, Node, NodeKind};

/// One line of the text and the line break that ended it (`\n`, `\r\n`, or nothing at the very end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Line {
    pub text: String,
    pub end: String,
}

/// The text as lines, so that cutting and inserting keep every other byte as it was.
#[derive(Debug, Clone)]
pub(super) struct Lines {
    pub lines: Vec<Line>,
    /// The text did not end with a line break (put back as it was when rendering).
    no_final_newline: bool,
    /// The line break of new lines: the text's first.
    pub eol: String,
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        let eol = if text.split('\n').next().is_some_and(|l| l.ends_with('\r')) {
            "\r\n".to_string()
        } else {
            "\n".to_string()
        };
        let mut lines: Vec<Line> = text
            .split_inclusive('\n')
            .map(|raw| {
                let (body, end) = match raw.strip_suffix("\r\n") {
                    Some(body) => (body, "\r\n"),
                    None => match raw.strip_suffix('\n') {
                        Some(body) => (body, "\n"),
                        None => (raw, ""),
                    },
                };
                Line {
                    text: body.to_string(),
                    end: end.to_string(),
                }
            })
            .collect();
        let no_final_newline = lines.last().is_some_and(|l| l.end.is_empty());
        if let Some(last) = lines.last_mut() {
            if last.end.is_empty() {
                last.end = eol.clone();
            }
        }
        Lines {
            lines,
            no_final_newline,
            eol,
        }
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        for l in &self.lines {
            out.push_str(&l.text);
            out.push_str(&l.end);
        }
        if self.no_final_newline {
            if let Some(stripped) = out.strip_suffix(self.eol.as_str()) {
                out.truncate(stripped.len());
            } else if let Some(stripped) = out.strip_suffix('\n') {
                out.truncate(stripped.len());
            }
        }
        out
    }

    /// Other lines, written with this text's line break and final-newline habit.
    pub fn with_lines(&self, lines: Vec<Line>) -> Lines {
        Lines {
            lines,
            no_final_newline: self.no_final_newline,
            eol: self.eol.clone(),
        }
    }

    pub fn text(&self, i: usize) -> &str {
        self.lines.get(i).map_or("", |l| l.text.as_str())
    }

    pub fn new_line(&self, text: String) -> Line {
        Line {
            text,
            end: self.eol.clone(),
        }
    }
}

pub(super) fn indent_of(text: &str) -> usize {
    text.chars().take_while(|c| *c == ' ').count()
}

pub(super) fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

pub(super) fn is_comment(text: &str) -> bool {
    text.trim_start().starts_with('#')
}

/// The characters of a line before a (0-based) character column.
pub(super) fn before_column(text: &str, column: usize) -> String {
    text.chars().take(column).collect()
}

pub(super) fn line_of(position_line: u32) -> usize {
    (position_line as usize).saturating_sub(1)
}

/// Where a workload's pod spec sits: its document, its item in a `kind: List`, and the pod spec's
/// field path (`spec.template.spec`).
#[derive(Debug, Clone, Copy)]
pub(super) struct Place {
    pub document: usize,
    pub list_item: Option<usize>,
    pub spec_path: &'static str,
}

/// The pod spec mapping of the workload in freshly parsed text.
pub(super) fn parse_pod_spec(text: &str, place: Place) -> Result<Node, String> {
    let documents = yaml::parse_documents(text).map_err(|d| {
        format!(
            "the rewritten text is not valid YAML at line {}: {}",
            d.span.start.line, d.message
        )
    })?;
    // The spec is taken out of the tree rather than cloned: for a pod of hundreds of containers copying
    // the spec costs as much as reading it.
    let mut node = documents
        .into_iter()
        .nth(place.document)
        .flatten()
        .ok_or("the workload's document is gone")?;
    if let Some(i) = place.list_item {
        node = value_of(node, "items")
            .and_then(|items| item_of(items, i))
            .ok_or("the workload's list item is gone")?;
    }
    for key in place.spec_path.split('.') {
        node =
            value_of(node, key).ok_or_else(|| format!("`{}` has no `{key}`", place.spec_path))?;
    }
    if node.as_mapping().is_none() {
        return Err(format!(
            "`{}` is not a mapping written in block style",
            place.spec_path
        ));
    }
    Ok(node)
}

/// The value under `key` (the first such entry, as `Node::get`), taken out of its mapping.
fn value_of(node: Node, key: &str) -> Option<Node> {
    match node.kind {
        NodeKind::Mapping(entries) => entries
            .into_iter()
            .find(|e| e.key.as_str() == Some(key))
            .map(|e| e.value),
        _ => None,
    }
}

/// The `index`th item of a sequence, taken out of it.
fn item_of(node: Node, index: usize) -> Option<Node> {
    match node.kind {
        NodeKind::Sequence(items) => items.into_iter().nth(index),
        _ => None,
    }
}

/// One item of a block list.
#[derive(Debug, Clone)]
pub(super) struct Item {
    pub name: Option<String>,
    /// The first line of the item (0-based), with its attached comments.
    pub block_start: usize,
    pub dash_line: usize,
    pub dash_column: usize,
    /// From the dash to the item's first key (2 for `- name:`).
    pub key_offset: usize,
    /// Its last line.
    pub content_end: usize,
    /// The item mapping, as parsed.
    pub node: Node,
}

/// A list under a key of the pod spec.
#[derive(Debug, Clone)]
pub(super) struct List {
    pub key_line: usize,
    pub key_column: usize,
    /// The key line carries a value after the colon (`~`, `[]`, `null`): an empty list written inline.
    pub inline_value: bool,
    pub items: Vec<Item>,
}

impl List {
    /// Items separated by blank lines: any blank line between two consecutive items.
    pub fn separated(&self, lines: &Lines) -> bool {
        self.items.windows(2).any(|pair| {
            let (a, b) = (&pair[0], &pair[1]);
            b.block_start > a.content_end + 1
                && (a.content_end + 1..b.block_start).all(|i| is_blank(lines.text(i)))
        })
    }
}

/// The list under `key` in the pod spec, read from the text; `None` when the key is absent.
pub(super) fn read_list(lines: &Lines, spec: &Node, key: &str) -> Result<Option<List>, String> {
    let Some(entry) = spec.get(key) else {
        return Ok(None);
    };
    let key_line = line_of(entry.key.span.start.line);
    let key_column = (entry.key.span.start.column as usize).saturating_sub(1);
    let key_text = lines.text(key_line);
    if !before_column(key_text, key_column).trim().is_empty() {
        return Err(format!(
            "`{key}:` does not start its own line: podlife rewrites block-style YAML only"
        ));
    }
    let after_key: String = key_text
        .chars()
        .skip((entry.key.span.end.column as usize).saturating_sub(1))
        .collect();
    let after_colon = after_key.trim_start().strip_prefix(':').unwrap_or("");
    let inline_text = after_colon.trim();
    let inline_value = !inline_text.is_empty() && !inline_text.starts_with('#');
    let mut list = List {
        key_line,
        key_column,
        inline_value,
        items: Vec::new(),
    };
    if entry.value.is_null() {
        return Ok(Some(list));
    }
    let Some(items) = entry.value.as_sequence() else {
        return Err(format!("`{key}` is not a list"));
    };
    let start = entry.value.span.start;
    let opening = lines
        .text(line_of(start.line))
        .chars()
        .nth((start.column as usize).saturating_sub(1));
    if opening == Some('[') {
        if items.is_empty() {
            return Ok(Some(list));
        }
        return Err(format!(
            "`{key}` is a flow-style list (`[...]`): podlife rewrites block lists only; write one `- ` item per line"
        ));
    }
    let mut previous_end = key_line;
    for (index, item) in items.iter().enumerate() {
        let read = read_item(lines, key, index, item, previous_end, index == 0)?;
        previous_end = read.content_end;
        list.items.push(read);
    }
    Ok(Some(list))
}

fn read_item(
    lines: &Lines,
    key: &str,
    index: usize,
    item: &Node,
    previous_end: usize,
    first: bool,
) -> Result<Item, String> {
    let at = item.span.start;
    let line = line_of(at.line);
    let column = (at.column as usize).saturating_sub(1);
    let text = lines.text(line);
    if item.as_mapping().is_none() || text.chars().nth(column) == Some('{') {
        return Err(format!(
            "`{key}[{index}]` is written in flow style (`{{...}}`): podlife rewrites block-style items only"
        ));
    }
    let prefix = before_column(text, column);
    let trimmed = prefix.trim_end();
    let (dash_line, dash_column) = if trimmed.ends_with('-')
        && trimmed[..trimmed.len() - 1].chars().all(|c| c == ' ')
    {
        (line, trimmed.len() - 1)
    } else if prefix.chars().all(|c| c == ' ') {
        // `-` alone on its line, the first key below it.
        let mut found = None;
        let mut l = line;
        while l > previous_end {
            l -= 1;
            let t = lines.text(l);
            if is_blank(t) || is_comment(t) {
                continue;
            }
            let body = t.trim_start();
            let rest = body.strip_prefix('-').map(str::trim);
            if matches!(rest, Some(r) if r.is_empty() || r.starts_with('#')) {
                found = Some((l, indent_of(t)));
            }
            break;
        }
        found.ok_or_else(|| format!("cannot find the `-` of `{key}[{index}]`"))?
    } else {
        return Err(format!(
            "`{key}[{index}]` shares its line with other content: podlife rewrites one item per line"
        ));
    };
    if column <= dash_column {
        return Err(format!("cannot read the indentation of `{key}[{index}]`"));
    }
    // Content: every following line indented deeper than the dash, or blank; trailing blanks dropped.
    let mut content_end = dash_line;
    let mut l = dash_line + 1;
    while l < lines.lines.len() {
        let t = lines.text(l);
        if is_blank(t) {
            l += 1;
            continue;
        }
        if indent_of(t) > dash_column {
            content_end = l;
            l += 1;
            continue;
        }
        break;
    }
    // The tree agrees: nothing of the item lies beyond (a block scalar's span may run over the blank
    // or comment lines that follow it).
    let item_end = last_line_of(item);
    if (content_end + 1..=item_end).any(|i| !is_blank(lines.text(i)) && !is_comment(lines.text(i)))
    {
        return Err(format!(
            "cannot find where `{key}[{index}]` ends: podlife rewrites block-style YAML with consistent indentation"
        ));
    }
    // Every key of the item is written inside it (an alias `- *sidecar` would bring keys from elsewhere).
    let outside = item.as_mapping().into_iter().flatten().any(|e| {
        let l = line_of(e.key.span.start.line);
        l < dash_line || l > content_end
    });
    if outside {
        return Err(format!(
            "`{key}[{index}]` is written through a YAML alias: podlife rewrites items written out in place"
        ));
    }
    // Comment lines right above the dash belong to the item (the first item: any indentation; later
    // ones: not deeper than the dash, since deeper ones were part of the item above).
    let mut block_start = dash_line;
    while block_start > previous_end + 1 {
        let t = lines.text(block_start - 1);
        if is_comment(t) && (first || indent_of(t) <= dash_column) {
            block_start -= 1;
        } else {
            break;
        }
    }
    Ok(Item {
        name: item
            .get("name")
            .and_then(|e| e.value.as_str())
            .map(str::to_string),
        block_start,
        dash_line,
        dash_column,
        key_offset: column - dash_column,
        content_end,
        node: item.clone(),
    })
}

/// The (0-based) last line of a value: a block value's span ends where the next token begins.
pub(super) fn last_line_of(node: &Node) -> usize {
    let (start, end) = (node.span.start, node.span.end);
    if end.column == 1 && end.line > start.line {
        line_of(end.line - 1)
    } else {
        line_of(end.line)
    }
}
