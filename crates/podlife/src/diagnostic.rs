//! Diagnostics: what the API server (or a trainer) would say about a manifest, and where in the text.

use serde::Serialize;

/// A place in the text the user typed: 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// A range in the text the user typed; `end` is exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
pub struct Span {
    pub start: Position,
    pub end: Position,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// Not a problem: what podlife assumed where the manifest does not say, and how to say otherwise.
    Info,
}

/// One finding: the field path in the API server's notation, its message, an optional hint, a span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// `spec.template.spec.initContainers[1].restartPolicy`; empty for syntax errors.
    pub path: String,
    /// The message without the path, in the API server's words where it has any.
    pub message: String,
    pub hint: Option<String>,
    pub span: Span,
}

impl Diagnostic {
    /// `path: message`, as `kubectl` prints a field error.
    pub fn headline(&self) -> String {
        if self.path.is_empty() {
            self.message.clone()
        } else {
            format!("{}: {}", self.path, self.message)
        }
    }
}

/// The wire form: `{"severity","path","message","hint","line","column","endLine","endColumn"}`.
impl Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Diagnostic", 8)?;
        st.serialize_field("severity", &self.severity)?;
        st.serialize_field("path", &self.path)?;
        st.serialize_field("message", &self.message)?;
        st.serialize_field("hint", &self.hint)?;
        st.serialize_field("line", &self.span.start.line)?;
        st.serialize_field("column", &self.span.start.column)?;
        st.serialize_field("endLine", &self.span.end.line)?;
        st.serialize_field("endColumn", &self.span.end.column)?;
        st.end()
    }
}
