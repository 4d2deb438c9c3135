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
//!
//! The table is compact: every name (types, Go names, packages, fields) once in one string, and the
//! object types and fields as rows of `u16` indices into it. As `&'static str`s and structs of
//! references it was ≈ 25 KB of the wasm's data; this way it is about a third of that.

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
    /// A JSON object of this [`ObjectType`].
    Object(ObjectType),
    /// A JSON array whose items have the given type.
    Array(&'static FieldType),
    /// A JSON object with string keys whose values have the given type.
    Map(&'static FieldType),
}

impl FieldType {
    /// The object type, when this is [`FieldType::Object`].
    pub fn object(&self) -> Option<ObjectType> {
        match self {
            FieldType::Object(object) => Some(*object),
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
            FieldType::Object(ty) => write!(f, "{}.{}", ty.go_package(), ty.go_name()),
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

/// One object type (a Go struct of the Kubernetes API) and its fields: a handle into the table.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ObjectType(u16);

impl fmt::Debug for ObjectType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ObjectType({})", self.name())
    }
}

/// Name `i` of the table's name list.
fn name(i: u16) -> &'static str {
    let i = usize::from(i);
    let start = match i {
        0 => 0,
        _ => generated::NAME_ENDS
            .get(i - 1)
            .map_or(0, |&e| usize::from(e)),
    };
    let end = generated::NAME_ENDS.get(i).map_or(0, |&e| usize::from(e));
    generated::NAMES.get(start..end).unwrap_or_default()
}

/// A field's type from its code: the kind in the top two bits (scalar, object, array, map), an index
/// below (into the scalars, the object types, or the item types of arrays and maps).
fn field_type(code: u16) -> FieldType {
    const SCALARS: [FieldType; 10] = [
        FieldType::String,
        FieldType::Int32,
        FieldType::Int64,
        FieldType::Number,
        FieldType::Boolean,
        FieldType::IntOrString,
        FieldType::Quantity,
        FieldType::Time,
        FieldType::Bytes,
        FieldType::Any,
    ];
    let index = code & 0x3fff;
    let item = || {
        generated::ITEMS
            .get(usize::from(index))
            .unwrap_or(&FieldType::Any)
    };
    match code >> 14 {
        0 => SCALARS
            .get(usize::from(index))
            .copied()
            .unwrap_or(FieldType::Any),
        1 => FieldType::Object(ObjectType(index)),
        2 => FieldType::Array(item()),
        _ => FieldType::Map(item()),
    }
}

impl ObjectType {
    fn row(self) -> [u16; 4] {
        generated::OBJECTS
            .get(usize::from(self.0))
            .copied()
            .unwrap_or_default()
    }

    /// The key in the table, unique: the Go type name (`Container`, `ContainerPort`), or, should
    /// two types in the table share a Go name, the qualified OpenAPI name
    /// (`io.k8s.api.core.v1.Container`).
    pub fn name(self) -> &'static str {
        name(self.row()[0])
    }

    /// The Go type name as the API server says it in messages, e.g. `Container`.
    pub fn go_name(self) -> &'static str {
        name(self.row()[1])
    }

    /// The OpenAPI definition prefix of its Go package, e.g. `io.k8s.api.core.v1`.
    pub fn package(self) -> &'static str {
        name(self.row()[2])
    }

    /// Its fields' rows in the table, sorted by JSON name.
    fn rows(self) -> &'static [[u16; 2]] {
        let start = usize::from(self.row()[3]);
        let end = generated::OBJECTS
            .get(usize::from(self.0) + 1)
            .map_or(generated::FIELDS.len(), |next| usize::from(next[3]));
        generated::FIELDS.get(start..end).unwrap_or_default()
    }

    /// Its fields, sorted by JSON name.
    pub fn fields(self) -> impl ExactSizeIterator<Item = Field> {
        self.rows().iter().map(|&[n, ty]| Field {
            name: name(n),
            ty: field_type(ty),
        })
    }

    /// The field with this JSON name (exact, case-sensitive, as the API server matches).
    pub fn field(self, json_name: &str) -> Option<Field> {
        let rows = self.rows();
        let index = rows
            .binary_search_by(|row| name(row[0]).cmp(json_name))
            .ok()?;
        let [n, ty] = rows[index];
        Some(Field {
            name: name(n),
            ty: field_type(ty),
        })
    }

    /// The field name the user most likely meant by `unknown`: one that differs only in case
    /// (`livenessprobe` → `livenessProbe`), else the closest by edit distance when it is close
    /// enough (`restartPolice` → `restartPolicy`, `initContainer` → `initContainers`).
    /// `None` when nothing is close.
    pub fn suggest(self, unknown: &str) -> Option<&'static str> {
        let names = || self.rows().iter().map(|row| name(row[0]));
        if let Some(field) = names().find(|field| field.eq_ignore_ascii_case(unknown)) {
            return Some(field);
        }
        // A name cut short: `terminationGracePeriod` for `terminationGracePeriodSeconds`.
        if unknown.len() >= 5 {
            if let Some(field) = names().find(|field| field.starts_with(unknown)) {
                return Some(field);
            }
        }
        crate::edit_distance::closest(unknown, names())
    }

    /// The Go package name, e.g. `v1` for `io.k8s.api.core.v1`.
    pub fn go_package(self) -> &'static str {
        let package = self.package();
        package.rsplit('.').next().unwrap_or(package)
    }
}

/// The object type with this table name (see [`ObjectType::name`]).
pub fn object(name: &str) -> Option<ObjectType> {
    let count = generated::OBJECTS.len() as u16;
    let (mut low, mut high) = (0u16, count);
    while low < high {
        let mid = low + (high - low) / 2;
        match ObjectType(mid).name().cmp(name) {
            std::cmp::Ordering::Less => low = mid + 1,
            std::cmp::Ordering::Greater => high = mid,
            std::cmp::Ordering::Equal => return Some(ObjectType(mid)),
        }
    }
    None
}

/// Every object type in the table, sorted by name.
pub fn objects() -> impl ExactSizeIterator<Item = ObjectType> {
    (0..generated::OBJECTS.len() as u16).map(ObjectType)
}

/// The top-level type of a manifest with this `apiVersion` and `kind`, e.g. `("v1", "Pod")`,
/// `("apps/v1", "Deployment")`, `("batch/v1", "Job")`; `None` for kinds we do not model.
pub fn root_for(api_version: &str, kind: &str) -> Option<ObjectType> {
    generated::ROOTS
        .iter()
        .find(|root| root.0 == api_version && root.1 == kind)
        .map(|root| root.2)
}

/// The `(apiVersion, kind)` of every workload kind the table has a root for.
pub fn roots() -> impl Iterator<Item = (&'static str, &'static str)> {
    generated::ROOTS.iter().map(|root| (root.0, root.1))
}
