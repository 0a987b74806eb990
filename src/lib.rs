//! agones-lint: lint and simulate Agones manifests before they reach a cluster.

pub mod app;
pub mod autofix;
pub mod checks;
pub mod cli;
pub mod commands;
pub mod config;
pub mod external;
pub mod features;
pub mod finding;
pub mod fix;
pub mod golang;
pub mod intern;
pub mod lint;
pub mod lsp;
pub mod model;
pub mod policy;
pub mod report;
pub mod scenario;
pub mod serve;
pub mod simulate;
pub mod source;
pub mod suggest;
pub mod suppress;
