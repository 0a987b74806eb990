#!/usr/bin/env bash
# Tests the pre-commit hook for real, as a team adopts it: a `.pre-commit-config.yaml` that pins
# this repository at its current commit (`rev:`), in a throwaway Git repository where only the
# staged files are passed to the hook and `--context deploy/` shows it the rest.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
rev=$(git -C "$repo" rev-parse HEAD)
python3 -m pip install -q pre-commit >/dev/null 2>&1 || pip install -q pre-commit
work=$(mktemp -d)
export PRE_COMMIT_HOME="$work/cache"
cd "$work"
git init -q
git config user.email ci@example.invalid
git config user.name ci
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $repo
    rev: $rev
    hooks:
      - id: agones-lint
        args: [--context, deploy/]
YAML
printf 'exclude: ["charts/**"]\n' > .agones-lint.yaml
mkdir -p deploy charts
printf 'apiVersion: agones.dev/v1\nkind: Fleet\nmetadata: {name: lobby}\nspec:\n  template:\n    spec:\n      counters: {sessions: {capacity: 10}}\n      template: {spec: {containers: [{name: lobby, image: lobby:2}]}}\n' > deploy/lobby-fleet.yaml
git add -A && git commit -qm base --no-verify

# A valid change passes (the first run builds the hook: its time is what a new developer waits).
cp "$repo/examples/valid/buffer.yaml" deploy/arena.yaml
git add deploy/arena.yaml
start=$(date +%s)
if ! pre-commit run > log 2>&1; then
  echo "the hook failed on a valid manifest"; cat log; exit 1
fi
echo "pre-commit: first run (hook installed from rev $rev) took $(( $(date +%s) - start )) s"
git commit -qm arena --no-verify

# A broken change fails with its finding.
cp "$repo/examples/broken/autoscalers.yaml" deploy/bad.yaml
git add deploy/bad.yaml
if pre-commit run > log 2>&1; then
  echo "the hook passed a broken manifest"; cat log; exit 1
fi
grep -q "FAS003 max-below-buffer-size" log || { echo "the finding is not in the hook's output"; cat log; exit 1; }
git rm -q --cached deploy/bad.yaml && rm deploy/bad.yaml

# Only the autoscaler is staged; its Fleet is in an unchanged file that --context brings in.
printf 'apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata: {name: lobby}\nspec:\n  fleetName: lobby\n  policy: {type: Counter, counter: {key: rooms, bufferSize: 5, maxCapacity: 100}}\n' > deploy/lobby-autoscaler.yaml
git add deploy/lobby-autoscaler.yaml
if pre-commit run > log 2>&1; then
  echo "the hook missed the Counter key the Fleet in an unchanged file lacks"; cat log; exit 1
fi
grep -q "REF002" log || { echo "no REF002 in the hook's output"; cat log; exit 1; }
git rm -q --cached deploy/lobby-autoscaler.yaml && rm deploy/lobby-autoscaler.yaml

# A staged file the config excludes is skipped silently (the hook passes --force-exclude).
printf 'apiVersion: agones.dev/v1\nkind: Fleet\nmetadata: {name: x}\n' > charts/fleet.yaml
git add charts/fleet.yaml
if ! pre-commit run > log 2>&1; then
  echo "the hook failed on a file the config excludes"; cat log; exit 1
fi
echo "pre-commit: pinned rev; passes the good manifest, fails the bad one, sees unchanged files through --context, skips excluded files"

# The fast path for teams: a `language: python` hook that installs the wheel (from PyPI,
# `agones-lint==VERSION`, in real use; here the file .ci/test-wheel.sh built), no Rust needed.
wheel=$(ls "$repo"/target/wheels/agones_lint-*.whl 2>/dev/null | head -1 || true)
if [ -z "$wheel" ]; then
  echo "NOTICE: no wheel in target/wheels (.ci/test-wheel.sh builds it): the python hook was not tested"
  exit 0
fi
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: local
    hooks:
      - id: agones-lint
        name: agones-lint
        entry: agones-lint lint --force-exclude
        language: python
        additional_dependencies: ["$wheel"]
        files: \\.(ya?ml|json)\$
        require_serial: true
        args: [--context, deploy/]
YAML
git add .pre-commit-config.yaml && git commit -qm "python hook" --no-verify
cp "$repo/examples/broken/autoscalers.yaml" deploy/bad.yaml
git add deploy/bad.yaml
start=$(date +%s)
if pre-commit run > log 2>&1; then
  echo "the python hook passed a broken manifest"; cat log; exit 1
fi
grep -q "FAS003 max-below-buffer-size" log || { echo "the finding is not in the python hook's output"; cat log; exit 1; }
echo "pre-commit: first run of the language: python hook (wheel installed) took $(( $(date +%s) - start )) s"
git rm -q --cached deploy/bad.yaml && rm deploy/bad.yaml
cp "$repo/examples/valid/buffer.yaml" deploy/arena2.yaml
git add deploy/arena2.yaml
pre-commit run > log 2>&1 || { echo "the python hook failed on a valid manifest"; cat log; exit 1; }
echo "pre-commit: the language: python hook fails the bad manifest and passes the good one"
