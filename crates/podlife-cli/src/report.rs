//! Diagnostics as a compiler prints them: `file:line:col: error: path: message`, the source line, a caret
//! under the span, and the hint.

use std::fmt::Write;

use podlife::{Diagnostic, Severity};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Color,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        match self {
            Style::Plain => text.to_string(),
            Style::Color => format!("\x1b[{code}m{text}\x1b[0m"),
        }
    }
}

pub fn render_text(file: &str, source: &str, diagnostics: &[Diagnostic], style: Style) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let mut out = String::new();
    for d in diagnostics {
        let (label, color) = match d.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
            Severity::Info => ("info", "1;36"),
        };
        let _ = writeln!(
            out,
            "{file}:{}:{}: {}: {}",
            d.span.start.line,
            d.span.start.column,
            style.paint(color, label),
            style.paint("1", &d.headline())
        );
        if let Some(line) = lines.get((d.span.start.line as usize).saturating_sub(1)) {
            let number = d.span.start.line.to_string();
            let gutter = " ".repeat(number.len());
            let start = d.span.start.column.max(1) as usize;
            let line_chars = line.chars().count();
            let end = if d.span.end.line == d.span.start.line && d.span.end.column as usize > start
            {
                d.span.end.column as usize
            } else {
                line_chars.max(start) + 1
            };
            // Keep tabs as tabs under the source line so the caret lines up.
            let pad: String = line
                .chars()
                .take(start - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let carets = "^".repeat((end - start).max(1));
            let _ = writeln!(out, "{gutter} |");
            let _ = writeln!(out, "{number} | {line}");
            let _ = writeln!(out, "{gutter} | {pad}{}", style.paint(color, &carets));
            if let Some(hint) = &d.hint {
                let _ = writeln!(out, "{gutter} = hint: {hint}");
            }
        } else if let Some(hint) = &d.hint {
            let _ = writeln!(out, "  = hint: {hint}");
        }
        out.push('\n');
    }
    out
}
