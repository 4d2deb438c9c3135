//! Browser plumbing the page needs: a requestAnimationFrame loop for playback, a deferred call for
//! coalescing edits, the page-wide keyboard shortcuts, and the user's motion/theme preferences.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

type FrameCallback = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

/// Calls `on_frame(milliseconds since the previous frame)` on every animation frame until dropped.
pub struct FrameLoop {
    id: Rc<RefCell<Option<i32>>>,
    _callback: FrameCallback,
}

impl FrameLoop {
    pub fn start(mut on_frame: impl FnMut(f64) + 'static) -> Option<FrameLoop> {
        let window = web_sys::window()?;
        let id: Rc<RefCell<Option<i32>>> = Rc::new(RefCell::new(None));
        let callback: FrameCallback = Rc::new(RefCell::new(None));
        let last: Rc<RefCell<Option<f64>>> = Rc::new(RefCell::new(None));
        let (id_inner, callback_inner, window_inner) =
            (id.clone(), callback.clone(), window.clone());
        *callback.borrow_mut() = Some(Closure::new(move |now: f64| {
            let previous = last.borrow_mut().replace(now);
            // The first frame only sets the clock; a long gap (a background tab) counts as one frame.
            if let Some(previous) = previous {
                on_frame((now - previous).min(100.0));
            }
            if let Some(cb) = callback_inner.borrow().as_ref() {
                *id_inner.borrow_mut() = window_inner
                    .request_animation_frame(cb.as_ref().unchecked_ref())
                    .ok();
            }
        }));
        *id.borrow_mut() = window
            .request_animation_frame(callback.borrow().as_ref()?.as_ref().unchecked_ref())
            .ok();
        Some(FrameLoop {
            id,
            _callback: callback,
        })
    }
}

impl Drop for FrameLoop {
    fn drop(&mut self) {
        if let (Some(window), Some(id)) = (web_sys::window(), self.id.borrow_mut().take()) {
            let _ = window.cancel_animation_frame(id);
        }
        // Break the closure's reference to itself.
        self._callback.borrow_mut().take();
    }
}

/// A call scheduled with `setTimeout`, cancelled when dropped: the newest edit wins.
pub struct Deferred {
    handle: Option<i32>,
    _closure: Closure<dyn FnMut()>,
}

impl Deferred {
    pub fn new(delay_ms: i32, f: impl FnMut() + 'static) -> Deferred {
        let closure = Closure::<dyn FnMut()>::new(f);
        let handle = web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                closure.as_ref().unchecked_ref(),
                delay_ms,
            )
            .ok()
        });
        Deferred {
            handle,
            _closure: closure,
        }
    }
}

impl Drop for Deferred {
    fn drop(&mut self) {
        if let (Some(window), Some(handle)) = (web_sys::window(), self.handle) {
            window.clear_timeout_with_handle(handle);
        }
    }
}

/// A page-wide `keydown` listener, removed when dropped.
pub struct KeyListener {
    closure: Closure<dyn FnMut(web_sys::KeyboardEvent)>,
}

impl KeyListener {
    pub fn new(f: impl FnMut(web_sys::KeyboardEvent) + 'static) -> Option<KeyListener> {
        let document = web_sys::window()?.document()?;
        let closure = Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(f);
        document
            .add_event_listener_with_callback("keydown", closure.as_ref().unchecked_ref())
            .ok()?;
        Some(KeyListener { closure })
    }
}

impl Drop for KeyListener {
    fn drop(&mut self) {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            let _ = document.remove_event_listener_with_callback(
                "keydown",
                self.closure.as_ref().unchecked_ref(),
            );
        }
    }
}

/// Whether a key event belongs to a control rather than to the page: any key typed in a text field
/// (the editor, an input, a select), and Space or Enter on a button (which press it).
pub fn typing_in_a_field(event: &web_sys::KeyboardEvent) -> bool {
    let Some(element) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    let tag = element.tag_name().to_ascii_lowercase();
    match tag.as_str() {
        "input" | "textarea" | "select" => true,
        "button" | "a" | "summary" => matches!(event.key().as_str(), " " | "Enter"),
        _ => element
            .closest("[contenteditable], .cm-editor")
            .ok()
            .flatten()
            .is_some(),
    }
}

/// Sets an attribute on `<html>` (the page mode, the theme): the stylesheet reads it.
pub fn set_root_attribute(name: &str, value: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute(name, value);
    }
}

/// Sets `data-theme` on `<html>` (`auto` follows the system setting).
pub fn apply_theme(theme: &str) {
    set_root_attribute("data-theme", theme);
}
