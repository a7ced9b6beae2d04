//! The template contexts: every value a template can reach, as plain
//! serialisable structs. This module holds the small pieces the report's and
//! the trends' contexts share; [`report`] and [`trends`] hold theirs. The
//! renderers beside it (`render::report`, `render::trends`,
//! `render::letter`) fill them; the contexts compute nothing.

use serde::Serialize;

use crate::data::model::Verdict;
use crate::data::values::{Trend, VerdictCounts};
use crate::render::charts::Chart;

pub mod report;
pub mod trends;

/// Verdict counts.
#[derive(Debug, Serialize)]
pub struct CountsCtx {
    /// Conform norm.
    pub conform_norm: u32,
    /// Aandacht.
    pub aandacht: u32,
    /// Onvoldoende.
    pub onvoldoende: u32,
    /// Not applicable.
    pub nvt: u32,
}

impl From<&VerdictCounts> for CountsCtx {
    fn from(c: &VerdictCounts) -> CountsCtx {
        CountsCtx {
            conform_norm: c.conform_norm,
            aandacht: c.aandacht,
            onvoldoende: c.onvoldoende,
            nvt: c.not_applicable,
        }
    }
}

/// A verdict as printed.
#[derive(Debug, Serialize)]
pub struct VerdictCtx {
    /// `conform_norm`, `aandacht` or `onvoldoende` (for colours).
    pub id: &'static str,
    /// "conform norm".
    pub label: &'static str,
}

impl From<Verdict> for VerdictCtx {
    fn from(v: Verdict) -> VerdictCtx {
        VerdictCtx {
            id: v.id(),
            label: v.label(),
        }
    }
}

/// A change since the previous edition.
#[derive(Debug, Serialize)]
pub struct TrendCtx {
    /// `better`, `same`, `worse` or `new`.
    pub id: &'static str,
    /// The Dutch words: for a dimension its direction ("verbeterd"), for a
    /// unit what changed ("verbeterd op 2 dimensies").
    pub label: String,
}

impl From<Trend> for TrendCtx {
    fn from(t: Trend) -> TrendCtx {
        TrendCtx {
            id: match t {
                Trend::Better => "better",
                Trend::Same => "same",
                Trend::Worse => "worse",
                Trend::New => "new",
            },
            label: t.label().to_string(),
        }
    }
}

/// A chart reference.
#[derive(Debug, Serialize, Clone)]
pub struct ChartCtx {
    /// Virtual path of the SVG.
    pub file: String,
    /// Alternative text.
    pub alt: String,
    /// Width in cm.
    pub width_cm: f64,
}

impl From<&Chart> for ChartCtx {
    fn from(c: &Chart) -> ChartCtx {
        ChartCtx {
            file: c.file.clone(),
            alt: c.alt.clone(),
            width_cm: c.width_cm,
        }
    }
}
