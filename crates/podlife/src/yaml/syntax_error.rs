//! YAML syntax errors as a learner needs them: the offending character, what is wrong there in plain
//! words, and how to fix it. The parser's own message is precise about the grammar but not about the
//! mistake, so the usual mistakes (a trailing comma in a block list, a tab, a missing space after `:`, an
//! unclosed quote or bracket, a line indented off its siblings) are recognised from the text around it.

use saphyr_parser::ScanError;

use crate::diagnostic::{Diagnostic, Position, Severity, Span};

pub fn diagnose(text: &str, error: &ScanError) -> Diagnostic {
    let lines: Vec<&str> = text.lines().collect();
    let at = Position {
        line: error.marker().line() as u32,
        column: error.marker().col() as u32 + 1,
    };
    let info = error.info();
    let finding = too_deep(at, info)
        .or_else(|| tab(&lines, at))
        .or_else(|| trailing_comma(&lines, at))
        .or_else(|| unclosed_quote(&lines, at, info))
        .or_else(|| unclosed_bracket(&lines, at))
        .or_else(|| missing_space_after_colon(&lines, at))
        .or_else(|| bad_indentation(&lines, at, info))
        .or_else(|| colon_in_plain_value(&lines, at, info))
        .unwrap_or_else(|| Finding {
            at,
            width: 1,
            message: format!("YAML syntax error: {info}"),
            hint: None,
        });
    Diagnostic {
        severity: Severity::Error,
        path: String::new(),
        message: finding.message,
        hint: finding.hint,
        span: Span {
            start: finding.at,
            end: Position {
                line: finding.at.line,
                column: finding.at.column + finding.width,
            },
        },
    }
}

struct Finding {
    at: Position,
    width: u32,
    message: String,
    hint: Option<String>,
}

/// The line (1-based) as characters, or empty past the end.
fn chars_of(lines: &[&str], line: u32) -> Vec<char> {
    lines
        .get(line.saturating_sub(1) as usize)
        .map(|l| l.chars().collect())
        .unwrap_or_default()
}

fn indent_of(line: &str) -> usize {
    line.chars().take_while(|&c| c == ' ').count()
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim_start();
    t.is_empty() || t.starts_with('#')
}

/// saphyr's scanner stops at 256 nested flow collections, before the tree builder's own limit.
fn too_deep(at: Position, info: &str) -> Option<Finding> {
    (info == "recursion limit exceeded").then(|| Finding {
        at,
        width: 1,
        message: super::tree::too_deep_message(),
        hint: Some(super::tree::TOO_DEEP_HINT.into()),
    })
}

/// A tab in the indentation of any line up to the error.
fn tab(lines: &[&str], at: Position) -> Option<Finding> {
    // The scanner may stop on the line before the tab (at the end of a plain scalar).
    for (i, line) in lines.iter().enumerate().take(at.line as usize + 1) {
        let leading: String = line.chars().take_while(|c| c.is_whitespace()).collect();
        if let Some(col) = leading.chars().position(|c| c == '\t') {
            return Some(Finding {
                at: Position { line: i as u32 + 1, column: col as u32 + 1 },
                width: 1,
                message: "found a tab character in the indentation (kubectl: \"found a tab character that violates indentation\")".into(),
                hint: Some(
                    "YAML indents with spaces only: replace the tab with spaces (two per level is usual)."
                        .into(),
                ),
            });
        }
    }
    None
}

/// `- '-c',` or `image: 'nginx',`: a comma after a value in block style.
fn trailing_comma(lines: &[&str], at: Position) -> Option<Finding> {
    let line = chars_of(lines, at.line);
    let from = (at.column as usize).saturating_sub(1);
    let offset = line.iter().skip(from).position(|c| !c.is_whitespace())?;
    if line.get(from + offset) != Some(&',') {
        return None;
    }
    let in_list = line
        .iter()
        .collect::<String>()
        .trim_start()
        .starts_with("- ");
    let hint = if in_list {
        "In a block list, each item stands on its own line after `- ` and items are not separated by \
         commas: delete the `,`. Commas separate items only inside brackets, as in `[\"sh\", \"-c\", \"...\"]`."
    } else {
        "In block style a value ends at the end of its line: delete the `,`. Commas separate items only \
         inside brackets or braces."
    };
    Some(Finding {
        at: Position {
            line: at.line,
            column: (from + offset) as u32 + 1,
        },
        width: 1,
        message: if in_list {
            "unexpected \",\" after a list item (kubectl: \"did not find expected '-' indicator\")"
                .into()
        } else {
            "unexpected \",\" after a value (kubectl: \"did not find expected key\")".into()
        },
        hint: Some(hint.into()),
    })
}

