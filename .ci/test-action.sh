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
echo "GitHub Action: metadata valid, run.sh behaves on broken, valid, context and missing inputs"
