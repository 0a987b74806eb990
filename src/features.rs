//! What this build can do: the heavy parts (the Wasm runtime, the HTTP client, the webhook
//! server, charts) are cargo features, so that the pre-commit hook and `cargo install` build
//! only what `lint` needs. A command that needs a missing feature says so and how to get it.

/// The message for a missing feature: what is missing and the two ways to get it.
pub fn missing(feature: &str, what: &str) -> String {
    format!(
        "this build has no {what}; install with `cargo install agones-lint --features {feature}` (or `--features full`), or use a release binary"
    )
}
