//! Matching the pages of two versions of a document by their words, for
//! `korpsmonitor compare` ([`crate::app::compare`]): which pages stayed
//! the same (perhaps at another number), which changed, and which were
//! added or removed; and the words that changed on a page.

use std::collections::HashMap;

use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::typeset::pages::Word;

/// How the pages of two versions correspond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pair {
    /// The same words on old page `.0` and new page `.1` (0-based): moved
    /// when the numbers differ.
    Same(usize, usize),
    /// Old page `.0` became new page `.1`, with other words.
    Changed(usize, usize),
    /// Old page `.0` has no counterpart.
    Removed(usize),
    /// New page `.0` has no counterpart.
    Added(usize),
}

/// The words of a page as compared: each word's text, with the page's
/// own number (a running footer's) replaced by `#`, so that a page that
/// only moved compares equal.
pub fn page_tokens(words: &[Word], number: u64) -> Vec<String> {
    let own = number.to_string();
    words
        .iter()
        .map(|w| {
            if w.text == own {
                "#".to_string()
            } else {
                w.text.clone()
            }
        })
        .collect()
}

/// Matches the pages of two versions by their words (`old[i]` is old page
/// `i`'s tokens): pages with equal words are paired in order by a
/// sequence alignment (Myers), so inserted or removed pages shift the rest
/// without changing it; between two such anchors, the remaining old and new
/// pages are paired in order as changed, and those left over are removed
/// or added. Every page appears in exactly one pair, in the order of the
/// new version (a removed page before the new page that follows it).
pub fn match_pages(old: &[Vec<String>], new: &[Vec<String>]) -> Vec<Pair> {
    let mut pairs = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, old, new) {
        let (o, n) = (op.old_range(), op.new_range());
        if let DiffOp::Equal { .. } = op {
            pairs.extend(o.zip(n).map(|(a, b)| Pair::Same(a, b)));
            continue;
        }
        if o.len() == n.len() {
            pairs.extend(o.zip(n).map(|(a, b)| Pair::Changed(a, b)));
        } else {
            pairs.extend(pair_block(old, new, o, n));
        }
    }
    pairs
}

/// How many words two pages share, counted as multisets.
fn shared_words(a: &[String], b: &[String]) -> usize {
    let mut counts: HashMap<&str, isize> = HashMap::new();
    for w in a {
        *counts.entry(w).or_default() += 1;
    }
    b.iter()
        .filter(|w| {
            counts.get_mut(w.as_str()).is_some_and(|c| {
                *c -= 1;
                *c >= 0
            })
        })
        .count()
}

/// Pairs the old pages `o` with the new pages `n` of a block that grew or
/// shrank (text flowed onto another page): the order-preserving pairing
/// that shares the most words (dynamic programming over the block); pages
/// that share no word with their partner are left removed or added.
fn pair_block(
    old: &[Vec<String>],
    new: &[Vec<String>],
    o: std::ops::Range<usize>,
    n: std::ops::Range<usize>,
) -> Vec<Pair> {
    let (k, m) = (o.len(), n.len());
    let sim = |i: usize, j: usize| shared_words(&old[o.start + i], &new[n.start + j]);
    // best[i][j]: the most words shared by pairing the first i old and
    // the first j new pages.
    let mut best = vec![vec![0usize; m + 1]; k + 1];
    for i in 1..=k {
        for j in 1..=m {
            let s = sim(i - 1, j - 1);
            let paired = if s > 0 { best[i - 1][j - 1] + s } else { 0 };
            best[i][j] = best[i - 1][j].max(best[i][j - 1]).max(paired);
        }
    }
    let mut back = Vec::new();
    let (mut i, mut j) = (k, m);
    while i > 0 || j > 0 {
        if i > 0
            && j > 0
            && sim(i - 1, j - 1) > 0
            && best[i][j] == best[i - 1][j - 1] + sim(i - 1, j - 1)
        {
            back.push(Pair::Changed(o.start + i - 1, n.start + j - 1));
            (i, j) = (i - 1, j - 1);
        } else if j > 0 && (i == 0 || best[i][j] == best[i][j - 1]) {
            back.push(Pair::Added(n.start + j - 1));
            j -= 1;
        } else {
            back.push(Pair::Removed(o.start + i - 1));
            i -= 1;
        }
    }
    back.reverse();
    back
}

/// The positions of the words removed from `old` and added in `new`
/// (indices into each), by a word diff (Myers).
pub fn changed_words(old: &[String], new: &[String]) -> (Vec<usize>, Vec<usize>) {
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    for op in capture_diff_slices(Algorithm::Myers, old, new) {
        match op {
            DiffOp::Equal { .. } => {}
            op => {
                removed.extend(op.old_range());
                added.extend(op.new_range());
            }
        }
    }
    (removed, added)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::pages::Rect;

    fn pages(texts: &[&str]) -> Vec<Vec<String>> {
        texts
            .iter()
            .map(|t| t.split_whitespace().map(String::from).collect())
            .collect()
    }

    #[test]
    fn an_inserted_page_shifts_the_rest_without_changing_it() {
        let old = pages(&["a b", "c d", "e f"]);
        let new = pages(&["a b", "c x", "y", "e f"]);
        assert_eq!(
            match_pages(&old, &new),
            vec![
                Pair::Same(0, 0),
                Pair::Changed(1, 1),
                Pair::Added(2),
                Pair::Same(2, 3)
            ]
        );
    }

    #[test]
    fn a_removed_page_and_equal_versions() {
        let old = pages(&["a", "b", "c"]);
        let new = pages(&["a", "c"]);
        assert_eq!(
            match_pages(&old, &new),
            vec![Pair::Same(0, 0), Pair::Removed(1), Pair::Same(2, 1)]
        );
        assert!(
            match_pages(&old, &old)
                .iter()
                .all(|p| matches!(p, Pair::Same(a, b) if a == b))
        );
    }

    #[test]
    fn text_that_flowed_onto_a_new_page_pairs_with_the_page_it_came_from() {
        let old = pages(&["kop", "a b c", "d e f", "slot"]);
        let new = pages(&["kop", "a b x x", "x x x", "c d e f", "slot"]);
        assert_eq!(
            match_pages(&old, &new),
            vec![
                Pair::Same(0, 0),
                Pair::Changed(1, 1),
                Pair::Added(2),
                Pair::Changed(2, 3),
                Pair::Same(3, 4)
            ]
        );
    }

    #[test]
    fn changed_words_are_found_by_position() {
        let old: Vec<String> = ["Goed", "toezicht."].map(String::from).to_vec();
        let new: Vec<String> = ["Matig", "toezicht."].map(String::from).to_vec();
        assert_eq!(changed_words(&old, &new), (vec![0], vec![0]));
    }

    #[test]
    fn the_page_number_does_not_count() {
        let w = |t: &str| Word {
            text: t.into(),
            rect: Rect {
                x0: 0.0,
                y0: 0.0,
                x1: 1.0,
                y1: 1.0,
            },
        };
        assert_eq!(page_tokens(&[w("Tekst"), w("7")], 7), vec!["Tekst", "#"]);
        assert_eq!(page_tokens(&[w("Tekst"), w("8")], 7), vec!["Tekst", "8"]);
    }
}
