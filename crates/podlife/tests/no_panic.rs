//! Load and validation never panic, whatever the text: arbitrary strings, and valid manifests cut,
//! spliced and sprinkled with the characters learners mistype. Nor does the comparison (convert, both
//! simulations, the findings), which the playground runs on every edit while it compares.

use proptest::prelude::*;

const SEED: &str = include_str!("../../../tests/corpus/good/001-seed001-deployment-fixed.yaml");
const JOB: &str = include_str!("../../../tests/corpus/good/002-seed001-job-fixed.yaml");
const LEGACY: &str =
    include_str!("../../../tests/corpus/good/006-seed004-app-with-sidecar-deployment.yaml");
const PROXY: &str = include_str!("../../../tests/corpus/good/012-istio-style-proxy.yaml");

fn check_all_versions(text: &str) {
    for version in podlife::KubeVersion::all() {
        let options = podlife::CheckOptions {
            k8s: version,
            pick: None,
        };
        let report = podlife::check(text, &options);
        // Every position is inside the text (one line past the end for "ends too early" errors).
        let last_line = text.lines().count() as u32 + 1;
        for d in &report.diagnostics {
            assert!(
                (1..=last_line).contains(&d.span.start.line),
                "{d:?} outside {last_line} lines"
            );
            assert!(d.span.start.column >= 1, "{d:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        check_all_versions(&text);
    }

    #[test]
    fn yaml_shaped_noise_never_panics(text in "([ \\t]{0,6}(- )?[a-zA-Z]{0,12}:? ?[\\[\\]{},'\"&*!|>#0-9a-z-]{0,10}\n){0,30}") {
        check_all_versions(&text);
    }

    #[test]
    fn edited_manifests_never_panic(
        base in prop_oneof![Just(SEED), Just(JOB)],
        cut in 0usize..2000,
        insert in "[,:\\t '\"\\-\\[\\]{}#&*|>!%@`\n]{1,3}",
        delete in 0usize..5,
    ) {
        let chars: Vec<char> = base.chars().collect();
        let at = cut % (chars.len() + 1);
        let mut edited: String = chars[..at].iter().collect();
        edited.push_str(&insert);
        edited.extend(chars[(at + delete).min(chars.len())..].iter());
        check_all_versions(&edited);
    }

    #[test]
    fn edited_manifests_compare_without_panicking(
        base in prop_oneof![Just(SEED), Just(JOB), Just(LEGACY), Just(PROXY)],
        cut in 0usize..2500,
        insert in "[,:\\t '\"\\-\\[\\]{}#&*|>!%@`\n0-9a-z]{1,4}",
        delete in 0usize..5,
        version in prop_oneof![Just("1.28"), Just("1.29"), Just("1.34"), Just("1.36")],
        scenario in prop_oneof![Just(""), Just("delete-at=7s"), Just("delete-at=2s grace=1s")],
    ) {
        let chars: Vec<char> = base.chars().collect();
        let at = cut % (chars.len() + 1);
        let mut edited: String = chars[..at].iter().collect();
        edited.push_str(&insert);
        edited.extend(chars[(at + delete).min(chars.len())..].iter());
        let options = podlife::SimulateOptions {
            check: podlife::CheckOptions { k8s: version.parse().unwrap(), pick: None },
            scenario: podlife::scenario::Scenario::parse(scenario).unwrap(),
        };
        // Either both variants and their findings, or diagnostics: never a panic.
        if let Ok(c) = podlife::compare::compare(&edited, &options, &[]) {
            prop_assert!(!c.findings.is_empty());
            for f in &c.findings {
                for m in f.sides.legacy.moments.iter().chain(&f.sides.native.moments) {
                    prop_assert!(m.t.is_finite() && m.t >= 0.0, "{:?}", m);
                }
            }
        }
    }
}
