//! A tiny HTTP/1.1 server on 127.0.0.1 for tests: plain or TLS (a throwaway CA from rcgen),
//! one thread per connection, `Connection: close`. The handler sees method, path and body.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    /// Sleep before answering (a slow server).
    pub delay: Duration,
}

impl Reply {
    pub fn ok(body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    pub fn status(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            body: body.into(),
            delay: Duration::ZERO,
        }
    }
}

pub type Handler = Arc<dyn Fn(&str, &str, &[u8]) -> Reply + Send + Sync>;

pub struct Server {
    pub addr: SocketAddr,
    /// PEM of the CA that signed the server certificate (TLS servers only).
    pub ca_pem: Option<String>,
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        let scheme = if self.ca_pem.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}{path}", self.addr)
    }
}

/// Starts a plain HTTP server; it lives until the test process ends.
pub fn serve(handler: Handler) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let h = handler.clone();
            std::thread::spawn(move || {
                let _ = handle(stream, &h);
            });
        }
    });
    Server { addr, ca_pem: None }
}

/// Starts an HTTPS server whose certificate names `names` (plus 127.0.0.1 and localhost).
pub fn serve_tls(handler: Handler, names: &[&str]) -> Server {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "agones-lint test CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, &ca_key);
    let key = rcgen::KeyPair::generate().unwrap();
    let mut sans: Vec<String> = vec!["localhost".into(), "127.0.0.1".into()];
    sans.extend(names.iter().map(|s| s.to_string()));
    let params = rcgen::CertificateParams::new(sans).unwrap();
    let cert = params.signed_by(&key, &issuer).unwrap();
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let h = handler.clone();
            let config = config.clone();
            std::thread::spawn(move || {
                let Ok(conn) = rustls::ServerConnection::new(config) else {
                    return;
                };
                let tls = rustls::StreamOwned::new(conn, stream);
                let _ = handle(tls, &h);
            });
        }
    });
    Server {
        addr,
        ca_pem: Some(ca.pem()),
    }
}

fn handle<S: Read + Write>(mut s: S, h: &Handler) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = s.read(&mut chunk)?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.lines();
    let first = lines.next().unwrap_or("");
    let mut parts = first.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("").to_string();
    let len: usize = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < len {
        let n = s.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let reply = h(&method, &path, &body);
    std::thread::sleep(reply.delay);
    let head = format!(
        "HTTP/1.1 {} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        reply.status,
        reply.body.len()
    );
    s.write_all(head.as_bytes())?;
    s.write_all(&reply.body)?;
    s.flush()
}

/// Binds and drops a port, for a URL nothing listens on.
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

#[allow(unused)]
fn _assert_send(_: TcpStream) {}
