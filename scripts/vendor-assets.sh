#!/usr/bin/env bash
# Fetch pinned releases of GOV.UK Frontend and axe-core from the npm registry
# and copy the files the application and the browser tests need into the repo.
#
# Run from the repository root:   scripts/vendor-assets.sh
#
# Needs node and npm only while running; nothing is installed in the repo
# (no package.json, no node_modules). Safe to run again: it replaces the
# vendored files with those from the pinned versions.
#
# To upgrade: change a version below, run the script, review and commit.
set -euo pipefail

GOVUK_FRONTEND_VERSION="5.14.0"
AXE_CORE_VERSION="4.14.1"

GOVUK_DEST="web/static/govuk"
AXE_DEST="web/browsertest/testdata/axe"

if [[ ! -f go.mod ]] || ! grep -q '^module jtai$' go.mod; then
  echo "vendor-assets: run this from the repository root" >&2
  exit 1
fi
command -v npm >/dev/null || { echo "vendor-assets: npm is required" >&2; exit 1; }
command -v node >/dev/null || { echo "vendor-assets: node is required" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

today="$(date -u +%Y-%m-%d)"

# fetch NAME VERSION: packs NAME@VERSION into $work/NAME, extracts it to
# $work/NAME/package and writes the tarball's details to $work/NAME/pack.json.
fetch() {
  local name="$1" version="$2" dir="$work/$1"
  mkdir -p "$dir"
  echo "Fetching $name@$version from the npm registry"
  npm pack "$name@$version" --json --pack-destination "$dir" --loglevel=error >"$dir/pack.json"
  tar -xzf "$dir"/*.tgz -C "$dir"
  local got
  got="$(node -p 'require(process.argv[1]).version' "$dir/package/package.json")"
  if [[ "$got" != "$version" ]]; then
    echo "vendor-assets: expected $name $version, got $got" >&2
    exit 1
  fi
}

# field DIR KEY: a field of the first entry of npm pack's JSON report.
field() {
  node -p 'require(process.argv[1])[0][process.argv[2]]' "$1/pack.json" "$2"
}

# write_version DIR DEST: VERSION file with name, version, integrity, shasum, date.
write_version() {
  local dir="$1" dest="$2"
  {
    echo "package:   $(field "$dir" name)"
    echo "version:   $(field "$dir" version)"
    echo "tarball:   https://registry.npmjs.org/$(field "$dir" name)/-/$(field "$dir" filename)"
    echo "integrity: $(field "$dir" integrity)"
    echo "shasum:    $(field "$dir" shasum)"
    echo "vendored:  $today"
    echo "by:        scripts/vendor-assets.sh"
  } >"$dest/VERSION"
}

# govuk_licence SRC: the licence text for GOV.UK Frontend. The npm tarball
# ships no licence file (only "license": "MIT" in package.json and a Licence
# section in README.md), so unless a future release includes one, write the
# MIT licence text from the upstream repository (alphagov/govuk-frontend,
# LICENSE.txt) after checking package.json still declares MIT.
govuk_licence() {
  local src="$1" f
  for f in LICENSE.txt LICENSE LICENCE.txt LICENCE LICENSE.md; do
    if [[ -f "$src/$f" ]]; then
      cat "$src/$f"
      return
    fi
  done
  local declared
  declared="$(node -p 'require(process.argv[1]).license' "$src/package.json")"
  if [[ "$declared" != "MIT" ]]; then
    echo "vendor-assets: govuk-frontend now declares licence '$declared', not MIT; check it by hand" >&2
    exit 1
  fi
  cat <<'LICENCE'
The MIT License (MIT)

Copyright (C) 2017 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
LICENCE
  echo
  echo "----------------------------------------------------------------------"
  echo "From the package's README.md:"
  echo
  sed -n '/^## Licence/,/^## /{/^## Licence/d;/^## /d;p}' "$src/README.md" | sed '/./,$!d'
}

# --- GOV.UK Frontend -------------------------------------------------------
fetch govuk-frontend "$GOVUK_FRONTEND_VERSION"
src="$work/govuk-frontend/package"
dist="$src/dist/govuk"

rm -rf "$GOVUK_DEST"
mkdir -p "$GOVUK_DEST"
for f in govuk-frontend.min.css govuk-frontend.min.css.map \
         govuk-frontend.min.js govuk-frontend.min.js.map; do
  cp "$dist/$f" "$GOVUK_DEST/$f"
done
cp -R "$dist/assets" "$GOVUK_DEST/assets"
govuk_licence "$src" >"$GOVUK_DEST/LICENCE.txt"
write_version "$work/govuk-frontend" "$GOVUK_DEST"
echo "Copied govuk-frontend $GOVUK_FRONTEND_VERSION into $GOVUK_DEST"
echo "  CSS refers to assets under: $(grep -o 'url([^)]*)' "$GOVUK_DEST/govuk-frontend.min.css" \
  | sed -E 's/^url\(["'\'']?//; s/["'\'']?\)$//' | sed -E 's#/[^/]*$#/#' | sort -u | tr '\n' ' ')"

# --- axe-core --------------------------------------------------------------
fetch axe-core "$AXE_CORE_VERSION"
src="$work/axe-core/package"

rm -rf "$AXE_DEST"
mkdir -p "$AXE_DEST"
cp "$src/axe.min.js" "$AXE_DEST/axe.min.js"
cp "$src/LICENSE" "$AXE_DEST/LICENCE.txt"
write_version "$work/axe-core" "$AXE_DEST"
echo "Copied axe-core $AXE_CORE_VERSION into $AXE_DEST"

echo
echo "Vendored files:"
find "$GOVUK_DEST" "$AXE_DEST" -type f | LC_ALL=C sort | while read -r f; do
  printf '  %9d  %s\n' "$(wc -c <"$f")" "$f"
done
