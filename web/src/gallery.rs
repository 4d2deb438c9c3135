//! Placeholder until the gallery branch lands (same API).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Seeds,
    Lessons,
}

pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    pub group: Group,
    pub lesson: &'static str,
    pub manifest: &'static str,
}

pub const EXAMPLES: &[Example] = &[Example {
    id: "log-shipper",
    title: "Log shipper (native sidecar)",
    group: Group::Seeds,
    lesson: "The sidecar starts first and stays up.",
    manifest: crate::DEFAULT_MANIFEST,
}];

pub fn find(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}
