//! The share link: the page's whole state (manifest, mode, Kubernetes version, scenario, playhead) in
//! the URL fragment, `#s=<payload>`, and gallery entries as `#example/<id>`. The fragment never reaches
//! the server, so a link works on any static host. Format, caps and migrations: docs/share-link.md.
//!
//! This module is pure (no web-sys) and runs under `cargo test`; the compression is passed in, so tests
//! use an identity or a native deflate and the page uses the browser's `CompressionStream`
//! (`crate::compression`, which also holds the async `share` and `open` the page calls).
//!
//! ```text
//! payload  = base64url-without-padding( version:u8 ‖ field(deflate-raw(frame)) )
//! frame v1 = field(mode) ‖ field(k8s) ‖ field(playhead_ms) ‖ field(scenario) ‖ field(yaml)
//! field    = LEB128 length ‖ that many bytes
//! ```
//!
//! A link is untrusted input: its length is capped before anything is decoded, the unpacked frame is
//! capped while it is inflated, and every way it can be wrong is its own [`LinkError`] with a sentence
//! a learner understands. Nothing here panics on any input (a property test feeds it random text and
//! bytes).

use std::fmt;

use podlife::KubeVersion;

use crate::scenario_form::ScenarioForm;
use crate::simulation::Settings;

/// The schema version this podlife writes. Bump it for any change to the frame, and teach [`migrate`]
/// to read the previous one.
pub const VERSION: u8 = 1;

/// The longest payload (the fragment after `#s=`) opened or made, in characters: checked before
/// anything is decoded.
pub const MAX_FRAGMENT_CHARS: usize = 16 * 1024;

/// The largest unpacked frame, in bytes: decompression stops as soon as the output passes it.
pub const MAX_STATE_BYTES: usize = 256 * 1024;

/// The fragment's prefix for a state.
pub const STATE_PREFIX: &str = "#s=";

/// The fragment's prefix for a gallery entry.
pub const EXAMPLE_PREFIX: &str = "#example/";

/// Which view the link opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// One manifest, one timeline.
    #[default]
    Single,
    /// The manifest and its legacy ↔ native twin side by side (the comparison view).
    Compare,
}

impl Mode {
    /// Its name where the page keeps it (localStorage).
    pub fn name(self) -> &'static str {
        match self {
            Mode::Single => "single",
            Mode::Compare => "compare",
        }
    }

    pub fn from_name(name: &str) -> Mode {
        if name == "compare" {
            Mode::Compare
        } else {
            Mode::Single
        }
    }

    fn to_byte(self) -> u8 {
        match self {
            Mode::Single => 0,
            Mode::Compare => 1,
        }
    }

    fn from_byte(byte: u8) -> Result<Mode, LinkError> {
        match byte {
            0 => Ok(Mode::Single),
            1 => Ok(Mode::Compare),
            other => Err(LinkError::UnknownMode(other)),
        }
    }
}

/// Everything a link restores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareState {
    /// The schema version the link was written in ([`VERSION`] for a new state; an older number when
    /// [`decode`] migrated an old link). [`encode`] always writes [`VERSION`].
    pub version: u8,
    /// The manifest, exactly as typed.
    pub yaml: String,
    pub mode: Mode,
    /// The Kubernetes version, `1.36`.
    pub k8s: String,
    /// The scenario as `podlife.dev/scenario` text, as [`ScenarioForm::to_text`] writes it (possibly with
    /// a value the core cannot read: the page shows that next to the controls, so the link keeps it).
    pub scenario: String,
    /// The playhead, in virtual milliseconds.
    pub playhead_ms: u64,
}

impl ShareState {
    /// The state of the page: its text, settings, view and playhead (in virtual seconds).
    pub fn from_page(
        yaml: &str,
        settings: &Settings,
        mode: Mode,
        playhead_secs: f64,
    ) -> ShareState {
        let ms = playhead_secs * 1000.0;
        ShareState {
            version: VERSION,
            yaml: yaml.to_string(),
            mode,
            k8s: settings.k8s.to_string(),
            scenario: settings.scenario.to_text(),
            // `as` saturates: NaN and negative times give 0.
            playhead_ms: ms.round() as u64,
        }
    }

    /// The settings to restore. The version was checked by [`decode`]; the default is only for a
    /// state built by hand.
    pub fn settings(&self) -> Settings {
        Settings {
            k8s: self.k8s.parse().unwrap_or_default(),
            scenario: ScenarioForm::from_text(&self.scenario),
            sidecar: None,
        }
    }

    /// The playhead in virtual seconds, as `playback::Playback::t` holds it.
    pub fn playhead_secs(&self) -> f64 {
        self.playhead_ms as f64 / 1000.0
    }
}

/// What a URL fragment asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fragment {
    /// `#s=<payload>`: a shared state; hand the payload to [`decode`] (or `compression::open`).
    State(String),
    /// `#example/<id>`: a gallery entry; the id is not checked against the gallery here.
    Example(String),
    /// No fragment, or one that is not podlife's (an anchor).
    None,
}

