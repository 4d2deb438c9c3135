//! How much of a document may come from aliases: go-yaml's defence against "billion laughs" documents
//! (`b: &b [*a, *a, …]`, `c: &c [*b, *b, …]`, … where each level multiplies the one before). go-yaml
//! v2 (decode.go since v2.2.3, `allowedAliasRatio` and `decoder.unmarshal`; v3 keeps it) counts every
//! node it decodes, in document order, and apart those it decodes through an alias; once more than 100
//! come from aliases in more than 1000, the share from aliases may not pass 99 % (a small document), falling
//! to 10 % for one of 4 million decodes. kubectl then says `yaml: document contains excessive aliasing`.
//!
//! The tree builder copies the anchored node at each alias, so this check runs before the copy: the
//! copy's nodes all count as aliased, and since both counts grow by one per copied node, the share
//! crosses the limit during the copy exactly when it has crossed it at the copy's end.

/// podlife's own limit, below go-yaml's: a document of at most this many nodes, aliases expanded. The
/// builder copies each alias's node (≈ 0.2 µs a node), and a keystroke reads the text twice, so
/// go-yaml's 400 000 copies would spend the bound before anything is checked; the largest manifest
/// podlife reads (32 KiB) holds about 8 000 nodes of its own.
pub(super) const MAX_NODES: usize = 20_000;

/// Why an alias may not be copied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Refusal {
    /// go-yaml would stop here: kubectl says "document contains excessive aliasing".
    ExcessiveAliasing,
    /// The document passes [`MAX_NODES`]: kubectl would read it, podlife does not.
    PastPodlifesLimit,
}

/// Decodes below which 99 % may come from aliases (`alias_ratio_range_low`).
const SMALL_DOCUMENT: usize = 400_000;
/// Decodes from which only 10 % may (`alias_ratio_range_high`).
const LARGE_DOCUMENT: usize = 4_000_000;

#[derive(Debug, Default, Clone, Copy)]
pub(super) struct AliasBudget {
    /// Nodes decoded so far in this document, aliased copies included (`decodeCount`).
    decoded: usize,
    /// Of those, the ones decoded through an alias (`aliasCount`).
    aliased: usize,
}

impl AliasBudget {
    /// A node of the text itself (a scalar, a collection, an alias) is decoded.
    pub(super) fn count_node(&mut self) {
        self.decoded += 1;
    }

    /// An alias copies a node that costs `decodes` decodes; why not, when go-yaml would stop on the
    /// way or the document passes podlife's own limit.
    pub(super) fn spend_on_alias(&mut self, decodes: usize) -> Result<(), Refusal> {
        self.decoded += decodes;
        self.aliased += decodes;
        if self.aliased > 100
            && self.decoded > 1000
            && (self.aliased as f64) / (self.decoded as f64) > allowed_alias_ratio(self.decoded)
        {
            Err(Refusal::ExcessiveAliasing)
        } else if self.decoded > MAX_NODES {
            Err(Refusal::PastPodlifesLimit)
        } else {
            Ok(())
        }
    }
}

/// `allowedAliasRatio`: 99 % up to 400 000 decodes, 10 % from 4 000 000, a straight line between.
fn allowed_alias_ratio(decoded: usize) -> f64 {
    if decoded <= SMALL_DOCUMENT {
        0.99
    } else if decoded >= LARGE_DOCUMENT {
        0.10
    } else {
        let along = (decoded - SMALL_DOCUMENT) as f64 / (LARGE_DOCUMENT - SMALL_DOCUMENT) as f64;
        0.99 - 0.89 * along
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_document_may_be_almost_all_aliases() {
        let mut budget = AliasBudget::default();
        for _ in 0..20 {
            budget.count_node();
        }
        // 20 text nodes and 1800 aliased: 98.9 %, under 99 %.
        assert!(budget.spend_on_alias(1800).is_ok());
        // 20 text nodes and 2100 aliased: 99.06 %.
        assert_eq!(budget.spend_on_alias(300), Err(Refusal::ExcessiveAliasing));
    }

    #[test]
    fn the_first_thousand_decodes_are_free() {
        let mut budget = AliasBudget::default();
        budget.count_node();
        assert!(
            budget.spend_on_alias(999).is_ok(),
            "1000 decodes, 99.9 % aliased"
        );
    }

    #[test]
    fn a_document_past_podlifes_limit_is_refused_though_go_yaml_would_read_it() {
        let mut budget = AliasBudget::default();
        for _ in 0..2_000 {
            budget.count_node();
        }
        // 18 000 aliased in 20 000: within go-yaml's 99 %, and within podlife's limit.
        assert!(budget.spend_on_alias(18_000).is_ok());
        // 90 % again, but past podlife's limit of nodes.
        assert_eq!(
            budget.spend_on_alias(2_000),
            Err(Refusal::PastPodlifesLimit)
        );
    }

    #[test]
    fn the_allowed_share_falls_from_99_to_10_percent() {
        assert_eq!(allowed_alias_ratio(1000), 0.99);
        assert!((allowed_alias_ratio(2_200_000) - 0.545).abs() < 1e-9);
        assert_eq!(allowed_alias_ratio(5_000_000), 0.10);
    }
}
