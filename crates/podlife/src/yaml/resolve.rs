//! What an untagged plain scalar means: go-yaml v2's `resolve` (resolve.go at v2.4.0, the version
//! sigs.k8s.io/yaml decodes with before it writes JSON), step by step in the same order:
//!
//! 1. the first character picks what the text may be (`resolveTable`): a sign or a digit may be a
//!    number, `yYnNtTfFoO~` one of the listed words, `.` a float, and anything else is a string;
//! 2. the listed words (`resolveMap`): the YAML 1.1 booleans and nulls, `.inf`, `.nan`;
//! 3. a leading `.`: whatever Go's `strconv.ParseFloat` accepts;
//! 4. a sign or a digit: a timestamp (`2001-12-14`, which the decoder hands on as the string it was),
//!    then `strconv.ParseInt(text without "_", 0, 64)` (prefixes `0x`, `0o`, `0b`, and a bare leading
//!    `0` meaning octal), then a float of the shape `yamlStyleFloat`.
//!
//! So `0-2`, `1:20` (v2 dropped sexagesimal numbers) and `1e400` (out of range) stay strings.
//!
//! One difference is known and kept: a whole number above `i64::MAX` (and at most `u64::MAX`), which
//! go-yaml hands on as a `uint64`, is a float here, since `Resolved` has no unsigned integer.

use super::node::Resolved;
use crate::word_list;

pub(super) fn resolve_plain(text: &str) -> Resolved {
    match text.bytes().next() {
        None => Resolved::Null,
        // No listed word starts with a digit: a list of thousands of numbers skips the word lists.
        Some(b'0'..=b'9') => number(text),
        Some(b'+' | b'-') => listed_word(text).unwrap_or_else(|| number(text)),
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => {
            listed_word(text).unwrap_or_else(|| Resolved::Str(text.to_string()))
        }
        Some(b'.') => listed_word(text)
            .or_else(|| go_parse_float(text).map(Resolved::Float))
            .unwrap_or_else(|| Resolved::Str(text.to_string())),
        Some(_) => Resolved::Str(text.to_string()),
    }
}

/// `resolveMap`: the words that mean something whatever follows them.
fn listed_word(text: &str) -> Option<Resolved> {
    if word_list::contains("~ null Null NULL", text) {
        Some(Resolved::Null)
    } else if let Some(b) = parse_bool(text) {
        Some(Resolved::Bool(b))
    } else if word_list::contains(".inf .Inf .INF +.inf +.Inf +.INF", text) {
        Some(Resolved::Float(f64::INFINITY))
    } else if word_list::contains("-.inf -.Inf -.INF", text) {
        Some(Resolved::Float(f64::NEG_INFINITY))
    } else if word_list::contains(".nan .NaN .NAN", text) {
        Some(Resolved::Float(f64::NAN))
    } else {
        None
    }
}

pub(super) fn parse_bool(text: &str) -> Option<bool> {
    if word_list::contains("y Y yes Yes YES true True TRUE on On ON", text) {
        Some(true)
    } else if word_list::contains("n N no No NO false False FALSE off Off OFF", text) {
        Some(false)
    } else {
        None
    }
}

/// The `'D', 'S'` branch: an int, else a float of YAML's shape, else a string. A timestamp would be
/// tried first, but the decoder turns it back into its text, so it ends as the string it would be here.
fn number(text: &str) -> Resolved {
    let plain: std::borrow::Cow<str> = if text.contains('_') {
        text.chars()
            .filter(|&c| c != '_')
            .collect::<String>()
            .into()
    } else {
        text.into()
    };
    if let Some(i) = go_parse_int(&plain) {
        return Resolved::Int(i);
    }
    if yaml_style_float(&plain) {
        if let Some(f) = go_parse_float(&plain) {
            return Resolved::Float(f);
        }
    }
    Resolved::Str(text.to_string())
}

