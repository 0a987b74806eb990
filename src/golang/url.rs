//! The failure cases of Go's `net/url.Parse`, which Agones uses to validate webhook and Wasm URLs.
//! Only whether (and why) parsing fails matters here, so the parsed parts are kept minimal.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedUrl {
    pub scheme: String,
    /// None when the URL has no `//authority` part.
    pub host: Option<String>,
}

pub fn parse(raw: &str) -> Result<ParsedUrl, String> {
    let (u, frag) = match raw.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (raw, None),
    };
    let parsed = parse_without_fragment(u)?;
    if let Some(f) = frag {
        unescape(f, Mode::Other)?;
    }
    Ok(parsed)
}

#[derive(PartialEq, Clone, Copy)]
enum Mode {
    Host,
    Other,
}

fn parse_without_fragment(raw: &str) -> Result<ParsedUrl, String> {
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("it contains a control character".into());
    }
    if raw == "*" {
        return Ok(ParsedUrl {
            scheme: String::new(),
            host: None,
        });
    }
    let (scheme, rest) = get_scheme(raw)?;
    let scheme = scheme.to_ascii_lowercase();
    let rest = if rest.ends_with('?') && rest.matches('?').count() == 1 {
        &rest[..rest.len() - 1]
    } else {
        rest.split_once('?').map_or(rest, |(r, _)| r)
    };
    if !rest.starts_with('/') {
        if !scheme.is_empty() {
            // An opaque URL such as `mailto:x`; Go does not look inside it.
            return Ok(ParsedUrl { scheme, host: None });
        }
        let segment = rest.split_once('/').map_or(rest, |(s, _)| s);
        if segment.contains(':') {
            return Err(
                "its first path segment contains a colon (a scheme is probably malformed)".into(),
            );
        }
    }
    let mut host = None;
    let mut path = rest;
    if rest.starts_with("//") && (!scheme.is_empty() || !rest.starts_with("///")) {
        let authority_and_path = &rest[2..];
        let (authority, p) = match authority_and_path.find('/') {
            Some(i) => (&authority_and_path[..i], &authority_and_path[i..]),
            None => (authority_and_path, ""),
        };
        host = Some(parse_authority(authority)?);
        path = p;
    }
    unescape(path, Mode::Other)?;
    Ok(ParsedUrl { scheme, host })
}

fn get_scheme(raw: &str) -> Result<(&str, &str), String> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                if i == 0 {
                    return Ok(("", raw));
                }
            }
            b':' => {
                if i == 0 {
                    return Err("it is missing the protocol scheme before `:`".into());
                }
                return Ok((&raw[..i], &raw[i + 1..]));
            }
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

fn parse_authority(authority: &str) -> Result<String, String> {
    let (userinfo, hostpart) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };
    let host = parse_host(hostpart)?;
    if let Some(u) = userinfo {
        let valid = u
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._:~!$&'()*+,;=%@".contains(&b) || b >= 0x80);
        if !valid {
            return Err("its user information contains an invalid character".into());
        }
        unescape(u, Mode::Other)?;
    }
    Ok(host)
}

fn valid_optional_port(port: &str) -> bool {
    port.is_empty() || (port.starts_with(':') && port[1..].bytes().all(|b| b.is_ascii_digit()))
}

fn parse_host(host: &str) -> Result<String, String> {
    if let Some(stripped) = host.strip_prefix('[') {
        let Some(i) = stripped.rfind(']') else {
            return Err("its IPv6 host is missing the closing `]`".into());
        };
        let colon_port = &stripped[i + 1..];
        if !valid_optional_port(colon_port) {
            return Err(format!(
                "it has an invalid port `{colon_port}` after the host"
            ));
        }
    } else if let Some(i) = host.rfind(':') {
        let colon_port = &host[i..];
        if !valid_optional_port(colon_port) {
            return Err(format!(
                "it has an invalid port `{colon_port}` after the host"
            ));
        }
    }
    unescape(host, Mode::Host)
}

fn should_escape_in_host(c: u8) -> bool {
    !(c.is_ascii_alphanumeric() || b"-_.~!$&'()*+,;=:[]<>\"".contains(&c))
}

fn unescape(s: &str, mode: Mode) -> Result<String, String> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                if i + 2 >= b.len()
                    || !b[i + 1].is_ascii_hexdigit()
                    || !b[i + 2].is_ascii_hexdigit()
                {
                    let end = (i + 3).min(b.len());
                    return Err(format!(
                        "it has an invalid escape `{}`",
                        String::from_utf8_lossy(&b[i..end])
                    ));
                }
                if mode == Mode::Host && hex(b[i + 1]) < 8 && &b[i..i + 3] != b"%25" {
                    return Err(format!(
                        "it has an invalid escape `{}` in the host",
                        String::from_utf8_lossy(&b[i..i + 3])
                    ));
                }
                i += 3;
            }
            c => {
                if mode == Mode::Host && c < 0x80 && should_escape_in_host(c) {
                    return Err(format!(
                        "its host contains the invalid character `{}`",
                        c as char
                    ));
                }
                i += 1;
            }
        }
    }
    Ok(s.to_string())
}

fn hex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_cases() {
        assert!(parse("http://good.example.com").is_ok());
        assert!(parse("123").is_ok());
        assert!(parse("http:/bad.example.com%").is_err());
        assert!(parse("://invalid-url").is_err());
    }

    #[test]
    fn hosts_ports_and_escapes() {
        assert!(parse("http://a b.example.com/").is_err());
        assert!(parse("http://example.com:80x/").is_err());
        assert!(parse("http://example.com:8000/scale?x=%zz").is_ok());
        assert!(parse("http://example.com/a%2").is_err());
        assert!(parse("http://[::1]:8080/").is_ok());
        assert!(parse("http://[::1/").is_err());
        assert!(parse("cache_object:foo/bar").is_err());
        assert!(parse("a:b/c").is_ok());
        assert!(parse("1a:b").is_err());
        assert!(parse("http://u ser@host/").is_err());
        assert_eq!(
            parse("HTTPS://Example.com/x").unwrap(),
            ParsedUrl {
                scheme: "https".into(),
                host: Some("Example.com".into())
            }
        );
    }
}
