//! The JSON tree strict decoding hands on: the object as the API server receives it, read by the model
//! reader and by validation (metadata, selectors).
//!
//! Why not `serde_json::Value`: in the wasm it brought its `BTreeMap` (a B-tree instantiated for
//! `String → Value`, several KB), its float printing with its own tables, and its `PartialEq`, `pointer`
//! and `Display` code, for a tree that holds a few dozen entries. This one has the same shape and the same
//! results: objects keep their keys sorted as serde_json's default `Map` (a `BTreeMap`) does, numbers are
//! a non-negative integer, a negative integer or a finite float as in `serde_json::Number`, `Display` writes
//! the same compact text (serde_json's escapes, its float notation), and it serializes as
//! `serde_json::Value` does. The CLI and the tests turn it into a `serde_json::Value` through serde when
//! they need one; `json::tests` check the text against serde_json's.

use std::fmt::{self, Write as _};

use crate::sorted_map::SortedMap;

/// A JSON object: keys in sorted order.
pub type Map = SortedMap<String, Value>;

/// A JSON value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Map),
}

/// A JSON number as serde_json keeps it: which of the three it is matters for equality and for reading
/// (`80.0` is not an integer).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    PosInt(u64),
    NegInt(i64),
    /// Always finite.
    Float(f64),
}

// Floats are finite (never NaN), as in serde_json.
impl Eq for Number {}

impl Number {
    pub fn from_i64(i: i64) -> Number {
        if i < 0 {
            Number::NegInt(i)
        } else {
            Number::PosInt(i as u64)
        }
    }

    /// `None` for NaN and the infinities, which JSON cannot hold.
    pub fn from_f64(f: f64) -> Option<Number> {
        f.is_finite().then_some(Number::Float(f))
    }

    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Number::PosInt(n) => i64::try_from(n).ok(),
            Number::NegInt(n) => Some(n),
            Number::Float(_) => None,
        }
    }
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    /// Any number, as a float.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(Number::PosInt(n)) => Some(*n as f64),
            Value::Number(Number::NegInt(n)) => Some(*n as f64),
            Value::Number(Number::Float(f)) => Some(*f),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The member `key` of an object (`None` for anything else).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.get(key)
    }

    /// The value at a JSON Pointer (RFC 6901: `/spec/containers/0`, `~1` for `/`, `~0` for `~`), as
    /// `serde_json::Value::pointer` finds it.
    pub fn pointer(&self, pointer: &str) -> Option<&Value> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        let mut target = self;
        for token in rest.split('/') {
            let token = token.replace("~1", "/").replace("~0", "~");
            target = match target {
                Value::Object(map) => map.get(token.as_str())?,
                Value::Array(items) => {
                    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
                        return None;
                    }
                    items.get(token.parse::<usize>().ok()?)?
                }
                _ => return None,
            };
        }
        Some(target)
    }
}

/// Compact JSON, as `serde_json::Value`'s `Display` (and `to_string`) writes it.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        write_value(self, &mut out);
        f.write_str(&out)
    }
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(*n, out),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                write_value(v, out);
            }
            out.push('}');
        }
    }
}

fn write_number(n: Number, out: &mut String) {
    let _ = match n {
        Number::PosInt(u) => write!(out, "{u}"),
        Number::NegInt(i) => write!(out, "{i}"),
        Number::Float(f) => {
            write_float(f, out);
            Ok(())
        }
    };
}

/// serde_json's float notation: the shortest digits that read back as the same float, written plainly
/// when the decimal exponent is in -5..=15 (`1000.0`, `0.00015`, always with a fraction) and as
/// `1.5e+16` / `1e-7` otherwise.
fn write_float(f: f64, out: &mut String) {
    if f.is_sign_negative() {
        out.push('-');
    }
    // Core's shortest round-trip digits (`{}` writes them without an exponent: `1000`, `0.00015`).
    let (mut digits, mut exp) = digits_and_exponent(&format!("{}", f.abs()));
    if digits.len() >= 15 {
        // Two candidates of the shortest length can be equally near (`1658206780088562.25`): core
        // rounds that tie up, serde_json to the even one. Ties need 16 or more significant digits.
        if let Some((even, e)) = even_on_a_tie(f.abs(), digits.len(), exp) {
            (digits, exp) = (even, e);
        }
    }
    let n = digits.len() as i32;
    if (-5..=15).contains(&exp) {
        if n - 1 <= exp {
            out.push_str(&digits);
            out.extend(std::iter::repeat_n('0', (exp - (n - 1)) as usize));
            out.push_str(".0");
        } else if exp >= 0 {
            let (int, frac) = digits.split_at(exp as usize + 1);
            out.push_str(int);
            out.push('.');
            out.push_str(frac);
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-exp - 1) as usize));
            out.push_str(&digits);
        }
    } else {
        let (first, rest) = digits.split_at(1);
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        let _ = write!(out, "e{}{}", if exp < 0 { '-' } else { '+' }, exp.abs());
    }
}

