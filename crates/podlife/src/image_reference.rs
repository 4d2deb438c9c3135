//! Container image references as the kubelet reads them before any pull (pkg/kubelet/images/
//! image_manager.go `EnsureImageExists` → `applyDefaultImageTag` → github.com/distribution/reference
//! `ParseNormalizedNamed`, whose grammar is in its `reference.go` and `regexp.go`):
//!
//! ```text
//! reference  := name [ ":" tag ] [ "@" digest ]
//! name       := [domain "/"] path-component ["/" path-component]*
//! domain     := host [":" port]          host: DNS labels, an IPv4 address, or [IPv6]
//! path-component := [a-z0-9]+ (separator [a-z0-9]+)*      separator: "." | "_" | "__" | "-"+
//! tag        := [\w][\w.-]{0,127}
//! digest     := algorithm ":" hex{32,}   algorithm: [A-Za-z][A-Za-z0-9]* joined by [+._-]
//! ```
//!
//! The API server accepts any image that is not empty and has no surrounding spaces
//! (validation.go `validateContainerCommon`), so `Nginx`, `nginx:` or `<your-private-image>` reach
//! the kubelet, which cannot parse them: the container waits as `InvalidImageName` and nothing is
//! pulled. A reference can also be well formed and still name a registry that cannot exist: the
//! reserved `invalid` names of RFC 2606, which Kubernetes' own e2e tests use for an image that
//! never pulls (`invalid.registry.k8s.io/invalid/alpine:3.1`, test/utils/image/manifest.go
//! `InvalidRegistryImage`).

/// Docker Hub, the domain of a reference that names none.
const DEFAULT_DOMAIN: &str = "docker.io";
/// The longest repository name (domain and path) the grammar allows.
const NAME_TOTAL_LENGTH_MAX: usize = 255;

/// A parsed, normalized reference: `docker.io/library/nginx:1.27`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageReference {
    /// `docker.io`, `registry.k8s.io`, `localhost:5000`.
    pub domain: String,
    /// `library/nginx`, `e2e-test-images/agnhost`.
    pub path: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageReference {
    /// `ParseNormalizedNamed`: Docker Hub's domain and `library/` filled in, then the grammar. The
    /// error is the library's own text (`invalid reference format`, `invalid reference format:
    /// repository name (library/Nginx) must be lowercase`).
    pub fn parse(image: &str) -> Result<ImageReference, String> {
        if image.len() == 64
            && image
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        {
            return Err(format!(
                "invalid repository name ({image}), cannot specify 64-byte hexadecimal strings"
            ));
        }
        let (domain, remainder) = split_domain(image);
        let remote = remainder.split(':').next().unwrap_or_default();
        if remote.to_lowercase() != remote {
            return Err(format!(
                "invalid reference format: repository name ({remote}) must be lowercase"
            ));
        }
        parse_grammar(&domain, &remainder)
    }

    /// The reference with the default tag applied, as the runtime is asked for it
    /// (`docker.io/library/nginx:latest`).
    pub fn full(&self) -> String {
        let mut text = format!("{}/{}", self.domain, self.path);
        match (&self.tag, &self.digest) {
            (Some(tag), _) => text.push_str(&format!(":{tag}")),
            (None, None) => text.push_str(":latest"),
            (None, Some(_)) => {}
        }
        if let Some(digest) = &self.digest {
            text.push_str(&format!("@{digest}"));
        }
        text
    }

    /// The registry's host name, without a port.
    pub fn host(&self) -> &str {
        match self.domain.rsplit_once(':') {
            Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
            _ => &self.domain,
        }
    }

    /// The host cannot resolve: RFC 2606 reserves the `invalid` top-level domain, and Kubernetes'
    /// e2e tests name an absent registry with a leading `invalid` label (`invalid.registry.k8s.io`).
    pub fn host_cannot_exist(&self) -> bool {
        let host = self.host().to_ascii_lowercase();
        let labels: Vec<&str> = host.split('.').collect();
        labels.len() > 1
            && (labels.first() == Some(&"invalid") || labels.last() == Some(&"invalid"))
    }

    /// What the runtime answers when the host cannot be resolved, in containerd's shape
    /// (`failed to pull and unpack image …: failed to resolve reference …: … no such host`); the
    /// resolver's address, which podlife does not know, is left out.
    pub fn no_such_host_error(&self) -> String {
        let full = self.full();
        let reference = self
            .digest
            .clone()
            .or_else(|| self.tag.clone())
            .unwrap_or_else(|| "latest".into());
        format!(
            "failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": failed to do request: Head \"https://{}/v2/{}/manifests/{reference}\": dial tcp: lookup {}: no such host",
            self.domain,
            self.path,
            self.host()
        )
    }
}

