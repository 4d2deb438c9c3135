//! One view per file: function components with plain-data props (as in Yew's own examples), and
//! plain functions returning `Html` for views that hold no state and redraw with the page anyway.

mod app;
pub mod compare_view;
mod conditions_panel;
mod diagnostic_item;
mod diagnostic_list;
mod events_panel;
pub mod finding_callouts;
mod gallery_menu;
mod inline_code;
mod manifest_editor;
mod narration;
mod page_header;
mod playback_controls;
pub mod pod_diagram;
mod scenario_controls;
mod timeline;
mod watch_panel;
mod why_panel;
mod yaml_diff;

pub use app::{App, PlayheadTime};
pub use compare_view::{compare_view, ComparisonRef};
pub use conditions_panel::conditions_panel;
pub use diagnostic_item::{severity_class, DiagnosticItem, DiagnosticItemProps};
pub use diagnostic_list::{DiagnosticList, DiagnosticListProps};
pub use events_panel::EventsPanel;
pub use gallery_menu::{GalleryMenu, DRAFT_ID, LINK_ID};
pub use inline_code::with_code;
pub use manifest_editor::{ManifestEditor, ManifestEditorProps};
pub use narration::Narration;
pub use page_header::page_header;
pub use playback_controls::PlaybackControls;
pub use pod_diagram::PodDiagram;
pub use scenario_controls::ScenarioControls;
pub use timeline::{Timeline, TraceRef};
pub use watch_panel::WatchPanel;
pub use why_panel::why_panel;
pub use yaml_diff::YamlDiff;
