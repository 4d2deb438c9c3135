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
        let s = self.as_secs();
        if self.0 % 1000 == 0 {
            write!(f, "{}s", self.0 / 1000)
        } else {
            write!(f, "{s}s")
        }
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
