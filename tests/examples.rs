//! The shipped examples stay valid whatever day they are linted: none of them holds a date that
//! expires (a Schedule `end`, a window that closes), so `lint examples/` keeps passing.

mod common;

#[test]
fn the_examples_never_expire() {
    for now in [
        None,
        Some("2031-06-01T00:00:00Z"),
        Some("2046-02-28T12:00:00Z"),
    ] {
        let mut args = vec![
            "lint",
            "-q",
            "--feature-gates",
            "WasmAutoscaler=true",
            "examples/valid",
            "examples/simulate",
            "examples/scenarios",
            "examples/wasm",
            "examples/webhook",
        ];
        if let Some(n) = now {
            args.extend(["--now", n]);
        }
        let r = common::run(&args, None);
        assert_eq!(r.code, 0, "at {now:?}:\n{}{}", r.stdout, r.stderr);
    }
}
