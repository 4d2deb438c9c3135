//! A list of the pod spec while a conversion rewrites it: its key line, then each item as the lines
//! that lead to it (blank lines and comments that belong to no item) and its block. All the moves of
//! one conversion are cuts and insertions on two such lists, read once from the text; the text is
//! written again once at the end, each list in place of the lines it was read from. Cutting and
//! inserting follow the layout rules of a text edit that would re-read the text after every step
//! (blank lines between items go with a cut item; a list whose items are separated by blank lines
//! gets one around an inserted item), so moving several containers at once gives the text that
//! moving them one at a time gives.

use super::block::Block;
use super::text_edit::{indent_of, is_blank, is_comment, Line, Lines, List};
use std::ops::Range;

/// One item of the list.
#[derive(Debug, Clone)]
struct Element {
    name: Option<String>,
    /// The lines between the previous item's content (or the key line) and this item's block.
    lead: Vec<Line>,
    block: Vec<Line>,
    /// The item's dash column and key offset, as a reading of the rewritten text would find them.
    dash_column: usize,
    key_offset: usize,
    /// The block as cut, when this item was read from the text (not inserted).
    read: Option<Block>,
}

/// A list being rewritten, and the lines of the original text it replaces.
#[derive(Debug, Clone)]
pub(super) struct ListModel {
    /// The key line; `None` once a list left empty has lost it.
    key: Option<Line>,
    pub key_line: usize,
    pub key_column: usize,
    inline_value: bool,
    elements: Vec<Element>,
    /// Lines a cut left after the last item (comments that belonged to no item).
    trailing: Vec<Line>,
    /// Its items are separated by blank lines (so an inserted one gets one too).
    separated: bool,
    /// The original lines this list is written in place of.
    replaces: Range<usize>,
}

impl ListModel {
    /// The list as read from `lines`.
    pub fn read(lines: &Lines, list: &List) -> ListModel {
        let text = |range: Range<usize>| lines.lines.get(range).unwrap_or_default().to_vec();
        let mut previous_end = list.key_line;
        let elements = list
            .items
            .iter()
            .map(|item| {
                let block = text(item.block_start..item.content_end + 1);
                let read = Block::of(item, block.clone());
                let element = Element {
                    name: item.name.clone(),
                    lead: text(previous_end + 1..item.block_start),
                    block,
                    dash_column: item.dash_column,
                    key_offset: item.key_offset,
                    read: Some(read),
                };
                previous_end = item.content_end;
                element
            })
            .collect();
        ListModel {
            key: lines.lines.get(list.key_line).cloned(),
            key_line: list.key_line,
            key_column: list.key_column,
            inline_value: list.inline_value,
            elements,
            trailing: Vec::new(),
            separated: list.separated(lines),
            replaces: list.key_line..previous_end + 1,
        }
    }

