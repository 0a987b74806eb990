#!/usr/bin/env bash
# Editors, with real clients driven by pytest-lsp (PyPI): `agones-lint lsp` itself (edits,
# code actions, fix all, hover, latency, memory), and yaml-language-server (npm) validating and
# describing manifests through `agones-lint schema --catalog`. Needs Node.js and Python 3.
set -euo pipefail
cd "$(dirname "$0")/.."
work="${TMPDIR:-/tmp}/agones-lint-editor"
mkdir -p "$work"
if [ ! -x "$work/node_modules/.bin/yaml-language-server" ]; then
  npm install --prefix "$work" --no-audit --no-fund --silent yaml-language-server@2.0.0 >/dev/null
fi
if [ ! -x "$work/venv/bin/pytest" ]; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install -q pytest-lsp==1.0.1
fi
cargo build -q --locked
binary="${CARGO_TARGET_DIR:-target}/debug/agones-lint"
catalog="$(mktemp -d)/catalog"
"$binary" schema --catalog "$catalog"
case "$binary" in /*) ;; *) binary="$PWD/$binary" ;; esac
export AGONES_LINT="$binary"
export AGONES_CATALOG="$catalog"
export YAML_LANGUAGE_SERVER="$work/node_modules/yaml-language-server/bin/yaml-language-server"
# -s: the LSP test prints its latency and memory measurements.
"$work/venv/bin/pytest" -q -s -p no:cacheprovider .ci/editor/

# The VS Code extension: its glue with VS Code stood in for, then packaged with vsce as a
# user builds it (the server behind it is what the tests above drive).
(
  cd editors/vscode
  node test.js
  npm ci --no-audit --no-fund --silent
  npx --yes @vscode/vsce@3 package --allow-missing-repository --skip-license -o "$work/agones-lint.vsix" >/dev/null
  echo "vscode extension: packaged $(du -k "$work/agones-lint.vsix" | cut -f1) KiB"
)

