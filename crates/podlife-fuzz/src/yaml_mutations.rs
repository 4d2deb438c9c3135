//! Mutations that know a manifest is block YAML: lines, their indentation, `key: value` pairs and
//! `- ` list items. They keep most results parseable, so the fuzzer reaches validation and the
//! simulation instead of stopping at the first syntax error.

use crate::rng::Rng;

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn join(lines: &[String]) -> String {
    lines.join("\n") + "\n"
}

fn owned_lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

/// Indices of the lines `keep` accepts.
fn lines_where(lines: &[String], keep: impl Fn(&str) -> bool) -> Vec<usize> {
    (0..lines.len()).filter(|&i| keep(&lines[i])).collect()
}

/// The `(key part, value)` of a `key: value` line, the value non-empty.
fn key_value(line: &str) -> Option<(&str, &str)> {
    let at = line.find(": ")?;
    let value = line[at + 2..].trim();
    (!value.is_empty()).then_some((&line[..at + 2], value))
}

/// One line moved one or two columns left or right: YAML's own most common mistake.
pub fn change_indentation(rng: &mut Rng, text: &str, _: &[String]) -> String {
    let mut lines = owned_lines(text);
    let Some(line) = lines.get_mut(rng.below(text.lines().count())) else {
        return text.to_string();
    };
    let by = 1 + rng.below(2);
    if rng.one_in(2) {
        line.insert_str(0, &" ".repeat(by));
    } else {
        let strip = by.min(indentation(line));
        line.replace_range(..strip, "");
    }
    join(&lines)
}

/// A `- ` item and its more-indented lines, repeated right after itself (a container twice, a
/// command argument twice), sometimes many times.
pub fn duplicate_list_item(rng: &mut Rng, text: &str, _: &[String]) -> String {
    let mut lines = owned_lines(text);
    let items = lines_where(&lines, |l| l.trim_start().starts_with("- "));
    let Some(&start) = rng.pick(&items) else {
        return text.to_string();
    };
    let depth = indentation(&lines[start]);
    let end = (start + 1..lines.len())
        .find(|&i| !lines[i].trim().is_empty() && indentation(&lines[i]) <= depth)
        .unwrap_or(lines.len());
    let copies = if rng.one_in(8) { 1 + rng.below(50) } else { 1 };
    let item: Vec<String> = lines[start..end].to_vec();
    for _ in 0..copies {
        lines.splice(end..end, item.iter().cloned());
    }
    join(&lines)
}

/// The values of two `key: value` lines exchanged (an image where a port goes, a policy in a name).
pub fn swap_scalars(rng: &mut Rng, text: &str, _: &[String]) -> String {
    let mut lines = owned_lines(text);
    let pairs = lines_where(&lines, |l| key_value(l).is_some());
    let (Some(&a), Some(&b)) = (rng.pick(&pairs), rng.pick(&pairs)) else {
        return text.to_string();
    };
    let (Some((key_a, value_a)), Some((key_b, value_b))) =
        (key_value(&lines[a]), key_value(&lines[b]))
    else {
        return text.to_string();
    };
    let (new_a, new_b) = (format!("{key_a}{value_b}"), format!("{key_b}{value_a}"));
    lines[a] = new_a;
    lines[b] = new_b;
    join(&lines)
}

/// Values at the edges of what the API server and the simulation accept.
const INTERESTING: &[&str] = &[
    "0",
    "1",
    "-1",
    "2147483647",
    "-2147483648",
    "9223372036854775807",
    "18446744073709551616",
    "1e308",
    ".inf",
    "-.nan",
    "0x10",
    "0o17",
    "1_000",
    "~",
    "null",
    "true",
    "\"\"",
    "[]",
    "{}",
    "Always",
    "OnFailure",
    "Never",
    "3600",
    "86400",
    "999999999",
];

/// A value replaced by one at the edge: a huge grace period, a zero period, a null.
pub fn interesting_value(rng: &mut Rng, text: &str, _: &[String]) -> String {
    let mut lines = owned_lines(text);
    let pairs = lines_where(&lines, |l| key_value(l).is_some());
    let Some(&at) = rng.pick(&pairs) else {
        return text.to_string();
    };
    let value = INTERESTING[rng.below(INTERESTING.len())];
    if let Some((key, _)) = key_value(&lines[at]) {
        lines[at] = format!("{key}{value}");
    }
    join(&lines)
}

