//! "Did you mean" suggestions.

/// The candidate closest to `word` by edit distance, when it is close enough to be a typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&lower, &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(d, c)| *d <= (c.len() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The one candidate nearest to `word`, if no other is as near: what a fix may rename to
/// without guessing.
pub fn unique_closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    let mut tied = false;
    for c in candidates {
        let d = strsim::damerau_levenshtein(&lower, &c.to_ascii_lowercase());
        if d > (c.len() / 3).max(1) {
            continue;
        }
        match best {
            Some((b, other)) if d == b && other != c => tied = true,
            Some((b, _)) if d >= b => {}
            _ => {
                best = Some((d, c));
                tied = false;
            }
        }
    }
    best.filter(|_| !tied).map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_unique_suggestion_is_one_without_a_tie() {
        assert_eq!(
            super::unique_closest("bufferSise", ["bufferSize", "minReplicas"]),
            Some("bufferSize")
        );
        // `port` is as near to `ports` as to `sort`.
        assert_eq!(super::unique_closest("port", ["ports", "sort"]), None);
        assert_eq!(
            super::unique_closest("packed", ["Packed", "Distributed"]),
            Some("Packed")
        );
    }

    #[test]
    fn finds_typos() {
        assert_eq!(
            super::closest("bufferSise", ["bufferSize", "minReplicas"]),
            Some("bufferSize")
        );
        assert_eq!(super::closest("zzz", ["bufferSize"]), None);
    }
}
