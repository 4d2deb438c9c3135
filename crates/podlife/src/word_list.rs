//! Lists of words written as one string, the words separated by single spaces: `"yes Yes YES"`.
//!
//! Why: a `match` on strings compiles to one comparison call per string, about 15 bytes of wasm each
//! around an address that compresses badly, while a word list is a few bytes of text and one shared
//! loop. The lookups that name many words (keywords, program names, operators) use these.

/// The position of `word` in `list` (0 for the first word). The empty word is in no list (`""` is
/// an empty list).
pub(crate) fn position(list: &str, word: &str) -> Option<usize> {
    if word.is_empty() {
        return None;
    }
    // Bytes, not chars: a space is one byte in UTF-8 and never part of another character, and the
    // byte split skips the char searcher's set-up, which made this a tenth of a big pod's run.
    let word = word.as_bytes();
    list.as_bytes()
        .split(|b| *b == b' ')
        .position(|w| w == word)
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
    }
}
