#!/usr/bin/env bash
# Tests the GitHub Action locally: validates action.yml against GitHub's action metadata schema
# (SchemaStore's, vendored by check-jsonschema), then runs action/run.sh the way the runner
# would, with GitHub's environment variables pointing at temporary files.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q check-jsonschema >/dev/null 2>&1 || pip install -q check-jsonschema
check-jsonschema --builtin-schema vendor.github-actions action.yml

cargo build -q
bin="$PWD/target/debug/agones-lint"
work=$(mktemp -d)

run() {
  GITHUB_ACTION_PATH="$PWD" GITHUB_STEP_SUMMARY="$work/summary.md" GITHUB_OUTPUT="$work/output" \
    AGONES_LINT_BIN="$bin" INPUT_FORMAT=github INPUT_STRICT=false INPUT_CONFIG= INPUT_VERSION= \
    "$@" bash action/run.sh > "$work/log" 2>&1
}

# Broken manifests: the step fails, with annotations, SARIF, a summary table and outputs.
: > "$work/summary.md"; : > "$work/output"
status=0
run env INPUT_PATHS="examples/broken" INPUT_SARIF_FILE="$work/out.sarif" INPUT_FEATURE_GATES= || status=$?
[ "$status" -eq 1 ] || { echo "expected exit 1 on broken manifests, got $status"; cat "$work/log"; exit 1; }
grep -q '^::error file=examples/broken/autoscalers.yaml,line=12' "$work/log" || { echo "no annotation"; cat "$work/log"; exit 1; }
grep -q '| Severity | Rule | Location | Field | Message |' "$work/summary.md" || { echo "no summary table"; exit 1; }
grep -q '^errors=7$' "$work/output" || { echo "wrong outputs"; cat "$work/output"; exit 1; }
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['version']=='2.1.0' and len(d['runs'][0]['results'])==13" "$work/out.sarif"

# Valid manifests with the gates they need: the step passes.
: > "$work/summary.md"; : > "$work/output"
run env INPUT_PATHS="examples/valid" INPUT_SARIF_FILE= INPUT_FEATURE_GATES="WasmAutoscaler=true" \
  || { echo "expected success on valid manifests"; cat "$work/log"; exit 1; }
grep -q 'No findings.' "$work/summary.md" || { echo "summary should say no findings"; cat "$work/summary.md"; exit 1; }
grep -q '^errors=0$' "$work/output"

# Only a changed file, with the rest of the repository as context: the Fleet in an unchanged
# file shows that the autoscaler's Counter key is missing.
mkdir -p "$work/repo/fleets"
printf 'apiVersion: agones.dev/v1\nkind: Fleet\nmetadata: {name: lobby}\nspec:\n  template:\n    spec:\n      counters: {sessions: {capacity: 10}}\n      template: {spec: {containers: [{name: lobby, image: lobby:2}]}}\n' > "$work/repo/fleets/lobby.yaml"
printf 'apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata: {name: lobby}\nspec:\n  fleetName: lobby\n  policy: {type: Counter, counter: {key: rooms, bufferSize: 5, maxCapacity: 100}}\n' > "$work/repo/autoscaler.yaml"
status=0
run env INPUT_PATHS="$work/repo/autoscaler.yaml" INPUT_CONTEXT="$work/repo/fleets" INPUT_SARIF_FILE= INPUT_FEATURE_GATES= || status=$?
[ "$status" -eq 1 ] || { echo "expected exit 1 with context, got $status"; cat "$work/log"; exit 1; }
grep -q 'REF002' "$work/log" || { echo "no REF002 with context"; cat "$work/log"; exit 1; }

# A tool failure (a path that does not exist) fails the step with exit 2.
status=0
run env INPUT_PATHS="no/such/path" INPUT_SARIF_FILE= INPUT_FEATURE_GATES= || status=$?
[ "$status" -eq 2 ] || { echo "expected exit 2, got $status"; exit 1; }

# --- Installing: the release download (version given) and the source build (no version). ---
# A fake release on 127.0.0.1 in release.yml's layout, holding this build's binary.
target=$(RUNNER_OS=Linux RUNNER_ARCH=X64 bash -c 'source <(sed -n "/^release_target()/,/^}/p" action/run.sh); release_target')
[ "$target" = x86_64-unknown-linux-musl ] || { echo "wrong target for Linux/X64: $target"; exit 1; }
version=9.8.7
release="$work/release/v$version"
mkdir -p "$release/agones-lint-$version-$target"
cp "$bin" "$release/agones-lint-$version-$target/"
tar -C "$release" -czf "$release/agones-lint-$version-$target.tar.gz" "agones-lint-$version-$target"
(cd "$release" && sha256sum "agones-lint-$version-$target.tar.gz" > "agones-lint-$version-$target.tar.gz.sha256")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$work/release" "$port" > "$work/http.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.1; done

