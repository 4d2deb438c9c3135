//! Name formats (k8s.io/apimachinery/pkg/util/validation): DNS-1123 labels for container and volume
//! names, IANA service names for port names.

pub const DNS1123_LABEL_ERROR: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric \
characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', \
regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/// The messages `IsDNS1123Label` gives, in its order; empty when the name is valid.
pub fn dns1123_label_errors(name: &str) -> Vec<&'static str> {
    let mut errors = Vec::new();
    if name.len() > 63 {
        errors.push("must be no more than 63 characters");
    }
    let bytes = name.as_bytes();
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let valid = !bytes.is_empty()
        && bytes.first().is_some_and(alnum)
        && bytes.last().is_some_and(alnum)
        && bytes.iter().all(|b| alnum(b) || *b == b'-');
    if !valid {
        let subdomain_like = name.contains('.')
            && name
                .split('.')
                .all(|part| !part.is_empty() && dns1123_label_errors(part).is_empty());
        errors.push(if subdomain_like {
            "must not contain dots"
        } else {
            DNS1123_LABEL_ERROR
        });
    }
    errors
}

pub const DNS1123_SUBDOMAIN_ERROR: &str = "a lowercase RFC 1123 subdomain must consist of lower case \
alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. \
'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/// The messages `IsDNS1123Subdomain` gives, in its order; empty when the name is valid. Object names
/// (Pods, Deployments, Jobs and their kin) are subdomains: labels joined by dots.
pub fn dns1123_subdomain_errors(name: &str) -> Vec<&'static str> {
    let mut errors = Vec::new();
    if name.len() > 253 {
        errors.push("must be no more than 253 characters");
    }
    let label_ok = |part: &str| {
        let bytes = part.as_bytes();
        let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
        bytes.first().is_some_and(alnum)
            && bytes.last().is_some_and(alnum)
            && bytes.iter().all(|b| alnum(b) || *b == b'-')
    };
    if !name.split('.').all(label_ok) {
        errors.push(DNS1123_SUBDOMAIN_ERROR);
    }
    errors
}

/// The messages `IsValidPortName` gives (an IANA_SVC_NAME), in its order.
pub fn port_name_errors(name: &str) -> Vec<&'static str> {
    let mut errors = Vec::new();
    if name.len() > 15 {
        errors.push("must be no more than 15 characters");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        errors.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if !name.bytes().any(|b| b.is_ascii_lowercase()) {
        errors.push("must contain at least one letter (a-z)");
    }
    if name.contains("--") {
        errors.push("must not contain consecutive hyphens");
    }
    if name.starts_with('-') || name.ends_with('-') {
        errors.push("must not begin or end with a hyphen");
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_names_are_dns_labels() {
        assert!(dns1123_label_errors("log-shipper").is_empty());
        assert_eq!(
            dns1123_label_errors("LogShipper"),
            vec![DNS1123_LABEL_ERROR]
        );
        assert_eq!(
            dns1123_label_errors("log.shipper"),
            vec!["must not contain dots"]
        );
        assert_eq!(
            dns1123_label_errors(&"a".repeat(64)),
            vec!["must be no more than 63 characters"]
        );
    }

    #[test]
    fn object_names_are_dns_subdomains() {
        for ok in ["web", "web-1", "a.b.c", "0abc", "x".repeat(253).as_str()] {
            assert!(dns1123_subdomain_errors(ok).is_empty(), "{ok}");
        }
        for bad in [
            "",
            "Web",
            "process-item-$ITEM",
            "-web",
            "web-",
            "a..b",
            ".a",
            "a_b",
        ] {
            assert_eq!(
                dns1123_subdomain_errors(bad),
                [DNS1123_SUBDOMAIN_ERROR],
                "{bad}"
            );
        }
        assert_eq!(
            dns1123_subdomain_errors(&"x".repeat(254)),
            ["must be no more than 253 characters"]
        );
    }

    #[test]
    fn port_names_are_iana_service_names() {
        assert!(port_name_errors("http").is_empty());
        assert_eq!(
            port_name_errors("8080"),
            vec!["must contain at least one letter (a-z)"]
        );
    }
}
