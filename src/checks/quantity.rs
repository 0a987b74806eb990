//! Kubernetes resource quantities (`resource.Quantity`): `500m`, `1.5Gi`, `2e3`, `128974848`.

/// The quantity's value, or why it is not a quantity.
pub fn parse(s: &str) -> Result<f64, String> {
    let err = || format!("`{s}` is not a Kubernetes quantity (examples: 500m, 2, 1.5Gi, 128Mi)");
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits_start = i;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
        i += 1;
    }
    let number = &s[..i];
    let body = &s[digits_start..i];
    if body.is_empty() || body == "." || body.matches('.').count() > 1 {
        return Err(err());
    }
    let value: f64 = number.parse().map_err(|_| err())?;
    let suffix = &s[i..];
    let factor = match suffix {
        "" => 1.0,
        "Ki" => 1024f64,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        _ => {
            let exp = suffix.strip_prefix(['e', 'E']).ok_or_else(err)?;
            let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return Err(err());
            }
            let e: i32 = exp.parse().map_err(|_| err())?;
            10f64.powi(e)
        }
    };
    Ok(value * factor)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn quantities() {
        assert_eq!(parse("500m"), Ok(0.5));
        assert_eq!(parse("1Gi"), Ok(1073741824.0));
        assert_eq!(parse("2e3"), Ok(2000.0));
        assert_eq!(parse("-1"), Ok(-1.0));
        assert_eq!(parse(".5"), Ok(0.5));
        for bad in [
            "", "m", "1.2.3", "1 Gi", "1gi", "1KiB", "abc", "1e", "1e1.5",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
