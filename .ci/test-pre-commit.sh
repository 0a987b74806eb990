#!/usr/bin/env bash
# Tests the pre-commit hook for real: `pre-commit try-repo` on this repository, in a throwaway
# Git repository with a good and a bad manifest.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
python3 -m pip install -q pre-commit >/dev/null 2>&1 || pip install -q pre-commit
work=$(mktemp -d)
cd "$work"
git init -q
git config user.email ci@example.invalid
git config user.name ci
cp "$repo/examples/valid/buffer.yaml" good.yaml
git add good.yaml
if ! pre-commit try-repo "$repo" agones-lint --all-files > log 2>&1; then
  echo "the hook failed on a valid manifest"; cat log; exit 1
fi
cp "$repo/examples/broken/autoscalers.yaml" bad.yaml
git add bad.yaml
if pre-commit try-repo "$repo" agones-lint --all-files > log 2>&1; then
  echo "the hook passed a broken manifest"; cat log; exit 1
fi
grep -q "FAS003 max-below-buffer-size" log || { echo "the finding is not in the hook's output"; cat log; exit 1; }
echo "pre-commit: passes the good manifest, fails the bad one with its finding"
