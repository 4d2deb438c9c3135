//! The positioned YAML tree and the scalar resolution rules of go-yaml v2 (what `kubectl` and the API
//! server use through sigs.k8s.io/yaml).

use super::resolve::{parse_bool, resolve_plain};
use crate::diagnostic::Span;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    /// From the first character of the node to just after its last one. For a block sequence this starts
    /// at the first `-`; for a quoted scalar it includes the quotes.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Scalar(Scalar),
    Sequence(Vec<Node>),
    Mapping(Vec<Entry>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    pub text: String,
    pub style: ScalarStyle,
    /// An explicit tag such as `!!str`, as its suffix (`str`).
    pub tag: Option<String>,
}

/// What a scalar means once resolved: the JSON value the API server receives.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
}

impl Resolved {
    /// The JSON type name, as Go's `encoding/json` names it in "cannot unmarshal X into ...".
    pub fn json_type(&self) -> &'static str {
        match self {
            Resolved::Null => "null",
            Resolved::Bool(_) => "bool",
            Resolved::Int(_) | Resolved::Float(_) => "number",
            Resolved::Str(_) => "string",
        }
    }
}

impl Scalar {
    pub fn resolve(&self) -> Resolved {
        match self.tag.as_deref() {
            Some("str") => return Resolved::Str(self.text.clone()),
            Some("int") => {
                if let Resolved::Int(i) = resolve_plain(&self.text) {
                    return Resolved::Int(i);
                }
            }
            Some("float") => match resolve_plain(&self.text) {
                Resolved::Float(f) => return Resolved::Float(f),
                Resolved::Int(i) => return Resolved::Float(i as f64),
                _ => {}
            },
            Some("bool") => {
                if let Some(b) = parse_bool(&self.text) {
                    return Resolved::Bool(b);
                }
            }
            Some("null") => return Resolved::Null,
            _ => {}
        }
        if self.style != ScalarStyle::Plain {
            return Resolved::Str(self.text.clone());
        }
        resolve_plain(&self.text)
    }
}

impl Node {
    pub fn as_mapping(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Mapping(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_sequence(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Sequence(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a key or of a string-valued scalar.
    pub fn as_str(&self) -> Option<&str> {
        self.as_scalar().map(|s| s.text.as_str())
    }

    /// The entry whose key is `key`, the first if there are several.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.as_mapping()?
            .iter()
            .find(|e| e.key.as_str() == Some(key))
    }

    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar(s) if s.resolve() == Resolved::Null)
    }

    /// The JSON value this node stands for, with YAML 1.1 resolution. Later duplicate keys win, as in
    /// a non-strict decoder (strict checking reports them separately).
    pub fn to_json(&self) -> crate::json::Value {
        use crate::json::{Map, Number, Value};
        match &self.kind {
            NodeKind::Scalar(s) => match s.resolve() {
                Resolved::Null => Value::Null,
                Resolved::Bool(b) => Value::Bool(b),
                Resolved::Int(i) => Value::Number(Number::from_i64(i)),
                Resolved::Float(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
                Resolved::Str(s) => Value::String(s),
            },
            NodeKind::Sequence(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Mapping(entries) => {
                let mut map = Map::new();
                for e in entries {
                    map.insert(e.key.key_text(), e.value.to_json());
                }
                Value::Object(map)
            }
        }
    }

    /// How a key is spelt in JSON: its scalar text, or a rendering of a complex key.
    pub fn key_text(&self) -> String {
        match &self.kind {
            NodeKind::Scalar(s) => s.text.clone(),
            _ => self.to_json().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Resolved {
        Scalar {
            text: text.into(),
            style: ScalarStyle::Plain,
            tag: None,
        }
        .resolve()
    }

    #[test]
    fn yaml_1_1_booleans_are_booleans_as_for_kubectl() {
        assert_eq!(plain("yes"), Resolved::Bool(true));
        assert_eq!(plain("on"), Resolved::Bool(true));
        assert_eq!(plain("N"), Resolved::Bool(false));
        assert_eq!(plain("Always"), Resolved::Str("Always".into()));
    }

    #[test]
    fn numbers_resolve_like_go_yaml_v2() {
        assert_eq!(plain("80"), Resolved::Int(80));
        assert_eq!(plain("0755"), Resolved::Int(0o755));
        assert_eq!(plain("0x1F"), Resolved::Int(31));
        assert_eq!(plain("1.25"), Resolved::Float(1.25));
        assert_eq!(plain("1.2.3"), Resolved::Str("1.2.3".into()));
        assert_eq!(plain("-c"), Resolved::Str("-c".into()));
        assert_eq!(plain("~"), Resolved::Null);
    }

    #[test]
    fn quoted_scalars_are_strings() {
        let s = Scalar {
            text: "80".into(),
            style: ScalarStyle::DoubleQuoted,
            tag: None,
        };
        assert_eq!(s.resolve(), Resolved::Str("80".into()));
    }
}