/// Go's `strconv.ParseInt(s, 0, 64)` on a text without underscores: an optional sign, then `0x`, `0o`
/// or `0b` followed by digits of that base (the prefix needs at least one more character), or a `0`
/// followed by octal digits, or decimal digits. Out of the `int64` range is a failure.
fn go_parse_int(text: &str) -> Option<i64> {
    let (negative, unsigned) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let magnitude = go_parse_uint(unsigned)?;
    if negative {
        0i64.checked_sub_unsigned(magnitude)
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// `strconv.ParseUint(s, 0, 64)` on a text without underscores.
fn go_parse_uint(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    let prefixed = |p: char| {
        text.len() >= 3
            && text.starts_with('0')
            && text[1..].starts_with([p, p.to_ascii_uppercase()])
    };
    let (base, digits) = if prefixed('x') {
        (16, &text[2..])
    } else if prefixed('o') {
        (8, &text[2..])
    } else if prefixed('b') {
        (2, &text[2..])
    } else if let Some(octal) = text.strip_prefix('0') {
        (8, octal)
    } else {
        (10, text)
    };
    digits.chars().try_fold(0u64, |n, c| {
        n.checked_mul(base)?
            .checked_add(u64::from(c.to_digit(base as u32)?))
    })
}

/// `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn yaml_style_float(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", fraction)) => digits(fraction),
        Some((whole, fraction)) => digits(whole) && (fraction.is_empty() || digits(fraction)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

/// Go's `strconv.ParseFloat(s, 64)` for the decimal texts that reach it here (they start with a sign,
/// a digit or a `.`, so never `Inf`, `NaN` or a `0x` float): digits with underscores only between
/// digits, at least one digit before the exponent, a value within range (Go's `ErrRange` for `1e400`).
fn go_parse_float(text: &str) -> Option<f64> {
    if !underscores_between_digits(text) {
        return None;
    }
    let plain: String = text.chars().filter(|&c| c != '_').collect();
    let body = plain.strip_prefix(['-', '+']).unwrap_or(&plain);
    let mantissa = body.split(['e', 'E']).next().unwrap_or("");
    let well_formed = mantissa.bytes().any(|b| b.is_ascii_digit())
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    let value = plain.parse::<f64>().ok().filter(|_| well_formed)?;
    value.is_finite().then_some(value)
}

/// strconv's `underscoreOK` for decimal numbers: each `_` sits between two digits.
fn underscores_between_digits(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| {
        b != b'_'
            || (i > 0
                && bytes[i - 1].is_ascii_digit()
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each plain scalar with go-yaml v2's answer and the place in v2.4.0 that gives it.
    #[test]
    fn plain_scalars_resolve_as_go_yaml_v2_does() {
        use Resolved::{Bool, Float, Int, Null, Str};
        let s = |t: &str| Str(t.to_string());
        #[rustfmt::skip]
        let table: Vec<(&str, Resolved, &str)> = vec![
            ("0-2", s("0-2"), "resolve.go ParseInt(\"0-2\", 0, 64): octal prefix, then '-' is no digit"),
            ("1_000", Int(1000), "resolve.go: strings.Replace(in, \"_\", \"\", -1) before ParseInt"),
            ("0x1F", Int(31), "resolve.go ParseInt base 0: 0x prefix"),
            ("0X1F", Int(31), "strconv ParseUint: lower(s[1]) == 'x'"),
            ("0o17", Int(15), "resolve.go ParseInt base 0: 0o prefix (Go 1.13)"),
            ("0755", Int(0o755), "resolve.go ParseInt base 0: leading 0 is octal"),
            ("08", Float(8.0), "resolve.go: ParseInt fails (octal), yamlStyleFloat matches"),
            ("0b101", Int(5), "resolve.go ParseInt base 0: 0b prefix"),
            ("-0b101", Int(-5), "resolve.go ParseInt base 0 after the sign"),
            ("+1", Int(1), "resolveTable['+'] = 'S'; ParseInt accepts the sign"),
            ("-0", Int(0), "resolve.go ParseInt"),
            ("0", Int(0), "strconv ParseUint: a lone 0 is octal zero"),
            ("0x", s("0x"), "strconv ParseUint: a prefix needs len(s) >= 3"),
            (".5", Float(0.5), "resolveTable['.'] = '.': ParseFloat"),
            ("+.5", Float(0.5), "yamlStyleFloat `\\.[0-9]+`"),
            ("1e3", Float(1000.0), "yamlStyleFloat exponent"),
            ("1.", Float(1.0), "yamlStyleFloat `[0-9]+(\\.[0-9]*)?`"),
            ("1.25", Float(1.25), "yamlStyleFloat"),
            ("1e400", s("1e400"), "ParseFloat returns ErrRange, so the branch falls through"),
            ("1.2.3", s("1.2.3"), "yamlStyleFloat does not match"),
            ("._5", s("._5"), "strconv underscoreOK: `_` must follow a digit"),
            (".5_5", Float(0.55), "strconv ParseFloat accepts underscores between digits"),
            (".inf", Float(f64::INFINITY), "resolveMap"),
            ("-.Inf", Float(f64::NEG_INFINITY), "resolveMap"),
            ("+.nan", s("+.nan"), "not in resolveMap; ParseInt and yamlStyleFloat fail"),
            ("1:20", s("1:20"), "resolve.go: base 60 floats are purposefully unsupported"),
            ("2001-12-14", s("2001-12-14"), "parseTimestamp, then decode.go keeps its text for interface{}"),
            ("~", Null, "resolveMap"),
            ("", Null, "resolveMap: \"\""),
            ("Null", Null, "resolveMap"),
            ("nULL", s("nULL"), "hint 'M', not in resolveMap"),
            ("y", Bool(true), "resolveMap"),
            ("n", Bool(false), "resolveMap"),
            ("on", Bool(true), "resolveMap"),
            ("off", Bool(false), "resolveMap"),
            ("Always", s("Always"), "resolveTable['A'] = 0: a string"),
            ("-c", s("-c"), "hint 'S', nothing parses"),
            ("-9223372036854775808", Int(i64::MIN), "ParseInt range"),
        ];
        for (text, expected, upstream) in table {
            let got = resolve_plain(text);
            let same = match (&got, &expected) {
                (Float(a), Float(b)) => a == b || (a.is_nan() && b.is_nan()),
                _ => got == expected,
            };
            assert!(
                same,
                "{text:?}: got {got:?}, go-yaml v2 says {expected:?} ({upstream})"
            );
        }
    }
}
