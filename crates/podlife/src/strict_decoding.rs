//! Strict decoding, as the API server does it for `kubectl apply --validate=strict`
//! (k8s.io/apimachinery `runtime/serializer/json`, `sigs.k8s.io/json` strict mode): every field must be
//! known to the object's schema, no key may repeat, and every value must have the JSON type of its Go
//! field. Along the way, record where every path is in the text, and hand on a JSON value from which the
//! badly typed fields are left out, so that validation can still speak about the rest.

use crate::json::{Map, Value};

use crate::diagnostic::{Diagnostic, Severity};
use crate::field_path::{FieldPath, Located, SpanIndex};
use crate::schema::{self, FieldType, ObjectType};
use crate::sorted_map::SortedSet;
use crate::word_list;
use crate::yaml::{Node, NodeKind, Resolved};

pub struct Decoded {
    /// The object as JSON, badly typed fields left out.
    pub json: Value,
    pub spans: SpanIndex,
    pub diagnostics: Vec<Diagnostic>,
}

/// Decodes one object of type `root` (a Pod, a Deployment, ...) found at `node`.
pub fn decode(node: &Node, root: ObjectType) -> Decoded {
    let mut decoder = Decoder {
        spans: Vec::new(),
        diagnostics: Vec::new(),
    };
    let path = FieldPath::root();
    decoder.record(&path, None, node);
    let json = decoder
        .value(
            node,
            FieldType::Object(root),
            &path,
            &Context {
                go_field: root.go_name(),
                json_path: String::new(),
            },
        )
        .unwrap_or(Value::Null);
    Decoded {
        json,
        spans: SpanIndex::from_records(decoder.spans),
        diagnostics: decoder.diagnostics,
    }
}

struct Decoder {
    /// Every path with where it is, in the order met; indexed once at the end.
    spans: Vec<(FieldPath, Located)>,
    diagnostics: Vec<Diagnostic>,
}

/// How Go's JSON decoder names the field in "Go struct field X.a.b": the struct type that holds the
/// field, then the JSON path without indices.
struct Context<'a> {
    go_field: &'a str,
    json_path: String,
}

impl Decoder {
    fn record(&mut self, path: &FieldPath, key: Option<&Node>, value: &Node) {
        let first_key = value
            .as_mapping()
            .and_then(|m| m.first())
            .map(|e| e.key.span);
        self.spans.push((
            path.clone(),
            Located {
                key: key.map(|k| k.span),
                value: value.span,
                first_key,
            },
        ));
    }

    fn error(
        &mut self,
        path: &FieldPath,
        span: crate::Span,
        message: String,
        hint: Option<String>,
    ) {
        self.diagnostics.push(Diagnostic {
            severity: Severity::Error,
            path: path.to_string(),
            message,
            hint,
            span,
        });
    }