fn unclosed_quote(lines: &[&str], at: Position, info: &str) -> Option<Finding> {
    if !info.contains("quoted scalar") || info.contains("trailing content") {
        return None;
    }
    let line = chars_of(lines, at.line);
    let quote = *line.get((at.column as usize).saturating_sub(1))?;
    if quote != '\'' && quote != '"' {
        return None;
    }
    Some(Finding {
        at,
        width: 1,
        message: format!(
            "the quoted value starting here with {quote} is never closed (kubectl: \"found unexpected end of stream\")"
        ),
        hint: Some(format!(
            "Add the closing quote {quote} at the end of the value. Inside single quotes a literal ' is written ''."
        )),
    })
}

/// A `[` or `{` opened on an earlier line that is still open where the parser gave up.
fn unclosed_bracket(lines: &[&str], at: Position) -> Option<Finding> {
    let mut open: Vec<(Position, char)> = Vec::new();
    for (i, line) in lines
        .iter()
        .enumerate()
        .take(at.line.saturating_sub(1) as usize)
    {
        let mut quote: Option<char> = None;
        for (col, c) in line.chars().enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '#')
                    if col == 0 || line.chars().nth(col - 1).is_some_and(char::is_whitespace) =>
                {
                    break
                }
                (None, '\'' | '"') => quote = Some(c),
                (None, '[' | '{') => open.push((
                    Position {
                        line: i as u32 + 1,
                        column: col as u32 + 1,
                    },
                    c,
                )),
                (None, ']' | '}') => {
                    open.pop();
                }
                _ => {}
            }
        }
    }
    let (position, bracket) = open.pop()?;
    let closing = if bracket == '[' { ']' } else { '}' };
    Some(Finding {
        at: position,
        width: 1,
        message: format!(
            "this \"{bracket}\" is never closed (kubectl: \"did not find expected ',' or '{closing}'\")"
        ),
        hint: Some(format!(
            "Add the missing \"{closing}\" after the last item, or write the items in block style, one per \
             line after `- `."
        )),
    })
}

