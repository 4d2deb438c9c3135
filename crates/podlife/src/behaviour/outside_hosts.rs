//! The hosts outside the pod that a script contacts (`nslookup myservice`, `nc -z db 5432`, `wget
//! http://api:8080/`), as the cluster's DNS and Services answer them.
//!
//! What a real cluster does, and so what podlife does:
//! - A Service the same file defines (a `kind: Service` document next to the workload) exists from the
//!   start: its name resolves as `db`, `db.<ns>`, `db.<ns>.svc` and `db.<ns>.svc.cluster.local` (the
//!   short name only from a pod of the same namespace, through the pod's DNS search path), and its
//!   ClusterIP accepts only the Service's own ports (kube-proxy has no rule for any other port, so the
//!   connection fails). An `ExternalName` Service is a DNS alias to a name outside the cluster.
//! - `kubernetes.default` (the API server's Service, port 443) exists in every cluster.
//! - A name with a dot that is not a cluster name (`example.com`) is on the internet: podlife assumes the
//!   cluster has egress, so it resolves and answers on every port (an assumption, shown as one).
//! - Any other host is not there (`nslookup` gets NXDOMAIN) until the learner says when it appears:
//!   `podlife.dev/service.<host>: "up-at=30s"`, the scenario's `service=<host>@30s`, or `podlife
//!   simulate --service <host>=30s`. This is what the docs' init-container example shows: `Init:0/2`
//!   until the Services are created.

use crate::time::SimTime;

/// A `kind: Service` document of the same file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceHost {
    pub name: String,
    /// `metadata.namespace`; `None`: the namespace `kubectl apply` uses, as for the workload.
    pub namespace: Option<String>,
    /// `spec.ports[*].port`; empty for a headless Service (`clusterIP: None`): its name resolves to the
    /// pods' own addresses, so no ClusterIP filters the port.
    pub ports: Vec<u16>,
    /// `spec.externalName` of a `type: ExternalName` Service.
    pub external_name: Option<String>,
}

/// How a host answers at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Resolves and (for a port) accepts the connection.
    Answers,
    /// Resolves, but nothing accepts on that port.
    Refused,
    /// The name does not resolve (NXDOMAIN).
    NotResolved,
}

/// Where a host's answer comes from: what podlife knows or assumes about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostSource {
    /// A Service of the same file (its ports), or the API server's `kubernetes` Service.
    Service { ports: Vec<u16> },
    /// An `ExternalName` Service or a public name: resolved outside the cluster, assumed to answer.
    Internet,
    /// The learner said when it appears.
    AppearsAt(SimTime),
    /// Nothing says it exists.
    NotThere,
}

/// The cluster around the pod: its namespace and the Services the file defines.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cluster {
    /// The pod's namespace (`default` when the manifest names none).
    pub namespace: String,
    pub services: Vec<ServiceHost>,
}

/// The API server's Service, present in every cluster.
const API_SERVER: &str = "kubernetes";
const API_SERVER_PORT: u16 = 443;
const CLUSTER_DOMAIN: &str = "svc.cluster.local";

impl Cluster {
    fn pod_namespace(&self) -> &str {
        if self.namespace.is_empty() {
            "default"
        } else {
            &self.namespace
        }
    }

    /// The Service `host` names, as the pod's resolver finds it: `(name, namespace)`, or `None` when
    /// the name is not a cluster Service name.
    fn service_name<'h>(&self, host: &'h str) -> Option<(&'h str, &'h str)> {
        let host = host.trim_end_matches('.');
        let rest = host
            .strip_suffix(&format!(".{CLUSTER_DOMAIN}"))
            .or_else(|| host.strip_suffix(".svc"))
            .unwrap_or(host);
        let mut labels = rest.split('.');
        let name = labels.next()?;
        match (labels.next(), labels.next()) {
            (None, _) => Some((name, "")),
            (Some(ns), None) => Some((name, ns)),
            _ => None,
        }
    }

    /// The Service a cluster name asks for (`myservice` for `myservice.default.svc.cluster.local`):
    /// the name a learner gives it (`podlife.dev/service.myservice`, `kind: Service` `myservice`).
    pub fn service_asked_for<'h>(&self, host: &'h str) -> &'h str {
        match self.service_name(host) {
            Some((name, _)) if !matches!(self.source(host), HostSource::Internet) => name,
            _ => host,
        }
    }

    fn is_namespace(&self, ns: &str) -> bool {
        ns == self.pod_namespace()
            || ns == "default"
            || ns == "kube-system"
            || self.services.iter().any(|s| self.namespace_of(s) == ns)
    }

    fn namespace_of<'s>(&'s self, s: &'s ServiceHost) -> &'s str {
        s.namespace.as_deref().unwrap_or(self.pod_namespace())
    }

    /// What the cluster alone says about `host` (without the learner's times).
    pub fn source(&self, host: &str) -> HostSource {
        let cluster_name = host.ends_with(".svc")
            || host.trim_end_matches('.').ends_with(CLUSTER_DOMAIN)
            || !host.contains('.')
            || service_in_namespace(host);
        if let Some((name, ns)) = self.service_name(host) {
            let ns = if ns.is_empty() {
                self.pod_namespace()
            } else {
                ns
            };
            if cluster_name || self.is_namespace(ns) {
                return self.service(name, ns);
            }
        }
        if cluster_name || is_ip_address(host) {
            HostSource::NotThere
        } else {
            HostSource::Internet
        }
    }

    fn service(&self, name: &str, ns: &str) -> HostSource {
        if name == API_SERVER && ns == "default" {
            return HostSource::Service {
                ports: vec![API_SERVER_PORT],
            };
        }
        let found = self
            .services
            .iter()
            .find(|s| s.name == name && self.namespace_of(s) == ns);
        match found {
            Some(s) if s.external_name.is_some() => HostSource::Internet,
            Some(s) => HostSource::Service {
                ports: s.ports.clone(),
            },
            None => HostSource::NotThere,
        }
    }
}

