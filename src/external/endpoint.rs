//! Where a Webhook policy or a Wasm module lives: upstream `buildURLFromConfiguration` and
//! `createURL`, with their checks in their order and their defaults (namespace `default`,
//! port 8000, https only when a `caBundle` is given).

use base64::Engine as _;

use crate::model::autoscaling::UrlConfiguration;

/// The `caBundle` as PEM bytes. The manifest holds base64 (`format: byte`); the API server
/// decodes it before the controller sees it.
pub fn ca_bundle(cfg: &UrlConfiguration) -> Result<Option<Vec<u8>>, String> {
    match cfg.ca_bundle.as_deref() {
        None => Ok(None),
        Some(b64) => base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .map(Some)
            .map_err(|e| format!("caBundle is not valid base64 ({e})")),
    }
}

/// The URL the controller calls, or upstream's error for this configuration.
pub fn url(cfg: &UrlConfiguration) -> Result<String, String> {
    if cfg.url.is_some() && cfg.service.is_some() {
        return Err("service and URL cannot be used simultaneously".into());
    }
    let scheme = if cfg.ca_bundle.is_some() {
        "https"
    } else {
        "http"
    };
    if let Some(u) = &cfg.url {
        if u.is_empty() {
            return Err("URL was not provided".into());
        }
        return parse_request_uri(u).map(|()| u.clone());
    }
    let Some(svc) = &cfg.service else {
        return Err("service was not provided, either URL or Service must be provided".into());
    };
    if svc.name.is_empty() {
        return Err("service name was not provided".into());
    }
    let namespace = if svc.namespace.is_empty() {
        "default"
    } else {
        &svc.namespace
    };
    Ok(service_url(
        scheme,
        &svc.name,
        namespace,
        svc.path.as_deref().unwrap_or(""),
        svc.port.unwrap_or(8000),
    ))
}

/// Go's `url.URL{Scheme, Host, Path}.String()`: a path without a leading slash gets one, and
/// characters a path may not hold are percent-encoded.
fn service_url(scheme: &str, name: &str, namespace: &str, path: &str, port: i32) -> String {
    let mut s = format!("{scheme}://{name}.{namespace}.svc:{port}");
    if !path.is_empty() && !path.starts_with('/') {
        s.push('/');
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// Go's `url.ParseRequestURI`: `url.Parse`'s rules, and the URL must be absolute or an
/// absolute path.
fn parse_request_uri(raw: &str) -> Result<(), String> {
    match crate::golang::url::parse(raw) {
        Err(e) => Err(format!("parse {raw:?}: {e}")),
        Ok(p) if p.scheme.is_empty() && !raw.starts_with('/') => {
            Err(format!("parse {raw:?}: invalid URI for request"))
        }
        Ok(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::autoscaling::ServiceReference;

    fn svc(name: &str, ns: &str, path: Option<&str>, port: Option<i32>) -> ServiceReference {
        ServiceReference {
            name: name.into(),
            namespace: ns.into(),
            path: path.map(str::to_string),
            port,
        }
    }

    // Upstream TestBuildURLFromConfiguration and TestCreateURL.
    #[test]
    fn builds_urls_as_upstream() {
        let c = |url: Option<&str>, service: Option<ServiceReference>, ca: Option<&str>| {
            UrlConfiguration {
                url: url.map(str::to_string),
                service,
                ca_bundle: ca.map(str::to_string),
            }
        };
        assert_eq!(
            url(&c(Some("testurl.com"), None, None)).unwrap_err(),
            "parse \"testurl.com\": invalid URI for request"
        );
        assert_eq!(
            url(&c(Some("http://testurl.com"), None, None)).unwrap(),
            "http://testurl.com"
        );
        assert_eq!(
            url(&c(Some(")1golang.org/"), None, None)).unwrap_err(),
            "parse \")1golang.org/\": invalid URI for request"
        );
        assert_eq!(
            url(&c(Some(""), None, None)).unwrap_err(),
            "URL was not provided"
        );
        assert_eq!(
            url(&c(None, None, None)).unwrap_err(),
            "service was not provided, either URL or Service must be provided"
        );
        assert_eq!(
            url(&c(Some("http://x"), Some(svc("s", "d", None, None)), None)).unwrap_err(),
            "service and URL cannot be used simultaneously"
        );
        assert_eq!(
            url(&c(
                None,
                Some(svc("", "default", Some("scale"), None)),
                None
            ))
            .unwrap_err(),
            "service name was not provided"
        );
        assert_eq!(
            url(&c(
                None,
                Some(svc("service1", "", Some("scale"), None)),
                None
            ))
            .unwrap(),
            "http://service1.default.svc:8000/scale"
        );
        assert_eq!(
            url(&c(
                None,
                Some(svc("service1", "ns", None, Some(8443))),
                Some("Zm9v")
            ))
            .unwrap(),
            "https://service1.ns.svc:8443"
        );
        assert_eq!(
            url(&c(None, Some(svc("s", "ns", Some("/a b"), None)), None)).unwrap(),
            "http://s.ns.svc:8000/a%20b"
        );
    }

    #[test]
    fn decodes_the_ca_bundle() {
        let cfg = |ca: &str| UrlConfiguration {
            ca_bundle: Some(ca.into()),
            ..Default::default()
        };
        assert_eq!(ca_bundle(&cfg("aGk=")).unwrap().unwrap(), b"hi");
        assert!(ca_bundle(&cfg("***")).unwrap_err().contains("base64"));
        assert!(ca_bundle(&UrlConfiguration::default()).unwrap().is_none());
    }
}