install() {
  GITHUB_ACTION_PATH="$PWD" GITHUB_STEP_SUMMARY="$work/summary.md" GITHUB_OUTPUT="$work/output" \
    RUNNER_OS=Linux RUNNER_ARCH=X64 INPUT_FORMAT=github INPUT_STRICT=false INPUT_CONFIG= INPUT_CONTEXT= \
    INPUT_SARIF_FILE= INPUT_FEATURE_GATES="WasmAutoscaler=true" INPUT_PATHS=examples/valid \
    "$@" bash action/run.sh > "$work/log" 2>&1
}
install env AGONES_LINT_INSTALL_DIR="$work/dl/bin" INPUT_VERSION="v$version" INPUT_RELEASE_URL="http://127.0.0.1:$port" \
  || { echo "the release download path failed"; cat "$work/log"; exit 1; }
cmp "$bin" "$work/dl/bin/agones-lint" || { echo "the installed binary is not the released one"; exit 1; }
grep -q "Installed agones-lint $version ($target, sha256" "$work/log" || { echo "no install line"; cat "$work/log"; exit 1; }
grep -q "GET /v$version/agones-lint-$version-$target.tar.gz.sha256" "$work/http.log" || { echo "the checksum was not fetched"; exit 1; }
# The second run is the cache hit: nothing is downloaded again.
requests=$(grep -c GET "$work/http.log")
install env AGONES_LINT_INSTALL_DIR="$work/dl/bin" INPUT_VERSION="$version" INPUT_RELEASE_URL="http://127.0.0.1:$port" \
  || { echo "the cached binary did not run"; cat "$work/log"; exit 1; }
[ "$(grep -c GET "$work/http.log")" -eq "$requests" ] || { echo "a cached binary was downloaded again"; exit 1; }

# A checksum that does not match: exit 2, nothing installed.
echo "0000000000000000000000000000000000000000000000000000000000000000  agones-lint-$version-$target.tar.gz" \
  > "$release/agones-lint-$version-$target.tar.gz.sha256"
status=0
install env AGONES_LINT_INSTALL_DIR="$work/bad/bin" INPUT_VERSION="$version" INPUT_RELEASE_URL="http://127.0.0.1:$port" || status=$?
[ "$status" -eq 2 ] || { echo "expected exit 2 on a checksum mismatch, got $status"; cat "$work/log"; exit 1; }
grep -q "checksum mismatch" "$work/log" || { echo "the mismatch is not explained"; cat "$work/log"; exit 1; }
[ ! -e "$work/bad/bin/agones-lint" ] || { echo "a binary with a wrong checksum was installed"; exit 1; }

# A version that was never released: exit 2, saying so.
status=0
install env AGONES_LINT_INSTALL_DIR="$work/none/bin" INPUT_VERSION="0.0.1" INPUT_RELEASE_URL="http://127.0.0.1:$port" || status=$?
[ "$status" -eq 2 ] && grep -q "is v0.0.1 released" "$work/log" || { echo "an unreleased version: $status"; cat "$work/log"; exit 1; }

# No version: the action's checkout is built with cargo (a stand-in cargo records the call and
# installs this build's binary, so the test does not pay for a release build).
mkdir -p "$work/fakecargo"
cat > "$work/fakecargo/cargo" <<SH
#!/usr/bin/env bash
echo "\$*" > "$work/cargo-args"
root=""; while [ \$# -gt 0 ]; do [ "\$1" = --root ] && root="\$2"; shift; done
mkdir -p "\$root/bin" && cp "$bin" "\$root/bin/agones-lint"
SH
chmod +x "$work/fakecargo/cargo"
install env PATH="$work/fakecargo:$PATH" AGONES_LINT_INSTALL_DIR="$work/src/bin" INPUT_VERSION= \
  || { echo "the source build path failed"; cat "$work/log"; exit 1; }
grep -qx "install --locked --root $work/src --path $PWD" "$work/cargo-args" \
  || { echo "cargo was not called as expected: $(cat "$work/cargo-args")"; exit 1; }

echo "GitHub Action: metadata valid, run.sh behaves on broken, valid, context and missing inputs;"
echo "  downloads and verifies a release (fake, on 127.0.0.1), refuses a bad checksum, builds a checkout"
