//! Words: Dutch as the documents write it (numbers, lists, dates, counts
//! and agreement, the sentences that compare verdicts).

pub(crate) mod dutch;
