//! A stable sort for the lists the core puts in order: diagnostics, scenario actions, status
//! intervals, shared files.
//!
//! Why not `slice::sort_by`: the standard library's stable sort (driftsort) is several KB of wasm for
//! every element type it is instantiated with. Most of these lists hold tens of items, where an
//! insertion sort is as fast; but a pod of 200 containers crash-looping for an hour has thousands of
//! status intervals, where an insertion sort's quadratic cost was half the run. Longer lists are
//! therefore merge-sorted by position (a merge of `usize`s, the same code for every element type) and
//! then moved into place. The result is the same either way: elements in the comparator's order,
//! equal ones in their original order.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, keeping equal elements in their order (like `slice::sort_by`).
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() > INSERTION_LIMIT {
        let order = merge_sorted_positions(items.len(), &mut |a, b| compare(&items[a], &items[b]));
        apply_order(items, order);
        return;
    }
    insertion_sort_by(items, compare);
}

/// Up to this many items, an insertion sort is as fast as a merge and needs no buffer.
const INSERTION_LIMIT: usize = 32;

fn insertion_sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && compare(&items[j - 1], &items[j]) == Ordering::Greater {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// The positions `0..len` in the order `compare` (on positions) puts them, equal ones kept in order:
/// a bottom-up merge sort, runs of 1, 2, 4, ... merged pairwise.
fn merge_sorted_positions(
    len: usize,
    compare: &mut dyn FnMut(usize, usize) -> Ordering,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    let mut merged: Vec<usize> = Vec::with_capacity(len);
    let mut width = 1;
    while width < len {
        merged.clear();
        for start in (0..len).step_by(2 * width) {
            let mid = (start + width).min(len);
            let end = (start + 2 * width).min(len);
            merge_runs(&order[start..mid], &order[mid..end], &mut merged, compare);
        }
        std::mem::swap(&mut order, &mut merged);
        width *= 2;
    }
    order
}

/// Appends the two sorted runs to `out` in order; on a tie the left run's item comes first (stable).
fn merge_runs(
    left: &[usize],
    right: &[usize],
    out: &mut Vec<usize>,
    compare: &mut dyn FnMut(usize, usize) -> Ordering,
) {
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if compare(left[i], right[j]) == Ordering::Greater {
            out.push(right[j]);
            j += 1;
        } else {
            out.push(left[i]);
            i += 1;
        }
    }
    out.extend_from_slice(&left[i..]);
    out.extend_from_slice(&right[j..]);
}

/// Moves the items so that position `k` holds the item that was at `order[k]`, one cycle of the
/// permutation at a time (each item is swapped once: linear).
fn apply_order<T>(items: &mut [T], mut order: Vec<usize>) {
    const PLACED: usize = usize::MAX;
    for start in 0..items.len() {
        let mut k = start;
        while order[k] != PLACED {
            let source = order[k];
            order[k] = PLACED;
            if source == start {
                break;
            }
            items.swap(k, source);
            k = source;
        }
    }
}

/// Sorts `items` by the key `key` gives, keeping equal keys in their order (like `slice::sort_by_key`).
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        let mut seed = 7u32;
        for len in (0..80).chain([257, 1000]) {
            let items: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    ((seed >> 16) as u8 % 5, i)
                })
                .collect();
            let mut ours = items.clone();
            sort_by_key(&mut ours, |(k, _)| *k);
            let mut std_sorted = items.clone();
            std_sorted.sort_by_key(|(k, _)| *k);
            assert_eq!(ours, std_sorted);
        }
    }
}
