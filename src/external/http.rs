//! The HTTP client behind Webhook policies and Wasm module downloads: upstream's
//! `http.Client{Timeout: 15s}` with the `caBundle` as its only trust root, no proxy (upstream
//! builds its Transport without one), bounded bodies and curl-style `--resolve` overrides.

use std::net::IpAddr;
use std::str::FromStr;
use std::time::Duration;

/// `HOST:PORT:ADDR`, curl's `--resolve`: connections to HOST go to ADDR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolve {
    pub host: String,
    pub port: u16,
    pub addr: IpAddr,
}

impl FromStr for Resolve {
    type Err = String;

    fn from_str(s: &str) -> Result<Resolve, String> {
        let usage =
            || format!("`{s}` is not HOST:PORT:ADDR (for example `hook.games.svc:8000:127.0.0.1`)");
        let (host, rest) = s.split_once(':').ok_or_else(usage)?;
        let (port, addr) = rest.split_once(':').ok_or_else(usage)?;
        let port: u16 = port.parse().map_err(|_| usage())?;
        let addr = addr.trim_start_matches('[').trim_end_matches(']');
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("`{addr}` in `{s}` is not an IP address"))?;
        if host.is_empty() {
            return Err(usage());
        }
        Ok(Resolve {
            host: host.to_string(),
            port,
            addr,
        })
    }
}

/// How outbound calls behave; one per run.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// The whole exchange, body included (upstream: 15 s).
    pub timeout: Duration,
    pub resolve: Vec<Resolve>,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            timeout: Duration::from_secs(15),
            resolve: Vec::new(),
        }
    }
}

/// Replies larger than this are refused rather than read.
pub const MAX_REPLY_BYTES: u64 = 1 << 20;

#[cfg(feature = "webhook")]
mod client {
    use super::*;
    use std::io::Read;
    use std::net::SocketAddr;

    pub struct Http {
        client: reqwest::blocking::Client,
        timeout: Duration,
    }

    impl Http {
        /// A client trusting only `ca_pem` when given (upstream `setCABundle`), the system's roots
        /// otherwise.
        pub fn new(opts: &HttpOptions, ca_pem: Option<&[u8]>) -> Result<Http, String> {
            let mut b = reqwest::blocking::Client::builder()
                .timeout(opts.timeout)
                .connect_timeout(opts.timeout)
                .no_proxy()
                .user_agent(concat!("agones-lint/", env!("CARGO_PKG_VERSION")));
            for r in &opts.resolve {
                b = b.resolve(&r.host, SocketAddr::new(r.addr, r.port));
            }
            if let Some(pem) = ca_pem {
                let certs = reqwest::Certificate::from_pem_bundle(pem)
                    .ok()
                    .filter(|c| !c.is_empty())
                    .ok_or("no certs were appended from caBundle (it holds no PEM certificate)")?;
                b = b.tls_built_in_root_certs(false);
                for c in certs {
                    b = b.add_root_certificate(c);
                }
            }
            let client = b
                .build()
                .map_err(|e| format!("could not set up the HTTP client: {}", chain(&e)))?;
            Ok(Http {
                client,
                timeout: opts.timeout,
            })
        }

        /// POSTs JSON and returns the body of a 200 reply (upstream accepts no other status).
        pub fn post_json(&self, url: &str, body: Vec<u8>) -> Result<Vec<u8>, String> {
            let res = self
                .client
                .post(checked(url, "POST")?)
                .header("Content-Type", "application/json")
                .body(body)
                .send()
                .map_err(|e| self.describe(&e, "POST", url))?;
            self.read_limited(res, "POST", url, MAX_REPLY_BYTES)
        }

        /// GETs a body of at most `limit` bytes from a 200 reply.
        pub fn get(&self, url: &str, limit: u64) -> Result<Vec<u8>, String> {
            let res = self
                .client
                .get(checked(url, "GET")?)
                .send()
                .map_err(|e| self.describe(&e, "GET", url))?;
            self.read_limited(res, "GET", url, limit)
        }

        fn read_limited(
            &self,
            res: reqwest::blocking::Response,
            method: &str,
            url: &str,
            limit: u64,
        ) -> Result<Vec<u8>, String> {
            let status = res.status();
            if status != reqwest::StatusCode::OK {
                return Err(format!(
                    "bad status code {} from the server: {url} (the controller accepts only 200)",
                    status.as_u16()
                ));
            }
            if res.content_length().is_some_and(|n| n > limit) {
                return Err(format!(
                    "{method} {url}: the reply is larger than {} bytes",
                    limit
                ));
            }
            let mut body = Vec::new();
            res.take(limit + 1)
                .read_to_end(&mut body)
                .map_err(|e| format!("{method} {url}: reading the reply failed: {e}"))?;
            if body.len() as u64 > limit {
                return Err(format!(
                    "{method} {url}: the reply is larger than {limit} bytes"
                ));
            }
            Ok(body)
        }

