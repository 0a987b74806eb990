#!/usr/bin/env bash
# Validates agones-lint's SARIF with Microsoft's SARIF Multitool (npm; runs offline once
# installed). Any error or warning fails the check.
set -euo pipefail
cd "$(dirname "$0")/.."
tool_dir="${TMPDIR:-/tmp}/agones-lint-sarif-multitool"
if [ ! -x "$tool_dir/node_modules/.bin/sarif-multitool" ]; then
  mkdir -p "$tool_dir"
  npm install --prefix "$tool_dir" --no-audit --no-fund --silent @microsoft/sarif-multitool@5 >/dev/null
fi
# npm may skip the package's install script that marks the binary executable.
chmod u+x "$tool_dir"/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
out="$(mktemp -d)"
cargo run -q -- lint --format sarif --rules-url https://example.invalid/agones-lint/blob/main/rules/ \
  --now 2026-06-01T00:00:00Z examples/broken > "$out/broken.sarif" || [ $? -eq 1 ]
# A file outside the working folder gets an absolute file:// URI (a relative one may not climb out).
outside="$(mktemp -d)"
cp examples/broken/autoscalers.yaml "$outside/"
cargo run -q -- lint --format sarif --rules-url https://example.invalid/agones-lint/blob/main/rules/ \
  --now 2026-06-01T00:00:00Z "$outside/autoscalers.yaml" > "$out/outside.sarif" || [ $? -eq 1 ]
grep -q '"uri": "file:///' "$out/outside.sarif" || { echo "no absolute URI for a file outside the working folder" >&2; exit 1; }
for log in broken outside; do
  report=$("$tool_dir/node_modules/.bin/sarif-multitool" validate "$out/$log.sarif" --output "$out/validation-$log.sarif" --log ForceOverwrite 2>&1)
  echo "$report"
  if echo "$report" | grep -qE ": (error|warning) "; then
    echo "SARIF validation found problems in $log.sarif" >&2
    exit 1
  fi
done
echo "SARIF validation: no errors, no warnings"