/// The kubelet's text when `applyDefaultImageTag` fails: what follows `Failed to apply default image
/// tag "IMAGE": ` in its InspectFailed event; `None` for an image it can parse.
pub fn kubelet_parse_error(image: &str) -> Option<String> {
    ImageReference::parse(image)
        .err()
        .map(|e| format!("couldn't parse image name \"{image}\": {e}"))
}

/// The learner's one line for a container whose image can never be had, or `None`: an image the
/// kubelet cannot parse, or one on a registry that cannot exist.
pub fn why_it_never_runs(image: &str) -> Option<String> {
    match ImageReference::parse(image) {
        Err(_) => Some(format!(
            "never runs: `{image}` is not a valid image reference (InvalidImageName)"
        )),
        Ok(r) if r.host_cannot_exist() => Some(format!(
            "never runs: its registry `{}` cannot exist, so the pull fails (ErrImagePull, ImagePullBackOff)",
            r.host()
        )),
        Ok(_) => None,
    }
}

/// `splitDockerDomain`: the first component is a domain when it has a `.` or `:`, is `localhost`, or
/// has an upper-case letter; otherwise the image is on Docker Hub, and a one-component Hub image is
/// under `library/`.
fn split_domain(image: &str) -> (String, String) {
    let (mut domain, mut remainder) = match image.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.to_lowercase() != first =>
        {
            (first.to_string(), rest.to_string())
        }
        _ => (DEFAULT_DOMAIN.to_string(), image.to_string()),
    };
    if domain == "index.docker.io" {
        domain = DEFAULT_DOMAIN.to_string();
    }
    if domain == DEFAULT_DOMAIN && !remainder.contains('/') {
        remainder = format!("library/{remainder}");
    }
    (domain, remainder)
}

/// `Parse` on `domain/remainder`: the anchored grammar, then the name's length.
fn parse_grammar(domain: &str, remainder: &str) -> Result<ImageReference, String> {
    const INVALID: &str = "invalid reference format";
    let (named, digest) = match remainder.split_once('@') {
        Some((named, digest)) => (named, Some(digest)),
        None => (remainder, None),
    };
    let (path, tag) = match named.rsplit_once(':') {
        Some((path, tag)) => (path, Some(tag)),
        None => (named, None),
    };
    let well_formed = is_domain(domain)
        && !path.is_empty()
        && path.split('/').all(is_path_component)
        && tag.is_none_or(is_tag)
        && digest.is_none_or(is_digest);
    if !well_formed {
        return Err(INVALID.into());
    }
    if domain.len() + 1 + path.len() > NAME_TOTAL_LENGTH_MAX {
        return Err(format!(
            "repository name must not be more than {NAME_TOTAL_LENGTH_MAX} characters"
        ));
    }
    Ok(ImageReference {
        domain: domain.to_string(),
        path: path.to_string(),
        tag: tag.map(str::to_string),
        digest: digest.map(str::to_string),
    })
}

/// `host [":" port]`.
fn is_domain(domain: &str) -> bool {
    let (host, port) = match domain.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((v6, after)) => {
                let ok = !v6.is_empty() && v6.bytes().all(|b| b.is_ascii_hexdigit() || b == b':');
                if !ok {
                    return false;
                }
                ("v6", after.strip_prefix(':'))
            }
            None => return false,
        },
        None => match domain.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (domain, None),
        },
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    port_ok && host.split('.').all(is_domain_component)
}

/// `[a-zA-Z0-9]` or `[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]`.
fn is_domain_component(label: &str) -> bool {
    let b = label.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
}

/// `[a-z0-9]+` runs joined by one `.`, one `_`, `__`, or any number of `-`.
fn is_path_component(component: &str) -> bool {
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    let b = component.as_bytes();
    if b.is_empty() || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        let separator = &component[start..i];
        let allowed = matches!(separator, "." | "_" | "__") || separator.bytes().all(|c| c == b'-');
        if !allowed {
            return false;
        }
    }
    true
}

