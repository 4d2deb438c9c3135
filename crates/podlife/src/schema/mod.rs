//! The OpenAPI schema of the workload kinds — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
//! Job and CronJob — and of every object type reachable from them (status types included), as
//! Kubernetes 1.37 defines it: each type's JSON field names and each field's type. It is what
//! strict field checking (`kubectl apply --validate=strict`) needs: unknown fields, with a "did you
//! mean" hint, and values of the wrong JSON type, named by their Go type.
//!
//! The table in `generated.rs` is generated from k8s-openapi 0.29 (feature `v1_37`, a
//! dev-dependency only, too big for wasm) by `crates/podlife/tests/schema_table.rs`. Regenerate it
//! with
//!
//! ```text
//! PODLIFE_BLESS=1 cargo test -p podlife --test schema_table
//! ```
//!
//! Without `PODLIFE_BLESS` that test regenerates the table in memory and fails if the committed
//! file differs. Everything here is `&'static` data: nothing is built or allocated at start-up.

mod generated;

use std::fmt;

/// The type of one field's value, as the API server decodes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldType {
    /// A JSON string (Go `string`).
    String,
    /// A JSON integer that fits in 32 bits (Go `int32`).
    Int32,
    /// A JSON integer that fits in 64 bits (Go `int64`).
    Int64,
    /// Any JSON number (Go `float64`).
    Number,
    /// `true` or `false` (Go `bool`).
    Boolean,
    /// An int32 or a string (Go `intstr.IntOrString`), e.g. a probe's `port`.
    IntOrString,
    /// A resource quantity such as `"500m"` or `"1Gi"`; a JSON number is accepted too
    /// (Go `resource.Quantity`).
    Quantity,
    /// An RFC 3339 timestamp string (Go `metav1.Time` or `metav1.MicroTime`).
    Time,
    /// A base64-encoded string (Go `[]byte`).
    Bytes,
    /// Any JSON value; nothing is checked inside it (e.g. `managedFields[].fieldsV1`).
    Any,
    /// A JSON object of the named [`ObjectType`] (look it up with [`object`]).
    Object(&'static str),
    /// A JSON array whose items have the given type.
    Array(&'static FieldType),
    /// A JSON object with string keys whose values have the given type.
    Map(&'static FieldType),
}

impl FieldType {
    /// The object type, when this is [`FieldType::Object`] and the name is in the table.
    pub fn object(&self) -> Option<&'static ObjectType> {
        match self {
            FieldType::Object(name) => object(name),
            _ => None,
        }
    }
}

/// The Go type, the way the API server's JSON decoder names it in
/// `cannot unmarshal string into Go struct field ... of type int32`.
impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldType::String => f.write_str("string"),
            FieldType::Int32 => f.write_str("int32"),
            FieldType::Int64 => f.write_str("int64"),
            FieldType::Number => f.write_str("float64"),
            FieldType::Boolean => f.write_str("bool"),
            FieldType::IntOrString => f.write_str("intstr.IntOrString"),
            FieldType::Quantity => f.write_str("resource.Quantity"),
            FieldType::Time => f.write_str("v1.Time"),
            FieldType::Bytes => f.write_str("[]uint8"),
            FieldType::Any => f.write_str("interface {}"),
            FieldType::Object(name) => match object(name) {
                Some(ty) => write!(f, "{}.{}", ty.go_package(), ty.go_name),
                None => f.write_str(name),
            },
            FieldType::Array(item) => write!(f, "[]{item}"),
            FieldType::Map(value) => write!(f, "map[string]{value}"),
        }
    }
}

/// One field of an object type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Field {
    /// The JSON name, e.g. `restartPolicy`.
    pub name: &'static str,
    /// The type of its value.
    pub ty: FieldType,
}

/// One object type (a Go struct of the Kubernetes API) and its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ObjectType {
    /// The key in the table, unique: the Go type name (`Container`, `ContainerPort`), or, should
    /// two types in the table share a Go name, the qualified OpenAPI name
    /// (`io.k8s.api.core.v1.Container`).
    pub name: &'static str,
    /// The Go type name as the API server says it in messages, e.g. `Container`.
    pub go_name: &'static str,
    /// The OpenAPI definition prefix of its Go package, e.g. `io.k8s.api.core.v1`.
    pub package: &'static str,
    /// Its fields, sorted by JSON name.
    pub fields: &'static [Field],
}

impl ObjectType {
    /// The field with this JSON name (exact, case-sensitive, as the API server matches).
    pub fn field(&self, json_name: &str) -> Option<&'static Field> {
        let fields: &'static [Field] = self.fields;
        fields
            .binary_search_by(|field| field.name.cmp(json_name))
            .ok()
            .map(|index| &fields[index])
    }

    /// The field name the user most likely meant by `unknown`: one that differs only in case
    /// (`livenessprobe` → `livenessProbe`), else the closest by edit distance when it is close
    /// enough (`restartPolice` → `restartPolicy`, `initContainer` → `initContainers`).
    /// `None` when nothing is close.
    pub fn suggest(&self, unknown: &str) -> Option<&'static str> {
        let fields: &'static [Field] = self.fields;
        if let Some(field) = fields
            .iter()
            .find(|field| field.name.eq_ignore_ascii_case(unknown))
        {
            return Some(field.name);
        }
        // A name cut short: `terminationGracePeriod` for `terminationGracePeriodSeconds`.
        if unknown.len() >= 5 {
            if let Some(field) = fields.iter().find(|field| field.name.starts_with(unknown)) {
                return Some(field.name);
            }
        }
        // Allow about one edit in four characters, at least one and at most three.
        let allowed = (unknown.chars().count().div_ceil(4)).clamp(1, 3);
        let lower = unknown.to_ascii_lowercase();
        let mut best: Option<(usize, &'static str)> = None;
        for field in fields {
            let distance = strsim::damerau_levenshtein(&lower, &field.name.to_ascii_lowercase());
            if distance <= allowed && best.is_none_or(|(closest, _)| distance < closest) {
                best = Some((distance, field.name));
            }
        }
        best.map(|(_, name)| name)
    }

    /// The Go package name, e.g. `v1` for `io.k8s.api.core.v1`.
    pub fn go_package(&self) -> &'static str {
        let package: &'static str = self.package;
        package.rsplit('.').next().unwrap_or(package)
    }
}

/// The object type with this table name (see [`ObjectType::name`]).
pub fn object(name: &str) -> Option<&'static ObjectType> {
    let objects: &'static [ObjectType] = generated::OBJECTS;
    objects
        .binary_search_by(|object| object.name.cmp(name))
        .ok()
        .map(|index| &objects[index])
}

/// Every object type in the table, sorted by name.
pub fn objects() -> &'static [ObjectType] {
    generated::OBJECTS
}

/// The top-level type of a manifest with this `apiVersion` and `kind`, e.g. `("v1", "Pod")`,
/// `("apps/v1", "Deployment")`, `("batch/v1", "Job")`; `None` for kinds we do not model.
pub fn root_for(api_version: &str, kind: &str) -> Option<&'static ObjectType> {
    generated::ROOTS
        .iter()
        .find(|root| root.0 == api_version && root.1 == kind)
        .and_then(|root| object(root.2))
}

/// The `(apiVersion, kind)` of every workload kind the table has a root for.
pub fn roots() -> impl Iterator<Item = (&'static str, &'static str)> {
    generated::ROOTS.iter().map(|root| (root.0, root.1))
}
