//! Names of containers, as the sentences of diagnostics and findings list them: each in double
//! quotes, `"app", "proxy"`, or with "and" before the last, `"app", "proxy" and "shipper"`.

/// `"a", "b", "c"`.
pub fn quoted<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> String {
    names
        .into_iter()
        .map(|n| format!("\"{}\"", n.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `"a"`, `"a" and "b"`, `"a", "b" and "c"`; empty for no names.
pub fn quoted_and<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> String {
    let quoted: Vec<String> = names
        .into_iter()
        .map(|n| format!("\"{}\"", n.as_ref()))
        .collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_quoted_and_listed() {
        assert_eq!(quoted(["a", "b", "c"]), "\"a\", \"b\", \"c\"");
        assert_eq!(quoted_and(Vec::<&str>::new()), "");
        assert_eq!(quoted_and(["a"]), "\"a\"");
        assert_eq!(quoted_and(["a", "b"]), "\"a\" and \"b\"");
        assert_eq!(quoted_and(["a", "b", "c"]), "\"a\", \"b\" and \"c\"");
    }
}
