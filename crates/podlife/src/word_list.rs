//! Lists of words written as one string, the words separated by single spaces: `"yes Yes YES"`.
//!
//! Why: a `match` on strings compiles to one comparison call per string, about 15 bytes of wasm each
//! around an address that compresses badly, while a word list is a few bytes of text and one shared
//! loop. The lookups that name many words (keywords, program names, operators) use these.

/// The position of `word` in `list` (0 for the first word). The empty word is in no list (`""` is
/// an empty list).
pub(crate) fn position(list: &str, word: &str) -> Option<usize> {
    if word.is_empty() || word.contains(' ') {
        return None;
    }
    // One pass over the bytes, comparing only the words of the same length: the interpreter asks
    // these lists about every command it runs, and a split that compared every word was a tenth of
    // a busy exec probe's run.
    let (list, word) = (list.as_bytes(), word.as_bytes());
    let ends = list
        .iter()
        .enumerate()
        .filter_map(|(i, b)| (*b == b' ').then_some(i))
        .chain(std::iter::once(list.len()));
    let mut start = 0;
    for (index, end) in ends.enumerate() {
        if end - start == word.len() && list[start..end] == *word {
            return Some(index);
        }
        start = end + 1;
    }
    None
}

/// Whether `word` is one of the words of `list`.
pub(crate) fn contains(list: &str, word: &str) -> bool {
    position(list, word).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_whole_words_only() {
        assert_eq!(position("yes Yes YES", "yes"), Some(0));
        assert_eq!(position("yes Yes YES", "YES"), Some(2));
        assert_eq!(position("yes Yes YES", "ye"), None);
        assert_eq!(position("yes Yes YES", "yes Yes"), None);
        assert_eq!(position("yes Yes YES", ""), None);
        assert!(contains("-e -a -r", "-a"));
        assert!(!contains("-e -a -r", "-"));
        assert!(!contains("", ""));
        assert_eq!(position("aaa aa a", "aa"), Some(1));
        assert_eq!(position("aaa aa a", "a"), Some(2));
        assert_eq!(position("ab b", "b"), Some(1));
        assert_eq!(position("sleep tail", "sleep tail"), None);
    }
}
