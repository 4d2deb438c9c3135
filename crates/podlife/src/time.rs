//! Virtual time: milliseconds since the pod was created. The simulation has no clock of its own.

use std::fmt;
use std::ops::{Add, Sub};

#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct SimTime(pub u64);

/// A length of virtual time in milliseconds.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Millis(pub u64);

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);

    pub fn from_secs(s: f64) -> SimTime {
        SimTime(secs_to_ms(s))
    }

    pub fn as_secs(self) -> f64 {
        ms_to_secs(self.0)
    }

    pub fn since(self, earlier: SimTime) -> Millis {
        Millis(self.0.saturating_sub(earlier.0))
    }
}

impl Millis {
    pub fn from_secs(s: f64) -> Millis {
        Millis(secs_to_ms(s))
    }

    pub fn secs(s: u64) -> Millis {
        Millis(s * 1000)
    }

    pub fn as_secs(self) -> f64 {
        ms_to_secs(self.0)
    }
}

/// Seconds (possibly fractional, never negative) to whole milliseconds, rounded.
fn secs_to_ms(s: f64) -> u64 {
    (s * 1000.0).round().max(0.0) as u64
}

fn ms_to_secs(ms: u64) -> f64 {
    ms as f64 / 1000.0
}

impl Add<Millis> for SimTime {
    type Output = SimTime;
    fn add(self, d: Millis) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }
}

impl Sub<Millis> for SimTime {
    type Output = SimTime;
    fn sub(self, d: Millis) -> SimTime {
        SimTime(self.0.saturating_sub(d.0))
    }
}

impl fmt::Display for SimTime {
    /// `12s`, `12.5s`, `1m30s` style is left to the views; this is seconds with up to 3 decimals.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 % 1000 == 0 {
            write!(f, "{}s", self.0 / 1000)
        } else {
            write!(f, "{}s", secs_text(self.0))
        }
    }
}

// Seconds as text, from milliseconds, without the standard float formatting: `{}` and `{:.1}` on an
// `f64` link core's float printing (Grisu and Dragon, ≈ 16 KB of wasm) for these few messages. Both
// functions give exactly what `format!` gives for `ms as f64 / 1000.0`, for every `u64` (the tests
// compare them over millions of values, and the cases where two answers are equally close).

/// `format!("{}", ms as f64 / 1000.0)`: the shortest decimal that reads back as the same `f64`.
pub fn secs_text(ms: u64) -> String {
    // Below 2^42 s the f64 is within 2^-12 of ms/1000, so no other decimal of at most three
    // places reads back as it: the shortest is ms/1000 itself, written without trailing zeros.
    if ms < (1 << 42) * 1000 {
        let mut text = (ms / 1000).to_string();
        let mut frac = ms % 1000;
        if frac != 0 {
            let mut width = 3;
            while frac % 10 == 0 {
                frac /= 10;
                width -= 1;
            }
            text.push('.');
            let digits = frac.to_string();
            text.extend(std::iter::repeat_n('0', width - digits.len()));
            text.push_str(&digits);
        }
        return text;
    }
    // From 2^42 s on, an ulp is at least 2^-10 s. Everything is scaled by 2^12 * 10^10 to integers:
    // the value, the halves of the gaps to its neighbours (inclusive when the mantissa is even), and
    // the steps 10^p of the candidate digits.
    let (mantissa, exp) = decompose(ms as f64 / 1000.0);
    let ten10: u128 = 10_000_000_000;
    let unit = |e: i32| -> u128 { (1u128 << (e + 12)) * ten10 };
    let value = mantissa as u128 * unit(exp);
    let above = unit(exp - 1);
    let below = if mantissa == 1 << 52 {
        unit(exp - 2)
    } else {
        above
    };
    let inclusive = mantissa % 2 == 0;
    let fits = |c: u128| {
        let (lo, hi) = (value - below, value + above);
        if inclusive {
            lo <= c && c <= hi
        } else {
            lo < c && c < hi
        }
    };
    // The most significant digit first; stop at the first length that has a candidate. Of two, the
    // closer; of two equally close, the larger (as core's shortest formatting does).
    let mut step = (1u128 << 12) * ten10;
    while step * 10 <= value {
        step *= 10;
    }
    let chosen = loop {
        let down = value / step * step;
        let up = down + step;
        match (fits(down), fits(up)) {
            (true, true) if value - down < up - value => break down,
            (_, true) => break up,
            (true, false) => break down,
            (false, false) => step /= 10,
        }
    };
    // Both fit in a u64 (the seconds are below 2^64 / 1000), which keeps u128 printing out.
    let whole = (chosen / ((1u128 << 12) * ten10)) as u64;
    let frac = ((chosen % ((1u128 << 12) * ten10)) >> 12) as u64;
    let mut text = whole.to_string();
    if frac != 0 {
        let digits = format!("{frac:010}");
        text.push('.');
        text.push_str(digits.trim_end_matches('0'));
    }
    text
}

