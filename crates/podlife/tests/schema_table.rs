//! The generator of `src/schema/generated.rs`, the table of the Kubernetes OpenAPI schema behind
//! strict field checking, and the test that keeps the committed table honest.
//!
//! `cargo test -p podlife --test schema_table` regenerates the table in memory and fails if the
//! committed file differs; `PODLIFE_BLESS=1 cargo test -p podlife --test schema_table` rewrites it.
//!
//! How the table is read out of k8s-openapi (a dev-dependency: it is far too big for wasm): its
//! generated `Deserialize` impls describe themselves to whatever deserializer they are handed.
//! An object type calls `deserialize_struct(go_name, json_field_names, visitor)`; the visitor then
//! asks a `MapAccess` for keys and calls `next_value::<FieldType>()` for each, and the field's own
//! `Deserialize` asks for what it wants: `deserialize_option` for an optional field (we answer
//! `visit_some`), `deserialize_seq` for a list, `deserialize_map` for a map, `deserialize_struct`
//! for a nested object, `deserialize_i32`, `deserialize_i64`, `deserialize_bool`,
//! `deserialize_string` ... for scalars, `deserialize_newtype_struct` for `Quantity`, `Time` and
//! `MicroTime`, and `deserialize_any` for `IntOrString` and `serde_json::Value`.
//!
//! [`Probe`] is such a deserializer. It is given a path of JSON field names from a root kind
//! (`["spec", "containers", "ports"]`); it answers each `deserialize_struct` on the way by offering
//! exactly the next key of the path, passes through options, lists (one item) and maps (one entry),
//! and at the end of the path records what the field's type asked for, then returns an error so
//! that the whole deserialization unwinds. One probe per field, breadth first from the seven roots,
//! visits every object type reachable from them. The Rust type behind a visitor
//! (`std::any::type_name`) tells which k8s-openapi type is being decoded: that identifies object
//! types (two Go types may share a name) and the special scalars.

use std::any::type_name;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;
use std::path::PathBuf;

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::Resource;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess,
    Visitor,
};

use podlife::schema::{self, FieldType};

// Fails to compile unless the dev-dependency's feature is `v1_37`, so the header cannot lie.
k8s_openapi::k8s_if_1_37! {
    const KUBERNETES: &str = "1.37";
}
const K8S_OPENAPI: &str = "k8s-openapi 0.29";

// ---------------------------------------------------------------------------------------------
// The probing deserializer.

/// The error a probe returns to unwind, or a real one from a visitor.
#[derive(Debug)]
struct Stop(String);

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Stop(msg.to_string())
    }
}

/// A value type with no fields of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scalar {
    String,
    Int32,
    Int64,
    Number,
    Boolean,
    IntOrString,
    Quantity,
    Time,
    Bytes,
    Any,
}

/// What the type at the end of a probe's path asked for, under its lists and maps.
#[derive(Debug)]
enum Leaf {
    Object {
        rust_type: String,
        go_name: &'static str,
        fields: &'static [&'static str],
    },
    Scalar(Scalar),
    /// Something the table cannot express, or a probe that went wrong.
    Problem(String),
}

#[derive(Debug, Clone, Copy)]
enum Wrapper {
    List,
    Map,
}

/// What one probe saw: the lists and maps around the field's value, outermost first, and the leaf.
#[derive(Debug, Default)]
struct Record {
    wrappers: Vec<Wrapper>,
    leaf: Option<Leaf>,
}

/// A deserializer standing at one value; `path` is what is left to walk into.
#[derive(Clone, Copy)]
struct Probe<'r> {
    path: &'r [&'static str],
    record: &'r RefCell<Record>,
}

impl Probe<'_> {
    fn wrap(&self, wrapper: Wrapper) {
        if self.path.is_empty() {
            self.record.borrow_mut().wrappers.push(wrapper);
        }
    }

    /// Records `leaf` (or, before the end of the path, a problem) and unwinds.
    fn stop<T>(&self, leaf: Leaf) -> Result<T, Stop> {
        let leaf = if self.path.is_empty() {
            leaf
        } else {
            Leaf::Problem(format!(
                "the path goes on ({:?}) into a value that has no fields: {leaf:?}",
                self.path
            ))
        };
        let mut record = self.record.borrow_mut();
        if record.leaf.is_none() {
            record.leaf = Some(leaf);
        }
        Err(Stop("probe done".to_owned()))
    }

    fn unmodelled<T>(&self, method: &str) -> Result<T, Stop> {
        self.stop(Leaf::Problem(format!("asked for `{method}`")))
    }
}

