//! A container's `resources`: a request may not exceed its limit (pkg/apis/core/validation/
//! validation.go `ValidateContainerResourceRequirements`: `spec.containers[0].resources.requests:
//! Invalid value: "2": must be less than or equal to cpu limit of 1`, at `requests` itself, not at the
//! resource's key). Values are printed as `Quantity.String()` prints them, in canonical form
//! (`1500m`, `1Gi`, `500M`).

use crate::field_path::FieldPath;
use crate::model::Container;
use crate::resources::{cpu_millicores, cpu_text, memory_bytes, memory_text};

use super::field_error::Findings;

pub(super) fn validate_requests_within_limits(
    container: &Container,
    path: &FieldPath,
    out: &mut Findings,
) {
    let Some(res) = &container.resources else {
        return;
    };
    for (name, read, canonical) in [
        (
            "cpu",
            cpu_millicores as fn(&str) -> Option<u64>,
            cpu_canonical as fn(u64, &str) -> String,
        ),
        ("memory", memory_bytes, memory_canonical),
    ] {
        let (Some(request), Some(limit)) = (res.requests.get(name), res.limits.get(name)) else {
            continue;
        };
        let (Some(r), Some(l)) = (read(request), read(limit)) else {
            continue;
        };
        if r > l {
            out.invalid(
                &path.child("requests"),
                canonical(r, request).as_str(),
                &format!(
                    "must be less than or equal to {name} limit of {}",
                    canonical(l, limit)
                ),
            )
            .hint(
                "A request is what the scheduler reserves and a limit what the container may use: the \
                 request cannot be the larger. Raise the limit or lower the request (R107, R105).",
            );
        }
    }
}

/// CPU in `DecimalSI`: whole cores, else millicores.
fn cpu_canonical(millicores: u64, _written: &str) -> String {
    cpu_text(millicores)
}

/// Memory keeps the written suffix's family: binary (`Ki` … `Ei`) or decimal (`k` … `E`, or none).
fn memory_canonical(bytes: u64, written: &str) -> String {
    let binary = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
        .iter()
        .any(|s| written.trim().ends_with(s));
    if binary {
        return memory_text(bytes);
    }
    crate::resources::in_largest_unit(
        bytes,
        &[
            ("E", 1_000_000_000_000_000_000),
            ("P", 1_000_000_000_000_000),
            ("T", 1_000_000_000_000),
            ("G", 1_000_000_000),
            ("M", 1_000_000),
            ("k", 1_000),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_print_in_their_canonical_form() {
        assert_eq!(cpu_canonical(1500, "1.5"), "1500m");
        assert_eq!(cpu_canonical(2000, "2000m"), "2");
        assert_eq!(memory_canonical(1 << 30, "1024Mi"), "1Gi");
        assert_eq!(memory_canonical(500_000_000, "500M"), "500M");
        assert_eq!(memory_canonical(1_000_000_000, "1000M"), "1G");
        assert_eq!(memory_canonical(1500, "1500"), "1500");
    }
}
