//! The chain of editions that `previous:` links: an edition, the one before
//! it, and so on back to the first. Its rules are the same wherever a
//! chain is walked (loading an edition, watching its folders, reading it at
//! a git revision): a link back to an edition already in the chain ends it
//! (a loop), and so does a chain longer than [`MAX_CHAIN`].

/// The most editions in a chain of `previous:` links, the edition itself
/// included: a chain deeper than this is an error (a biennial monitor
/// reaches it after sixty years), so a long or endless chain never hangs.
pub const MAX_CHAIN: usize = 32;

/// Why an edition cannot join a chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Broken {
    /// It is the edition at this position of the chain (0 is the newest):
    /// the chain loops.
    Loop(usize),
    /// The chain holds [`MAX_CHAIN`] editions already.
    TooLong,
}

/// The editions of a chain being walked, the newest first, each by a key
/// that names its folder however its path is written (e.g. the resolved
/// path).
#[derive(Debug, Clone)]
pub struct Chain<K> {
    keys: Vec<K>,
}

impl<K: PartialEq> Chain<K> {
    /// A chain that starts at the edition with `first`.
    pub fn new(first: K) -> Chain<K> {
        Chain { keys: vec![first] }
    }

    /// Whether the edition with `key` can follow the last one.
    ///
    /// Errors: [`Broken::Loop`] when it is in the chain already,
    /// [`Broken::TooLong`] when the chain is full.
    pub fn check(&self, key: &K) -> Result<(), Broken> {
        if let Some(at) = self.keys.iter().position(|k| k == key) {
            return Err(Broken::Loop(at));
        }
        if self.keys.len() >= MAX_CHAIN {
            return Err(Broken::TooLong);
        }
        Ok(())
    }

    /// Adds the edition with `key` after the last one (checked first with
    /// [`Chain::check`]).
    pub fn push(&mut self, key: K) {
        self.keys.push(key);
    }

    /// Takes the last edition off again.
    pub fn pop(&mut self) -> Option<K> {
        self.keys.pop()
    }
}

/// The folders of the chain that starts at `first`, the newest first.
/// `previous` gives the folder that the edition in a folder names (`None`
/// at the first edition of the chain); `key` names a folder for finding
/// loops. A loop or a chain longer than [`MAX_CHAIN`] ends the walk
/// quietly: the loader reports it, at the line of the `previous:` field.
///
/// Errors: the first error `previous` gives.
pub fn walk<T, K: PartialEq, E>(
    first: T,
    key: impl Fn(&T) -> K,
    mut previous: impl FnMut(&T) -> Result<Option<T>, E>,
) -> Result<Vec<T>, E> {
    let mut chain = Chain::new(key(&first));
    let mut folders = vec![first];
    while let Some(next) = previous(&folders[folders.len() - 1])? {
        let k = key(&next);
        if chain.check(&k).is_err() {
            break;
        }
        chain.push(k);
        folders.push(next);
    }
    Ok(folders)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(next: &[(u32, u32)]) -> impl FnMut(&u32) -> Result<Option<u32>, ()> + '_ {
        |at| Ok(next.iter().find(|(from, _)| from == at).map(|(_, to)| *to))
    }

    #[test]
    fn a_walk_ends_at_the_first_edition() {
        let chain = walk(2014, |y| *y, links(&[(2014, 2012), (2012, 2010)])).unwrap();
        assert_eq!(chain, [2014, 2012, 2010]);
    }

    #[test]
    fn a_loop_ends_the_walk_before_the_edition_comes_again() {
        let chain = walk(1, |y| *y, links(&[(1, 2), (2, 3), (3, 2)])).unwrap();
        assert_eq!(chain, [1, 2, 3]);
        let mut c = Chain::new(1);
        c.push(2);
        assert_eq!(c.check(&1), Err(Broken::Loop(0)));
        assert_eq!(c.check(&2), Err(Broken::Loop(1)));
        assert_eq!(c.check(&3), Ok(()));
    }

    #[test]
    fn a_chain_holds_at_most_max_chain_editions() {
        let next: Vec<(u32, u32)> = (0..100).map(|i| (i, i + 1)).collect();
        let chain = walk(0, |y| *y, links(&next)).unwrap();
        assert_eq!(chain.len(), MAX_CHAIN);
        let mut c = Chain::new(0);
        (1..MAX_CHAIN as u32).for_each(|i| c.push(i));
        assert_eq!(c.check(&1000), Err(Broken::TooLong));
    }

    #[test]
    fn an_error_of_previous_is_returned() {
        let r: Result<Vec<u32>, &str> = walk(0, |y| *y, |_| Err("unreadable"));
        assert_eq!(r, Err("unreadable"));
    }
}