/// `image:nginx` where `image: nginx` was meant, on the error line or just above it.
fn missing_space_after_colon(lines: &[&str], at: Position) -> Option<Finding> {
    let first = at.line.saturating_sub(3).max(1);
    for line_no in (first..=at.line).rev() {
        let line = chars_of(lines, line_no);
        let mut i = indent_of(&line.iter().collect::<String>());
        if line.get(i) == Some(&'-') && line.get(i + 1) == Some(&' ') {
            i += 2;
            while line.get(i) == Some(&' ') {
                i += 1;
            }
        }
        let key_start = i;
        while line
            .get(i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        {
            i += 1;
        }
        let key_is_word = i > key_start && line[key_start].is_ascii_alphabetic();
        let after = line.get(i + 1);
        if key_is_word
            && line.get(i) == Some(&':')
            && after.is_some_and(|c| !c.is_whitespace() && *c != ':' && *c != '/')
        {
            let key: String = line[key_start..i].iter().collect();
            let value: String = line[i + 1..].iter().collect();
            return Some(Finding {
                at: Position { line: line_no, column: i as u32 + 1 },
                width: 1,
                message: format!(
                    "missing space after \":\" in \"{key}:{}\" (kubectl: \"could not find expected ':'\")",
                    value.trim_end()
                ),
                hint: Some(format!(
                    "A key and its value are separated by a colon and a space: write `{key}: {}`. Without \
                     the space YAML reads the whole thing as one piece of text.",
                    value.trim_end()
                )),
            });
        }
    }
    None
}

/// A line indented more or less than its siblings, so it belongs to no block.
fn bad_indentation(lines: &[&str], at: Position, info: &str) -> Option<Finding> {
    let indentation_error = [
        "mapping values are not allowed",
        "did not find expected",
        "invalid indentation",
    ]
    .iter()
    .any(|m| info.contains(m));
    if !indentation_error {
        return None;
    }
    let line_no = at.line;
    let line = lines.get(line_no.checked_sub(1)? as usize)?;
    if is_blank_or_comment(line) {
        return None;
    }
    let previous = lines[..line_no as usize - 1]
        .iter()
        .rev()
        .find(|l| !is_blank_or_comment(l))?;
    let ours = indent_of(line);
    let theirs = key_column(previous);
    if ours == theirs {
        return None;
    }
    let deeper_after_scalar =
        ours > theirs && previous.trim_end().contains(": ") && !previous.trim_end().ends_with(':');
    let shallower = ours < theirs;
    if !(deeper_after_scalar || shallower) {
        return None;
    }
    Some(Finding {
        at: Position { line: line_no, column: ours as u32 + 1 },
        width: 1,
        message: format!(
            "bad indentation: this line starts in column {}, the line above in column {} (kubectl: \"{}\")",
            ours + 1,
            theirs + 1,
            if shallower { "did not find expected key" } else { "mapping values are not allowed in this context" }
        ),
        hint: Some(
            "In YAML the indentation decides what belongs to what: the keys of one mapping must start in \
             the same column. Line this key up with its siblings above."
                .into(),
        ),
    })
}

/// The column where the key of a line starts (after a `- ` list marker).
fn key_column(line: &str) -> usize {
    let indent = indent_of(line);
    let rest = &line[indent..];
    match rest.strip_prefix("- ") {
        Some(after) => indent + 2 + indent_of(after),
        None => indent,
    }
}

/// `command: sh -c echo a: b`: an unquoted value that contains `: `.
fn colon_in_plain_value(lines: &[&str], at: Position, info: &str) -> Option<Finding> {
    if !info.contains("mapping values are not allowed") {
        return None;
    }
    let line = chars_of(lines, at.line);
    let col = (at.column as usize).saturating_sub(1);
    (line.get(col) == Some(&':')).then(|| Finding {
        at,
        width: 1,
        message: "a \": \" inside an unquoted value (kubectl: \"mapping values are not allowed in this context\")".into(),
        hint: Some(
            "YAML reads `: ` as the start of a new key. Quote the whole value: `key: \"text with: a colon\"`."
                .into(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use crate::yaml::parse_documents;

    fn error_at(text: &str) -> (u32, u32, String, String) {
        let d = parse_documents(text).expect_err("invalid YAML");
        (
            d.span.start.line,
            d.span.start.column,
            d.message,
            d.hint.unwrap_or_default(),
        )
    }

    #[test]
    fn trailing_comma_in_block_list_points_at_the_comma() {
        let (line, col, message, hint) =
            error_at("command:\n  - 'sh'\n  - '-c',\n  - 'tail -F /x'\n");
        assert_eq!((line, col), (3, 9));
        assert!(message.contains("\",\""), "{message}");
        assert!(hint.contains("delete the `,`"), "{hint}");
    }

    #[test]
    fn tab_points_at_the_tab() {
        let (line, col, message, _) = error_at("spec:\n\tcontainers: []\n");
        assert_eq!((line, col), (2, 1));
        assert!(message.contains("tab"));
    }

    #[test]
    fn missing_space_after_colon_points_at_the_colon() {
        let (line, col, message, hint) = error_at("spec:\n  name: x\n  image:nginx\n");
        assert_eq!((line, col), (3, 8), "{message}");
        assert!(hint.contains("`image: nginx`"), "{hint}");
    }

    #[test]
    fn over_indented_key_points_at_its_line() {
        let (line, col, message, _) = error_at("containers:\n  - name: a\n     image: b\n");
        assert_eq!((line, col), (3, 6), "{message}");
        assert!(message.contains("indentation"));
    }

    #[test]
    fn under_indented_key_points_at_its_line() {
        let text = "spec:\n  containers:\n  - name: a\n    image: b\n   ports: []\n";
        let (line, col, message, _) = error_at(text);
        assert_eq!((line, col), (5, 4), "{message}");
    }

    #[test]
    fn unclosed_quote_points_at_the_opening_quote() {
        let (line, col, message, _) = error_at("a: 'abc\nb: c\n");
        assert_eq!((line, col), (1, 4), "{message}");
    }

    #[test]
    fn unclosed_flow_list_points_at_the_bracket() {
        let (line, col, message, _) = error_at("command: [\"sh\", \"-c\"\nargs: x\n");
        assert_eq!((line, col), (1, 10), "{message}");
    }
}