/// The significant digits of a plain decimal (`1200`, `0.0015`, `0`) without leading or trailing
/// zeros (`"0"` for zero), and the power of ten of the first: `("12", 3)`, `("15", -3)`, `("0", 0)`.
fn digits_and_exponent(decimal: &str) -> (String, i32) {
    let (int, frac) = decimal.split_once('.').unwrap_or((decimal, ""));
    let all: String = int.chars().chain(frac.chars()).collect();
    let Some(first) = all.find(|c| c != '0') else {
        return ("0".to_string(), 0);
    };
    let exp = int.len() as i32 - 1 - first as i32;
    let digits = all[first..].trim_end_matches('0').to_string();
    (digits, exp)
}

/// When `f` lies exactly halfway between two decimals of `n` significant digits with `f`'s exponent,
/// the even one (trailing zeros dropped) and its exponent.
fn even_on_a_tie(f: f64, n: usize, exp: i32) -> Option<(String, i32)> {
    // Every digit of a double: at most 309 before the point and 1074 after it.
    let (digits, e) = digits_and_exponent(&format!("{f:.1100}"));
    if e != exp {
        return None;
    }
    let all = digits.as_bytes();
    if all.get(n) != Some(&b'5') || all.len() != n + 1 {
        return None;
    }
    let mut even = all[..n].to_vec();
    let mut exp = exp;
    if even[n - 1] % 2 == 1 {
        let mut i = n;
        loop {
            if i == 0 {
                even.insert(0, b'1');
                exp += 1;
                break;
            }
            i -= 1;
            if even[i] == b'9' {
                even[i] = b'0';
            } else {
                even[i] += 1;
                break;
            }
        }
    }
    while even.len() > 1 && even.last() == Some(&b'0') {
        even.pop();
    }
    Some((String::from_utf8(even).ok()?, exp))
}

/// A JSON string with serde_json's escapes: `\"`, `\\`, `\b \f \n \r \t`, other control characters as
/// `\u00XX`; everything else (non-ASCII too) as it is.
fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Building values in code (the compare findings): `Value::object([("phase", "Running".into())])`.
impl Value {
    pub fn object<const N: usize>(members: [(&str, Value); N]) -> Value {
        let mut map = Map::new();
        for (key, value) in members {
            map.insert(key.to_string(), value);
        }
        Value::Object(map)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<u64> for Value {
    fn from(n: u64) -> Value {
        Value::Number(Number::PosInt(n))
    }
}

impl From<usize> for Value {
    fn from(n: usize) -> Value {
        Value::Number(Number::PosInt(n as u64))
    }
}

impl From<i32> for Value {
    fn from(n: i32) -> Value {
        Value::Number(Number::from_i64(n.into()))
    }
}

/// A float as serde_json's `json!` takes it: NaN and the infinities become null.
impl From<f64> for Value {
    fn from(f: f64) -> Value {
        Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_string())
    }
}

impl From<&String> for Value {
    fn from(s: &String) -> Value {
        Value::String(s.clone())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Value {
        Value::Array(items.into_iter().map(Into::into).collect())
    }
}

/// `value["key"]`: the member, or null for a missing key or a value that is not an object (as in
/// serde_json).
impl std::ops::Index<&str> for Value {
    type Output = Value;

    fn index(&self, key: &str) -> &Value {
        static NULL: Value = Value::Null;
        self.get(key).unwrap_or(&NULL)
    }
}

/// As `serde_json::Value` serializes.
impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(Number::PosInt(u)) => serializer.serialize_u64(*u),
            Value::Number(Number::NegInt(i)) => serializer.serialize_i64(*i),
            Value::Number(Number::Float(f)) => serializer.serialize_f64(*f),
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => serializer.collect_seq(items),
            Value::Object(map) => map.serialize(serializer),
        }
    }
}

