//! A stable insertion sort for the short lists the core puts in order: diagnostics, scenario actions,
//! status intervals, shared files.
//!
//! Why not `slice::sort_by`: the standard library's stable sort (driftsort) is several KB of wasm for
//! every element type it is instantiated with; these lists hold tens of items, where an insertion sort
//! is as fast. The result is the same: elements in the comparator's order, equal ones in their original
//! order.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, keeping equal elements in their order (like `slice::sort_by`).
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && compare(&items[j - 1], &items[j]) == Ordering::Greater {
            items.swap(j - 1, j);
            j -= 1;
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
        for len in 0..40 {
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
