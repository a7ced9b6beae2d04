//! Counting Typst's layout iterations per document.
//!
//! Typst lays a document out again until what it asked of the previous
//! layout (page numbers, counters, positions) no longer changes, at most
//! five times (`typst::compile`, `MAX_ITERS`). It tells how many times only
//! through its timing records (typst-timing), as a scope named
//! `iter (N)` per iteration on the compiling thread. [`scope`] marks
//! where each of our documents starts on its thread; [`read`] takes the
//! records and counts each document's iterations.

use std::num::NonZeroU64;

/// The name of the scope marking a document.
const DOCUMENT: &str = "korpsmonitor document";

/// Marks the start of document `index` on this thread while Typst's timing
/// records are on (`None` when they are off); the mark ends when dropped.
pub(super) fn scope(index: usize) -> Option<typst_timing::TimingScope> {
    // The index travels as the scope's span (a raw number, never resolved
    // by Typst), offset by one to be non-zero.
    typst_timing::TimingScope::with_span(DOCUMENT, NonZeroU64::new(index as u64 + 1))
}

/// One timing record, as typst-timing exports it (Chrome's trace format).
#[derive(serde::Deserialize)]
struct Record {
    name: String,
    /// `B` at a scope's start, `E` at its end.
    ph: String,
    tid: u64,
    args: Option<Args>,
}

#[derive(serde::Deserialize)]
struct Args {
    file: String,
}

/// Takes (and clears) Typst's timing records and counts the layout
/// iterations of each of `n` documents marked with [`scope`]: one entry per
/// document, `None` for one without records.
pub(super) fn read(n: usize) -> Vec<Option<usize>> {
    let mut json = Vec::new();
    // Spans are reported as their raw number: ours carry the document's
    // index; Typst's own are never looked at.
    if typst_timing::export_json(&mut json, |span| (span.get().to_string(), 0)).is_err() {
        return vec![None; n];
    }
    let records: Vec<Record> = serde_json::from_slice(&json).unwrap_or_default();
    count(&records, n)
}

/// The counting of [`read`], on parsed records in the order they were
/// made.
fn count(records: &[Record], n: usize) -> Vec<Option<usize>> {
    let mut counts = vec![None; n];
    let mut current: std::collections::HashMap<u64, usize> = Default::default();
    for r in records.iter().filter(|r| r.ph == "B") {
        if r.name == DOCUMENT {
            let index = r.args.as_ref().and_then(|a| a.file.parse::<usize>().ok());
            if let Some(i) = index.and_then(|i| i.checked_sub(1)).filter(|i| *i < n) {
                current.insert(r.tid, i);
            }
        } else if let Some(k) = r
            .name
            .strip_prefix("iter (")
            .and_then(|k| k.strip_suffix(')'))
            .and_then(|k| k.parse::<usize>().ok())
            && let Some(&doc) = current.get(&r.tid)
        {
            let c: &mut Option<usize> = &mut counts[doc];
            *c = Some(c.map_or(k, |c| c.max(k)));
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(name: &str, ph: &str, tid: u64, file: Option<&str>) -> Record {
        Record {
            name: name.into(),
            ph: ph.into(),
            tid,
            args: file.map(|f| Args { file: f.into() }),
        }
    }

    #[test]
    fn iterations_are_counted_per_document_and_thread() {
        let records = vec![
            record(DOCUMENT, "B", 1, Some("1")),
            record(DOCUMENT, "B", 2, Some("2")),
            record("iter (1)", "B", 1, None),
            record("iter (1)", "B", 2, None),
            record("layout", "B", 2, Some("12345")),
            record("iter (2)", "B", 1, None),
            record("iter (2)", "E", 1, None),
            record("iter (3)", "B", 1, None),
            record("iter (2)", "B", 2, None),
            // Thread 2 goes on with the third document.
            record(DOCUMENT, "B", 2, Some("3")),
            record("iter (1)", "B", 2, None),
        ];
        assert_eq!(count(&records, 4), vec![Some(3), Some(2), Some(1), None]);
    }

    #[test]
    fn records_before_any_document_or_out_of_range_are_ignored() {
        let records = vec![
            record("iter (1)", "B", 1, None),
            record(DOCUMENT, "B", 1, Some("9")),
            record("iter (2)", "B", 1, None),
        ];
        assert_eq!(count(&records, 2), vec![None, None]);
    }
}
