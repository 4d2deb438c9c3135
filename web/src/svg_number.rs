//! Numbers for SVG attributes and sliders, written to a tenth with integer formatting: exact enough for
//! a drawing, and much cheaper than Rust's shortest float printing on every redraw.

use std::fmt;

/// `x` to one decimal (`12`, `12.5`, `-0.5`).
#[derive(Clone, Copy)]
pub struct N(pub f64);

pub fn n(x: f64) -> N {
    N(x)
}

impl fmt::Display for N {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tenths = if self.0.is_finite() {
            (self.0 * 10.0).round() as i64
        } else {
            0
        };
        let sign = if tenths < 0 { "-" } else { "" };
        let (whole, tenth) = (tenths.abs() / 10, tenths.abs() % 10);
        if tenth == 0 {
            write!(f, "{sign}{whole}")
        } else {
            write!(f, "{sign}{whole}.{tenth}")
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::n;

    #[test]
    fn numbers_are_written_to_a_tenth() {
        assert_eq!(n(12.0).to_string(), "12");
        assert_eq!(n(12.54).to_string(), "12.5");
        assert_eq!(n(12.56).to_string(), "12.6");
        assert_eq!(n(-0.5).to_string(), "-0.5");
        assert_eq!(n(-0.04).to_string(), "0");
        assert_eq!(n(f64::NAN).to_string(), "0");
        assert_eq!(n(985.0).to_string(), "985");
    }
}