/// `[\w][\w.-]{0,127}`.
fn is_tag(tag: &str) -> bool {
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let b = tag.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && word(b[0])
        && b.iter().all(|c| word(*c) || *c == b'.' || *c == b'-')
}

/// `algorithm ":" hex{32,}`.
fn is_digest(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return false;
    };
    let component_ok = |c: &str| {
        let b = c.as_bytes();
        !b.is_empty() && b[0].is_ascii_alphabetic() && b.iter().all(u8::is_ascii_alphanumeric)
    };
    algorithm.split(['+', '.', '_', '-']).all(component_ok)
        && hex.len() >= 32
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(image: &str) -> String {
        ImageReference::parse(image).map_or_else(|e| format!("error: {e}"), |r| r.full())
    }

    #[test]
    fn valid_references_are_normalized_as_the_runtime_receives_them() {
        assert_eq!(full("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(
            full("nginx:1.27-alpine"),
            "docker.io/library/nginx:1.27-alpine"
        );
        assert_eq!(full("bitnami/redis:7"), "docker.io/bitnami/redis:7");
        assert_eq!(
            full("registry.k8s.io/e2e-test-images/agnhost:2.53"),
            "registry.k8s.io/e2e-test-images/agnhost:2.53"
        );
        assert_eq!(full("localhost:5000/app"), "localhost:5000/app:latest");
        assert_eq!(
            full("my_org/my__app-x--y"),
            "docker.io/my_org/my__app-x--y:latest"
        );
        let digest = format!("busybox@sha256:{}", "a".repeat(64));
        assert_eq!(full(&digest), format!("docker.io/library/{digest}"));
        assert_eq!(full("Registry.Example/app:V1"), "Registry.Example/app:V1");
    }

    #[test]
    fn invalid_references_get_the_parsers_message() {
        let lowercase = |path: &str| {
            format!("error: invalid reference format: repository name ({path}) must be lowercase")
        };
        assert_eq!(full("Nginx"), lowercase("library/Nginx"));
        assert_eq!(full("me/MyApp:1"), lowercase("me/MyApp"));
        for bad in [
            "nginx:",
            "a b",
            "<your-private-image>",
            "gcr.io/<project>/job-wq-1",
            "nginx::1",
            "-nginx",
            "nginx/",
            "nginx@sha256:abc",
            ":1.0",
            "my..app",
        ] {
            assert_eq!(full(bad), "error: invalid reference format", "{bad}");
        }
        assert_eq!(
            full(&format!("nginx:{}", "t".repeat(129))),
            "error: invalid reference format"
        );
        assert_eq!(
            full(&"f".repeat(64)),
            format!(
                "error: invalid repository name ({}), cannot specify 64-byte hexadecimal strings",
                "f".repeat(64)
            )
        );
        assert!(kubelet_parse_error("nginx:1.27").is_none());
        assert_eq!(
            kubelet_parse_error("nginx:").as_deref(),
            Some("couldn't parse image name \"nginx:\": invalid reference format")
        );
    }

    #[test]
    fn rfc_2606_invalid_hosts_cannot_exist() {
        let cannot = |image: &str| ImageReference::parse(image).unwrap().host_cannot_exist();
        assert!(cannot("invalid.registry.k8s.io/invalid/alpine:3.1"));
        assert!(cannot("foo.invalid/x"));
        assert!(cannot("registry.invalid:5000/x"));
        assert!(!cannot("registry.k8s.io/pause:3.10"));
        assert!(!cannot("invalid/alpine"), "a Docker Hub user named invalid");
        assert!(!cannot("invalidregistry.example/x"));
        let r = ImageReference::parse("invalid.registry.k8s.io/invalid/alpine:3.1").unwrap();
        assert_eq!(
            r.no_such_host_error(),
            "failed to pull and unpack image \"invalid.registry.k8s.io/invalid/alpine:3.1\": failed to resolve reference \"invalid.registry.k8s.io/invalid/alpine:3.1\": failed to do request: Head \"https://invalid.registry.k8s.io/v2/invalid/alpine/manifests/3.1\": dial tcp: lookup invalid.registry.k8s.io: no such host"
        );
    }
}
