//! One container's item block on its way between the lists: its lines (the attached comments and its
//! content), re-indented to the target list's style, with its `restartPolicy` line added or removed.
//! Every position inside the block comes from the one reading of the original text, counted from the
//! block's first line: re-indenting shifts columns but keeps the lines one for one, so the block needs
//! no second reading after it has moved.

use super::text_edit::{before_column, indent_of, last_line_of, line_of, Item, Line, Lines};
use crate::yaml::Node;

/// An item's lines, cut out of their list.
#[derive(Debug, Clone)]
pub(super) struct Block {
    pub lines: Vec<Line>,
    /// Index of the dash line within `lines`.
    pub dash_index: usize,
    pub dash_column: usize,
    /// From the dash to the item's first key, as read.
    pub key_offset: usize,
    /// The item mapping as read, and the text line its block started on (to make its spans relative).
    node: Node,
    origin: usize,
}

/// Shifts a line's indentation by `delta` columns (never below zero; empty lines stay empty).
fn shift(text: &str, delta: isize) -> String {
    if text.is_empty() || delta == 0 {
        return text.to_string();
    }
    if delta > 0 {
        format!("{}{text}", " ".repeat(delta.unsigned_abs()))
    } else {
        let remove = indent_of(text).min(delta.unsigned_abs());
        text.chars().skip(remove).collect()
    }
}

impl Block {
    /// The block of `item`, whose lines (from its `block_start` to its `content_end`) are `lines`.
    pub fn of(item: &Item, lines: Vec<Line>) -> Block {
        Block {
            lines,
            dash_index: item.dash_line - item.block_start,
            dash_column: item.dash_column,
            key_offset: item.key_offset,
            node: item.node.clone(),
            origin: item.block_start,
        }
    }

    /// The mapping starts on the dash line (`- name: x`) rather than below a lone `-`.
    fn keys_on_dash_line(&self) -> bool {
        let after: String = self
            .lines
            .get(self.dash_index)
            .map(|l| l.text.chars().skip(self.dash_column + 1).collect())
            .unwrap_or_default();
        let rest = after.trim_start();
        !(rest.is_empty() || rest.starts_with('#'))
    }

    /// The key offset the block has once re-indented with `key_offset`: on the dash line there are
    /// always at least two columns from the dash to the first key (`- name`).
    pub fn key_offset_when(&self, key_offset: usize) -> usize {
        if self.keys_on_dash_line() {
            key_offset.max(2)
        } else {
            key_offset
        }
    }

    /// The block re-indented for a list whose dashes stand at `dash_column`, with keys `key_offset`
    /// after them.
    pub fn reindented(&self, dash_column: usize, key_offset: usize) -> Vec<Line> {
        let dash_delta = dash_column as isize - self.dash_column as isize;
        let body_delta =
            (dash_column + key_offset) as isize - (self.dash_column + self.key_offset) as isize;
        self.lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                let text = if i < self.dash_index {
                    shift(&line.text, dash_delta)
                } else if i == self.dash_index {
                    let after: String = line.text.chars().skip(self.dash_column + 1).collect();
                    let rest = after.trim_start();
                    if rest.is_empty() || rest.starts_with('#') {
                        format!("{}-{after}", " ".repeat(dash_column))
                    } else {
                        format!(
                            "{}-{}{rest}",
                            " ".repeat(dash_column),
                            " ".repeat(key_offset.max(2) - 1)
                        )
                    }
                } else {
                    shift(&line.text, body_delta)
                };
                Line {
                    text,
                    end: line.end.clone(),
                }
            })
            .collect()
    }

    /// A line of the original text as an index into the block.
    fn relative(&self, position_line: u32) -> usize {
        line_of(position_line).saturating_sub(self.origin)
    }
}

/// Adds `restartPolicy: Always` to the re-indented `moved` lines of `block`, right after its leading
/// `name:`/`image:` lines (after its `name:` when it starts with another key), at its keys' column.
pub(super) fn add_restart_policy(
    block: &Block,
    moved: &mut Vec<Line>,
    key_column: usize,
    lines: &Lines,
) -> Result<(), String> {
    let entries = block.node.as_mapping().ok_or("the item is not a mapping")?;
    let leading = entries
        .iter()
        .take_while(|e| matches!(e.key.as_str(), Some("name" | "image")))
        .last()
        .or_else(|| entries.iter().find(|e| e.key.as_str() == Some("name")))
        .ok_or("the item has no `name`")?;
    // A block value's span runs to the next token, which for the item's last key lies outside it.
    let last = line_of(leading.key.span.start.line).max(last_line_of(&leading.value));
    let after = last
        .saturating_sub(block.origin)
        .min(moved.len().saturating_sub(1));
    let line = lines.new_line(format!("{}restartPolicy: Always", " ".repeat(key_column)));
    moved.insert(after + 1, line);
    Ok(())
}

/// Removes the `restartPolicy` line of the re-indented `moved` lines of `block`, and only it. When the
/// policy is the item's first key (on the dash line), the next key moves up onto the dash line.
pub(super) fn remove_restart_policy(
    block: &Block,
    moved: &mut Vec<Line>,
    key_column: usize,
) -> Result<(), String> {
    let entries = block.node.as_mapping().ok_or("the item is not a mapping")?;
    let Some(position) = entries
        .iter()
        .position(|e| e.key.as_str() == Some("restartPolicy"))
    else {
        return Ok(());
    };
    let entry = &entries[position];
    let key_line = block.relative(entry.key.span.start.line);
    if last_line_of(&entry.value).saturating_sub(block.origin) != key_line {
        return Err("`restartPolicy` spans several lines: podlife removes a one-line `restartPolicy: Always`".into());
    }
    if key_line != block.dash_index {
        if key_line >= moved.len() {
            return Err("the restartPolicy line is out of range".into());
        }
        moved.remove(key_line);
        return Ok(());
    }
    let next = entries
        .get(position + 1)
        .ok_or("`restartPolicy` is the item's only key")?;
    let next_line = block.relative(next.key.span.start.line);
    let next_text = moved.get(next_line).map(|l| l.text.clone());
    let Some(next_text) = next_text.filter(|t| next_line > key_line && indent_of(t) == key_column)
    else {
        return Err("cannot move the key after `restartPolicy` onto the dash line".into());
    };
    let dash_prefix = before_column(&moved[key_line].text, key_column);
    let rest: String = next_text.chars().skip(key_column).collect();
    moved[key_line].text = format!("{dash_prefix}{rest}");
    moved.remove(next_line);
    Ok(())
}