/// Reads `location.hash` (with or without its `#`). Whitespace a copy may add around it is ignored.
pub fn parse_fragment(hash: &str) -> Fragment {
    let hash = hash.trim();
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    if let Some(payload) = hash.strip_prefix("s=") {
        Fragment::State(payload.to_string())
    } else if let Some(id) = hash.strip_prefix("example/") {
        let id = id.trim_end_matches('/');
        if !id.is_empty() && id.len() <= 64 && id.bytes().all(is_id_byte) {
            Fragment::Example(id.to_string())
        } else {
            Fragment::None
        }
    } else {
        Fragment::None
    }
}

fn is_id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// The fragment that opens a gallery entry: `#example/job-sidecar`.
pub fn example_fragment(id: &str) -> String {
    format!("{EXAMPLE_PREFIX}{id}")
}

/// Why a link cannot be opened. `Display` is the sentence for the learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// Longer than [`MAX_FRAGMENT_CHARS`]; nothing was decoded.
    TooLong { chars: usize },
    /// `#s=` with nothing after it.
    Empty,
    /// A character base64url does not have (the first one found).
    BadCharacter(char),
    /// Ends in the middle of something: a base64 group, a field, a number.
    Truncated,
    /// Schema version 0: never written by any podlife.
    UnknownVersion(u8),
    /// Written by a newer podlife than this page.
    NewerVersion(u8),
    /// The compressed part does not inflate (corrupted or cut short).
    Damaged,
    /// Unpacks to more than [`MAX_STATE_BYTES`]; decompression was stopped.
    TooBig,
    /// This browser has no `DecompressionStream("deflate-raw")`.
    Unsupported,
    /// A text field is not UTF-8.
    NotText { field: &'static str },
    /// A mode this podlife does not know.
    UnknownMode(u8),
    /// A Kubernetes version this podlife does not model (shortened for the message).
    UnknownKubernetes(String),
    /// Well-formed pieces in the wrong shape: a field of the wrong size, extra data after the end.
    Malformed,
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::TooLong { chars } => write!(
                f,
                "This link is too long to open ({} characters; podlife links are at most {}). \
                 It was not opened. Check that it is a podlife link.",
                thousands(*chars),
                thousands(MAX_FRAGMENT_CHARS)
            ),
            LinkError::Empty => write!(
                f,
                "This link is damaged: it ends right after \"#s=\", with no state. Ask for the link again."
            ),
            LinkError::BadCharacter(c) => write!(
                f,
                "This link is damaged: it contains {}, which podlife links never hold. \
                 Check that the whole link was copied, or ask for it again.",
                shown_char(*c)
            ),
            LinkError::Truncated => {
                write!(f, "This link is damaged: it was cut short. Ask for the link again.")
            }
            LinkError::UnknownVersion(v) => write!(
                f,
                "This link is damaged: it says format {v}, which no podlife ever wrote. Ask for the link again."
            ),
            LinkError::NewerVersion(v) => write!(
                f,
                "This link was made by a newer podlife (format {v}; this page reads up to format {VERSION}). \
                 Reload the page to get the newest podlife, then open the link again."
            ),
            LinkError::Damaged => write!(
                f,
                "This link is damaged: its contents cannot be unpacked. It may have been cut short or \
                 changed; ask for the link again."
            ),
            LinkError::TooBig => write!(
                f,
                "This link unpacks to more than {} KB, more than any manifest podlife shares. \
                 It was not opened.",
                MAX_STATE_BYTES / 1024
            ),
            LinkError::Unsupported => write!(
                f,
                "This browser cannot open podlife links: it lacks the DecompressionStream feature. \
                 Open the link in a recent Firefox, Chrome, Edge or Safari."
            ),
            LinkError::NotText { field } => write!(
                f,
                "This link is damaged: its {field} is not valid text. Ask for the link again."
            ),
            LinkError::UnknownMode(m) => write!(
                f,
                "This link opens a view this podlife does not have (view {m}). It may come from a newer \
                 podlife: reload the page and open the link again."
            ),
            LinkError::UnknownKubernetes(v) => write!(
                f,
                "This link asks for Kubernetes \"{v}\", which this podlife does not simulate \
                 (it knows {} to {}). It may come from a newer podlife: reload the page and open the link again.",
                KubeVersion::OLDEST,
                KubeVersion::NEWEST
            ),
            LinkError::Malformed => write!(
                f,
                "This link is damaged: its contents are not in podlife's format. Ask for the link again."
            ),
        }
    }
}

impl std::error::Error for LinkError {}

/// Why a state cannot be shared. `Display` is the sentence for the learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// The link would be longer than podlife opens.
    TooLong { chars: usize },
    /// The state is bigger than podlife unpacks, before compression.
    TooBig { bytes: usize },
    /// This browser has no `CompressionStream("deflate-raw")`.
    Unsupported,
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::TooLong { chars } => write!(
                f,
                "This manifest is too big to share as a link: the link would be {} characters, and \
                 podlife links hold at most {}. Share the file itself instead.",
                thousands(*chars),
                thousands(MAX_FRAGMENT_CHARS)
            ),
            ShareError::TooBig { bytes } => write!(
                f,
                "This manifest is too big to share as a link ({} KB; at most {} KB). Share the file itself instead.",
                bytes.div_ceil(1024),
                MAX_STATE_BYTES / 1024
            ),
            ShareError::Unsupported => write!(
                f,
                "This browser cannot make podlife links: it lacks the CompressionStream feature. \
                 Use a recent Firefox, Chrome, Edge or Safari."
            ),
        }
    }
}

