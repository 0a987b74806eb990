#!/usr/bin/env bash
# The GitHub Action's work: install agones-lint (unless cached), lint, write SARIF and the job
# summary, set outputs, and fail the step on errors (or warnings with strict).
# Reads the INPUT_* variables that action.yml sets and GitHub's GITHUB_* variables.
set -euo pipefail

bin="${AGONES_LINT_BIN:-}"
if [ -z "$bin" ]; then
  if ! command -v agones-lint >/dev/null 2>&1; then
    if [ -n "${INPUT_VERSION:-}" ]; then
      cargo install --locked agones-lint --version "$INPUT_VERSION"
    else
      cargo install --locked --path "$GITHUB_ACTION_PATH"
    fi
  fi
  bin=agones-lint
fi

args=()
[ -n "${INPUT_FEATURE_GATES:-}" ] && args+=(--feature-gates "$INPUT_FEATURE_GATES")
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
[ "${INPUT_STRICT:-false}" = "true" ] && args+=(--strict)
if [ -n "${INPUT_CONTEXT:-}" ]; then
  read -r -a context <<< "$INPUT_CONTEXT"
  for c in "${context[@]}"; do args+=(--context "$c"); done
fi
# Paths are separated by spaces (GitHub inputs are strings).
read -r -a paths <<< "${INPUT_PATHS:-.}"

status=0
"$bin" lint --format "${INPUT_FORMAT:-github}" "${args[@]}" "${paths[@]}" || status=$?
if [ "$status" -ge 2 ]; then
  echo "::error title=agones-lint::agones-lint could not run (exit $status)"
  exit "$status"
fi

if [ -n "${INPUT_SARIF_FILE:-}" ]; then
  "$bin" lint --format sarif "${args[@]}" "${paths[@]}" > "$INPUT_SARIF_FILE" || true
fi

json=$("$bin" lint --format json "${args[@]}" "${paths[@]}" || true)
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  "$bin" lint --format markdown --max-findings 200 "${args[@]}" "${paths[@]}" >> "$GITHUB_STEP_SUMMARY" || true
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  errors=$(printf '%s' "$json" | grep -o '"errors":[0-9]*' | head -1 | cut -d: -f2)
  warnings=$(printf '%s' "$json" | grep -o '"warnings":[0-9]*' | head -1 | cut -d: -f2)
  echo "errors=${errors:-0}" >> "$GITHUB_OUTPUT"
  echo "warnings=${warnings:-0}" >> "$GITHUB_OUTPUT"
fi
exit "$status"
