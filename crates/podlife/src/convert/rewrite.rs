//! All the moves of one conversion as one text edit: the pod spec is read once, each container is cut
//! from its list and inserted into the other in the order given (so each anchor sees the containers
//! moved before it, as placement expects), its `restartPolicy` line added or removed inside its block,
//! and the text is written again once. A conversion thus costs the same few readings of the text
//! whether it moves one container or hundreds.

use super::block::{add_restart_policy, remove_restart_policy, Block};
use super::list_model::{line_before_key, write, ListModel};
use super::placement::Anchor;
use super::text_edit::{parse_pod_spec, read_list, Lines, Place};
use super::Direction;

/// A move that could not be made: the container's name and why.
pub(super) type Refusal = (String, String);

/// `text` with each `(name, anchor)` of `moves` moved the way `direction` says.
pub(super) fn move_all(
    text: &str,
    place: Place,
    direction: Direction,
    moves: &[(String, Anchor)],
) -> Result<String, Refusal> {
    let Some((first, _)) = moves.first() else {
        return Ok(text.to_string());
    };
    let (source_key, target_key) = keys(direction);
    let lines = Lines::new(text);
    let refused = |name: &str| {
        let name = name.to_string();
        move |message: String| (name, message)
    };
    let spec = parse_pod_spec(text, place).map_err(refused(first))?;
    let source = read_list(&lines, &spec, source_key)
        .map_err(refused(first))?
        .ok_or_else(|| (first.clone(), format!("`{source_key}` is missing")))?;
    let target = read_list(&lines, &spec, target_key).map_err(refused(first))?;
    drop(spec);
    let mut lists = Lists {
        source: ListModel::read(&lines, &source),
        target: target.map(|t| ListModel::read(&lines, &t)),
        direction,
        lines: &lines,
    };
    for (name, anchor) in moves {
        lists.move_one(name, anchor).map_err(refused(name))?;
    }
    let mut written: Vec<&ListModel> = vec![&lists.source];
    written.extend(lists.target.as_ref());
    Ok(write(&lines, &written).render())
}

fn keys(direction: Direction) -> (&'static str, &'static str) {
    match direction {
        Direction::ToNative => ("containers", "initContainers"),
        Direction::ToLegacy => ("initContainers", "containers"),
    }
}

/// The two lists of a conversion while containers move between them.
struct Lists<'a> {
    source: ListModel,
    /// `None` while the target key is absent (no `initContainers` yet).
    target: Option<ListModel>,
    direction: Direction,
    lines: &'a Lines,
}

impl Lists<'_> {
    /// Moves one container, with its `restartPolicy` line added or removed.
    fn move_one(&mut self, name: &str, anchor: &Anchor) -> Result<(), String> {
        let (source_key, target_key) = keys(self.direction);
        let index = self
            .source
            .index_of(name)
            .ok_or_else(|| format!("no item named \"{name}\" in `{source_key}`"))?;
        let block = self.source.cut(index)?;
        // An empty target list takes the style of `containers` (the source, to native).
        let containers_style = match self.direction {
            Direction::ToNative => self
                .source
                .style()
                .map(|(d, k)| (d, k, self.source.key_column)),
            Direction::ToLegacy => None,
        };
        if self.target.is_none() {
            self.target = Some(self.created_target(target_key)?);
        }
        let target = self.target.as_mut().ok_or("`containers` is missing")?;
        let position = match anchor {
            Anchor::Before(other) => target.index_of(other).unwrap_or(target.len()),
            Anchor::At(i) => (*i).min(target.len()),
            Anchor::End => target.len(),
        };
        let style = target.style().unwrap_or_else(|| {
            containers_style
                .map(|(d, k, column)| (target.key_column + d.saturating_sub(column), k))
                .unwrap_or((target.key_column + 2, block.key_offset))
        });
        let moved = with_restart_policy(&block, style, self.direction, self.lines)?;
        target.insert(position, name, moved, &block, style, self.lines)?;
        if self.direction == Direction::ToLegacy {
            self.source.drop_key_if_empty();
        }
        Ok(())
    }

    /// A new `initContainers:` right before `containers` (and the comments above its key), at the same
    /// indentation; its first item takes the style of `containers` (which keeps the app, so has one).
    fn created_target(&self, target_key: &str) -> Result<ListModel, String> {
        if self.direction == Direction::ToLegacy {
            return Err("`containers` is missing".into());
        }
        let containers = &self.source;
        let key = self.lines.new_line(format!(
            "{}{target_key}:",
            " ".repeat(containers.key_column)
        ));
        let at = line_before_key(self.lines, containers);
        Ok(ListModel::created(key, containers.key_column, at))
    }
}

/// The block's lines re-indented to `style`, with `restartPolicy: Always` added (to native) or its
/// `restartPolicy` removed (to legacy).
fn with_restart_policy(
    block: &Block,
    style: (usize, usize),
    direction: Direction,
    lines: &Lines,
) -> Result<Vec<super::text_edit::Line>, String> {
    let (dash_column, key_offset) = style;
    let mut moved = block.reindented(dash_column, key_offset);
    let key_column = dash_column + block.key_offset_when(key_offset);
    match direction {
        Direction::ToNative => add_restart_policy(block, &mut moved, key_column, lines)?,
        Direction::ToLegacy => remove_restart_policy(block, &mut moved, key_column)?,
    }
    Ok(moved)
}