impl std::error::Error for ShareError {}

/// Why a decompressor gave up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InflateError {
    /// The output passed the cap; reading stopped there.
    TooBig,
    /// Not a valid deflate-raw stream (corrupted, cut short, or followed by garbage).
    Damaged,
    /// No decompressor in this browser.
    Unsupported,
}

impl From<InflateError> for LinkError {
    fn from(e: InflateError) -> LinkError {
        match e {
            InflateError::TooBig => LinkError::TooBig,
            InflateError::Damaged => LinkError::Damaged,
            InflateError::Unsupported => LinkError::Unsupported,
        }
    }
}

/// The state as a full fragment, `#s=<payload>`, compressed by `compress` (deflate-raw in the page).
pub fn encode(
    state: &ShareState,
    compress: impl FnOnce(&[u8]) -> Vec<u8>,
) -> Result<String, ShareError> {
    let frame = frame(state)?;
    seal(&compress(&frame))
}

/// Opens a payload (the part after `#s=`; see [`parse_fragment`]). `decompress` inflates deflate-raw
/// and must stop with [`InflateError::TooBig`] once its output passes the cap it is given.
pub fn decode(
    payload: &str,
    decompress: impl FnOnce(&[u8], usize) -> Result<Vec<u8>, InflateError>,
) -> Result<ShareState, LinkError> {
    let (version, compressed) = unseal(payload)?;
    let frame = decompress(&compressed, MAX_STATE_BYTES)?;
    unframe(version, &frame)
}

/// The first step of [`encode`], for an async compressor: the state's frame in the current
/// [`VERSION`], uncompressed.
pub fn frame(state: &ShareState) -> Result<Vec<u8>, ShareError> {
    let mut out = Vec::with_capacity(state.yaml.len() + state.scenario.len() + 32);
    put_field(&mut out, &[state.mode.to_byte()]);
    put_field(&mut out, state.k8s.as_bytes());
    let mut playhead = Vec::with_capacity(10);
    put_varint(&mut playhead, state.playhead_ms);
    put_field(&mut out, &playhead);
    put_field(&mut out, state.scenario.as_bytes());
    put_field(&mut out, state.yaml.as_bytes());
    if out.len() > MAX_STATE_BYTES {
        return Err(ShareError::TooBig { bytes: out.len() });
    }
    Ok(out)
}

/// The last step of [`encode`]: the fragment for a compressed frame, or why it is too long to open.
pub fn seal(compressed: &[u8]) -> Result<String, ShareError> {
    let mut bytes = Vec::with_capacity(compressed.len() + 4);
    bytes.push(VERSION);
    put_field(&mut bytes, compressed);
    let payload = base64url_encode(&bytes);
    let fragment = format!("{STATE_PREFIX}{payload}");
    if payload.len() > MAX_FRAGMENT_CHARS {
        return Err(ShareError::TooLong {
            chars: fragment.len(),
        });
    }
    Ok(fragment)
}

/// The first step of [`decode`]: the length cap, base64url, and the version byte, which is checked
/// before anything is inflated. Gives the version and the compressed frame.
pub fn unseal(payload: &str) -> Result<(u8, Vec<u8>), LinkError> {
    if payload.len() > MAX_FRAGMENT_CHARS {
        return Err(LinkError::TooLong {
            chars: payload.chars().count(),
        });
    }
    let payload = payload.trim();
    if payload.is_empty() {
        return Err(LinkError::Empty);
    }
    let bytes = base64url_decode(payload)?;
    let Some((&version, rest)) = bytes.split_first() else {
        return Err(LinkError::Truncated);
    };
    match version {
        0 => return Err(LinkError::UnknownVersion(0)),
        v if v > VERSION => return Err(LinkError::NewerVersion(v)),
        _ => {}
    }
    // The compressed frame's length comes first, so a link cut short says so.
    let mut reader = Reader::new(rest);
    let compressed = reader.field()?;
    if compressed.is_empty() {
        return Err(LinkError::Truncated);
    }
    if !reader.at_end() {
        return Err(LinkError::Malformed);
    }
    Ok((version, compressed.to_vec()))
}

/// The last step of [`decode`]: an inflated frame of schema `version`, read into today's state.
pub fn unframe(version: u8, frame: &[u8]) -> Result<ShareState, LinkError> {
    if frame.len() > MAX_STATE_BYTES {
        return Err(LinkError::TooBig);
    }
    migrate(version, split_fields(frame)?)
}

/// Reads the fields of a frame written in schema `version` into the current [`ShareState`].
///
/// Every version's frame is a list of length-prefixed fields, so a frame splits the same way whatever
/// its version, and a migration works on the list: it turns the fields of version n into those of
/// version n + 1 (usually by appending a new field's default), until the current layout is reached.
/// When version 2 comes, with a field appended:
///
/// ```text
/// pub const VERSION: u8 = 2;
/// 1 => read_current(1, upgrade_v1_to_v2(fields)),   // push the new field's default bytes
/// 2 => read_current(2, fields),
/// ```
///
/// and the v1 reader's test keeps passing (`a_version_1_link_opens_after_a_field_is_added` shows it).
pub fn migrate(version: u8, fields: Vec<&[u8]>) -> Result<ShareState, LinkError> {
    match version {
        1 => read_current(version, &fields),
        0 => Err(LinkError::UnknownVersion(0)),
        v => Err(LinkError::NewerVersion(v)),
    }
}