impl HostSource {
    /// How this host answers on `port` (`None`: a DNS lookup) at `at`.
    pub fn reach(&self, port: Option<u16>, at: SimTime) -> Reach {
        match self {
            // No ports: a headless Service, whose name resolves to the pods themselves.
            HostSource::Service { ports } => match port {
                Some(p) if !ports.is_empty() && !ports.contains(&p) => Reach::Refused,
                _ => Reach::Answers,
            },
            HostSource::Internet => Reach::Answers,
            HostSource::AppearsAt(t) if *t <= at => Reach::Answers,
            HostSource::AppearsAt(_) | HostSource::NotThere => Reach::NotResolved,
        }
    }
}

/// Top-level domains a public name in a manifest usually ends with. `NAME.NS` with any other last label
/// is what the pod's search path (`svc.cluster.local`) makes of it first: Service NAME of namespace NS.
const PUBLIC_TLDS: &str =
    "com org net io dev app ai co cloud edu gov info me sh xyz de uk fr eu jp cn us";

/// `redis.cache`: two labels, the last not a public top-level domain.
fn service_in_namespace(host: &str) -> bool {
    let mut labels = host.trim_end_matches('.').split('.');
    match (labels.next(), labels.next(), labels.next()) {
        (Some(_), Some(last), None) => !crate::word_list::contains(PUBLIC_TLDS, last),
        _ => false,
    }
}

/// `10.0.0.7` or `fd00::1`: an address, which no DNS answer makes exist.
fn is_ip_address(host: &str) -> bool {
    host.contains(':') || (!host.is_empty() && host.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster() -> Cluster {
        Cluster {
            namespace: "default".into(),
            services: vec![
                ServiceHost {
                    name: "db".into(),
                    namespace: None,
                    ports: vec![5432],
                    external_name: None,
                },
                ServiceHost {
                    name: "cache".into(),
                    namespace: Some("infra".into()),
                    ports: vec![6379],
                    external_name: None,
                },
            ],
        }
    }

    #[test]
    fn a_service_of_the_file_resolves_by_every_name_the_search_path_allows() {
        let c = cluster();
        for host in [
            "db",
            "db.default",
            "db.default.svc",
            "db.default.svc.cluster.local",
        ] {
            assert_eq!(
                c.source(host).reach(None, SimTime::ZERO),
                Reach::Answers,
                "{host}"
            );
        }
        // Another namespace's Service needs its namespace in the name.
        assert_eq!(c.source("cache"), HostSource::NotThere);
        assert_eq!(
            c.source("cache.infra").reach(Some(6379), SimTime::ZERO),
            Reach::Answers
        );
        assert_eq!(c.source("db.infra"), HostSource::NotThere);
    }

    #[test]
    fn a_service_accepts_only_its_own_ports() {
        let db = cluster().source("db");
        assert_eq!(db.reach(Some(5432), SimTime::ZERO), Reach::Answers);
        assert_eq!(db.reach(Some(3306), SimTime::ZERO), Reach::Refused);
        let headless = HostSource::Service { ports: Vec::new() };
        assert_eq!(headless.reach(Some(3306), SimTime::ZERO), Reach::Answers);
    }

    #[test]
    fn the_api_server_is_always_there_and_other_short_names_are_not() {
        let c = cluster();
        assert_eq!(
            c.source("kubernetes.default.svc")
                .reach(Some(443), SimTime::ZERO),
            Reach::Answers
        );
        assert_eq!(c.source("myservice"), HostSource::NotThere);
        assert_eq!(
            c.source("mydb.default.svc.cluster.local"),
            HostSource::NotThere
        );
        assert_eq!(c.source("10.96.0.12"), HostSource::NotThere);
        assert_eq!(
            c.service_asked_for("mydb.default.svc.cluster.local"),
            "mydb"
        );
        assert_eq!(c.service_asked_for("example.com"), "example.com");
        // Another namespace's Service that the file does not define is not there either.
        assert_eq!(c.source("redis.cache"), HostSource::NotThere);
    }

    #[test]
    fn public_names_and_external_names_are_on_the_internet() {
        let mut c = cluster();
        assert_eq!(c.source("example.com"), HostSource::Internet);
        assert_eq!(c.source("registry.example.org"), HostSource::Internet);
        c.services.push(ServiceHost {
            name: "search".into(),
            external_name: Some("example.com".into()),
            ..ServiceHost::default()
        });
        assert_eq!(c.source("search"), HostSource::Internet);
    }

    #[test]
    fn a_host_the_learner_times_appears_then() {
        let later = HostSource::AppearsAt(SimTime(30_000));
        assert_eq!(later.reach(None, SimTime(29_999)), Reach::NotResolved);
        assert_eq!(later.reach(Some(80), SimTime(30_000)), Reach::Answers);
    }
}