/// An anchor put on one value and an alias to it in place of another.
pub fn anchor_and_alias(rng: &mut Rng, text: &str, _: &[String]) -> String {
    let mut lines = owned_lines(text);
    let keys = lines_where(&lines, |l| {
        l.trim_end().ends_with(':') || key_value(l).is_some()
    });
    let (Some(&anchor), Some(&alias)) = (rng.pick(&keys), rng.pick(&keys)) else {
        return text.to_string();
    };
    let name = ["a", "b", "x"][rng.below(3)];
    anchor_line(&mut lines[anchor], name);
    if let Some((key, _)) = key_value(&lines[alias]) {
        lines[alias] = format!("{key}*{name}");
    } else {
        lines[alias] = format!("{} *{name}", lines[alias]);
    }
    join(&lines)
}

/// `key: value` becomes `key: &name value`; `key:` becomes `key: &name`.
fn anchor_line(line: &mut String, name: &str) {
    match line.find(": ") {
        Some(at) => line.insert_str(at + 2, &format!("&{name} ")),
        None => line.push_str(&format!(" &{name}")),
    }
}

/// "Billion laughs": each level a list of aliases to the level before, put under a key of its own.
/// Deep enough bombs expand to more nodes than memory holds unless the reader limits aliases.
pub fn alias_bomb(rng: &mut Rng, text: &str, _: &[String]) -> String {
    let (levels, width) = (2 + rng.below(8), 2 + rng.below(9));
    let mut bomb = String::from("bomb:\n  l0: &l0 [\"lol\"]\n");
    for level in 1..levels {
        let aliases = vec![format!("*l{}", level - 1); width].join(", ");
        bomb.push_str(&format!("  l{level}: &l{level} [{aliases}]\n"));
    }
    let mut lines = owned_lines(text);
    let tops = lines_where(&lines, |l| indentation(l) == 0 && key_value(l).is_some());
    let at = rng.pick(&tops).copied().unwrap_or(0);
    lines.insert(at.min(lines.len()), bomb.trim_end().to_string());
    join(&lines)
}

/// The first container repeated up to 250 times with new names: the size of pod the simulation
/// must still handle within the bound.
pub fn many_containers(rng: &mut Rng, text: &str, _: &[String]) -> String {
    let lines = owned_lines(text);
    let Some(start) = lines
        .iter()
        .position(|l| l.trim_start().starts_with("- name:"))
    else {
        return text.to_string();
    };
    let depth = indentation(&lines[start]);
    let end = (start + 1..lines.len())
        .find(|&i| !lines[i].trim().is_empty() && indentation(&lines[i]) <= depth)
        .unwrap_or(lines.len());
    let mut out = lines[..end].to_vec();
    for copy in 0..1 + rng.below(250) {
        let mut item = lines[start..end].to_vec();
        item[0] = format!("{}- name: c{copy}", " ".repeat(depth));
        out.extend(item);
    }
    out.extend_from_slice(&lines[end..]);
    join(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n";

    #[test]
    fn many_containers_gives_each_copy_a_name_of_its_own() {
        let text = many_containers(&mut Rng::new(3), POD, &[]);
        let report = podlife::check(&text, &podlife::CheckOptions::default());
        assert!(!report.has_errors(), "{text}\n{:?}", report.diagnostics);
        assert!(text.matches("- name:").count() > 1);
    }

    #[test]
    fn an_alias_bomb_is_well_formed_yaml_with_its_levels() {
        let text = alias_bomb(&mut Rng::new(11), POD, &[]);
        let report = podlife::check(&text, &podlife::CheckOptions::default());
        // The bomb sits under a key the API server does not know: strict decoding refuses that key, or,
        // when its copies outgrow the text, the loader refuses the alias as go-yaml does ("excessive
        // aliasing"); nothing else (no syntax error).
        assert!(
            report
                .diagnostics
                .iter()
                .all(|d| d.path == "bomb" || d.message.contains("excessive aliasing")),
            "{text}\n{:?}",
            report.diagnostics
        );
        assert!(text.contains("&l0") && text.contains("*l0"));
    }
}