/// `format!("{:.1}", ms as f64 / 1000.0)`: the exact value of the f64 rounded to tenths, a tie to
/// the even tenth.
pub fn secs_text_tenths(ms: u64) -> String {
    if ms == 0 {
        return "0.0".into();
    }
    let (mantissa, exp) = decompose(ms as f64 / 1000.0);
    let tenths = if exp >= 0 {
        (mantissa as u128 * 10) << exp
    } else {
        let shift = (-exp) as u32;
        let scaled = mantissa as u128 * 10;
        let (q, r) = (scaled >> shift, scaled & ((1u128 << shift) - 1));
        let half = 1u128 << (shift - 1);
        if r > half || (r == half && q % 2 == 1) {
            q + 1
        } else {
            q
        }
    };
    format!("{}.{}", (tenths / 10) as u64, (tenths % 10) as u64)
}

/// A positive finite f64 as `mantissa * 2^exp`, the mantissa with its implicit leading bit.
fn decompose(x: f64) -> (u64, i32) {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    }
}

/// Parses `90`, `90s`, `1.5s`, `500ms`, `2m`, `1m30s`, `1h` into a duration.
pub fn parse_duration(text: &str) -> Result<Millis, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("empty duration".into());
    }
    if let Ok(secs) = t.parse::<f64>() {
        return if secs >= 0.0 {
            Ok(Millis::from_secs(secs))
        } else {
            Err(format!("negative duration \"{text}\""))
        };
    }
    let mut total = 0.0;
    let mut number = String::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let value: f64 = number
            .parse()
            .map_err(|_| format!("bad duration \"{text}\": expected e.g. 90s, 1m30s, 500ms"))?;
        number.clear();
        let unit = match (c, chars.peek()) {
            ('m', Some('s')) => {
                chars.next();
                0.001
            }
            ('h', _) => 3600.0,
            ('m', _) => 60.0,
            ('s', _) => 1.0,
            _ => {
                return Err(format!(
                    "bad duration \"{text}\": unknown unit '{c}' (use h, m, s, ms)"
                ))
            }
        };
        total += value * unit;
    }
    if !number.is_empty() {
        return Err(format!(
            "bad duration \"{text}\": a number needs a unit after a unit (e.g. 1m30s)"
        ));
    }
    Ok(Millis::from_secs(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every millisecond up to 3 h, then values spread over all of `u64` (a fixed generator), and the
    /// values next to the powers of two where the gaps change.
    fn sample_ms() -> impl Iterator<Item = u64> {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let spread = (0..400_000).map(move |i| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            // Every magnitude equally often.
            seed >> (i % 64)
        });
        let edges = (30..64).flat_map(|b| {
            let p = 1u64 << b;
            (0..200).flat_map(move |d| [p.saturating_sub(d), p.saturating_add(d)])
        });
        (0..10_800_000)
            .step_by(7)
            .chain(spread)
            .chain(edges)
            .chain([u64::MAX, 1, 0])
    }

    #[test]
    fn seconds_text_is_what_float_formatting_gives() {
        for ms in sample_ms() {
            let secs = ms as f64 / 1000.0;
            assert_eq!(secs_text(ms), format!("{secs}"), "{ms} ms");
            assert_eq!(secs_text_tenths(ms), format!("{secs:.1}"), "{ms} ms");
        }
    }

    #[test]
    fn seconds_text_breaks_ties_as_float_formatting_does() {
        // f64s halfway between two shortest candidates (k + 0.25 and k + 0.75 with an ulp of 0.5 or
        // 0.25) and tenths that are exact ties (x.x5 s with an exact binary value).
        for k in [
            1u64 << 50,
            (1 << 50) + 3,
            1 << 51,
            (1 << 51) + 12_345,
            3 << 49,
        ] {
            for frac in [250, 750, 500, 125, 375] {
                for near in 0..4 {
                    let ms = (k * 1000 + frac).wrapping_add(near * 1000);
                    let secs = ms as f64 / 1000.0;
                    assert_eq!(secs_text(ms), format!("{secs}"), "{ms} ms");
                    assert_eq!(secs_text_tenths(ms), format!("{secs:.1}"), "{ms} ms");
                }
            }
        }
        for ms in (0..100_000u64)
            .map(|i| i * 1000 + 250)
            .chain((0..100_000).map(|i| i * 1000 + 750))
        {
            let secs = ms as f64 / 1000.0;
            assert_eq!(secs_text_tenths(ms), format!("{secs:.1}"), "{ms} ms");
        }
    }

    #[test]
    fn durations_read_like_kubectl_flags() {
        assert_eq!(parse_duration("90"), Ok(Millis(90_000)));
        assert_eq!(parse_duration("90s"), Ok(Millis(90_000)));
        assert_eq!(parse_duration("1m30s"), Ok(Millis(90_000)));
        assert_eq!(parse_duration("500ms"), Ok(Millis(500)));
        assert_eq!(parse_duration("1.5s"), Ok(Millis(1500)));
        assert_eq!(parse_duration("1h"), Ok(Millis(3_600_000)));
        assert!(parse_duration("abc").is_err());
        assert!(parse_duration("10x").is_err());
    }
}
