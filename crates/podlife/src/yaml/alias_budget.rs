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

    /// An alias copies a node that costs `decodes` decodes; `false` when go-yaml would stop on the way.
    pub(super) fn spend_on_alias(&mut self, decodes: usize) -> bool {
        self.decoded += decodes;
        self.aliased += decodes;
        !(self.aliased > 100
            && self.decoded > 1000
            && (self.aliased as f64) / (self.decoded as f64) > allowed_alias_ratio(self.decoded))
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
        assert!(budget.spend_on_alias(1800));
        // 20 text nodes and 2100 aliased: 99.06 %.
        assert!(!budget.spend_on_alias(300));
    }

    #[test]
    fn the_first_thousand_decodes_are_free() {
        let mut budget = AliasBudget::default();
        budget.count_node();
        assert!(budget.spend_on_alias(999), "1000 decodes, 99.9 % aliased");
    }

    #[test]
    fn the_allowed_share_falls_from_99_to_10_percent() {
        assert_eq!(allowed_alias_ratio(1000), 0.99);
        assert!((allowed_alias_ratio(2_200_000) - 0.545).abs() < 1e-9);
        assert_eq!(allowed_alias_ratio(5_000_000), 0.10);
    }
}
