//! The detector's first stage: boosted decision trees over a line's features, each of fixed
//! depth, summed into a log-odds that the line is body. Trees catch what one weight per feature
//! cannot (a short line is chrome at the page's edge and a subheading between paragraphs).
//!
//! Every tree also says which features moved its answer: walking a line down a tree, each split
//! shifts the expected log-odds from the node's value to the child's, and that shift is
//! credited to the split's feature. The credits of all trees explain the line's score.

use std::borrow::Cow;

use super::features::{Features, FEATURES};

/// Depth of every tree: three splits from the root to a leaf.
pub const DEPTH: usize = 3;
/// Splits of a tree, in breadth-first order (node `i` has children `2i + 1` and `2i + 2`).
pub const SPLITS: usize = (1 << DEPTH) - 1;
/// Leaves of a tree, left to right.
pub const LEAVES: usize = 1 << DEPTH;

/// [`FEATURES`] rounded up to a power of two.
const PADDED: usize = FEATURES.next_power_of_two();

/// A line's features followed by zeros, [`PADDED`] in all.
type PaddedFeatures = [f32; PADDED];

/// One split: lines whose feature is above the threshold go right.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Split {
    /// Index of the feature in `FEATURE_NAMES` order.
    pub feature: u8,
    /// Lines with a value above it go right.
    pub threshold: f32,
    /// The log-odds expected of the lines that reach the node (for explanations).
    pub value: f32,
}

/// A tree of fixed depth: [`SPLITS`] splits and [`LEAVES`] leaf values in log-odds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tree {
    /// The splits, breadth first.
    pub splits: [Split; SPLITS],
    /// The leaves' log-odds, left to right.
    pub leaves: [f32; LEAVES],
}

/// A tree from its splits as `(feature, threshold, value)`, breadth first, and its leaves: the
/// compact form the generated model is written in.
pub const fn tree(splits: [(u8, f32, f32); SPLITS], leaves: [f32; LEAVES]) -> Tree {
    let mut built = [Split {
        feature: 0,
        threshold: 0.0,
        value: 0.0,
    }; SPLITS];
    let mut i = 0;
    while i < SPLITS {
        let (feature, threshold, value) = splits[i];
        // A split picks its feature modulo the padded length (see `Tree::descend`), so an index
        // past the features would quietly read the wrong one: the model must not build.
        assert!(
            (feature as usize) < FEATURES,
            "a split names a feature there is not"
        );
        built[i] = Split {
            feature,
            threshold,
            value,
        };
        i += 1;
    }
    Tree {
        splits: built,
        leaves,
    }
}

impl Tree {
    /// The leaf value a line reaches, calling `visit` with each split on the way down: a loop
    /// of fixed length the compiler unrolls, over the features padded to a power of two so that
    /// picking a feature needs no bounds check.
    fn descend(&self, features: &PaddedFeatures, mut visit: impl FnMut(&Split)) -> f32 {
        let mut node = 0;
        for _ in 0..DEPTH {
            let split = &self.splits[node];
            visit(split);
            let right = features[usize::from(split.feature) % PADDED] > split.threshold;
            node = 2 * node + 1 + usize::from(right);
        }
        self.leaves[(node - SPLITS) % LEAVES]
    }

    /// The tree's log-odds for a line.
    fn predict(&self, features: &PaddedFeatures) -> f32 {
        self.descend(features, |_| {})
    }
}

/// `features` followed by zeros, [`PADDED`] in all.
fn padded(features: &Features) -> PaddedFeatures {
    let mut padded = [0.0; PADDED];
    padded[..FEATURES].copy_from_slice(features);
    padded
}

/// A sum of trees: the first stage of the detector.
#[derive(Debug, Clone, PartialEq)]
pub struct Forest {
    /// Log-odds before any tree.
    pub base: f32,
    /// The trees.
    pub trees: Cow<'static, [Tree]>,
}

impl Forest {
    /// The log-odds that a line with these features is body.
    pub fn log_odds(&self, features: &Features) -> f32 {
        let features = padded(features);
        self.base + self.trees.iter().map(|tree| tree.predict(&features)).sum::<f32>()
    }

    /// How much each feature moved the line's log-odds away from what the trees expect of any
    /// line: negative where the feature made the line look less like body.
    pub fn credits(&self, features: &Features) -> Features {
        let features = padded(features);
        let mut credits = [0.0f32; FEATURES];
        for tree in self.trees.iter() {
            // Each split moves the expected value from its own to the next node's (the leaf's
            // after the last).
            let mut path = [(0usize, 0.0f32); DEPTH];
            let mut depth = 0;
            let leaf = tree.descend(&features, |split| {
                path[depth] = (usize::from(split.feature), split.value);
                depth += 1;
            });
            for (depth, (feature, value)) in path.iter().enumerate() {
                let next = path.get(depth + 1).map_or(leaf, |(_, value)| *value);
                credits[*feature] += next - value;
            }
        }
        credits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tree splitting on feature 1 at 0.5, then on nothing that matters.
    fn stump(left: f32, right: f32) -> Tree {
        let split = |feature: u8, value: f32| Split {
            feature,
            threshold: 0.5,
            value,
        };
        Tree {
            splits: [
                split(1, (left + right) / 2.0),
                split(0, left),
                split(0, right),
                split(0, left),
                split(0, left),
                split(0, right),
                split(0, right),
            ],
            leaves: [left, left, left, left, right, right, right, right],
        }
    }

    #[test]
    fn a_line_goes_right_above_the_threshold_and_sums_over_trees() {
        let forest = Forest {
            base: 0.5,
            trees: Cow::Owned(vec![stump(-1.0, 2.0), stump(0.0, 1.0)]),
        };
        let mut features = [0.0f32; FEATURES];
        assert_eq!(forest.log_odds(&features), 0.5 - 1.0);
        features[1] = 0.7;
        assert_eq!(forest.log_odds(&features), 0.5 + 2.0 + 1.0);
    }

    #[test]
    fn the_split_feature_is_credited_with_the_move() {
        let forest = Forest {
            base: 0.0,
            trees: Cow::Owned(vec![stump(-1.0, 2.0)]),
        };
        let features = [0.0f32; FEATURES];
        let credits = forest.credits(&features);
        assert_eq!(credits[1], -1.0 - 0.5);
        assert!(credits.iter().enumerate().all(|(j, c)| j == 1 || *c == 0.0));
    }
}