/// As `serde_json::Value` deserializes (the model's serde derives, kept as the reference reader, and the
/// tests use it; the loader does not).
impl<'de> serde::Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Value;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any valid JSON value")
            }
            fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
                Ok(Value::Bool(b))
            }
            fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
                Ok(Value::Number(Number::from_i64(i)))
            }
            fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
                Ok(Value::Number(Number::PosInt(u)))
            }
            fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
                Ok(Number::from_f64(f).map_or(Value::Null, Value::Number))
            }
            fn visit_str<E>(self, s: &str) -> Result<Value, E> {
                Ok(Value::String(s.to_string()))
            }
            fn visit_string<E>(self, s: String) -> Result<Value, E> {
                Ok(Value::String(s))
            }
            fn visit_none<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_unit<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
                serde::Deserialize::deserialize(d)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Value::Array(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut access: A,
            ) -> Result<Value, A::Error> {
                let mut map = Map::new();
                while let Some((k, v)) = access.next_entry::<String, Value>()? {
                    map.insert(k, v);
                }
                Ok(Value::Object(map))
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours(v: &serde_json::Value) -> Value {
        serde_json::from_value(v.clone()).expect("any JSON value")
    }

    #[test]
    fn text_and_serialization_are_serde_jsons() {
        let samples = serde_json::json!([
            null, true, false, 0, 7, -7, u64::MAX, i64::MIN, 0.0, -0.0, 1.5, 80.0, 0.5, 1e3, 1e15, 1e16,
            1.5e16, 123456789012345680.0, 1e-5, 1e-6, 1.25e-7, 0.1, 0.3, 2.5e-300, 1.7976931348623157e308,
            5e-324, 12345.678, -3.25e21,
            "", "plain", "quote \" backslash \\ slash /", "\u{8}\u{c}\n\r\t\u{1}\u{1f}\u{7f}", "héllo ✓ 🙂",
            {"b": 1, "a": [1, "x", null], "": {}, "c": {"z": 0.25, "y": []}}
        ]);
        let mine = ours(&samples);
        assert_eq!(mine.to_string(), samples.to_string());
        assert_eq!(serde_json::to_value(&mine).unwrap(), samples);
        for item in samples.as_array().unwrap() {
            assert_eq!(ours(item).to_string(), item.to_string(), "{item}");
        }
    }

    #[test]
    fn floats_are_written_as_serde_json_writes_them() {
        // A spread of bit patterns: every exponent, assorted significands.
        let mut bits: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            bits ^= bits << 13;
            bits ^= bits >> 7;
            bits ^= bits << 17;
            let f = f64::from_bits(bits);
            if !f.is_finite() {
                continue;
            }
            let mut out = String::new();
            write_float(f, &mut out);
            assert_eq!(out, serde_json::Value::from(f).to_string(), "{f:e}");
        }
        // Exact ties between two shortest candidates, which serde_json breaks to the even one.
        let ties = (0..2_000u64).flat_map(|k| {
            let big = (1u64 << 50) + k * 7_919;
            [
                big as f64 + 0.25,
                big as f64 + 0.75,
                (big * 2) as f64 + 0.5,
                (big << 3) as f64,
            ]
        });
        for f in ties.chain([
            1.0, 10.0, 100.0, 0.001, 1e-4, 9.999e15, 1e17, 1e21, 1e22, 1e100,
        ]) {
            let mut out = String::new();
            write_float(f, &mut out);
            assert_eq!(out, serde_json::Value::from(f).to_string(), "{f:e}");
        }
    }

    #[test]
    fn pointers_and_lookups_are_serde_jsons() {
        let v = serde_json::json!({"a": {"b/c": [1, {"d~e": 2}], "": 3}, "n": -1, "f": 80.0});
        let mine = ours(&v);
        for p in [
            "",
            "/a",
            "/a/b~1c",
            "/a/b~1c/0",
            "/a/b~1c/1/d~0e",
            "/a/b~1c/01",
            "/a/b~1c/+1",
            "/a/b~1c/2",
            "/a/",
            "/n",
            "/x",
            "a",
            "/n/0",
        ] {
            assert_eq!(
                mine.pointer(p).map(|x| serde_json::to_value(x).unwrap()),
                v.pointer(p).cloned(),
                "{p}"
            );
        }
        assert_eq!(mine.get("n").and_then(Value::as_i64), Some(-1));
        assert_eq!(mine.get("f").and_then(Value::as_i64), None);
        assert_eq!(ours(&serde_json::json!(u64::MAX)).as_i64(), None);
    }
}
