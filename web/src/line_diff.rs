//! A line diff of the user's manifest and its converted twin, as `diff -u` shows it: removed and added
//! lines among unchanged ones, long unchanged stretches folded to a few lines of context.
//!
//! The converter rewrites the text in place (only the moved containers change), so the texts share
//! most lines; a longest-common-subsequence table over what lies between the common head and tail is
//! small (a few dozen lines each way) and gives the minimal diff.

/// One line of the diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffLine<'a> {
    /// In both texts: its line numbers in the old and the new text (1-based).
    Same(usize, usize, &'a str),
    /// Only in the old text.
    Removed(usize, &'a str),
    /// Only in the new text.
    Added(usize, &'a str),
    /// This many unchanged lines, not shown.
    Folded(usize),
}

/// Above this many lines between the common head and tail, the table would be too big to build on a
/// keystroke: the middle is shown as removed, then added.
const MAX_TABLE_LINES: usize = 2000;

/// The diff of `old` and `new`, with `context` unchanged lines kept around each change.
pub fn diff<'a>(old: &'a str, new: &'a str, context: usize) -> Vec<DiffLine<'a>> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (mid_a, mid_b) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);

    let mut lines = Vec::with_capacity(a.len().max(b.len()) + 8);
    for (i, line) in a[..head].iter().enumerate() {
        lines.push(DiffLine::Same(i + 1, i + 1, line));
    }
    middle(mid_a, mid_b, head, &mut lines);
    for k in 0..tail {
        let (i, j) = (a.len() - tail + k, b.len() - tail + k);
        lines.push(DiffLine::Same(i + 1, j + 1, a[i]));
    }
    fold(lines, context)
}

/// The changed middle: `a` and `b` start at line `offset + 1` of their texts.
fn middle<'a>(a: &[&'a str], b: &[&'a str], offset: usize, out: &mut Vec<DiffLine<'a>>) {
    if a.len() + b.len() > MAX_TABLE_LINES {
        out.extend(
            a.iter()
                .enumerate()
                .map(|(i, l)| DiffLine::Removed(offset + i + 1, l)),
        );
        out.extend(
            b.iter()
                .enumerate()
                .map(|(j, l)| DiffLine::Added(offset + j + 1, l)),
        );
        return;
    }
    // common[i][j]: the length of the longest common subsequence of a[i..] and b[j..].
    let width = b.len() + 1;
    let mut common = vec![0u32; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i * width + j] = if a[i] == b[j] {
                common[(i + 1) * width + j + 1] + 1
            } else {
                common[(i + 1) * width + j].max(common[i * width + j + 1])
            };
        }
    }
    let mut lines = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            lines.push(DiffLine::Same(offset + i + 1, offset + j + 1, a[i]));
            i += 1;
            j += 1;
        } else if j < b.len()
            && (i == a.len() || common[i * width + j + 1] >= common[(i + 1) * width + j])
        {
            lines.push(DiffLine::Added(offset + j + 1, b[j]));
            j += 1;
        } else {
            lines.push(DiffLine::Removed(offset + i + 1, a[i]));
            i += 1;
        }
    }
    // Within each change, removed lines read first, as in `diff -u`.
    for run in lines.split_mut(|l| matches!(l, DiffLine::Same(..))) {
        podlife::stable_sort::sort_by_key(run, |l| matches!(l, DiffLine::Added(..)));
    }
    out.extend(lines);
}

/// Folds unchanged stretches longer than `2 × context` (keeping `context` lines each side of a change).
fn fold(lines: Vec<DiffLine<'_>>, context: usize) -> Vec<DiffLine<'_>> {
    let changed: Vec<bool> = lines
        .iter()
        .map(|l| !matches!(l, DiffLine::Same(..)))
        .collect();
    let near_change = |k: usize| {
        let from = k.saturating_sub(context);
        let to = k.saturating_add(context).min(lines.len().saturating_sub(1));
        (from..=to).any(|m| changed[m])
    };
    let mut out = Vec::with_capacity(lines.len());
    let mut folded = 0;
    for (k, line) in lines.iter().enumerate() {
        if changed[k] || near_change(k) {
            if folded > 0 {
                out.push(DiffLine::Folded(folded));
                folded = 0;
            }
            out.push(line.clone());
        } else {
            folded += 1;
        }
    }
    if folded > 0 {
        out.push(DiffLine::Folded(folded));
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use DiffLine::*;

    #[test]
    fn equal_texts_fold_to_one_line() {
        assert_eq!(diff("a\nb\nc\n", "a\nb\nc\n", 3), [Folded(3)]);
    }

    #[test]
    fn a_moved_block_is_removed_then_added_with_context() {
        let old = "spec:\n  containers:\n  - name: app\n  - name: shipper\n    image: s\n";
        let new = "spec:\n  initContainers:\n  - name: shipper\n    image: s\n    restartPolicy: Always\n  containers:\n  - name: app\n";
        let d = diff(old, new, 1);
        let removed: Vec<&str> = d
            .iter()
            .filter_map(|l| match l {
                Removed(_, t) => Some(*t),
                _ => None,
            })
            .collect();
        let added: Vec<&str> = d
            .iter()
            .filter_map(|l| match l {
                Added(_, t) => Some(*t),
                _ => None,
            })
            .collect();
        // Applying the diff to the old text gives the new one.
        let mut rebuilt = Vec::new();
        for l in diff(old, new, usize::MAX) {
            match l {
                Same(_, _, t) | Added(_, t) => rebuilt.push(t),
                Removed(..) => {}
                Folded(_) => panic!("nothing is folded with unlimited context"),
            }
        }
        assert_eq!(rebuilt.join("\n") + "\n", new);
        assert!(added.contains(&"    restartPolicy: Always"));
        assert!(removed.len() + added.len() < old.lines().count() + new.lines().count());
        assert_eq!(d.first(), Some(&Same(1, 1, "spec:")));
    }

    #[test]
    fn line_numbers_follow_each_text() {
        let d = diff("a\nb\nc\nd\n", "a\nx\nc\nd\ne\n", 5);
        assert_eq!(
            d,
            [
                Same(1, 1, "a"),
                Removed(2, "b"),
                Added(2, "x"),
                Same(3, 3, "c"),
                Same(4, 4, "d"),
                Added(5, "e"),
            ]
        );
    }

    #[test]
    fn long_unchanged_stretches_are_folded() {
        let old: String = (1..=20).map(|i| format!("line {i}\n")).collect();
        let new = old.replace("line 10\n", "line ten\n");
        let d = diff(&old, &new, 2);
        assert_eq!(d.first(), Some(&Folded(7)));
        assert_eq!(d.last(), Some(&Folded(8)));
        assert!(d.contains(&Removed(10, "line 10")));
        assert!(d.contains(&Added(10, "line ten")));
    }
}
