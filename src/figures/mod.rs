//! Figures: every number and verdict the documents state, computed once
//! from the loaded edition (scores, verdicts, trends over the chain of
//! editions, peers, statistics) and the semantic diff of two editions.

pub(crate) mod continuity;
pub(crate) mod diff;
pub(crate) mod method;
pub mod score;
pub mod scored;
pub mod series;
pub(crate) mod stats;
pub mod totals;
pub(crate) mod trends;