/// The type whose `Deserialize` impl defines visitor `V`. The generated visitors are local to
/// `deserialize`, so their names read
/// `<k8s_openapi::v1_37::api::core::v1::container::Container as serde_core::de::Deserialize<'_>>::deserialize::Visitor`
/// (or, from older compilers, `...::<impl serde::de::Deserialize for ...::Container>::deserialize::Visitor`);
/// that gives `k8s_openapi::v1_37::api::core::v1::container::Container`. Any other visitor gives
/// its own type name.
fn deserialized_type<V>() -> String {
    let full = type_name::<V>();
    let Some(end) = full.find(">::deserialize::") else {
        return full.to_owned();
    };
    let inside = &full[..end];
    let found = if let Some(at) = inside.find("<impl ") {
        inside[at..].find(" for ").map(|to| &inside[at + to + 5..])
    } else {
        inside
            .strip_prefix('<')
            .and_then(|rest| rest.find(" as ").map(|to| &rest[..to]))
    };
    found.unwrap_or(full).to_owned()
}

/// The special k8s-openapi scalars and `serde_json::Value`, by the type being deserialized.
fn special_scalar(rust_type: &str) -> Option<Scalar> {
    const SPECIAL: &[(&str, Scalar)] = &[
        (
            "::apimachinery::pkg::api::resource::quantity::Quantity",
            Scalar::Quantity,
        ),
        (
            "::apimachinery::pkg::apis::meta::v1::time::Time",
            Scalar::Time,
        ),
        (
            "::apimachinery::pkg::apis::meta::v1::micro_time::MicroTime",
            Scalar::Time,
        ),
        (
            "::apimachinery::pkg::util::intstr::int_or_string::IntOrString",
            Scalar::IntOrString,
        ),
        ("k8s_openapi::byte_string::ByteString", Scalar::Bytes),
        ("serde_json::value::Value", Scalar::Any),
    ];
    SPECIAL
        .iter()
        .find(|(suffix, _)| rust_type.ends_with(suffix))
        .map(|(_, scalar)| *scalar)
}

/// Offers one list item, the same probe.
struct OneItem<'r>(Option<Probe<'r>>);

impl<'de> SeqAccess<'de> for OneItem<'_> {
    type Error = Stop;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Stop> {
        match self.0.take() {
            Some(probe) => seed.deserialize(probe).map(Some),
            None => Ok(None),
        }
    }
}

/// Offers one key, then the probe as its value.
struct OneEntry<'r> {
    key: Option<&'static str>,
    value: Probe<'r>,
}

impl<'de> MapAccess<'de> for OneEntry<'_> {
    type Error = Stop;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Stop> {
        match self.key.take() {
            Some(key) => seed.deserialize(key.into_deserializer()).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Stop> {
        seed.deserialize(self.value)
    }
}

macro_rules! unmodelled {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Stop> {
                self.unmodelled(stringify!($method))
            }
        )*
    };
}

