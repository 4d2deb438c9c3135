//! Blind mutations: bytes and lines, with no knowledge of YAML. `yaml_mutations.rs` holds the ones that
//! know the manifest's shape, `shell_mutations.rs` the ones that put programs in its containers.

use crate::rng::Rng;
use crate::{shell_mutations, yaml_mutations};

/// One mutation of `text`, given the whole pool for splicing. A mutation that finds nothing to act on
/// leaves the text as it is.
type Mutation = fn(&mut Rng, &str, &[String]) -> String;

/// Each mutation with its weight. The costly ones (programs, bombs, hundreds of containers) are rarer:
/// until the interpreter bounds every loop, most inputs carrying one are over the time bound and run
/// three times, and the cheap mutations must still get most of the executions.
const MUTATIONS: &[(u32, Mutation)] = &[
    (20, flip_byte),
    (20, insert_bytes),
    (20, delete_span),
    (10, duplicate_span),
    (10, splice_lines),
    (5, cross_over),
    (20, yaml_mutations::change_indentation),
    (10, yaml_mutations::duplicate_list_item),
    (10, yaml_mutations::swap_scalars),
    (20, yaml_mutations::interesting_value),
    (5, yaml_mutations::anchor_and_alias),
    (1, yaml_mutations::alias_bomb),
    (1, yaml_mutations::many_containers),
    (2, shell_mutations::replace_command),
    (2, shell_mutations::into_shell_string),
    (1, shell_mutations::add_hook),
    (1, shell_mutations::add_exec_probe),
];

/// `text` after one to four mutations in a row (rarely up to eight): stacked mutations reach further
/// from the corpus.
pub fn mutate(rng: &mut Rng, text: &str, pool: &[String]) -> String {
    let total: u32 = MUTATIONS.iter().map(|(w, _)| w).sum();
    let rounds = if rng.one_in(8) { 8 } else { 4 };
    let mut out = text.to_string();
    for _ in 0..1 + rng.below(rounds) {
        let mut ticket = rng.below(total as usize) as u32;
        let mutation = MUTATIONS
            .iter()
            .find(|(w, _)| {
                let hit = ticket < *w;
                ticket = ticket.saturating_sub(*w);
                hit
            })
            .map_or(flip_byte as Mutation, |(_, m)| *m);
        out = mutation(rng, &out, pool);
    }
    out
}

/// The nearest char boundary at or before `at`, so byte edits stay valid UTF-8 (the page holds a
/// `String`).
fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A random `start..end` span of `text` on char boundaries, of at most `max` bytes.
fn span(rng: &mut Rng, text: &str, max: usize) -> (usize, usize) {
    let start = floor_boundary(text, rng.below(text.len() + 1));
    let end = floor_boundary(text, start + 1 + rng.below(max));
    (start, end.max(start))
}

/// Bytes a YAML or shell reader treats specially, and a few that it should not.
const SPECIAL: &[&str] = &[
    ":", "-", " ", "\n", "\t", "\"", "'", "[", "]", "{", "}", ",", "#", "&", "*", "!", "|", ">",
    "%", "@", "`", "?", "\\", "$", ";", "(", ")", "\u{feff}", "é", "\r", "0", "9", "...", "---",
];

fn flip_byte(rng: &mut Rng, text: &str, _: &[String]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    if bytes.is_empty() {
        return text.to_string();
    }
    let at = rng.below(bytes.len());
    bytes[at] ^= 1 << rng.below(8);
    String::from_utf8_lossy(&bytes).into_owned()
}

fn insert_bytes(rng: &mut Rng, text: &str, _: &[String]) -> String {
    let at = floor_boundary(text, rng.below(text.len() + 1));
    let piece = SPECIAL[rng.below(SPECIAL.len())].repeat(1 + rng.below(3));
    format!("{}{piece}{}", &text[..at], &text[at..])
}

fn delete_span(rng: &mut Rng, text: &str, _: &[String]) -> String {
    let (start, end) = span(rng, text, 40);
    format!("{}{}", &text[..start], &text[end..])
}

fn duplicate_span(rng: &mut Rng, text: &str, _: &[String]) -> String {
    let (start, end) = span(rng, text, 200);
    format!("{}{}", &text[..end], &text[start..])
}

/// Lines of another corpus file, put between two lines of this one.
fn splice_lines(rng: &mut Rng, text: &str, pool: &[String]) -> String {
    let other: Vec<&str> = rng
        .pick(pool)
        .map(|t| t.lines().collect())
        .unwrap_or_default();
    let mut lines: Vec<&str> = text.lines().collect();
    let from = rng.below(other.len());
    let to = (from + 1 + rng.below(10)).min(other.len());
    let at = rng.below(lines.len() + 1);
    lines.splice(at..at, other[from..to].iter().copied());
    lines.join("\n") + "\n"
}

/// The start of this text and the end of another.
fn cross_over(rng: &mut Rng, text: &str, pool: &[String]) -> String {
    let other = rng.pick(pool).map(String::as_str).unwrap_or("");
    let mine: Vec<&str> = text.lines().collect();
    let theirs: Vec<&str> = other.lines().collect();
    let keep = rng.below(mine.len() + 1);
    let from = rng.below(theirs.len() + 1);
    let mut lines = mine[..keep].to_vec();
    lines.extend_from_slice(&theirs[from..]);
    lines.join("\n") + "\n"
}
