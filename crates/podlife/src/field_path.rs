//! Field paths in the API server's notation (`spec.containers[0].ports[1].containerPort`) and where each
//! path's key and value stand in the user's text.

use crate::diagnostic::Span;

/// A path as `field.Path` renders it: `.child`, `[index]`, `[key]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FieldPath(String);

impl FieldPath {
    pub fn root() -> Self {
        FieldPath(String::new())
    }

    pub fn parse(text: &str) -> Self {
        FieldPath(text.to_string())
    }

    pub fn child(&self, name: &str) -> Self {
        if self.0.is_empty() {
            FieldPath(name.to_string())
        } else {
            FieldPath(format!("{}.{name}", self.0))
        }
    }

    pub fn index(&self, i: usize) -> Self {
        FieldPath(format!("{}[{i}]", self.0))
    }

    pub fn key(&self, key: &str) -> Self {
        FieldPath(format!("{}[{key}]", self.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The enclosing path: `a.b[0]` for `a.b[0].c`, `a.b` for `a.b[0]`.
    pub fn parent(&self) -> Option<FieldPath> {
        let cut = self.0.rfind(['.', '['])?;
        Some(FieldPath(self.0[..cut].to_string()))
    }

    /// The same path under another prefix, e.g. `spec.template.spec` + `containers[0]`.
    pub fn under(prefix: &str, relative: &str) -> FieldPath {
        FieldPath(prefix.to_string()).child(relative)
    }

    /// Is this path inside a list, as an item (`...[3]`)?
    pub fn is_index(&self) -> bool {
        self.0.ends_with(']')
    }
}

impl std::fmt::Display for FieldPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a path stands in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Located {
    /// The key's span, for fields of a mapping; `None` for list items and the document itself.
    pub key: Option<Span>,
    pub value: Span,
    /// For a mapping value: the span of its first key (where a list item "starts" for a reader).
    pub first_key: Option<Span>,
}

/// Which part of a field a diagnostic points at (see ARCHITECTURE.md, "positions").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The key: unknown and forbidden fields.
    Key,
    /// The value: invalid, unsupported and duplicate values.
    Value,
    /// The field is absent: point at the key holding the mapping that lacks it.
    Missing,
}

/// Every path of one object and where it is.
#[derive(Debug, Clone, Default)]
pub struct SpanIndex {
    spans: crate::sorted_map::SortedMap<String, Located>,
}

impl SpanIndex {
    /// The index of `records`, in the order the decoder met them; a path met twice (a duplicate key)
    /// keeps its first place.
    pub fn from_records(records: Vec<(FieldPath, Located)>) -> Self {
        let pairs = records.into_iter().map(|(path, at)| (path.0, at)).collect();
        SpanIndex {
            spans: crate::sorted_map::SortedMap::from_first_of_each(pairs),
        }
    }

    pub fn get(&self, path: &FieldPath) -> Option<&Located> {
        self.spans.get(path.as_str())
    }

    /// The span to underline for a finding on `path`, falling back to the nearest enclosing field that
    /// is in the text (a defaulted field has no place of its own).
    pub fn locate(&self, path: &FieldPath, target: Target) -> Span {
        if target == Target::Missing {
            // Present: an empty list or value (`containers: []`) is itself the problem, so point at it;
            // a mapping that lacks a field (a probe with no handler) is pointed at by its key.
            if let Some(at) = self.get(path) {
                return match (at.first_key, at.key) {
                    (Some(_), Some(key)) => key,
                    _ => at.value,
                };
            }
            return match path.parent() {
                Some(parent) => self.holder_of(&parent),
                None => self.document_start(),
            };
        }
        let mut current = Some(path.clone());
        while let Some(p) = current {
            if let Some(at) = self.get(&p) {
                return match target {
                    Target::Key => at.key.unwrap_or(at.value),
                    _ => at.value,
                };
            }
            current = p.parent();
        }
        self.document_start()
    }

    /// The key under which the mapping at `path` sits; for a list item, the item's first key.
    fn holder_of(&self, path: &FieldPath) -> Span {
        let mut current = Some(path.clone());
        while let Some(p) = current {
            if let Some(at) = self.get(&p) {
                return match (at.key, at.first_key) {
                    (Some(key), _) => key,
                    (None, Some(first)) => first,
                    (None, None) => at.value,
                };
            }
            current = p.parent();
        }
        self.document_start()
    }

    fn document_start(&self) -> Span {
        self.spans
            .get("")
            .map(|at| at.first_key.unwrap_or(at.value))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_render_like_field_path() {
        let p = FieldPath::root()
            .child("spec")
            .child("containers")
            .index(0)
            .child("name");
        assert_eq!(p.as_str(), "spec.containers[0].name");
        assert_eq!(p.parent().unwrap().as_str(), "spec.containers[0]");
        assert_eq!(
            p.parent().unwrap().parent().unwrap().as_str(),
            "spec.containers"
        );
    }
}
