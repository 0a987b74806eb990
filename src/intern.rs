//! Shared strings for what a run keeps per document until the pass across resources: the
//! same namespaces, Fleet names, kinds and field paths recur in thousands of facts, and one
//! allocation can serve them all.

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::Arc;

/// Strings a worker thread remembers before it starts afresh. Bounds the memory a
/// long-running `serve` spends here, whatever names its requests carry.
const CAPACITY: usize = 16 * 1024;

/// foldhash rather than SipHash: the table is asked once per fact field, on every document,
/// and a short key hashes several times faster; its seed is random per process all the same.
type Seen = HashSet<Arc<str>, foldhash::fast::RandomState>;

thread_local! {
    static SEEN: RefCell<Seen> = RefCell::new(Seen::default());
}

/// `s` as a shared string: the one this thread handed out before for the same text, when it
/// still remembers it.
pub fn intern(s: &str) -> Arc<str> {
    SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        if let Some(known) = seen.get(s) {
            return known.clone();
        }
        if seen.len() >= CAPACITY {
            // Strings already handed out stay valid; only the sharing restarts.
            seen.clear();
        }
        let new: Arc<str> = Arc::from(s);
        seen.insert(new.clone());
        new
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_share_one_allocation() {
        let a = intern("spec.fleetName");
        let b = intern(&String::from("spec.fleetName"));
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(&*a, "spec.fleetName");
        assert!(!Arc::ptr_eq(&a, &intern("spec.replicas")));
    }

    #[test]
    fn the_table_stays_bounded() {
        for i in 0..CAPACITY + 10 {
            intern(&format!("name-{i}"));
        }
        let size = SEEN.with(|s| s.borrow().len());
        assert!(size <= CAPACITY, "{size} strings remembered");
        // A string handed out before the table restarted is still whole.
        assert_eq!(&*intern("name-1"), "name-1");
    }
}