/// The fields of the current layout, in order.
const FIELDS: usize = 5;

/// The current layout: mode, k8s, playhead, scenario, yaml; exactly these.
fn read_current(version: u8, fields: &[&[u8]]) -> Result<ShareState, LinkError> {
    if fields.len() < FIELDS {
        return Err(LinkError::Truncated);
    }
    if fields.len() > FIELDS {
        return Err(LinkError::Malformed);
    }
    let mode = match fields[0] {
        [byte] => Mode::from_byte(*byte)?,
        _ => return Err(LinkError::Malformed),
    };
    let k8s = text(fields[1], "Kubernetes version")?;
    if k8s.parse::<KubeVersion>().is_err() {
        return Err(LinkError::UnknownKubernetes(k8s.chars().take(16).collect()));
    }
    let mut reader = Reader::new(fields[2]);
    let playhead_ms = reader.varint()?;
    if !reader.at_end() {
        return Err(LinkError::Malformed);
    }
    Ok(ShareState {
        version,
        mode,
        k8s,
        playhead_ms,
        scenario: text(fields[3], "scenario")?,
        yaml: text(fields[4], "manifest")?,
    })
}

fn text(bytes: &[u8], field: &'static str) -> Result<String, LinkError> {
    String::from_utf8(bytes.to_vec()).map_err(|_| LinkError::NotText { field })
}

/// A frame's fields, each as its bytes. Any version's frame splits this way.
pub fn split_fields(frame: &[u8]) -> Result<Vec<&[u8]>, LinkError> {
    let mut reader = Reader::new(frame);
    let mut fields = Vec::new();
    while !reader.at_end() {
        fields.push(reader.field()?);
    }
    Ok(fields)
}

fn put_field(out: &mut Vec<u8>, bytes: &[u8]) {
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// LEB128: seven bits a byte, low bits first, the top bit set on every byte but the last.
fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Reads a frame; every read is checked against the bytes left.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, at: 0 }
    }

    fn at_end(&self) -> bool {
        self.at >= self.bytes.len()
    }

    fn varint(&mut self) -> Result<u64, LinkError> {
        let mut n: u64 = 0;
        for i in 0..10 {
            let byte = *self.bytes.get(self.at).ok_or(LinkError::Truncated)?;
            self.at += 1;
            // The tenth byte holds the 64th bit only.
            if i == 9 && byte > 1 {
                return Err(LinkError::Malformed);
            }
            n |= u64::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err(LinkError::Malformed)
    }

    fn field(&mut self) -> Result<&'a [u8], LinkError> {
        let len = self.varint()?;
        let left = self.bytes.len() - self.at;
        let len = usize::try_from(len).map_err(|_| LinkError::Truncated)?;
        if len > left {
            return Err(LinkError::Truncated);
        }
        let field = &self.bytes[self.at..self.at + len];
        self.at += len;
        Ok(field)
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url (RFC 4648 §5) without padding.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        // 1, 2 or 3 bytes give 2, 3 or 4 characters.
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
        }
    }
    out
}

/// Reads what [`base64url_encode`] writes: the 64 characters only, no padding, no whitespace.
pub fn base64url_decode(text: &str) -> Result<Vec<u8>, LinkError> {
    if let Some(c) = text
        .chars()
        .find(|c| !c.is_ascii() || sextet(*c as u8).is_none())
    {
        return Err(LinkError::BadCharacter(c));
    }
    if text.len() % 4 == 1 {
        return Err(LinkError::Truncated);
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    for chunk in text.as_bytes().chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= u32::from(sextet(c).ok_or(LinkError::Malformed)?) << (18 - 6 * i);
        }
        // 2, 3 or 4 characters hold 1, 2 or 3 whole bytes; the spare low bits are ignored (a link cut
        // short is then reported by the length that precedes the compressed frame).
        let whole = chunk.len() - 1;
        out.extend_from_slice(&n.to_be_bytes()[1..=whole]);
    }
    Ok(out)
}

fn sextet(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    }
}

/// `16384` → `16,384`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

fn shown_char(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        '\n' | '\r' => "a line break".into(),
        '\t' => "a tab".into(),
        c if c.is_control() => format!("the control character U+{:04X}", c as u32),
        c => format!("\"{c}\""),
    }
}

