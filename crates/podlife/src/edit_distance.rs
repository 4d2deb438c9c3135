//! The string measures of the "did you mean" hints. The Damerau–Levenshtein distance: the fewest
//! insertions, deletions, substitutions and swaps of two adjacent characters that turn one string into
//! the other, where a swapped pair may be edited further (the unrestricted distance, as
//! `strsim::damerau_levenshtein` computes it). The Jaro–Winkler similarity, as `strsim::jaro_winkler`
//! computes it, to the last bit. Tests check that both agree with strsim.
//!
//! Why our own: strsim's Damerau–Levenshtein is built on a small hash map of its own, ≈ 2 KB of wasm
//! for strings of a few dozen characters; this is the textbook table (Lowrance and Wagner) with a list
//! for the last row of each character. With Jaro–Winkler here too, strsim is no longer in the wasm.

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

/// The candidate `unknown` most likely meant: one that differs only in case, else the nearest within
/// about one edit in four characters (at least one, at most three), compared without case. The first
/// of equally near candidates wins.
pub(crate) fn closest<'a>(
    unknown: &str,
    candidates: impl Iterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    if let Some(same) = candidates.clone().find(|c| c.eq_ignore_ascii_case(unknown)) {
        return Some(same);
    }
    let length = unknown.chars().count();
    let allowed = length.div_ceil(4).clamp(1, 3);
    let lower = unknown.to_ascii_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        // The distance is at least the difference in length: a long key (a mutated line taken for
        // a key) is compared with no field name at all, and 200 of them cost nothing.
        if candidate.chars().count().abs_diff(length) > allowed {
            continue;
        }
        let distance = damerau_levenshtein(&lower, &candidate.to_ascii_lowercase());
        if distance <= allowed && best.is_none_or(|(nearest, _)| distance < nearest) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// The Jaro–Winkler similarity of `a` and `b`, from 0 (nothing in common) to 1 (equal), counted in
/// characters. The arithmetic is strsim's, in the same order, so the scores are the same `f64`s.
pub(crate) fn jaro_winkler(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let sim = jaro(&a, &b);
    if sim > 0.7 {
        // The common prefix, up to four characters.
        let prefix = a.iter().take(4).zip(&b).take_while(|(x, y)| x == y).count();
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
}

/// The Jaro similarity: characters match when equal and not farther apart than half the longer
/// string, less one; half the matched pairs that come in a different order are transpositions.
fn jaro(a: &[char], b: &[char]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let range = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_matched = vec![false; a.len()];
    let mut b_matched = vec![false; b.len()];
    let mut matches = 0usize;
    for (i, x) in a.iter().enumerate() {
        for j in i.saturating_sub(range)..b.len().min(i + range + 1) {
            if !b_matched[j] && b[j] == *x {
                a_matched[i] = true;
                b_matched[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    // The matched characters of `a` and of `b`, each in its order: half the pairs that differ.
    let mut b_order = b.iter().zip(&b_matched).filter(|(_, m)| **m);
    let mut transpositions = 0;
    for (x, _) in a.iter().zip(&a_matched).filter(|(_, m)| **m) {
        if b_order.next().map(|(y, _)| y) != Some(x) {
            transpositions += 1;
        }
    }
    transpositions /= 2;
    let m = matches as f64;
    ((m / a.len() as f64) + (m / b.len() as f64) + ((matches - transpositions) as f64 / m)) / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closest_candidate_differs_in_case_or_by_a_few_edits() {
        let policies = ["Always", "OnFailure", "Never"];
        assert_eq!(closest("always", policies.iter().copied()), Some("Always"));
        assert_eq!(
            closest("onfailure", policies.iter().copied()),
            Some("OnFailure")
        );
        assert_eq!(closest("Nevr", policies.iter().copied()), Some("Never"));
        assert_eq!(closest("Sometimes", policies.iter().copied()), None);
        assert_eq!(closest("", policies.iter().copied()), None);
        // A length three or more away is never near: "Alw" is 3 from "Always" but allowed only 1.
        assert_eq!(closest("Alw", policies.iter().copied()), None);
        assert_eq!(
            closest("OnFailur", policies.iter().copied()),
            Some("OnFailure")
        );
    }

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

    #[test]
    fn jaro_winkler_agrees_with_strsim_to_the_bit() {
        let alphabet: Vec<char> = "abcabé🙂-".chars().collect();
        let mut seed = 54_321u32;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 16) as usize % n
        };
        for _ in 0..20_000 {
            let a: String = (0..next(12))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            let b: String = (0..next(12))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            assert_eq!(
                jaro_winkler(&a, &b).to_bits(),
                strsim::jaro_winkler(&a, &b).to_bits(),
                "{a:?} {b:?}"
            );
        }
        for (a, b) in [
            ("readiness", "readines"),
            ("start-delay", "startdelay"),
            ("listens", "listen"),
            ("sigterm", "sigtrem"),
            ("cheeseburger", "cheese fries"),
            ("", ""),
            ("", "run"),
            ("liveness", "exit"),
        ] {
            assert_eq!(
                jaro_winkler(a, b).to_bits(),
                strsim::jaro_winkler(a, b).to_bits(),
                "{a:?} {b:?}"
            );
        }
    }
}
