//! The key figures' totals compared like with like: over the same units in
//! both editions. An edition that assesses units the previous one did not
//! (2010 added the KLPD and the KMar to 2008's 25 regional forces) would
//! otherwise compare its total with a total over fewer units.

use std::collections::BTreeSet;

use crate::figures::scored::{LikeForLike, ScoredEdition, Totals};

/// The like-for-like totals of `scored` (with its previous edition set)
/// against its previous edition; none
/// without a previous edition, or when no unit of this edition has a
/// predecessor that reported key figures.
///
/// A unit's predecessors are the units it `continues:`, or else the unit
/// of its own id. It is compared only when every predecessor reported; a
/// predecessor continued by two units counts once.
pub fn like_for_like(scored: &ScoredEdition) -> Option<LikeForLike> {
    let previous = scored.previous.as_ref()?;
    let reported = |id: &str| previous.unit(id).and_then(|u| u.key_figures);
    let mut now = Totals::default();
    let mut before_ids: BTreeSet<&str> = BTreeSet::new();
    let mut new = Vec::new();
    let mut unreported = Vec::new();
    for u in &scored.units {
        let Some(k) = u.key_figures else { continue };
        let predecessors: &[String] = if u.continues.is_empty() {
            std::slice::from_ref(&u.id)
        } else {
            &u.continues
        };
        if predecessors.iter().all(|p| reported(p).is_some()) {
            now.suspects += u64::from(k.suspects);
            now.case_files += u64::from(k.case_files);
            now.victims += u64::from(k.victims);
            now.units_reporting += 1;
            before_ids.extend(predecessors.iter().map(String::as_str));
        } else if predecessors.iter().all(|p| previous.unit(p).is_some()) {
            unreported.push(u.id.clone());
        } else {
            new.push(u.id.clone());
        }
    }
    if now.units_reporting == 0 {
        return None;
    }
    let mut before = Totals::default();
    for id in &before_ids {
        if let Some(k) = reported(id) {
            before.suspects += u64::from(k.suspects);
            before.case_files += u64::from(k.case_files);
            before.victims += u64::from(k.victims);
            before.units_reporting += 1;
        }
    }
    let gone = previous
        .units
        .iter()
        .filter(|u| u.key_figures.is_some() && !before_ids.contains(u.id.as_str()))
        .map(|u| u.id.clone())
        .collect();
    Some(LikeForLike {
        year: previous.year,
        now,
        before,
        new,
        unreported,
        gone,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(edition: &str) -> ScoredEdition {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(edition);
        let loaded = crate::data::load::load(&dir);
        crate::figures::score::score(loaded.edition.expect("the edition loads"))
    }

    #[test]
    fn units_the_previous_edition_did_not_assess_are_left_out() {
        // 2010 adds the KLPD and the KMar to 2008's 25 regional forces:
        // 337 suspects and 207 case files in all, 300 and 187 over the
        // regional forces, against 239 and 133 in 2008.
        let s = scored("data/2010");
        assert_eq!(s.figures.totals.suspects, 337);
        let l = like_for_like(&s).expect("a previous edition");
        assert_eq!(l.year, 2008);
        assert_eq!((l.now.suspects, l.now.case_files), (300, 187));
        assert_eq!((l.before.suspects, l.before.case_files), (239, 133));
        assert_eq!(l.now.units_reporting, 25);
        assert_eq!(l.new, ["klpd", "kmar"]);
        assert!(l.gone.is_empty());
        assert!(!l.is_whole());
    }

    #[test]
    fn a_unit_that_continues_others_is_compared_with_their_sum() {
        // 2014's units continue 2012's: each new unit's figures against
        // the sum of its former units'.
        let s = scored("data/2014");
        let l = like_for_like(&s).expect("a previous edition");
        let previous = s.previous.as_ref().unwrap();
        let sum: u64 = s
            .units
            .iter()
            .filter(|u| !l.new.contains(&u.id))
            .flat_map(|u| u.continues.iter())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .filter_map(|id| previous.unit(id).and_then(|u| u.key_figures))
            .map(|k| u64::from(k.suspects))
            .sum();
        assert_eq!(l.before.suspects, sum);
        assert_eq!(
            l.now.units_reporting as usize + l.new.len(),
            s.units.iter().filter(|u| u.key_figures.is_some()).count()
        );
    }

    #[test]
    fn no_previous_edition_no_comparison() {
        assert_eq!(like_for_like(&scored("data/2008")), None);
    }
}