        fn describe(&self, e: &reqwest::Error, method: &str, url: &str) -> String {
            if e.is_timeout() {
                format!(
                    "{method} {url}: no complete answer within {:?} (the controller gives up after 15s)",
                    self.timeout
                )
            } else if e.is_connect() {
                let hint = match reqwest::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_string)) {
                    Some(h) if h.ends_with(".svc") || h.ends_with(".svc.cluster.local") => format!(
                        " ({h} is a cluster-internal name: run `kubectl port-forward` and pass --resolve {h}:PORT:127.0.0.1)"
                    ),
                    _ => String::new(),
                };
                format!("{method} {url}: could not connect: {}{hint}", innermost(e))
            } else {
                format!("{method} {url}: {}", chain(e))
            }
        }
    }

    /// Go's client refuses what is not http or https before dialling.
    pub(super) fn checked(url: &str, method: &str) -> Result<reqwest::Url, String> {
        let u = reqwest::Url::parse(url).map_err(|e| format!("{method} {url:?}: {e}"))?;
        if u.scheme() != "http" && u.scheme() != "https" {
            return Err(format!(
                "{method} {url:?}: unsupported protocol scheme {:?}",
                u.scheme()
            ));
        }
        Ok(u)
    }

    fn chain(e: &dyn std::error::Error) -> String {
        let mut s = e.to_string();
        let mut cur = e.source();
        while let Some(c) = cur {
            let m = c.to_string();
            if !s.contains(&m) {
                s.push_str(": ");
                s.push_str(&m);
            }
            cur = c.source();
        }
        s
    }

    fn innermost(e: &dyn std::error::Error) -> String {
        let mut cur: &dyn std::error::Error = e;
        while let Some(c) = cur.source() {
            cur = c;
        }
        cur.to_string()
    }
}

#[cfg(feature = "webhook")]
pub use client::Http;

/// Without the `webhook` feature there is no HTTP client: Webhook policies fail their sync and
/// `--fetch` cannot download modules, each saying why.
#[cfg(not(feature = "webhook"))]
pub struct Http;

#[cfg(not(feature = "webhook"))]
impl Http {
    pub fn new(_opts: &HttpOptions, _ca_pem: Option<&[u8]>) -> Result<Http, String> {
        Err(crate::features::missing(
            "webhook",
            "HTTP client (Webhook policies, --fetch)",
        ))
    }

    pub fn post_json(&self, _url: &str, _body: Vec<u8>) -> Result<Vec<u8>, String> {
        Err(crate::features::missing(
            "webhook",
            "HTTP client (Webhook policies, --fetch)",
        ))
    }

    pub fn get(&self, _url: &str, _limit: u64) -> Result<Vec<u8>, String> {
        Err(crate::features::missing(
            "webhook",
            "HTTP client (Webhook policies, --fetch)",
        ))
    }
}

#[cfg(test)]
mod tests {
    #[cfg(feature = "webhook")]
    use super::client::checked;
    use super::*;

    #[test]
    fn parses_resolve_like_curl() {
        assert_eq!(
            "hook.games.svc:8000:127.0.0.1".parse::<Resolve>().unwrap(),
            Resolve {
                host: "hook.games.svc".into(),
                port: 8000,
                addr: "127.0.0.1".parse().unwrap()
            }
        );
        assert_eq!(
            "h:443:[::1]".parse::<Resolve>().unwrap().addr,
            "::1".parse::<IpAddr>().unwrap()
        );
        assert!("h:80".parse::<Resolve>().is_err());
        assert!("h:x:127.0.0.1".parse::<Resolve>().is_err());
        assert!("h:80:localhost"
            .parse::<Resolve>()
            .unwrap_err()
            .contains("not an IP"));
        assert!(":80:127.0.0.1".parse::<Resolve>().is_err());
    }

    #[test]
    #[cfg(feature = "webhook")]
    fn refuses_non_http_schemes_and_empty_bundles() {
        assert!(checked("ftp://x/", "POST")
            .unwrap_err()
            .contains("unsupported protocol scheme"));
        let e = Http::new(&HttpOptions::default(), Some(b"invalid-value"))
            .err()
            .unwrap();
        assert!(e.contains("no certs were appended from caBundle"));
    }

    #[test]
    #[cfg(feature = "webhook")]
    fn connection_refused_is_clear() {
        let h = Http::new(&HttpOptions::default(), None).unwrap();
        // Port 1 on loopback: nothing listens there.
        let e = h
            .post_json("http://127.0.0.1:1", b"{}".to_vec())
            .unwrap_err();
        assert!(
            e.starts_with("POST http://127.0.0.1:1: could not connect"),
            "{e}"
        );
    }
}
