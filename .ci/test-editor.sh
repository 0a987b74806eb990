#!/usr/bin/env bash
# Editors, with real clients: yaml-language-server (npm) validates and describes manifests
# through `agones-lint schema --catalog`, driven by pytest-lsp (PyPI). Needs Node.js and
# Python 3.
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
catalog="$(mktemp -d)/catalog"
cargo run -q -- schema --catalog "$catalog"
export AGONES_CATALOG="$catalog"
export YAML_LANGUAGE_SERVER="$work/node_modules/yaml-language-server/bin/yaml-language-server"
"$work/venv/bin/pytest" -q -p no:cacheprovider .ci/editor/
