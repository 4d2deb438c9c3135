//! Function components, one per file, with plain-data props (as in Yew's own examples).

mod app;
mod diagnostic_item;
mod diagnostic_list;
mod manifest_editor;
mod page_header;

pub use app::App;
pub use diagnostic_item::{DiagnosticItem, DiagnosticItemProps};
pub use diagnostic_list::{DiagnosticList, DiagnosticListProps};
pub use manifest_editor::{ManifestEditor, ManifestEditorProps};
pub use page_header::PageHeader;
