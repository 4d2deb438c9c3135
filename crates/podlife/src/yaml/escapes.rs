//! The one escape saphyr reads in a double-quoted scalar that go-yaml v2 refuses: YAML 1.2's `\/`.
//! go-yaml v2's table (scannerc.go `yaml_parser_scan_flow_scalar`) predates it, so kubectl answers
//! `found unknown escape character`. (The escape go-yaml has and saphyr lacks, `\'`, is in
//! `go_yaml_leniency.rs`.)

use crate::diagnostic::{Diagnostic, Position, Severity, Span};

/// The first `\/` inside one of the double-quoted scalars at `spans` of `text`, as go-yaml's error.
pub(super) fn refuse_slash_escape(text: &str, spans: &[Span]) -> Result<(), Diagnostic> {
    if !text.contains("\\/") {
        return Ok(());
    }
    let lines: Vec<Vec<char>> = text.split('\n').map(|l| l.chars().collect()).collect();
    for span in spans {
        if let Some(at) = slash_escape_in(&lines, *span) {
            return Err(slash_escape(at));
        }
    }
    Ok(())
}

/// Walks one double-quoted scalar escape by escape (so `\\/` is a backslash and a slash).
fn slash_escape_in(lines: &[Vec<char>], span: Span) -> Option<Position> {
    let mut line = span.start.line;
    // After the opening quote.
    let mut column = span.start.column + 1;
    while (Position { line, column }) < span.end {
        let chars = lines.get(line as usize - 1)?;
        match chars.get(column as usize - 1) {
            None => {
                line += 1;
                column = 1;
            }
            Some('\\') => {
                if chars.get(column as usize) == Some(&'/') {
                    return Some(Position { line, column });
                }
                column += 2;
            }
            Some(_) => column += 1,
        }
    }
    None
}

fn slash_escape(at: Position) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        path: String::new(),
        message: "unknown escape \"\\/\" in a double-quoted value (kubectl: \"found unknown escape \
                  character\")"
            .into(),
        hint: Some(
            "kubectl reads YAML 1.1, which has no `\\/` escape: write the slash alone, `/` needs no \
             escape."
                .into(),
        ),
        span: Span {
            start: at,
            end: Position {
                line: at.line,
                column: at.column + 2,
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(line: u32, from: u32, to: u32) -> Span {
        Span {
            start: Position { line, column: from },
            end: Position { line, column: to },
        }
    }

    #[test]
    fn a_slash_escape_is_found_at_its_backslash() {
        let text = "a: \"x\\/y\"\n";
        let error = refuse_slash_escape(text, &[span(1, 4, 10)]).expect_err("\\/");
        assert_eq!(error.span.start, Position { line: 1, column: 6 });
    }

    #[test]
    fn an_escaped_backslash_before_a_slash_is_fine() {
        let text = "a: \"x\\\\/y\"\n";
        assert!(refuse_slash_escape(text, &[span(1, 4, 11)]).is_ok());
    }
}