/// Whether opening a link over the saved session would lose the user's work, so the page must ask
/// first: a saved manifest that is not blank, not the link's own text, and not an untouched gallery
/// example (`saved_example` is `podlife.example`). It assumes the page, opening a link, replaces the
/// editor's text (`podlife.manifest`) and leaves the user's own draft (`podlife.draft`) alone.
pub fn would_replace_work(
    saved_manifest: Option<&str>,
    saved_example: Option<&str>,
    incoming_yaml: &str,
) -> bool {
    let Some(saved) = saved_manifest.filter(|s| !s.trim().is_empty()) else {
        return false;
    };
    if saved == incoming_yaml {
        return false;
    }
    let untouched_example = saved_example
        .and_then(crate::gallery::find)
        .is_some_and(|e| e.manifest == saved);
    !untouched_example
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The 40-line Job the 1,000-character goal is measured on.
    const JOB: &str = include_str!("../../tests/corpus/good/027-nightly-report-job.yaml");

    /// The browser's deflate-raw, natively: miniz_oxide, a dev-dependency only.
    fn deflate(bytes: &[u8]) -> Vec<u8> {
        miniz_oxide::deflate::compress_to_vec(bytes, 9)
    }

    fn inflate(bytes: &[u8], cap: usize) -> Result<Vec<u8>, InflateError> {
        use miniz_oxide::inflate::TINFLStatus;
        miniz_oxide::inflate::decompress_to_vec_with_limit(bytes, cap).map_err(|e| match e.status {
            TINFLStatus::HasMoreOutput => InflateError::TooBig,
            _ => InflateError::Damaged,
        })
    }

    fn identity(bytes: &[u8]) -> Vec<u8> {
        bytes.to_vec()
    }

    fn identity_capped(bytes: &[u8], cap: usize) -> Result<Vec<u8>, InflateError> {
        if bytes.len() > cap {
            Err(InflateError::TooBig)
        } else {
            Ok(bytes.to_vec())
        }
    }

    fn job_state() -> ShareState {
        ShareState {
            version: VERSION,
            yaml: JOB.to_string(),
            mode: Mode::Compare,
            k8s: "1.36".into(),
            scenario: "delete-at=20s grace=5s; set-image=report=python:3.13-slim@12s; reboot-at=1m"
                .into(),
            playhead_ms: 27_350,
        }
    }

    fn payload(fragment: &str) -> &str {
        fragment
            .strip_prefix(STATE_PREFIX)
            .expect("a state fragment")
    }

    /// A payload built by hand: version byte, then the (compressed) frame as given.
    fn raw_payload(version: u8, frame: &[u8]) -> String {
        let mut bytes = vec![version];
        put_field(&mut bytes, frame);
        base64url_encode(&bytes)
    }

    fn v1_frame(mode: &[u8], k8s: &[u8], playhead: &[u8], scenario: &[u8], yaml: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for field in [mode, k8s, playhead, scenario, yaml] {
            put_field(&mut out, field);
        }
        out
    }

    #[test]
    fn the_40_line_job_fits_in_under_1000_characters() {
        assert_eq!(JOB.lines().count(), 40, "the fixture is the 40-line Job");
        let result = crate::simulation::run(JOB, &job_state().settings());
        assert!(result.trace.is_some(), "the fixture is a Job podlife runs");
        let fragment = encode(&job_state(), deflate).unwrap();
        eprintln!(
            "40-line Job ({} bytes of YAML): the fragment is {} characters",
            JOB.len(),
            fragment.len()
        );
        assert!(
            fragment.len() < 1000,
            "the fragment is {} characters",
            fragment.len()
        );
        assert_eq!(decode(payload(&fragment), inflate), Ok(job_state()));
    }

    #[test]
    fn every_gallery_example_round_trips_through_a_real_deflate() {
        for example in crate::gallery::EXAMPLES {
            for mode in [Mode::Single, Mode::Compare] {
                let state = ShareState {
                    version: VERSION,
                    yaml: example.manifest.into(),
                    mode,
                    k8s: "1.28".into(),
                    scenario: String::new(),
                    playhead_ms: u64::MAX,
                };
                let fragment = encode(&state, deflate).unwrap();
                assert_eq!(
                    decode(payload(&fragment), inflate).as_ref(),
                    Ok(&state),
                    "{}",
                    example.id
                );
                assert_eq!(
                    parse_fragment(&fragment),
                    Fragment::State(payload(&fragment).into())
                );
            }
        }
    }

    #[test]
    fn the_page_state_round_trips_through_settings_and_seconds() {
        let settings = Settings {
            k8s: "1.31".parse().unwrap(),
            scenario: ScenarioForm::from_text("delete-at=20s grace=5s"),
            sidecar: None,
        };
        let state = ShareState::from_page("kind: Pod\n", &settings, Mode::Single, 12.3456);
        assert_eq!(state.playhead_ms, 12_346);
        assert_eq!(state.k8s, "1.31");
        assert_eq!(state.settings(), settings);
        assert_eq!(state.playhead_secs(), 12.346);
        let back = decode(payload(&encode(&state, identity).unwrap()), identity_capped).unwrap();
        assert_eq!(back.settings(), settings);
        assert_eq!(
            ShareState::from_page("", &settings, Mode::Single, f64::NAN).playhead_ms,
            0
        );
        assert_eq!(
            ShareState::from_page("", &settings, Mode::Single, -4.0).playhead_ms,
            0
        );
    }

    /// The format is frozen once links are out: this link, written by version 1, must open forever.
    #[test]
    fn a_link_written_today_keeps_opening() {
        let state = ShareState {
            version: 1,
            yaml: "apiVersion: v1\nkind: Pod\nmetadata: {name: é}\n".into(),
            mode: Mode::Single,
            k8s: "1.36".into(),
            scenario: "delete-at=5s".into(),
            playhead_ms: 300,
        };
        let frozen = "#s=AUYBAAQxLjM2AqwCDGRlbGV0ZS1hdD01cy5hcGlWZXJzaW9uOiB2MQpraW5kOiBQb2QKbWV0YWRhdGE6IHtuYW1lOiDDqX0K";
        assert_eq!(encode(&state, identity).unwrap(), frozen);
        assert_eq!(decode(payload(frozen), identity_capped), Ok(state));

        // The same through a real deflate (compressors may spell it differently; any inflate reads it).
        let state = ShareState {
            yaml: "kind: Pod\nspec:\n  containers:\n  - {name: a, image: nginx}\n  - {name: b, image: nginx}\n  - {name: c, image: nginx}\n".into(),
            mode: Mode::Compare,
            ..job_state()
        };
        let frozen = "#s=AY4BfcwxDgIhEAXQbLTaU8wBZCO70QJDYm_jFViYIHEZCEyhMR5Tz6NrZSwsf97_v2mWshu2i-ejOTickFEY1v26gi_Got7UHVRkEaLxqAvmVFjnK58SqaGTg6hTiHvZv2sFx5R4nstYzoGcgmNybc1oVQtgE7EJhKXOScCNTEQFZgWfbwXkA13u3zb-MftrLw";
        assert_eq!(decode(payload(frozen), inflate), Ok(state));
    }

    /// How version 2 would read version 1: a hypothetical v2 appends a field (the playback speed, in
    /// thousandths) and migrates v1 frames by appending its default. Today's v1 links still open.
    #[test]
    fn a_version_1_link_opens_after_a_field_is_added() {
        #[derive(Debug, PartialEq)]
        struct StateV2 {
            base: ShareState,
            speed_milli: u64,
        }
        fn upgrade_v1_to_v2(mut fields: Vec<&[u8]>) -> Vec<&[u8]> {
            fields.push(&[0xe8, 0x07]); // 1000 as LEB128: speed 1×
            fields
        }
        fn read_v2(version: u8, fields: &[&[u8]]) -> Result<StateV2, LinkError> {
            let (speed, v1_fields) = fields.split_last().ok_or(LinkError::Truncated)?;
            let base = read_current(version, v1_fields)?;
            let mut reader = Reader::new(speed);
            Ok(StateV2 {
                base,
                speed_milli: reader.varint()?,
            })
        }
        fn migrate_v2(version: u8, fields: Vec<&[u8]>) -> Result<StateV2, LinkError> {
            match version {
                1 => read_v2(1, &upgrade_v1_to_v2(fields)),
                2 => read_v2(2, &fields),
                0 => Err(LinkError::UnknownVersion(0)),
                v => Err(LinkError::NewerVersion(v)),
            }
        }

        // A v1 link, as this podlife writes it, through v2's reader.
        let fragment = encode(&job_state(), deflate).unwrap();
        let (version, compressed) = unseal(payload(&fragment)).unwrap();
        assert_eq!(version, 1);
        let frame = inflate(&compressed, MAX_STATE_BYTES).unwrap();
        let read = migrate_v2(version, split_fields(&frame).unwrap()).unwrap();
        assert_eq!(
            read,
            StateV2 {
                base: job_state(),
                speed_milli: 1000
            }
        );

        // A v2 frame (a sixth field) is read by v2 and refused by today's v1 page, before inflating.
        let mut v2_frame = frame.clone();
        put_field(&mut v2_frame, &[0xd0, 0x0f]); // 2000: speed 2×
        let v2 = migrate_v2(2, split_fields(&v2_frame).unwrap()).unwrap();
        assert_eq!(v2.speed_milli, 2000);
        assert_eq!(v2.base.version, 2);
        let v2_link = raw_payload(2, &deflate(&v2_frame));
        let refused = decode(&v2_link, |_, _| panic!("a newer link is not inflated"));
        assert_eq!(refused, Err(LinkError::NewerVersion(2)));
        assert_eq!(
            refused.unwrap_err().to_string(),
            "This link was made by a newer podlife (format 2; this page reads up to format 1). \
             Reload the page to get the newest podlife, then open the link again."
        );
    }

    #[test]
    fn fragments_are_states_examples_or_nothing() {
        assert_eq!(parse_fragment("#s=AQID"), Fragment::State("AQID".into()));
        assert_eq!(parse_fragment("s=AQID\n"), Fragment::State("AQID".into()));
        assert_eq!(parse_fragment("#s="), Fragment::State(String::new()));
        assert_eq!(
            parse_fragment("#example/job-sidecar"),
            Fragment::Example("job-sidecar".into())
        );
        assert_eq!(
            parse_fragment(&example_fragment("crashloop-backoff")),
            Fragment::Example("crashloop-backoff".into())
        );
        assert_eq!(
            parse_fragment("#example/job-sidecar/"),
            Fragment::Example("job-sidecar".into())
        );
        for nothing in [
            "",
            "#",
            "#top",
            "#example/",
            "#example/<script>",
            "#example/a/b",
            "#S=AQID",
        ] {
            assert_eq!(parse_fragment(nothing), Fragment::None, "{nothing:?}");
        }
        assert_eq!(
            parse_fragment(&format!("#example/{}", "a".repeat(65))),
            Fragment::None
        );
        for example in crate::gallery::EXAMPLES {
            assert_eq!(
                parse_fragment(&example_fragment(example.id)),
                Fragment::Example(example.id.into())
            );
        }
    }

    #[test]
    fn base64url_matches_rfc_4648_and_is_strict() {
        // RFC 4648 §10 vectors, unpadded.
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64url_encode(plain.as_bytes()), coded);
            assert_eq!(base64url_decode(coded).unwrap(), plain.as_bytes());
        }
        assert_eq!(base64url_encode(&[0xfb, 0xff, 0xbf]), "-_-_");
        assert_eq!(base64url_decode("-_-_").unwrap(), [0xfb, 0xff, 0xbf]);
        for len in 0..=300 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + len) as u8).collect();
            assert_eq!(base64url_decode(&base64url_encode(&bytes)).unwrap(), bytes);
        }
        assert_eq!(base64url_decode("Zm9v="), Err(LinkError::BadCharacter('=')));
        assert_eq!(base64url_decode("Zm+v"), Err(LinkError::BadCharacter('+')));
        assert_eq!(base64url_decode("Zm9vY"), Err(LinkError::Truncated));
        assert_eq!(base64url_decode("Zh").unwrap(), b"f"); // spare bits ignored
    }

    #[test]
    fn each_way_a_link_is_broken_has_its_own_error() {
        let good = encode(&job_state(), deflate).unwrap();
        let good = payload(&good);
        let cases: Vec<(String, LinkError)> = vec![
            (
                "A".repeat(MAX_FRAGMENT_CHARS + 1),
                LinkError::TooLong {
                    chars: MAX_FRAGMENT_CHARS + 1,
                },
            ),
            (String::new(), LinkError::Empty),
            (format!("{good}%20"), LinkError::BadCharacter('%')),
            (format!("{good} tail"), LinkError::BadCharacter(' ')),
            ("AQ".into(), LinkError::Truncated),
            (good[..good.len() - 1].to_string(), LinkError::Truncated),
            (good[..good.len() - 2].to_string(), LinkError::Truncated),
            (good[..good.len() / 2].to_string(), LinkError::Truncated),
            (format!("{good}AAAA"), LinkError::Malformed),
            (raw_payload(0, b"x"), LinkError::UnknownVersion(0)),
            (raw_payload(3, b"x"), LinkError::NewerVersion(3)),
            (raw_payload(255, b"x"), LinkError::NewerVersion(255)),
            (raw_payload(1, b"not deflate at all"), LinkError::Damaged),
            (raw_payload(1, &deflate(b"x")[..1]), LinkError::Damaged),
        ];
        for (link, expected) in cases {
            assert_eq!(
                decode(&link, inflate),
                Err(expected.clone()),
                "{:.40}",
                link
            );
        }

        // Frames, without compression.
        let frames: Vec<(Vec<u8>, LinkError)> = vec![
            (
                v1_frame(&[0], b"1.36", &[0], b"", b"\xff\xfe"),
                LinkError::NotText { field: "manifest" },
            ),
            (
                v1_frame(&[0], b"1.36", &[0], b"\xc3", b""),
                LinkError::NotText { field: "scenario" },
            ),
            (
                v1_frame(&[0], b"\x80", &[0], b"", b""),
                LinkError::NotText {
                    field: "Kubernetes version",
                },
            ),
            (
                v1_frame(&[2], b"1.36", &[0], b"", b""),
                LinkError::UnknownMode(2),
            ),
            (
                v1_frame(&[0], b"1.99", &[0], b"", b""),
                LinkError::UnknownKubernetes("1.99".into()),
            ),
            (
                v1_frame(&[0, 0], b"1.36", &[0], b"", b""),
                LinkError::Malformed,
            ),
            (
                v1_frame(&[0], b"1.36", &[0, 0], b"", b""),
                LinkError::Malformed,
            ),
            (
                v1_frame(&[0], b"1.36", &[0x80], b"", b""),
                LinkError::Truncated,
            ),
            (
                v1_frame(&[0], b"1.36", &[0xff; 11], b"", b""),
                LinkError::Malformed,
            ),
            (
                v1_frame(&[0], b"1.36", &[0], b"", b"")[..7].to_vec(),
                LinkError::Truncated,
            ),
            (
                [v1_frame(&[0], b"1.36", &[0], b"", b""), vec![0]].concat(),
                LinkError::Malformed,
            ),
            (vec![0x05, b'a'], LinkError::Truncated),
            (
                vec![0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
                LinkError::Truncated,
            ),
        ];
        for (frame, expected) in frames {
            assert_eq!(
                decode(&raw_payload(1, &frame), identity_capped),
                Err(expected.clone()),
                "{frame:?}"
            );
        }
        assert_eq!(
            decode(
                &raw_payload(1, &v1_frame(&[1], b"1.36", &[0x80, 0x01], b"", b"")),
                identity_capped
            )
            .map(|s| (s.mode, s.playhead_ms)),
            Ok((Mode::Compare, 128))
        );
    }

    #[test]
    fn a_zip_bomb_stops_at_the_cap() {
        // 10 MB of one byte deflates to ~10 KB, well inside the fragment cap.
        let bomb = deflate(&vec![b'a'; 10 * 1024 * 1024]);
        let link = raw_payload(1, &bomb);
        assert!(link.len() < MAX_FRAGMENT_CHARS, "{}", link.len());
        let mut seen_cap = 0;
        let result = decode(&link, |bytes, cap| {
            seen_cap = cap;
            inflate(bytes, cap)
        });
        assert_eq!(result, Err(LinkError::TooBig));
        assert_eq!(seen_cap, MAX_STATE_BYTES);
    }

    #[test]
    fn too_big_states_are_refused_when_shared() {
        let mut state = job_state();
        state.yaml = "x".repeat(MAX_STATE_BYTES);
        assert!(matches!(
            encode(&state, deflate),
            Err(ShareError::TooBig { .. })
        ));
        // Incompressible text small enough to unpack but too long for a link.
        let mut seed = 1u64;
        state.yaml = (0..20_000)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                char::from(b'a' + (seed >> 59) as u8)
            })
            .collect();
        let Err(ShareError::TooLong { chars }) = encode(&state, deflate) else {
            panic!("an incompressible 20 KB manifest is too long for a link");
        };
        assert!(chars > MAX_FRAGMENT_CHARS);
        // What is shared always opens.
        state.yaml.truncate(9_000);
        let fragment = encode(&state, deflate).unwrap();
        assert_eq!(decode(payload(&fragment), inflate), Ok(state));
    }

    #[test]
    fn messages_are_plain_sentences() {
        assert_eq!(
            LinkError::Truncated.to_string(),
            "This link is damaged: it was cut short. Ask for the link again."
        );
        assert!(LinkError::TooLong { chars: 20_000 }
            .to_string()
            .contains("20,000 characters; podlife links are at most 16,384"));
        assert!(LinkError::BadCharacter(' ').to_string().contains("a space"));
        assert!(LinkError::UnknownKubernetes("1.99".into())
            .to_string()
            .contains("it knows 1.28 to 1.37"));
        assert!(LinkError::TooBig.to_string().contains("256 KB"));
        assert!(ShareError::TooLong { chars: 17_000 }
            .to_string()
            .contains("17,000 characters"));
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn opening_a_link_asks_only_when_work_would_be_lost() {
        let example = crate::gallery::find("job-sidecar").unwrap();
        assert!(!would_replace_work(None, None, "x"));
        assert!(!would_replace_work(Some("  \n"), None, "x"));
        assert!(!would_replace_work(Some("same"), None, "same"));
        assert!(!would_replace_work(
            Some(example.manifest),
            Some("job-sidecar"),
            "x"
        ));
        assert!(would_replace_work(Some("my pod"), None, "x"));
        assert!(would_replace_work(Some("my pod"), Some("job-sidecar"), "x"));
        assert!(would_replace_work(
            Some(example.manifest),
            Some("draft"),
            "x"
        ));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn any_text_is_decoded_or_refused_without_panicking(text in ".{0,200}") {
            let _ = decode(&text, inflate);
            let _ = parse_fragment(&text);
        }

        #[test]
        fn any_payload_bytes_are_decoded_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let link = base64url_encode(&bytes);
            let _ = decode(&link, inflate);
            let _ = decode(&link, identity_capped);
            let mut v1 = vec![1];
            v1.extend_from_slice(&bytes);
            let _ = decode(&base64url_encode(&v1), identity_capped);
            // Past the version and the length: random frames, and random deflate streams.
            let framed = raw_payload(1, &bytes);
            let _ = decode(&framed, identity_capped);
            let _ = decode(&framed, inflate);
        }

        #[test]
        fn a_mutated_link_is_decoded_or_refused(at in 0usize..2000, byte in any::<u8>(), cut in 0usize..2000) {
            let good = encode(&job_state(), deflate).unwrap();
            let mut bytes = base64url_decode(payload(&good)).unwrap();
            let at = at % bytes.len();
            bytes[at] ^= byte;
            bytes.truncate(cut.max(1));
            let _ = decode(&base64url_encode(&bytes), inflate);
        }

        #[test]
        fn any_state_round_trips(
            yaml in ".{0,300}",
            scenario in ".{0,60}",
            minor in 28u8..=37,
            compare in any::<bool>(),
            playhead_ms in any::<u64>(),
        ) {
            let state = ShareState {
                version: VERSION,
                yaml,
                mode: if compare { Mode::Compare } else { Mode::Single },
                k8s: format!("1.{minor}"),
                scenario,
                playhead_ms,
            };
            let fragment = encode(&state, deflate).unwrap();
            prop_assert!(fragment.bytes().all(|b| b.is_ascii_alphanumeric() || b"#=-_".contains(&b)));
            prop_assert_eq!(decode(payload(&fragment), inflate), Ok(state.clone()));
            prop_assert_eq!(decode(payload(&encode(&state, identity).unwrap()), identity_capped), Ok(state));
        }
    }
}
