//! The gallery: the seeds' scenarios and the classic lessons, one select away. The user's own manifest
//! stays in the list as "Your manifest", so choosing an example never loses what was typed.

use yew::prelude::*;

use crate::gallery::{Group, EXAMPLES};

/// The value of the menu entry that brings back the user's own manifest.
pub const DRAFT_ID: &str = "draft";

/// The menu's entry while the editor holds a manifest that came with a share link.
pub const LINK_ID: &str = "link";

#[derive(Properties, PartialEq)]
pub struct GalleryMenuProps {
    /// The example in the editor, or [`DRAFT_ID`].
    pub selected: AttrValue,
    pub has_draft: bool,
    pub on_pick: Callback<String>,
}

#[component]
pub fn GalleryMenu(props: &GalleryMenuProps) -> Html {
    let onchange = {
        let on_pick = props.on_pick.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            on_pick.emit(select.value());
        })
    };
    let group = |g: Group, label: &'static str| {
        html! {
            <optgroup {label}>
                { for EXAMPLES.iter().filter(|e| e.group == g).map(|e| html! {
                    <option value={e.id} selected={props.selected == e.id}>{ e.title }</option>
                }) }
            </optgroup>
        }
    };
    html! {
        <label class="gallery">
            { "Example " }
            <select id="gallery" {onchange}>
                if props.selected == LINK_ID {
                    <option value={LINK_ID} selected=true>{ "From a shared link" }</option>
                }
                if props.has_draft || props.selected == DRAFT_ID {
                    <option value={DRAFT_ID} selected={props.selected == DRAFT_ID}>{ "Your manifest" }</option>
                }
                { group(Group::Seeds, "From the sidecar docs") }
                { group(Group::Lessons, "Lessons") }
            </select>
        </label>
    }
}
