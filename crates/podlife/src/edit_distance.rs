//! The Damerau–Levenshtein distance for "did you mean" hints: the fewest insertions, deletions,
//! substitutions and swaps of two adjacent characters that turn one string into the other, where a
//! swapped pair may be edited further (the unrestricted distance, as `strsim::damerau_levenshtein`
//! computes it; a test checks that both agree).
//!
//! Why our own: strsim's is built on a small hash map of its own, ≈ 2 KB of wasm for strings of a few
//! dozen characters; this is the textbook table (Lowrance and Wagner) with a list for the last row of
//! each character.

/// The unrestricted Damerau–Levenshtein distance between `a` and `b`, counted in characters.
pub(crate) fn damerau_levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() || b.is_empty() {
        return a.len().max(b.len());
    }
    let width = b.len() + 2;
    let infinity = a.len() + b.len();
    // d[(i + 1) * width + (j + 1)]: the distance between a[..i] and b[..j]; row and column 0 hold
    // `infinity` as a border.
    let mut d = vec![0usize; (a.len() + 2) * width];
    d[0] = infinity;
    for i in 0..=a.len() {
        d[(i + 1) * width] = infinity;
        d[(i + 1) * width + 1] = i;
    }
    for j in 0..=b.len() {
        d[j + 1] = infinity;
        d[width + j + 1] = j;
    }
    // The last row (1-based) of `a` where each character was seen.
    let mut last_row: Vec<(char, usize)> = Vec::new();
    for i in 1..=a.len() {
        // The last column (1-based) of `b` in this row where b's character equalled a[i - 1].
        let mut last_match_col = 0;
        for j in 1..=b.len() {
            let k = last_row
                .iter()
                .find(|(c, _)| *c == b[j - 1])
                .map_or(0, |&(_, row)| row);
            let l = last_match_col;
            let same = a[i - 1] == b[j - 1];
            if same {
                last_match_col = j;
            }
            let substitute = d[i * width + j] + usize::from(!same);
            let insert = d[(i + 1) * width + j] + 1;
            let delete = d[i * width + j + 1] + 1;
            let transpose = d[k * width + l] + (i - k - 1) + 1 + (j - l - 1);
            d[(i + 1) * width + j + 1] = substitute.min(insert).min(delete).min(transpose);
        }
        match last_row.iter_mut().find(|(c, _)| *c == a[i - 1]) {
            Some(entry) => entry.1 = i,
            None => last_row.push((a[i - 1], i)),
        }
    }
    d[(a.len() + 1) * width + b.len() + 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_strsim() {
        let alphabet: Vec<char> = "abcabé🙂".chars().collect();
        let mut seed = 12_345u32;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 16) as usize % n
        };
        for _ in 0..20_000 {
            let a: String = (0..next(8))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            let b: String = (0..next(8))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            assert_eq!(
                damerau_levenshtein(&a, &b),
                strsim::damerau_levenshtein(&a, &b),
                "{a:?} {b:?}"
            );
        }
        for (a, b) in [
            ("restartpolice", "restartpolicy"),
            ("initcontainer", "initcontainers"),
            ("ab", "bca"),
            ("", "abc"),
            ("ca", "abc"),
        ] {
            assert_eq!(damerau_levenshtein(a, b), strsim::damerau_levenshtein(a, b));
        }
    }
}
