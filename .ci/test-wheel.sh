#!/usr/bin/env bash
# Builds the wheel (maturin, `bindings = "bin"`: the lean binary in a platform wheel), installs it
# from the file into a fresh virtual environment without a compiler in reach of pip, and runs it
# on examples/. Leaves the wheel in target/wheels/ for the pre-commit test's `language: python`
# hook. Prints the build time, the wheel's size and the install time.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
tools=$(mktemp -d)
python3 -m venv "$tools/maturin"
"$tools/maturin/bin/pip" install -q "maturin>=1.5,<2"
# One release target folder for the wheel and the pre-commit hook's `cargo install`: the second
# build reuses the dependencies the first compiled.
export CARGO_TARGET_DIR="$repo/target/ci-release"
rm -rf target/wheels
start=$(date +%s)
"$tools/maturin/bin/maturin" build --release --locked --out target/wheels 2>&1 | tail -3
echo "wheel: built in $(( $(date +%s) - start )) s"
wheel=$(ls target/wheels/agones_lint-*.whl)
echo "wheel: $(basename "$wheel"), $(( $(stat -c %s "$wheel") / 1024 )) KiB"
python3 - "$wheel" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
scripts = [n for n in names if n.endswith(".data/scripts/agones-lint")]
assert scripts, f"no agones-lint binary in the wheel's scripts: {names}"
PY

venv="$tools/venv"
python3 -m venv "$venv"
start=$(date +%s%N)
"$venv/bin/pip" install -q --no-index --no-deps "$wheel"
echo "wheel: pip install from the file took $(( ($(date +%s%N) - start) / 1000000 )) ms"
"$venv/bin/agones-lint" --version
"$venv/bin/agones-lint" lint --feature-gates WasmAutoscaler=true examples/valid
status=0
"$venv/bin/agones-lint" lint examples/broken > "$tools/log" 2>&1 || status=$?
[ "$status" -eq 1 ] || { echo "the wheel's binary exited $status on examples/broken, expected 1"; cat "$tools/log"; exit 1; }
grep -q "FAS003 max-below-buffer-size" "$tools/log" || { echo "the wheel's binary missed FAS003"; cat "$tools/log"; exit 1; }
# `python -m pip uninstall` removes it cleanly (the binary is a plain script entry).
"$venv/bin/pip" uninstall -q -y agones-lint
[ ! -e "$venv/bin/agones-lint" ] || { echo "uninstall left the binary behind"; exit 1; }
echo "wheel: installs without a compiler, lints examples/ (valid: 0, broken: 1), uninstalls"
