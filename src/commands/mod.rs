//! One module per command; `app` parses nothing and decides nothing, it dispatches here.

pub mod init;
pub mod lint;
pub mod lsp;
pub mod rules;
pub mod scenario;
pub mod serve;
pub mod simulate;
