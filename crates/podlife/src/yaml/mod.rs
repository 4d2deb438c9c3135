//! YAML text → a tree of nodes that remembers where every node is, so that every diagnostic can point at
//! the exact characters the user typed. Built on `saphyr-parser`'s event stream (see ARCHITECTURE.md for
//! why that parser); scalars are resolved the way Kubernetes' own YAML decoder (go-yaml v2, YAML 1.1)
//! resolves them, so `on`, `yes` and `y` are booleans here exactly as they are for `kubectl apply`.

mod alias_budget;
mod escapes;
mod go_yaml_leniency;
mod node;
mod resolve;
mod syntax_error;
mod tree;

pub use node::{Entry, Node, NodeKind, Resolved, Scalar, ScalarStyle};
pub use tree::parse_documents;