    /// The JSON for `node` as a value of type `ty`, or `None` (after reporting) when its type is wrong.
    fn value(
        &mut self,
        node: &Node,
        ty: FieldType,
        path: &FieldPath,
        cx: &Context<'_>,
    ) -> Option<Value> {
        if node.is_null() {
            return Some(Value::Null);
        }
        match (&node.kind, ty) {
            (_, FieldType::Any) => Some(node.to_json()),
            (NodeKind::Mapping(_), FieldType::Object(object)) => {
                Some(self.object(node, object, path, cx))
            }
            (NodeKind::Mapping(entries), FieldType::Map(value_ty)) => {
                let mut map = Map::new();
                // A sorted set: a linear search made a mapping of n keys cost n² comparisons.
                let mut seen: SortedSet<String> = SortedSet::new();
                for entry in entries {
                    let key = entry.key.key_text();
                    let item_path = path.key(&key);
                    self.record(&item_path, Some(&entry.key), &entry.value);
                    if !seen.insert(key.clone()) {
                        self.duplicate_key(&item_path, &entry.key, &key);
                        continue;
                    }
                    if let Some(v) = self.value(&entry.value, *value_ty, &item_path, cx) {
                        map.insert(key, v);
                    }
                }
                Some(Value::Object(map))
            }
            (NodeKind::Sequence(items), FieldType::Array(item_ty)) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let item_path = path.index(i);
                    self.record(&item_path, None, item);
                    if let Some(v) = self.value(item, *item_ty, &item_path, cx) {
                        out.push(v);
                    }
                }
                Some(Value::Array(out))
            }
            (NodeKind::Scalar(scalar), _) => {
                let resolved = scalar.resolve();
                match scalar_fits(&resolved, ty) {
                    Fit::Yes => Some(node.to_json()),
                    Fit::BadQuantity => {
                        self.error(
                            path,
                            node.span,
                            "quantities must match the regular expression \
                                 '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
                                .to_string(),
                            Some(quantity_hint(&scalar.text)),
                        );
                        None
                    }
                    Fit::OutOfRange => {
                        let shown = match &resolved {
                            Resolved::Int(i) => i.to_string(),
                            _ => scalar.text.clone(),
                        };
                        self.type_error(node, path, &format!("number {shown}"), ty, cx);
                        None
                    }
                    Fit::No => {
                        self.type_error(node, path, resolved.json_type(), ty, cx);
                        None
                    }
                }
            }
            (NodeKind::Sequence(_), _) => {
                self.type_error(node, path, "array", ty, cx);
                None
            }
            (NodeKind::Mapping(_), _) => {
                self.type_error(node, path, "object", ty, cx);
                None
            }
        }
    }

    fn object(
        &mut self,
        node: &Node,
        object: ObjectType,
        path: &FieldPath,
        cx: &Context<'_>,
    ) -> Value {
        let mut map = Map::new();
        let mut seen: SortedSet<String> = SortedSet::new();
        for entry in node.as_mapping().unwrap_or_default() {
            let key = entry.key.key_text();
            let field_path = path.child(&key);
            self.record(&field_path, Some(&entry.key), &entry.value);
            if !seen.insert(key.clone()) {
                self.duplicate_key(&field_path, &entry.key, &key);
                continue;
            }
            let Some(field) = object.field(&key) else {
                self.unknown_field(&field_path, &entry.key, &key, object);
                continue;
            };
            let json_path = if cx.json_path.is_empty() {
                key.clone()
            } else {
                format!("{}.{key}", cx.json_path)
            };
            let inner = Context {
                go_field: object.go_name(),
                json_path,
            };
            if let Some(v) = self.value(&entry.value, field.ty, &field_path, &inner) {
                map.insert(key, v);
            }
        }
        Value::Object(map)
    }

    fn unknown_field(&mut self, path: &FieldPath, key: &Node, name: &str, object: ObjectType) {
        let exec_command = matches!(name, "command" | "args") && object.field("exec").is_some();
        let hint = match object.suggest(name) {
            _ if exec_command => Some(format!(
                "In a probe or hook the command goes under `exec`: write `exec:` and indent `command:` below it \
                 (a {} has no `{name}` of its own).",
                object.go_name()
            )),
            Some(known) => Some(format!("did you mean `{known}`?")),
            None => misplaced_field_hint(name, object),
        };
        self.error(path, key.span, format!("unknown field \"{path}\""), hint);
    }

    fn duplicate_key(&mut self, path: &FieldPath, key: &Node, name: &str) {
        self.error(
            path,
            key.span,
            format!("key \"{name}\" already set in map"),
            Some(format!(
                "`{name}` appears twice in the same mapping; keep one. A lenient client would silently \
                 keep only the last one."
            )),
        );
    }

    fn type_error(
        &mut self,
        node: &Node,
        path: &FieldPath,
        found: &str,
        ty: FieldType,
        cx: &Context<'_>,
    ) {
        let go_field = if cx.json_path.is_empty() {
            cx.go_field.to_string()
        } else {
            format!("{}.{}", cx.go_field, cx.json_path)
        };
        let hint = type_hint(node, ty);
        self.error(
            path,
            node.span,
            format!("cannot unmarshal {found} into Go struct field {go_field} of type {ty}"),
            hint,
        );
    }
}

enum Fit {
    Yes,
    No,
    OutOfRange,
    BadQuantity,
}

fn scalar_fits(value: &Resolved, ty: FieldType) -> Fit {
    let ok = |b: bool| if b { Fit::Yes } else { Fit::No };
    match (value, ty) {
        (_, FieldType::Any) => Fit::Yes,
        (
            Resolved::Str(_),
            FieldType::String | FieldType::Time | FieldType::Bytes | FieldType::IntOrString,
        ) => Fit::Yes,
        (Resolved::Str(s), FieldType::Quantity) => {
            if is_quantity(s) {
                Fit::Yes
            } else {
                Fit::BadQuantity
            }
        }
        (Resolved::Int(_) | Resolved::Float(_), FieldType::Quantity | FieldType::Number) => {
            Fit::Yes
        }
        (Resolved::Int(i), FieldType::Int32 | FieldType::IntOrString) => {
            if i32::try_from(*i).is_ok() {
                Fit::Yes
            } else {
                Fit::OutOfRange
            }
        }
        (Resolved::Int(_), FieldType::Int64) => Fit::Yes,
        (Resolved::Float(f), FieldType::Int32 | FieldType::Int64 | FieldType::IntOrString) => {
            ok(f.fract() == 0.0)
        }
        (Resolved::Bool(_), FieldType::Boolean) => Fit::Yes,
        _ => Fit::No,
    }
}

