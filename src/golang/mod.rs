//! Small, exact ports of the Go standard library behaviour that Agones relies on when it
//! validates and runs autoscalers: `time.ParseDuration`, `net/url.Parse`, RFC 3339 parsing and
//! `time.LoadLocation`. Matching Go here is what makes a finding agree with the cluster.

pub mod duration;
pub mod time;
pub mod url;
