//! Browser tests of the share link's compression glue (`podlife_web::compression`): the browser's own
//! `CompressionStream`/`DecompressionStream("deflate-raw")` under the pure codec of `share_link`.
#![cfg(target_arch = "wasm32")]

use podlife_web::compression::{deflate, inflate, open, share};
use podlife_web::share_link::{
    self, parse_fragment, Fragment, InflateError, LinkError, Mode, ShareState, MAX_STATE_BYTES,
};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The 40-line Job the native test measures with miniz_oxide.
const JOB: &str = include_str!("../../tests/corpus/good/027-nightly-report-job.yaml");

fn job_state() -> ShareState {
    ShareState {
        version: share_link::VERSION,
        yaml: JOB.to_string(),
        mode: Mode::Single,
        k8s: "1.36".into(),
        scenario: "delete-at=20s grace=5s; set-image=report=python:3.13-slim@12s; reboot-at=1m"
            .into(),
        playhead_ms: 27_350,
    }
}

fn payload_of(fragment: &str) -> String {
    match parse_fragment(fragment) {
        Fragment::State(payload) => payload,
        other => panic!("not a state fragment: {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn a_state_round_trips_through_the_browsers_deflate() {
    let state = job_state();
    let fragment = share(&state).await.expect("the browser deflates");
    web_sys::console::log_1(
        &format!(
            "40-line Job through CompressionStream: {} characters",
            fragment.len()
        )
        .into(),
    );
    assert!(
        fragment.len() < 1000,
        "the 40-line Job's link is {} characters",
        fragment.len()
    );
    assert_eq!(open(&payload_of(&fragment)).await, Ok(state.clone()));

    // The browser's links open with the pure decoder too, given any inflate: here, the browser's
    // own, run first.
    let (_, compressed) = share_link::unseal(&payload_of(&fragment)).unwrap();
    let frame = inflate(&compressed, MAX_STATE_BYTES).await.unwrap();
    assert_eq!(
        share_link::decode(&payload_of(&fragment), |_, _| Ok(frame)),
        Ok(state)
    );
}

#[wasm_bindgen_test]
async fn deflate_and_inflate_agree_on_every_size() {
    for len in [0usize, 1, 2, 100, 70_000, 200_000] {
        let bytes: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
        let packed = deflate(&bytes).await.unwrap();
        assert_eq!(inflate(&packed, len).await, Ok(bytes), "{len} bytes");
    }
}

#[wasm_bindgen_test]
async fn an_oversized_decompression_is_refused() {
    // 8 MB of one byte deflates to a few KB: a small link that would unpack to megabytes.
    let bomb = deflate(&vec![b'a'; 8 * 1024 * 1024]).await.unwrap();
    assert!(bomb.len() < 16 * 1024, "{} bytes", bomb.len());
    assert_eq!(
        inflate(&bomb, MAX_STATE_BYTES).await,
        Err(InflateError::TooBig)
    );
    // One byte over the cap is refused; exactly the cap is not.
    let exact = deflate(&[7u8; 1000]).await.unwrap();
    assert_eq!(inflate(&exact, 999).await, Err(InflateError::TooBig));
    assert_eq!(inflate(&exact, 1000).await.map(|b| b.len()), Ok(1000));

    // Through the whole link: refused with the learner's message.
    let mut bytes = vec![share_link::VERSION];
    let mut len = bomb.len();
    while len >= 0x80 {
        bytes.push((len as u8 & 0x7f) | 0x80);
        len >>= 7;
    }
    bytes.push(len as u8);
    bytes.extend_from_slice(&bomb);
    let link = share_link::base64url_encode(&bytes);
    assert_eq!(open(&link).await, Err(LinkError::TooBig));
}

#[wasm_bindgen_test]
async fn a_damaged_link_is_refused() {
    let fragment = share(&job_state()).await.unwrap();
    let payload = payload_of(&fragment);

    // Cut short.
    assert_eq!(
        open(&payload[..payload.len() - 5]).await,
        Err(LinkError::Truncated)
    );

    // The compressed bytes changed: the browser's inflate rejects them.
    let (_, mut compressed) = share_link::unseal(&payload).unwrap();
    let middle = compressed.len() / 2;
    compressed.truncate(middle);
    assert_eq!(
        inflate(&compressed, MAX_STATE_BYTES).await,
        Err(InflateError::Damaged)
    );
    assert_eq!(
        inflate(b"not deflate at all", MAX_STATE_BYTES).await,
        Err(InflateError::Damaged)
    );

    // A newer link is refused before anything is inflated.
    let newer = share_link::base64url_encode(&[9, 1, 0]);
    assert_eq!(open(&newer).await, Err(LinkError::NewerVersion(9)));
}
