//! Go's `time.ParseDuration`, to the nanosecond and with its overflow rules.

/// A Go duration in nanoseconds.
pub type Nanos = i64;

pub const SECOND: Nanos = 1_000_000_000;
pub const MINUTE: Nanos = 60 * SECOND;
pub const HOUR: Nanos = 60 * MINUTE;

/// Why a duration failed to parse, worded for users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationError(pub String);

fn unit(u: &str) -> Option<u64> {
    Some(match u {
        "ns" => 1,
        "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => return None,
    })
}

const LIMIT: u64 = 1 << 63;

pub fn parse(orig: &str) -> Result<Nanos, DurationError> {
    let invalid = || {
        DurationError(format!(
            "`{orig}` is not a Go duration (examples: 90s, 1h30m, 1.5h, 300ms)"
        ))
    };
    let mut s = orig.as_bytes();
    let mut neg = false;
    if let Some(&c) = s.first() {
        if c == b'-' || c == b'+' {
            neg = c == b'-';
            s = &s[1..];
        }
    }
    if s == b"0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut d: u64 = 0;
    while !s.is_empty() {
        if !(s[0] == b'.' || s[0].is_ascii_digit()) {
            return Err(invalid());
        }
        // Leading integer.
        let mut v: u64 = 0;
        let mut i = 0;
        while i < s.len() && s[i].is_ascii_digit() {
            if v > LIMIT / 10 {
                return Err(invalid());
            }
            v = v * 10 + u64::from(s[i] - b'0');
            if v > LIMIT {
                return Err(invalid());
            }
            i += 1;
        }
        let pre = i > 0;
        s = &s[i..];
        // Fraction.
        let (mut f, mut scale, mut post) = (0u64, 1f64, false);
        if !s.is_empty() && s[0] == b'.' {
            s = &s[1..];
            let mut i = 0;
            let mut overflow = false;
            while i < s.len() && s[i].is_ascii_digit() {
                if !overflow {
                    if f > (LIMIT - 1) / 10 {
                        overflow = true;
                    } else {
                        let y = f * 10 + u64::from(s[i] - b'0');
                        if y > LIMIT {
                            overflow = true;
                        } else {
                            f = y;
                            scale *= 10.0;
                        }
                    }
                }
                i += 1;
            }
            post = i > 0;
            s = &s[i..];
        }
        if !pre && !post {
            return Err(invalid());
        }
        let mut i = 0;
        while i < s.len() && !(s[i] == b'.' || s[i].is_ascii_digit()) {
            i += 1;
        }
        if i == 0 {
            return Err(DurationError(format!(
                "`{orig}` has a number without a unit (use ns, us, ms, s, m or h)"
            )));
        }
        let u_str = String::from_utf8_lossy(&s[..i]).into_owned();
        s = &s[i..];
        let Some(u) = unit(&u_str) else {
            return Err(DurationError(format!(
                "`{orig}` uses the unknown unit `{u_str}` (use ns, us, ms, s, m or h)"
            )));
        };
        if v > LIMIT / u {
            return Err(invalid());
        }
        v *= u;
        if f > 0 {
            v += (f as f64 * (u as f64 / scale)) as u64;
            if v > LIMIT {
                return Err(invalid());
            }
        }
        d += v;
        if d > LIMIT {
            return Err(invalid());
        }
    }
    if neg {
        return Ok((d as i128).wrapping_neg() as i64);
    }
    if d > LIMIT - 1 {
        return Err(invalid());
    }
    Ok(d as i64)
}

/// Formats nanoseconds the way Go's `Duration.String` does for whole seconds (`1h30m0s`),
/// close enough for messages.
pub fn format(n: Nanos) -> String {
    let neg = n < 0;
    let mut secs = (n.unsigned_abs() / 1_000_000_000) as u128;
    let frac = n.unsigned_abs() % 1_000_000_000;
    let h = secs / 3600;
    secs %= 3600;
    let m = secs / 60;
    let s = secs % 60;
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if h > 0 || m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if frac > 0 {
        let f = format!("{frac:09}");
        out.push_str(&format!("{s}.{}s", f.trim_end_matches('0')));
    } else {
        out.push_str(&format!("{s}s"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_go_syntax() {
        assert_eq!(parse("2h45m"), Ok(2 * HOUR + 45 * MINUTE));
        assert_eq!(parse("1.5h"), Ok(90 * MINUTE));
        assert_eq!(parse("300ms"), Ok(300_000_000));
        assert_eq!(parse("-1.5h"), Ok(-90 * MINUTE));
        assert_eq!(parse("0"), Ok(0));
        assert_eq!(parse("+0"), Ok(0));
        assert_eq!(parse(".5s"), Ok(SECOND / 2));
        assert_eq!(parse("1µs"), Ok(1000));
        assert_eq!(parse("2562047h47m16.854775807s"), Ok(i64::MAX));
        assert_eq!(parse("-2562047h47m16.854775808s"), Ok(i64::MIN));
    }

    #[test]
    fn rejects_what_go_rejects() {
        for bad in [
            "",
            "1",
            "1h-30m",
            "-",
            ".",
            "1d",
            "h",
            "1.h.",
            "2562047h47m16.854775808s",
            "1 h",
            " 1h",
            "1H",
        ] {
            assert!(parse(bad).is_err(), "{bad} should be rejected");
        }
        assert!(parse("1.s").is_ok());
    }

    #[test]
    fn formats_like_go() {
        assert_eq!(format(90 * MINUTE), "1h30m0s");
        assert_eq!(format(45 * SECOND), "45s");
        assert_eq!(format(-2 * MINUTE), "-2m0s");
    }
}
