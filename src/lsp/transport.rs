//! The LSP wire over stdio, with bounds: lsp-server's own reader allocates whatever
//! `Content-Length` a client announces and stops at the first message it cannot parse. Here a
//! header line, the header count and a message body are bounded, and a body that is not a
//! JSON-RPC message is reported on stderr and skipped, so a hostile or buggy client cannot
//! exhaust memory or take the server down with one bad frame.

use std::io::{self, BufRead, Read, Write};
use std::thread::JoinHandle;

use crossbeam_channel::{bounded, Receiver, Sender};
use lsp_server::{Connection, Message};

/// The largest message body accepted: a document's full text rides in one message, and lint
/// refuses files above its own budget (10 MiB by default) anyway.
pub const MAX_BODY_BYTES: usize = 64 << 20;
const MAX_HEADER_LINE: usize = 8 << 10;
const MAX_HEADERS: usize = 32;

pub struct Threads {
    reader: JoinHandle<()>,
    writer: JoinHandle<io::Result<()>>,
}

impl Threads {
    /// Waits for the writer to flush what was sent. The reader may be blocked on stdin (a
    /// client that keeps the pipe open after `exit`), so it is left to end with the process.
    pub fn join(self) -> io::Result<()> {
        drop(self.reader);
        self.writer
            .join()
            .map_err(|_| io::Error::other("the LSP writer thread panicked"))?
    }
}

/// A connection over stdin and stdout.
pub fn stdio() -> (Connection, Threads) {
    let (to_client, outgoing) = bounded::<Message>(64);
    let (incoming, from_client) = bounded::<Message>(64);
    let writer = std::thread::Builder::new()
        .name("lsp-writer".into())
        .spawn(move || write_all(outgoing, &mut io::stdout().lock()))
        .expect("spawn the LSP writer");
    let reader = std::thread::Builder::new()
        .name("lsp-reader".into())
        .spawn(move || read_all(&mut io::stdin().lock(), incoming))
        .expect("spawn the LSP reader");
    (
        Connection {
            sender: to_client,
            receiver: from_client,
        },
        Threads { reader, writer },
    )
}

fn write_all(outgoing: Receiver<Message>, out: &mut impl Write) -> io::Result<()> {
    for msg in outgoing {
        msg.write(out)?;
    }
    Ok(())
}

/// Reads messages until end of input, a broken frame (the stream cannot be resynchronised), or
/// `exit`.
pub fn read_all(input: &mut impl BufRead, incoming: Sender<Message>) {
    loop {
        match read_frame(input) {
            Ok(None) => return,
            Ok(Some(body)) => match serde_json::from_slice::<Message>(&body) {
                Ok(msg) => {
                    let exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
                    if incoming.send(msg).is_err() || exit {
                        return;
                    }
                }
                Err(e) => eprintln!("agones-lint lsp: skipped a message that is not JSON-RPC: {e}"),
            },
            Err(e) => {
                eprintln!("agones-lint lsp: the client's stream is broken, stopping: {e}");
                return;
            }
        }
    }
}

/// One frame's body; None at a clean end of input.
pub fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut length = None;
    for n in 0.. {
        if n == MAX_HEADERS {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("more than {MAX_HEADERS} header lines"),
            ));
        }
        let mut line = Vec::new();
        let read = input
            .by_ref()
            .take(MAX_HEADER_LINE as u64 + 1)
            .read_until(b'\n', &mut line)?;
        if read == 0 {
            return if n == 0 {
                Ok(None)
            } else {
                Err(io::ErrorKind::UnexpectedEof.into())
            };
        }
        if !line.ends_with(b"\r\n") {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "a header line longer than 8 KiB, or not ended by CRLF",
            ));
        }
        let line = std::str::from_utf8(&line[..line.len() - 2])
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("malformed header {line:?}"),
            )
        })?;
        if name.trim().eq_ignore_ascii_case("content-length") {
            let n: usize = value.trim().parse().map_err(|_| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("bad Content-Length {value:?}"),
                )
            })?;
            if n > MAX_BODY_BYTES {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("a message of {n} bytes, above the {MAX_BODY_BYTES}-byte limit"),
                ));
            }
            length = Some(n);
        }
    }
    let length = length
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "no Content-Length header"))?;
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(raw: &[u8]) -> Vec<Message> {
        let (tx, rx) = bounded(16);
        read_all(&mut io::Cursor::new(raw.to_vec()), tx);
        rx.try_iter().collect()
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn a_bad_body_is_skipped_and_the_next_message_read() {
        let raw =
            frame("{not json") + &frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#);
        let got = frames(raw.as_bytes());
        assert_eq!(got.len(), 1);
        assert!(matches!(&got[0], Message::Notification(n) if n.method == "initialized"));
    }

    #[test]
    fn an_oversized_or_endless_frame_stops_reading_without_allocating_it() {
        let huge = format!("Content-Length: {}\r\n\r\n", usize::MAX);
        assert!(frames(huge.as_bytes()).is_empty());
        let endless = "X".repeat(1 << 20);
        assert!(frames(endless.as_bytes()).is_empty());
        let too_many = "A: b\r\n".repeat(100);
        assert!(frames(too_many.as_bytes()).is_empty());
    }

    #[test]
    fn headers_other_than_the_length_are_ignored() {
        let body = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let raw = format!(
            "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        assert_eq!(frames(raw.as_bytes()).len(), 1);
    }
}