/// `resource.Quantity`'s grammar: a signed decimal number and an optional suffix (binary `Ki`..`Ei`,
/// decimal `n u m k M G T P E`, or an exponent `e3`/`E-2`).
fn is_quantity(s: &str) -> bool {
    let s = s.trim();
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let number_len = unsigned
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(unsigned.len());
    let (number, suffix) = unsigned.split_at(number_len);
    if number.is_empty() || number == "." || number.matches('.').count() > 1 {
        return false;
    }
    match suffix {
        "" => true,
        s if word_list::contains("Ki Mi Gi Ti Pi Ei n u m k M G T P E", s) => true,
        exp => {
            let digits = exp
                .strip_prefix(['e', 'E'])
                .map(|d| d.strip_prefix(['+', '-']).unwrap_or(d));
            digits.is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
        }
    }
}

fn quantity_hint(text: &str) -> String {
    let upper = text.trim().to_ascii_uppercase();
    for (wrong, right) in [("MB", "Mi"), ("GB", "Gi"), ("KB", "Ki"), ("TB", "Ti")] {
        if upper.ends_with(wrong) {
            let number = &text.trim()[..text.trim().len() - 2];
            return format!(
                "Kubernetes writes sizes as `{number}{right}` (mebi-, gibi-...) or `{number}{}` (mega-, giga-...); \
                 `{wrong}` is not a unit it knows.",
                &right[..1]
            );
        }
    }
    "A quantity is a number with an optional unit: `500m` or `0.5` CPU, `128Mi` or `1Gi` of memory."
        .into()
}

fn type_hint(node: &Node, ty: FieldType) -> Option<String> {
    let scalar = node.as_scalar()?;
    match (scalar.resolve(), ty) {
        (Resolved::Str(text), FieldType::Int32 | FieldType::Int64 | FieldType::Number)
            if text.trim().parse::<f64>().is_ok() =>
        {
            Some(format!(
                "This number is quoted, so it is a string: write {} without quotes.",
                text.trim()
            ))
        }
        (Resolved::Bool(_), FieldType::String) => Some(format!(
            "YAML reads a bare `{}` as a boolean; quote it to mean the text: \"{}\".",
            scalar.text, scalar.text
        )),
        (Resolved::Int(_) | Resolved::Float(_), FieldType::String) => Some(format!(
            "YAML reads a bare `{}` as a number; quote it to mean the text: \"{}\".",
            scalar.text, scalar.text
        )),
        (_, FieldType::Array(_)) => Some(
            "This field takes a list: put each item on its own line after `- `, or write `[a, b]`."
                .into(),
        ),
        _ => None,
    }
}

/// An unknown field that is a real field one level up or down (a container field under the pod spec,
/// a pod-spec field under a container): the usual sign of wrong indentation.
fn misplaced_field_hint(name: &str, here: ObjectType) -> Option<String> {
    const HOMES: [(&str, &str); 6] = [
        (
            "Container",
            "a container (an entry of `containers` or `initContainers`)",
        ),
        ("PodSpec", "the pod spec"),
        ("ObjectMeta", "`metadata`"),
        ("Probe", "a probe"),
        ("PodTemplateSpec", "the pod template (`spec.template`)"),
        ("Lifecycle", "`lifecycle`"),
    ];
    HOMES
        .iter()
        .filter(|(ty, _)| *ty != here.name())
        .find(|(ty, _)| schema::object(ty).is_some_and(|o| o.field(name).is_some()))
        .map(|(_, home)| {
            format!(
                "`{name}` is a field of {home}, not of {}: check its indentation.",
                here.go_name()
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_follow_the_api_grammar() {
        for ok in ["100m", "0.5", "1Gi", "128Mi", "1e3", "2", "+1.5k"] {
            assert!(is_quantity(ok), "{ok}");
        }
        for bad in ["64MB", "1 GB", "abc", "", "1.2.3", "Mi"] {
            assert!(!is_quantity(bad), "{bad}");
        }
    }
}
