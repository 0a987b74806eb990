//! Small, exact ports of the Go standard library behaviour that Agones relies on when it
//! validates and runs autoscalers: `time.ParseDuration`, `net/url.Parse`, RFC 3339 parsing and
//! `time.LoadLocation`. Matching Go here is what makes a finding agree with the cluster.

pub mod duration;
pub mod time;
pub mod url;

/// `strconv.Atoi`: an optional sign and decimal digits, nothing else (no spaces), within 64 bits.
pub fn atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.strip_prefix('+').unwrap_or(s).parse().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn atoi_is_go_strconv_atoi() {
        assert_eq!(super::atoi("10"), Some(10));
        assert_eq!(super::atoi("+7"), Some(7));
        assert_eq!(super::atoi("-3"), Some(-3));
        for bad in ["", " 1", "1 ", "1.0", "+", "0x1", "1e2", "--1"] {
            assert_eq!(super::atoi(bad), None, "{bad:?}");
        }
    }
}
