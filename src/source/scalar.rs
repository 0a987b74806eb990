//! Resolution of plain YAML scalars the way Kubernetes reads them.
//!
//! `kubectl` and the API server read YAML through sigs.k8s.io/yaml, which is built on a YAML 1.1
//! reader (go-yaml v2). That matters: `on`, `yes` and `n` are booleans there, `0755` is an octal
//! integer and `08` (not valid octal) falls through to a float. A linter that used YAML 1.2 rules
//! would disagree with the cluster about what a manifest says, so this module follows go-yaml v2.

/// A scalar after resolution, before it becomes part of the tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
}

/// Resolves a plain (unquoted, untagged) scalar.
pub fn resolve_plain(text: &str) -> Scalar {
    resolve_plain_non_string(text).unwrap_or_else(|| Scalar::Str(text.to_string()))
}

/// [`resolve_plain`] for a scalar that is not a string; None for a string, which the caller
/// then takes as written (the parser's own copy, with no second one).
pub fn resolve_plain_non_string(text: &str) -> Option<Scalar> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Scalar::Null),
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Some(Scalar::Bool(true))
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Some(Scalar::Bool(false))
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Some(Scalar::Float(f64::INFINITY))
        }
        "-.inf" | "-.Inf" | "-.INF" => return Some(Scalar::Float(f64::NEG_INFINITY)),
        ".nan" | ".NaN" | ".NAN" => return Some(Scalar::Float(f64::NAN)),
        _ => {}
    }
    let first = text.as_bytes()[0];
    if !matches!(first, b'+' | b'-' | b'.' | b'0'..=b'9') {
        return None;
    }
    let plain: std::borrow::Cow<'_, str> = if text.contains('_') {
        text.chars()
            .filter(|&c| c != '_')
            .collect::<String>()
            .into()
    } else {
        text.into()
    };
    if let Some(i) = parse_go_int(&plain) {
        return Some(i);
    }
    if is_yaml_style_float(text) {
        if let Ok(f) = plain.parse::<f64>() {
            return Some(Scalar::Float(f));
        }
    }
    // go-yaml v2 also accepts an explicit binary prefix with a sign.
    if let Some(rest) = plain.strip_prefix("0b") {
        if let Ok(v) = i64::from_str_radix(rest, 2) {
            return Some(Scalar::Int(v));
        }
    }
    if let Some(rest) = plain.strip_prefix("-0b") {
        if let Ok(v) = i64::from_str_radix(rest, 2) {
            return Some(Scalar::Int(-v));
        }
    }
    None
}

/// `strconv.ParseInt(s, 0, 64)` and then `ParseUint(s, 0, 64)`: base prefixes 0x, 0o, 0b and a
/// leading 0 for octal, an optional sign (only for the signed form).
fn parse_go_int(s: &str) -> Option<Scalar> {
    let (neg, body) = match s.as_bytes().first()? {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() {
        return None;
    }
    let (radix, digits) =
        if let Some(r) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (16, r)
        } else if let Some(r) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
            (8, r)
        } else if let Some(r) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
            (2, r)
        } else if body.len() > 1 && body.starts_with('0') {
            (8, &body[1..])
        } else {
            (10, body)
        };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    if neg {
        if magnitude <= i64::MAX as u64 {
            Some(Scalar::Int(-(magnitude as i64)))
        } else if magnitude == i64::MAX as u64 + 1 {
            Some(Scalar::Int(i64::MIN))
        } else {
            None
        }
    } else if magnitude <= i64::MAX as u64 {
        Some(Scalar::Int(magnitude as i64))
    } else {
        Some(Scalar::UInt(magnitude))
    }
}

/// go-yaml v2's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`, without a regex engine.
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_11_booleans_and_nulls() {
        assert_eq!(resolve_plain("yes"), Scalar::Bool(true));
        assert_eq!(resolve_plain("On"), Scalar::Bool(true));
        assert_eq!(resolve_plain("n"), Scalar::Bool(false));
        assert_eq!(resolve_plain("OFF"), Scalar::Bool(false));
        assert_eq!(resolve_plain("~"), Scalar::Null);
        assert_eq!(resolve_plain("nULL"), Scalar::Str("nULL".into()));
    }

    #[test]
    fn go_integers() {
        assert_eq!(resolve_plain("0755"), Scalar::Int(493));
        assert_eq!(resolve_plain("0x1F"), Scalar::Int(31));
        assert_eq!(resolve_plain("-12"), Scalar::Int(-12));
        assert_eq!(resolve_plain("+5"), Scalar::Int(5));
        assert_eq!(resolve_plain("1_000"), Scalar::Int(1000));
        assert_eq!(
            resolve_plain("18446744073709551615"),
            Scalar::UInt(u64::MAX)
        );
    }

    #[test]
    fn floats_and_fallbacks() {
        // Not valid octal, so go-yaml reads it as the float 8.
        assert_eq!(resolve_plain("08"), Scalar::Float(8.0));
        assert_eq!(resolve_plain("1e3"), Scalar::Float(1000.0));
        assert_eq!(resolve_plain(".5"), Scalar::Float(0.5));
        assert_eq!(resolve_plain("5%"), Scalar::Str("5%".into()));
        assert_eq!(resolve_plain("1.2.3"), Scalar::Str("1.2.3".into()));
        assert_eq!(resolve_plain("2h45m"), Scalar::Str("2h45m".into()));
        assert_eq!(
            resolve_plain("2024-01-01T00:00:00Z"),
            Scalar::Str("2024-01-01T00:00:00Z".into())
        );
        assert!(matches!(resolve_plain(".nan"), Scalar::Float(f) if f.is_nan()));
    }
}
