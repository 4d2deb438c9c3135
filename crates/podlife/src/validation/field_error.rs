//! Findings in the API server's vocabulary (k8s.io/apimachinery/pkg/util/validation/field/errors.go):
//! `Required value`, `Invalid value: V: detail`, `Unsupported value: V: supported values: ...`,
//! `Forbidden: detail`, `Duplicate value: V`, `Not found: V`, `Too many: N: must have at most M items`,
//! `Too long: may not be more than M bytes`. Strings are shown quoted, numbers bare.

use crate::diagnostic::Severity;
use crate::field_path::{FieldPath, Target};

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    pub path: FieldPath,
    pub target: Target,
    pub message: String,
    pub hint: Option<String>,
}

/// A value as `field.Error` renders it.
pub enum Shown<'a> {
    Str(&'a str),
    Int(i64),
    Json(String),
}

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Shown::Str(s) => write!(f, "{s:?}"),
            Shown::Int(i) => write!(f, "{i}"),
            Shown::Json(j) => f.write_str(j),
        }
    }
}

impl<'a> From<&'a str> for Shown<'a> {
    fn from(s: &'a str) -> Self {
        Shown::Str(s)
    }
}

impl From<i64> for Shown<'_> {
    fn from(i: i64) -> Self {
        Shown::Int(i)
    }
}

#[derive(Debug, Default)]
pub struct Findings {
    pub list: Vec<Finding>,
}

impl Findings {
    fn push(
        &mut self,
        severity: Severity,
        path: &FieldPath,
        target: Target,
        message: String,
    ) -> &mut Finding {
        self.list.push(Finding {
            severity,
            path: path.clone(),
            target,
            message,
            hint: None,
        });
        let last = self.list.len() - 1;
        &mut self.list[last]
    }

    pub fn required(&mut self, path: &FieldPath, detail: &str) -> &mut Finding {
        let message = if detail.is_empty() {
            "Required value".to_string()
        } else {
            format!("Required value: {detail}")
        };
        self.push(Severity::Error, path, Target::Missing, message)
    }

    pub fn invalid<'a>(
        &mut self,
        path: &FieldPath,
        value: impl Into<Shown<'a>>,
        detail: &str,
    ) -> &mut Finding {
        let message = format!("Invalid value: {}: {detail}", value.into());
        self.push(Severity::Error, path, Target::Value, message)
    }

    pub fn unsupported<'a>(
        &mut self,
        path: &FieldPath,
        value: impl Into<Shown<'a>>,
        supported: &[&str],
    ) -> &mut Finding {
        let value = value.into();
        let list: Vec<String> = supported.iter().map(|s| format!("{s:?}")).collect();
        let message = format!(
            "Unsupported value: {value}: supported values: {}",
            list.join(", ")
        );
        let meant = match value {
            Shown::Str(s) => crate::edit_distance::closest(s, supported.iter().copied()),
            _ => None,
        };
        let finding = self.push(Severity::Error, path, Target::Value, message);
        finding.hint = meant.map(|m| match value {
            Shown::Str(s) if s.eq_ignore_ascii_case(m) => {
                format!("did you mean `{m}`? Values are case-sensitive.")
            }
            _ => format!("did you mean `{m}`?"),
        });
        finding
    }

    /// `field.TooMany`: a list with more items than allowed.
    pub fn too_many(&mut self, path: &FieldPath, actual: usize, max: usize) -> &mut Finding {
        let items = if max == 1 { "item" } else { "items" };
        let message = format!("Too many: {actual}: must have at most {max} {items}");
        self.push(Severity::Error, path, Target::Value, message)
    }

    /// `field.TooLong`: a value longer than allowed (the API server's byte-length wording).
    pub fn too_long(&mut self, path: &FieldPath, max: usize) -> &mut Finding {
        let bytes = if max == 1 { "byte" } else { "bytes" };
        let message = format!("Too long: may not be more than {max} {bytes}");
        self.push(Severity::Error, path, Target::Value, message)
    }

    pub fn forbidden(&mut self, path: &FieldPath, detail: &str) -> &mut Finding {
        self.push(
            Severity::Error,
            path,
            Target::Key,
            format!("Forbidden: {detail}"),
        )
    }

    pub fn duplicate<'a>(&mut self, path: &FieldPath, value: impl Into<Shown<'a>>) -> &mut Finding {
        let message = format!("Duplicate value: {}", value.into());
        self.push(Severity::Error, path, Target::Value, message)
    }

    pub fn not_found<'a>(&mut self, path: &FieldPath, value: impl Into<Shown<'a>>) -> &mut Finding {
        let message = format!("Not found: {}", value.into());
        self.push(Severity::Error, path, Target::Value, message)
    }

    /// A warning, in our own words or the API server's warning text.
    pub fn warning(
        &mut self,
        path: &FieldPath,
        target: Target,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.push(Severity::Warning, path, target, message.into())
    }

    /// What podlife assumed where the manifest does not say: not a problem, a note with its setting.
    pub fn info(
        &mut self,
        path: &FieldPath,
        target: Target,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.push(Severity::Info, path, target, message.into())
    }
}

impl Finding {
    /// Sets the hint. A "did you mean" that `unsupported` found for the value stays in front of it.
    pub fn hint(&mut self, hint: impl Into<String>) -> &mut Self {
        let hint = hint.into();
        self.hint = Some(match self.hint.take() {
            Some(meant) if meant.starts_with("did you mean") => format!("{meant} {hint}"),
            _ => hint,
        });
        self
    }
}