impl<'de> Deserializer<'de> for Probe<'_> {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Stop> {
        let rust_type = deserialized_type::<V>();
        match special_scalar(&rust_type) {
            Some(scalar @ (Scalar::IntOrString | Scalar::Any)) => self.stop(Leaf::Scalar(scalar)),
            _ => self.unmodelled(&format!("deserialize_any for {rust_type}")),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        // Every field may be left out; only what is inside matters.
        visitor.visit_some(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        self.wrap(Wrapper::List);
        visitor.visit_seq(OneItem(Some(self)))
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        self.wrap(Wrapper::Map);
        visitor.visit_map(OneEntry {
            key: Some("key"),
            value: self,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Stop> {
        let Some((&key, rest)) = self.path.split_first() else {
            return self.stop(Leaf::Object {
                rust_type: deserialized_type::<V>(),
                go_name: name,
                fields,
            });
        };
        if !fields.contains(&key) {
            return self.unmodelled(&format!("a field {key:?} that {name} does not list"));
        }
        visitor.visit_map(OneEntry {
            key: Some(key),
            value: Probe {
                path: rest,
                record: self.record,
            },
        })
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        match special_scalar(&deserialized_type::<V>()) {
            Some(scalar @ (Scalar::Quantity | Scalar::Time)) => self.stop(Leaf::Scalar(scalar)),
            // A wrapper such as `FieldsV1(serde_json::Value)`: look inside.
            _ => visitor.visit_newtype_struct(self),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Stop> {
        self.stop(Leaf::Scalar(Scalar::Boolean))
    }

    fn deserialize_i32<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Stop> {
        self.stop(Leaf::Scalar(Scalar::Int32))
    }

    fn deserialize_i64<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Stop> {
        self.stop(Leaf::Scalar(Scalar::Int64))
    }

    fn deserialize_f64<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Stop> {
        self.stop(Leaf::Scalar(Scalar::Number))
    }

    fn deserialize_str<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Stop> {
        match special_scalar(&deserialized_type::<V>()) {
            Some(Scalar::Bytes) => self.stop(Leaf::Scalar(Scalar::Bytes)),
            _ => self.stop(Leaf::Scalar(Scalar::String)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        self.deserialize_str(visitor)
    }

    unmodelled! {
        deserialize_i8 deserialize_i16 deserialize_u8 deserialize_u16 deserialize_u32
        deserialize_u64 deserialize_f32 deserialize_char deserialize_bytes deserialize_byte_buf
        deserialize_unit deserialize_identifier deserialize_ignored_any
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _visitor: V,
    ) -> Result<V::Value, Stop> {
        self.unmodelled("deserialize_unit_struct")
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, Stop> {
        self.unmodelled("deserialize_tuple")
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, Stop> {
        self.unmodelled("deserialize_tuple_struct")
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Stop> {
        self.unmodelled("deserialize_enum")
    }
}

/// Deserializes a `T` through a probe that walks `path`, and returns what it saw.
fn probe<T: DeserializeOwned>(path: &[&'static str]) -> Record {
    let record = RefCell::new(Record::default());
    let outcome = T::deserialize(Probe {
        path,
        record: &record,
    });
    let mut record = record.into_inner();
    if record.leaf.is_none() {
        let why = match outcome {
            Ok(_) => "the value deserialized without asking for the field".to_owned(),
            Err(error) => format!("the value failed before the field: {error}"),
        };
        record.leaf = Some(Leaf::Problem(why));
    }
    record
}

// ---------------------------------------------------------------------------------------------
// Walking the schema.

struct Root {
    api_version: &'static str,
    kind: &'static str,
    probe: fn(&[&'static str]) -> Record,
}

fn root<T: Resource + DeserializeOwned>() -> Root {
    Root {
        api_version: T::API_VERSION,
        kind: T::KIND,
        probe: probe::<T>,
    }
}

fn roots() -> Vec<Root> {
    vec![
        root::<Pod>(),
        root::<Deployment>(),
        root::<StatefulSet>(),
        root::<DaemonSet>(),
        root::<ReplicaSet>(),
        root::<Job>(),
        root::<CronJob>(),
    ]
}

#[derive(Debug, Clone, PartialEq)]
enum Shape {
    Scalar(Scalar),
    /// An index into [`Schema::types`].
    Object(usize),
    List(Box<Shape>),
    Map(Box<Shape>),
}

struct ObjectInfo {
    go_name: &'static str,
    /// e.g. `io.k8s.api.core.v1`.
    package: String,
    /// How to reach it: a root and a path of field names.
    root: usize,
    path: Vec<&'static str>,
    json_fields: &'static [&'static str],
    /// Filled in when the type is visited.
    fields: Vec<(&'static str, Shape)>,
}

struct Schema {
    /// `(apiVersion, kind, index into types)`.
    roots: Vec<(&'static str, &'static str, usize)>,
    types: Vec<ObjectInfo>,
}

/// `k8s_openapi::v1_37::api::core::v1::container::Container` → `io.k8s.api.core.v1`.
fn openapi_package(rust_type: &str) -> Option<String> {
    let segments: Vec<&str> = rust_type.split("::").collect();
    let version_at = segments
        .iter()
        .position(|segment| segment.starts_with("v1_"))?;
    // After the version: the package's modules, then the file's module and the type.
    let package = segments.get(version_at + 1..segments.len().checked_sub(2)?)?;
    (segments.first() == Some(&"k8s_openapi") && !package.is_empty())
        .then(|| format!("io.k8s.{}", package.join(".")))
}

struct Explorer {
    roots: Vec<Root>,
    types: Vec<ObjectInfo>,
    by_rust_type: HashMap<String, usize>,
    /// Object types found but not yet visited.
    queue: VecDeque<usize>,
    problems: Vec<String>,
}

impl Explorer {
    /// Turns what a probe saw into a shape, registering object types not seen before.
    fn shape_of(&mut self, record: Record, root: usize, path: &[&'static str]) -> Option<Shape> {
        let where_ = format!("{}.{}", self.roots[root].kind, path.join("."));
        let leaf = match record.leaf {
            Some(Leaf::Scalar(scalar)) => Shape::Scalar(scalar),
            Some(Leaf::Object {
                rust_type,
                go_name,
                fields,
            }) => match self.by_rust_type.get(&rust_type) {
                Some(&index) => {
                    let known = &self.types[index];
                    if known.go_name != go_name || known.json_fields != fields {
                        self.problems
                            .push(format!("{where_}: {rust_type} looks different here"));
                    }
                    Shape::Object(index)
                }
                None => {
                    let Some(package) = openapi_package(&rust_type) else {
                        self.problems
                            .push(format!("{where_}: no OpenAPI package for {rust_type}"));
                        return None;
                    };
                    let index = self.types.len();
                    self.by_rust_type.insert(rust_type, index);
                    self.types.push(ObjectInfo {
                        go_name,
                        package,
                        root,
                        path: path.to_vec(),
                        json_fields: fields,
                        fields: Vec::new(),
                    });
                    self.queue.push_back(index);
                    Shape::Object(index)
                }
            },
            Some(Leaf::Problem(problem)) => {
                self.problems.push(format!("{where_}: {problem}"));
                return None;
            }
            None => {
                self.problems.push(format!("{where_}: nothing recorded"));
                return None;
            }
        };
        let shape = record
            .wrappers
            .iter()
            .rev()
            .fold(leaf, |inner, wrapper| match wrapper {
                Wrapper::List => Shape::List(Box::new(inner)),
                Wrapper::Map => Shape::Map(Box::new(inner)),
            });
        Some(shape)
    }
}

/// Probes the roots, then every field of every object type found, breadth first.
fn explore() -> Result<Schema, Vec<String>> {
    let mut explorer = Explorer {
        roots: roots(),
        types: Vec::new(),
        by_rust_type: HashMap::new(),
        queue: VecDeque::new(),
        problems: Vec::new(),
    };
    let mut root_types = Vec::new();
    for index in 0..explorer.roots.len() {
        let record = (explorer.roots[index].probe)(&[]);
        let (api_version, kind) = (
            explorer.roots[index].api_version,
            explorer.roots[index].kind,
        );
        match explorer.shape_of(record, index, &[]) {
            Some(Shape::Object(type_index)) => root_types.push((api_version, kind, type_index)),
            other => explorer
                .problems
                .push(format!("{kind} is not an object: {other:?}")),
        }
    }

    while let Some(type_index) = explorer.queue.pop_front() {
        let info = &explorer.types[type_index];
        let (root, base_path, json_fields) = (info.root, info.path.clone(), info.json_fields);
        let mut fields = Vec::new();
        for &field in json_fields {
            let mut path = base_path.clone();
            path.push(field);
            let record = (explorer.roots[root].probe)(&path);
            if let Some(shape) = explorer.shape_of(record, root, &path) {
                fields.push((field, shape));
            }
        }
        explorer.types[type_index].fields = fields;
    }

    if explorer.problems.is_empty() {
        Ok(Schema {
            roots: root_types,
            types: explorer.types,
        })
    } else {
        Err(explorer.problems)
    }
}

// ---------------------------------------------------------------------------------------------
// Writing the table: names once in one string, rows of `u16` indices (see `src/schema/mod.rs`).

/// The scalars in the order of `schema::field_type`'s codes 0..=9.
const SCALARS: [&str; 10] = [
    "String",
    "Int32",
    "Int64",
    "Number",
    "Boolean",
    "IntOrString",
    "Quantity",
    "Time",
    "Bytes",
    "Any",
];

/// Indices of names in the one string, each name once, in order of first use.
#[derive(Default)]
struct Names {
    text: String,
    ends: Vec<usize>,
    index: HashMap<String, usize>,
}

impl Names {
    fn of(&mut self, name: &str) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        self.text.push_str(name);
        self.ends.push(self.text.len());
        self.index.insert(name.to_owned(), self.ends.len() - 1);
        self.ends.len() - 1
    }
}

/// A scalar or object type as a `FieldType` expression of the generated file.
fn item_text(shape: &Shape, position: &[usize]) -> String {
    match shape {
        Shape::Scalar(scalar) => format!("T::{scalar:?}"),
        Shape::Object(index) => format!("T::Object(O({}))", position[*index]),
        Shape::List(_) | Shape::Map(_) => {
            panic!("a list or map of lists or maps: extend the encoding")
        }
    }
}

/// A field type's code: the kind in the top two bits, an index below.
fn type_code(shape: &Shape, position: &[usize], items: &mut Vec<String>) -> usize {
    let mut item = |inner: &Shape| {
        let text = item_text(inner, position);
        match items.iter().position(|known| *known == text) {
            Some(i) => i,
            None => {
                items.push(text);
                items.len() - 1
            }
        }
    };
    match shape {
        Shape::Scalar(scalar) => {
            let name = format!("{scalar:?}");
            SCALARS
                .iter()
                .position(|known| *known == name)
                .unwrap_or_else(|| panic!("scalar {name} has no code"))
        }
        Shape::Object(index) => 1 << 14 | position[*index],
        Shape::List(inner) => 2 << 14 | item(inner),
        Shape::Map(inner) => 3 << 14 | item(inner),
    }
}

/// `items` as the lines of a `#[rustfmt::skip]` array, `per_line` to a line.
fn rows(items: &[String], per_line: usize) -> Vec<String> {
    items
        .chunks(per_line)
        .map(|chunk| format!("    {},", chunk.join(", ")))
        .collect()
}

fn generate() -> String {
    let schema = match explore() {
        Ok(schema) => schema,
        Err(problems) => panic!(
            "k8s-openapi's types could not all be probed:\n{}",
            problems.join("\n")
        ),
    };

    // A type's table name is its Go name, qualified by its package when the Go name is shared.
    let mut go_name_count: BTreeMap<&str, usize> = BTreeMap::new();
    for info in &schema.types {
        *go_name_count.entry(info.go_name).or_default() += 1;
    }
    let names: Vec<String> = schema
        .types
        .iter()
        .map(|info| match go_name_count[info.go_name] {
            1 => info.go_name.to_owned(),
            _ => format!("{}.{}", info.package, info.go_name),
        })
        .collect();
    let mut order: Vec<usize> = (0..schema.types.len()).collect();
    order.sort_by(|&a, &b| names[a].cmp(&names[b]));
    // Where each type lands in the sorted table.
    let mut position = vec![0; order.len()];
    for (at, &index) in order.iter().enumerate() {
        position[index] = at;
    }
    let field_count: usize = schema.types.iter().map(|info| info.fields.len()).sum();

    let mut text = Names::default();
    let mut items: Vec<String> = Vec::new();
    let mut objects: Vec<String> = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field_rows = 0;
    for &index in &order {
        let info = &schema.types[index];
        let row = [
            text.of(&names[index]),
            text.of(info.go_name),
            text.of(&info.package),
            field_rows,
        ];
        assert!(row.iter().all(|&i| i < 1 << 16), "the table outgrew u16");
        objects.push(format!("[{}, {}, {}, {}]", row[0], row[1], row[2], row[3]));
        let mut sorted: Vec<&(&str, Shape)> = info.fields.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        for (name, shape) in sorted {
            let code = type_code(shape, &position, &mut items);
            fields.push(format!("[{}, {code}]", text.of(name)));
            field_rows += 1;
        }
    }
    assert!(text.text.len() < 1 << 16 && items.len() < 1 << 14 && order.len() < 1 << 14);
    let ends: Vec<String> = text.ends.iter().map(usize::to_string).collect();

    let mut out = String::new();
    let mut line = |text: &str| {
        out.push_str(text);
        out.push('\n');
    };
    line(
        "// generated by `PODLIFE_BLESS=1 cargo test -p podlife --test schema_table`; do not edit.",
    );
    line("//");
    line(&format!(
        "// The OpenAPI schema of the workload kinds in Kubernetes {KUBERNETES}, read out of {K8S_OPENAPI}:"
    ));
    line(&format!(
        "// {} object types, {field_count} fields.",
        schema.types.len()
    ));
    line("");
    line("use super::{FieldType as T, ObjectType as O};");
    line("");
    line("/// `(apiVersion, kind, object type)` of each workload kind.");
    line("#[rustfmt::skip]");
    line("pub(super) static ROOTS: &[(&str, &str, O)] = &[");
    for &(api_version, kind, index) in &schema.roots {
        line(&format!(
            "    ({api_version:?}, {kind:?}, O({})),",
            position[index]
        ));
    }
    line("];");
    line("");
    line("/// Every name of the table, back to back: name `i` ends at `NAME_ENDS[i]`.");
    line(&format!("pub(super) static NAMES: &str = {:?};", text.text));
    line("");
    line("#[rustfmt::skip]");
    line("pub(super) static NAME_ENDS: &[u16] = &[");
    for text in rows(&ends, 16) {
        line(&text);
    }
    line("];");
    line("");
    line("/// Every object type reachable from the roots, sorted by name: its name, Go name and package (as");
    line("/// name indices) and its first row in `FIELDS`.");
    line("#[rustfmt::skip]");
    line("pub(super) static OBJECTS: &[[u16; 4]] = &[");
    for text in rows(&objects, 4) {
        line(&text);
    }
    line("];");
    line("");
    line("/// The fields of each object type in turn, sorted by JSON name: the name index and the type code.");
    line("#[rustfmt::skip]");
    line("pub(super) static FIELDS: &[[u16; 2]] = &[");
    for text in rows(&fields, 6) {
        line(&text);
    }
    line("];");
    line("");
    line("/// The item types of lists and maps.");
    line("#[rustfmt::skip]");
    line("pub(super) static ITEMS: &[T] = &[");
    for text in rows(&items, 4) {
        line(&text);
    }
    line("];");
    out
}

fn table_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/schema/generated.rs")
}

/// The differing middle of two texts, as a short unified-looking diff.
fn describe_difference(committed: &str, generated: &str) -> String {
    let old: Vec<&str> = committed.lines().collect();
    let new: Vec<&str> = generated.lines().collect();
    let head = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let tail = old[head..]
        .iter()
        .rev()
        .zip(new[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    const SHOWN: usize = 12;
    let object = old[..head]
        .iter()
        .rev()
        .find_map(|line| line.trim().strip_prefix("name: "))
        .map(|name| format!(" (in the object type {})", name.trim_end_matches(',')))
        .unwrap_or_default();
    let mut text = format!("first difference at line {}{object}:\n", head + 1);
    let removed = &old[head..old.len() - tail];
    let added = &new[head..new.len() - tail];
    for line in removed.iter().take(SHOWN) {
        text.push_str(&format!("-{line}\n"));
    }
    if removed.len() > SHOWN {
        text.push_str(&format!("-... ({} more lines)\n", removed.len() - SHOWN));
    }
    for line in added.iter().take(SHOWN) {
        text.push_str(&format!("+{line}\n"));
    }
    if added.len() > SHOWN {
        text.push_str(&format!("+... ({} more lines)\n", added.len() - SHOWN));
    }
    text
}

#[test]
fn generated_table_is_up_to_date() {
    let generated = generate();
    let path = table_path();
    let bless = std::env::var("PODLIFE_BLESS").is_ok_and(|value| !value.is_empty() && value != "0");
    if bless {
        std::fs::write(&path, &generated).expect("write the schema table");
        eprintln!("wrote {}", path.display());
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        panic!(
            "{} is not what k8s-openapi generates (- committed, + generated); \
             regenerate it with `PODLIFE_BLESS=1 cargo test -p podlife --test schema_table`\n{}",
            path.display(),
            describe_difference(&committed, &generated)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// What the committed table says.

fn object(name: &str) -> schema::ObjectType {
    schema::object(name).unwrap_or_else(|| panic!("no object type {name}"))
}

fn field_type(object_name: &str, field: &str) -> FieldType {
    object(object_name)
        .field(field)
        .unwrap_or_else(|| panic!("{object_name} has no field {field}"))
        .ty
}

#[test]
fn container_has_restart_policy_field() {
    assert_eq!(field_type("Container", "restartPolicy"), FieldType::String);
    assert_eq!(
        field_type("PodSpec", "initContainers"),
        FieldType::Array(Box::leak(Box::new(FieldType::Object(object("Container")))))
    );
}

#[test]
fn probe_fields_are_typed() {
    assert_eq!(field_type("Probe", "periodSeconds"), FieldType::Int32);
    assert_eq!(
        field_type("Probe", "terminationGracePeriodSeconds"),
        FieldType::Int64
    );
    assert_eq!(
        field_type("Probe", "httpGet"),
        FieldType::Object(object("HTTPGetAction"))
    );
    assert_eq!(field_type("HTTPGetAction", "port"), FieldType::IntOrString);
    assert_eq!(
        field_type("ResourceRequirements", "limits"),
        FieldType::Map(&FieldType::Quantity)
    );
    assert_eq!(
        field_type("ObjectMeta", "creationTimestamp"),
        FieldType::Time
    );
    assert_eq!(field_type("Probe", "periodSeconds").to_string(), "int32");
    assert_eq!(
        field_type("PodSpec", "containers").to_string(),
        "[]v1.Container"
    );
}

#[test]
fn unknown_field_gets_a_suggestion() {
    let container = object("Container");
    assert_eq!(container.field("restartPolice"), None);
    assert_eq!(container.suggest("restartPolice"), Some("restartPolicy"));
    assert_eq!(container.suggest("livenessprobe"), Some("livenessProbe"));
    assert_eq!(
        object("PodSpec").suggest("initContainer"),
        Some("initContainers")
    );
    assert_eq!(container.suggest("colour"), None);
}

#[test]
fn deployment_template_reaches_pod_spec() {
    let deployment = schema::root_for("apps/v1", "Deployment").expect("Deployment is a root");
    let spec = deployment
        .field("spec")
        .and_then(|field| field.ty.object())
        .expect("Deployment.spec is an object");
    let template = spec
        .field("template")
        .and_then(|field| field.ty.object())
        .expect("DeploymentSpec.template is an object");
    assert_eq!(template.name(), "PodTemplateSpec");
    assert_eq!(
        template.field("spec").map(|field| field.ty),
        Some(FieldType::Object(object("PodSpec")))
    );
}

#[test]
fn every_workload_kind_has_a_root() {
    for (api_version, kind) in [
        ("v1", "Pod"),
        ("apps/v1", "Deployment"),
        ("apps/v1", "StatefulSet"),
        ("apps/v1", "DaemonSet"),
        ("apps/v1", "ReplicaSet"),
        ("batch/v1", "Job"),
        ("batch/v1", "CronJob"),
    ] {
        let root = schema::root_for(api_version, kind)
            .unwrap_or_else(|| panic!("no root for {api_version} {kind}"));
        assert_eq!(root.go_name(), kind);
        assert!(root.field("apiVersion").is_some() && root.field("metadata").is_some());
    }
    assert!(schema::root_for("v1", "Deployment").is_none());
    assert!(schema::root_for("apps/v1", "Service").is_none());
}

#[test]
fn every_object_reference_resolves_and_lookups_work() {
    fn check(ty: &FieldType, context: &str) {
        match ty {
            FieldType::Object(object) => assert!(
                schema::object(object.name()) == Some(*object),
                "{context} refers to {object:?}, which the table does not find by its name"
            ),
            FieldType::Array(inner) | FieldType::Map(inner) => check(inner, context),
            _ => {}
        }
    }
    let objects: Vec<schema::ObjectType> = schema::objects().collect();
    assert!(objects
        .windows(2)
        .all(|pair| pair[0].name() < pair[1].name()));
    for object in objects {
        let fields: Vec<schema::Field> = object.fields().collect();
        assert!(fields.windows(2).all(|pair| pair[0].name < pair[1].name));
        assert_eq!(schema::object(object.name()), Some(object));
        for field in fields {
            assert_eq!(object.field(field.name), Some(field));
            check(&field.ty, &format!("{}.{}", object.name(), field.name));
        }
    }
}