    /// A new list `key:` at `key_column`, written before original line `at`.
    pub fn created(key: Line, key_column: usize, at: usize) -> ListModel {
        ListModel {
            key: Some(key),
            key_line: at,
            key_column,
            inline_value: false,
            elements: Vec::new(),
            trailing: Vec::new(),
            separated: false,
            replaces: at..at,
        }
    }

    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.elements
            .iter()
            .position(|e| e.name.as_deref() == Some(name))
    }

    pub fn len(&self) -> usize {
        self.elements.len()
    }

    /// The dash column and key offset new items take: the first item's.
    pub fn style(&self) -> Option<(usize, usize)> {
        self.elements.first().map(|e| (e.dash_column, e.key_offset))
    }

    /// Removes item `index` (with the blank lines that separated it from its neighbours, if only blank
    /// lines did) and gives back its block as read.
    pub fn cut(&mut self, index: usize) -> Result<Block, String> {
        if index >= self.elements.len() {
            return Err("no such item to cut".into());
        }
        let element = self.elements.remove(index);
        let read = element.read.ok_or("the item was not read from the text")?;
        match self.elements.get_mut(index) {
            // The blank lines after the item, up to the next one, go with it.
            Some(next) => {
                let after = std::mem::take(&mut next.lead);
                next.lead = element.lead;
                if !after.iter().all(|l| is_blank(&l.text)) {
                    next.lead.extend(after);
                }
            }
            // The last item takes the blank lines above it; lines other than blank stay.
            None if index > 0 && element.lead.iter().all(|l| is_blank(&l.text)) => {}
            None => {
                let mut kept = element.lead;
                kept.append(&mut self.trailing);
                self.trailing = kept;
            }
        }
        Ok(read)
    }

    /// Drops the key line of a list left empty (`initContainers:` with no item).
    pub fn drop_key_if_empty(&mut self) {
        if self.elements.is_empty() && !self.inline_value {
            self.key = None;
        }
    }

    /// Inserts `moved` (the lines of `block` re-indented to `style`, which must be this list's style
    /// when it has items) as item `index`, or after the last item when `index` is past it.
    pub fn insert(
        &mut self,
        index: usize,
        name: &str,
        moved: Vec<Line>,
        block: &Block,
        style: (usize, usize),
        lines: &Lines,
    ) -> Result<(), String> {
        let separated = self.separated;
        let separator = || {
            if separated {
                vec![lines.new_line(String::new())]
            } else {
                Vec::new()
            }
        };
        let mut element = Element {
            name: Some(name.to_string()),
            lead: Vec::new(),
            block: moved,
            dash_column: style.0,
            key_offset: block.key_offset_when(style.1),
            read: None,
        };
        if index < self.elements.len() {
            // In front of an item: after the lines leading to it, with a separator of its own.
            let lead = separator();
            element.lead = std::mem::replace(&mut self.elements[index].lead, lead);
            self.elements.insert(index, element);
            return Ok(());
        }
        if self.elements.is_empty() {
            self.empty_inline_value()?;
        } else {
            element.lead = separator();
        }
        self.elements.push(element);
        Ok(())
    }

    /// `initContainers: []` → `initContainers:`, keeping what follows the value (spaces, a comment).
    fn empty_inline_value(&mut self) -> Result<(), String> {
        if !self.inline_value {
            return Ok(());
        }
        let key = self.key.as_mut().ok_or("the key line is gone")?;
        let text = key.text.clone();
        let colon = text
            .char_indices()
            .skip_while(|(i, _)| *i < self.key_column)
            .find(|(_, c)| *c == ':')
            .map(|(i, _)| i)
            .ok_or("cannot find the key's colon")?;
        let after = &text[colon + 1..];
        let value_start = after.len() - after.trim_start().len();
        let value_len = after[value_start..]
            .find(char::is_whitespace)
            .unwrap_or(after.len() - value_start);
        let comment = &after[value_start + value_len..];
        key.text = format!("{}{comment}", &text[..=colon]);
        self.inline_value = false;
        Ok(())
    }

    /// The lines this list is written as.
    fn written(&self) -> impl Iterator<Item = &Line> {
        self.key.iter().chain(
            self.elements
                .iter()
                .flat_map(|e| e.lead.iter().chain(&e.block))
                .chain(&self.trailing),
        )
    }
}

/// Where a new list goes before the `before` list: before its key line and the comment lines right
/// above it at the key's column (they describe that key).
pub(super) fn line_before_key(lines: &Lines, before: &ListModel) -> usize {
    let mut at = before.key_line;
    while at > 0 {
        let t = lines.text(at - 1);
        if is_comment(t) && indent_of(t) == before.key_column {
            at -= 1;
        } else {
            break;
        }
    }
    at
}

/// The text with each list written in place of the lines it was read from (the lists' ranges do not
/// overlap: each list ends with its last item, before the next key of the pod spec).
pub(super) fn write(lines: &Lines, lists: &[&ListModel]) -> Lines {
    let mut ordered: Vec<&ListModel> = lists.to_vec();
    ordered.sort_by_key(|l| (l.replaces.start, l.replaces.end));
    let mut out = Vec::with_capacity(lines.lines.len() + 1);
    let mut next = 0;
    for list in ordered {
        let start = list.replaces.start.max(next);
        out.extend(
            lines
                .lines
                .get(next..start)
                .unwrap_or_default()
                .iter()
                .cloned(),
        );
        out.extend(list.written().cloned());
        next = list.replaces.end.max(start);
    }
    out.extend(lines.lines.get(next..).unwrap_or_default().iter().cloned());
    lines.with_lines(out)
}
