#!/usr/bin/env bash
# The GitHub Action's work: install agones-lint unless cached (the release binary, checksum
# verified, when a version is given; else built from the action's own checkout), lint, write
# SARIF and the job summary, set outputs, and fail the step on errors (warnings too with strict).
# Reads the INPUT_* variables that action.yml sets and GitHub's GITHUB_* variables.
set -euo pipefail

# Where the action keeps its binary between runs (action.yml caches this folder).
install_dir="${AGONES_LINT_INSTALL_DIR:-$HOME/.agones-lint/bin}"

# The release archive's target triple for this runner (the names release.yml gives them).
release_target() {
  local os="${RUNNER_OS:-$(uname -s)}" arch="${RUNNER_ARCH:-$(uname -m)}"
  case "$os/$arch" in
    Linux/X64 | Linux/x86_64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64 | Linux/aarch64) echo aarch64-unknown-linux-musl ;;
    macOS/X64 | Darwin/x86_64) echo x86_64-apple-darwin ;;
    macOS/ARM64 | Darwin/arm64) echo aarch64-apple-darwin ;;
    Windows/X64 | MINGW*/x86_64 | MSYS*/x86_64) echo x86_64-pc-windows-msvc ;;
    *) return 1 ;;
  esac
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

# Downloads the release binary for this runner, verifies it against the release's SHA-256 and
# puts it in $install_dir. Any failure is exit 2: the step cannot lint without a trusted binary.
install_release() {
  local version="${INPUT_VERSION#v}" target base archive tmp expected actual
  if ! target=$(release_target); then
    echo "::error title=agones-lint::no release binary for ${RUNNER_OS:-$(uname -s)}/${RUNNER_ARCH:-$(uname -m)}; leave 'version' empty to build from source"
    exit 2
  fi
  base="${INPUT_RELEASE_URL:-}"
  if [ -z "$base" ]; then
    # github.action_repository, which the runner also exports; empty in some nested actions.
    AGONES_LINT_REPOSITORY="${AGONES_LINT_REPOSITORY:-${GITHUB_ACTION_REPOSITORY:-}}"
    if [ -z "$AGONES_LINT_REPOSITORY" ]; then
      echo "::error title=agones-lint::cannot tell which repository publishes the releases; set the 'release-url' input"
      exit 2
    fi
    base="https://github.com/$AGONES_LINT_REPOSITORY/releases/download"
  fi
  case "$target" in *windows*) archive="agones-lint-$version-$target.zip" ;; *) archive="agones-lint-$version-$target.tar.gz" ;; esac
  tmp=$(mktemp -d)
  echo "Downloading $base/v$version/$archive"
  if ! curl -fsSL --retry 3 --max-time 300 -o "$tmp/$archive" "$base/v$version/$archive" \
    || ! curl -fsSL --retry 3 --max-time 60 -o "$tmp/$archive.sha256" "$base/v$version/$archive.sha256"; then
    echo "::error title=agones-lint::could not download agones-lint $version for $target from $base (is v$version released?)"
    exit 2
  fi
  expected=$(cut -d' ' -f1 < "$tmp/$archive.sha256" | tr -d '\r\n' | tr 'A-F' 'a-f')
  actual=$(sha256_of "$tmp/$archive")
  if [ "$expected" != "$actual" ]; then
    echo "::error title=agones-lint::checksum mismatch for $archive: the release says $expected, the download is $actual; not installing it"
    exit 2
  fi
  mkdir -p "$tmp/x" "$install_dir"
  case "$archive" in
    *.zip) unzip -q "$tmp/$archive" -d "$tmp/x" ;;
    *) tar -xzf "$tmp/$archive" -C "$tmp/x" ;;
  esac
  local exe=agones-lint
  case "$target" in *windows*) exe=agones-lint.exe ;; esac
  install -m 0755 "$tmp/x/agones-lint-$version-$target/$exe" "$install_dir/$exe"
  rm -rf "$tmp"
  echo "Installed agones-lint $version ($target, sha256 $actual)"
}

bin="${AGONES_LINT_BIN:-}"
if [ -z "$bin" ]; then
  if [ ! -x "$install_dir/agones-lint" ] && [ ! -x "$install_dir/agones-lint.exe" ]; then
    if [ -n "${INPUT_VERSION:-}" ]; then
      install_release
    else
      # An unreleased checkout of the action (a branch or a commit): build it.
      cargo install --locked --root "$(dirname "$install_dir")" --path "$GITHUB_ACTION_PATH"
    fi
  fi
  bin="$install_dir/agones-lint"
fi

args=()
[ -n "${INPUT_AGONES_VERSION:-}" ] && args+=(--agones-version "$INPUT_AGONES_VERSION")
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
