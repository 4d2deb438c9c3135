//! The browser's own deflate for share links: `CompressionStream("deflate-raw")` and
//! `DecompressionStream("deflate-raw")`, so no compression crate ships in the wasm. Async glue around
//! the pure codec of [`crate::share_link`]: [`share`] makes a link, [`open`] reads one.
//!
//! web-sys has both streams only behind `--cfg=web_sys_unstable_apis`, so the two constructors are
//! bound here; the streams themselves are web-sys's stable `ReadableStream` and reader.
//! Decompression reads the output chunk by chunk and stops (cancelling the stream) as soon as it
//! passes the cap, so a small link that unpacks to gigabytes costs at most one chunk over the cap.

use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ReadableStreamDefaultReader, ReadableWritablePair};

use crate::share_link::{self, InflateError, LinkError, ShareError, ShareState};

/// The format both streams use: deflate without the zlib header and checksum (RFC 1951), the
/// shortest of the three the browsers offer.
const FORMAT: &str = "deflate-raw";

#[wasm_bindgen]
extern "C" {
    /// `CompressionStream`: a transform stream (`readable`, `writable`).
    type CompressionStream;

    /// Throws where the browser lacks the class or the format (Safari before 16.4, Firefox before 113).
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;
}

#[wasm_bindgen]
extern "C" {
    /// `DecompressionStream`: a transform stream (`readable`, `writable`).
    type DecompressionStream;

    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
}

/// The state as a full fragment, `#s=<payload>`, deflated by the browser.
pub async fn share(state: &ShareState) -> Result<String, ShareError> {
    let frame = share_link::frame(state)?;
    let compressed = deflate(&frame).await?;
    share_link::seal(&compressed)
}

/// Opens a payload (the part after `#s=`, as [`share_link::parse_fragment`] gives it): the same steps
/// as [`share_link::decode`], with the browser's inflate capped at [`share_link::MAX_STATE_BYTES`].
pub async fn open(payload: &str) -> Result<ShareState, LinkError> {
    let (version, compressed) = share_link::unseal(payload)?;
    let frame = inflate(&compressed, share_link::MAX_STATE_BYTES).await?;
    share_link::unframe(version, &frame)
}

/// Deflates `bytes` (deflate-raw) with the browser's `CompressionStream`.
pub async fn deflate(bytes: &[u8]) -> Result<Vec<u8>, ShareError> {
    let stream = CompressionStream::new(FORMAT).map_err(|_| ShareError::Unsupported)?;
    let reader = through(bytes, stream.unchecked_ref()).map_err(|_| ShareError::Unsupported)?;
    // The output of a deflate is never far above its input; no cap is needed.
    read_all(&reader, usize::MAX)
        .await
        .map_err(|_| ShareError::Unsupported)
}

/// Inflates `bytes` (deflate-raw) with the browser's `DecompressionStream`, reading the output chunk by
/// chunk and giving up with [`InflateError::TooBig`] as soon as it would pass `cap` bytes.
pub async fn inflate(bytes: &[u8], cap: usize) -> Result<Vec<u8>, InflateError> {
    let stream = DecompressionStream::new(FORMAT).map_err(|_| InflateError::Unsupported)?;
    let reader = through(bytes, stream.unchecked_ref()).map_err(|_| InflateError::Unsupported)?;
    read_all(&reader, cap).await
}

/// `new Blob([bytes]).stream().pipeThrough(transform).getReader()`: piping lets the browser feed the
/// transform while we read, with no writer to deadlock on back-pressure.
fn through(
    bytes: &[u8],
    transform: &ReadableWritablePair,
) -> Result<ReadableStreamDefaultReader, JsValue> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let blob = Blob::new_with_u8_array_sequence(&parts)?;
    let output = blob.stream().pipe_through(transform);
    Ok(output.get_reader().unchecked_into())
}

/// Reads the stream to its end; a rejected read (a corrupt or cut-short stream) is
/// [`InflateError::Damaged`]. Past `cap`, the stream is cancelled and nothing more is read.
async fn read_all(
    reader: &ReadableStreamDefaultReader,
    cap: usize,
) -> Result<Vec<u8>, InflateError> {
    let mut out = Vec::new();
    loop {
        let result = JsFuture::from(reader.read())
            .await
            .map_err(|_| InflateError::Damaged)?;
        let done =
            Reflect::get(&result, &JsValue::from_str("done")).map_err(|_| InflateError::Damaged)?;
        if done.is_truthy() {
            return Ok(out);
        }
        let chunk: Uint8Array = Reflect::get(&result, &JsValue::from_str("value"))
            .map_err(|_| InflateError::Damaged)?
            .dyn_into()
            .map_err(|_| InflateError::Damaged)?;
        let len = chunk.length() as usize;
        if len > cap.saturating_sub(out.len()) {
            // Stop the decompression; what the cancel promise says no longer matters.
            let _ = JsFuture::from(reader.cancel()).await;
            return Err(InflateError::TooBig);
        }
        let start = out.len();
        out.resize(start + len, 0);
        chunk.copy_to(&mut out[start..]);
    }
}
