#!/usr/bin/env bash
# Frontend compatibility: type-checks src/frontend/*.ts and runs the frontend
# unit tests (test/frontend/*.test.ts, not test/frontend/browser) against
# several @backstage/core-app-api lines, each in a throw-away project that pins
# that line with the core-plugin-api, config and types it pairs with, plus
# @material-ui/core 4.12.4 (every Backstage app has Material UI v4, through
# core-components; the session-end warning draws with it), react 18,
# typescript 5, vitest 4 and jsdom 26. The sources and tests are
# copied as they are; the package's own tsconfig.json and vitest.config.ts are
# reused.
#
#   scripts/frontend-compat.sh               every line (1.8 and 1.9 as uncounted probes)
#   scripts/frontend-compat.sh 1.9 1.16      the lines named
#   scripts/frontend-compat.sh --keep ...    keep the fixture directories (printed)
#
# Needs: node >= 20, npm, network access to the npm registry. Installs run
# in parallel; a full run takes well under a minute on a warm npm cache.
# Prints a summary table and `frontend-compat: N passed, N failed`; exits 1 if
# a counted line failed. Probe lines document where support ends: their
# failures are reported, never counted.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TEMPLATE_DIR="$ROOT/scripts/frontend-compat"

# line | core-app-api | core-plugin-api | config | types | role | extras
# core-plugin-api, config and types: the lowest version inside the range that
# core-app-api release declares (`npm view @backstage/core-app-api@X dependencies`),
# so the oldest pairing a user can have is what gets tested; they are installed
# at the top level, so core-app-api shares that one copy (checked below).
# 1.11.1 is the floor our peer range claims (the first to send the scopes on
# /refresh); the other lines use their newest release. Probes below that floor:
# 1.8 (no popupOptions) and 1.9 (refresh without scope). 1.20 is the newest
# release, for the `<2.0.0` end of the range, and the first counted line past
# 1.18's change to instant popups (they try /refresh first: re-authentication's
# sign-in client must refuse that, src/frontend/sessionlessClient.ts).
# extras: more packages pinned on that line. With @backstage/plugin-kubernetes-react,
# src/frontend/kubernetes and test/frontend/kubernetes.test.ts are copied too (0.5 on
# 1.16, 0.6 on 1.20); with @backstage/frontend-plugin-api, src/alpha and
# test/frontend/alpha.test.ts (the new frontend system, through
# @backstage/frontend-test-utils and the Kubernetes plugin): fpa-0.10 is the oldest
# supported line (the last of `ApiBlueprint.make({ params: { factory } })`), fpa-0.18
# the newest, what create-app 0.9.2 generates; cc-0.13 is fpa-0.10 with the app's
# core-components at the floor of its peer range, 0.13.8 (the first with React 18, what
# core-app-api 1.11.1's apps have): the sign-in page of src/alpha renders its SignInPage. The fpa lines run alpha and kubernetes
# tests only (the legacy ones are the core-app-api lines' job).
# The tests that drive core-app-api's OAuth2 run in jsdom (in the template): from
# 1.20.7 its /refresh reads `window.navigator.locks` before fetching, and in plain
# Node, without a window, that throws before any request is sent.
ALPHA_TEST_DEPS="@testing-library/react@16 @testing-library/dom@10"
LINES=(
  "1.8|1.8.0|1.5.1|1.0.7|1.0.2|probe|"
  "1.9|1.9.0|1.5.3|1.0.8|1.1.0|probe|"
  "1.11|1.11.1|1.8.0|1.1.1|1.1.1|counted|"
  "1.12|1.12.5|1.9.2|1.2.0|1.1.1|counted|"
  "1.16|1.16.0|1.10.5|1.3.2|1.2.1|counted|@backstage/plugin-kubernetes-react@0.5.3"
  "1.20|1.20.7|1.13.0|1.3.11|1.2.2|counted|@backstage/plugin-kubernetes-react@0.6.2"
  "fpa-0.10|1.16.0|1.10.9|1.3.3|1.2.1|counted|@backstage/frontend-plugin-api@0.10.4 @backstage/frontend-test-utils@0.3.2 @backstage/core-components@0.17.5 @backstage/plugin-kubernetes@0.12.9 @backstage/plugin-kubernetes-react@0.5.9 $ALPHA_TEST_DEPS"
  "cc-0.13|1.16.0|1.10.9|1.3.3|1.2.1|counted|@backstage/frontend-plugin-api@0.10.4 @backstage/frontend-test-utils@0.3.2 @backstage/core-components@0.13.8 @backstage/plugin-kubernetes@0.12.9 @backstage/plugin-kubernetes-react@0.5.9 $ALPHA_TEST_DEPS"
  "fpa-0.18|1.20.7|1.13.0|1.3.11|1.2.2|counted|@backstage/frontend-plugin-api@0.18.1 @backstage/frontend-test-utils@0.6.4 @backstage/core-components@0.18.16 @backstage/plugin-kubernetes@0.12.23 @backstage/plugin-kubernetes-react@0.6.2 $ALPHA_TEST_DEPS"
)

# test/frontend/*.test.ts files that are not copied, and why. Every other
# test file there is copied and must pass (alpha and kubernetes: on the lines
# whose extras have what they need).
declare -A SKIPPED_TESTS=(
  [size.test.ts]="measures the esbuild bundle with Backstage, Material UI and React external: independent of the installed line"
  [exampleAppOrigin.test.ts]="the example backend's app-origin option: no frontend package involved"
  [peers.test.ts]="reads package.json's peer ranges: independent of the installed line"
  [sessionlessClient.test.ts]="runs the fresh sign-in client on core-app-api 1.20 (a devDependency alias), whatever line is installed"
  [surface.test.ts]="reads the API reports (api-reports/) of the frontend entries: independent of the installed line"
)
declare -A NEEDS=(
  [alpha.test.ts]="@backstage/frontend-plugin-api"
  [kubernetes.test.ts]="@backstage/plugin-kubernetes-react"
)

source "$ROOT/scripts/lib/select-lines.sh"
read_line_args no-ci 2,18 "$@"
select_lines all

now() { date +%s; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/spectrocloud-frontend-compat.XXXXXX")"
declare -a INSTALL_PIDS=()
cleanup() {
  # The installs this script started (npm, then their subshells), if still running.
  for pid in "${INSTALL_PIDS[@]}"; do pkill -P "$pid" 2>/dev/null; kill "$pid" 2>/dev/null; done
  [ $keep = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT

# The tests of a line: every test/frontend/*.test.ts but the skipped ones and
# those whose package the line does not pin.
line_tests() {
  local extras="$1" path name
  for path in "$ROOT"/test/frontend/*.test.ts; do
    name="$(basename "$path")"
    [ -n "${SKIPPED_TESTS[$name]:-}" ] && continue
    [ -n "${NEEDS[$name]:-}" ] && [[ " $extras" != *" ${NEEDS[$name]}@"* ]] && continue
    [[ " $extras" == *" @backstage/frontend-plugin-api@"* ]] && [ -z "${NEEDS[$name]:-}" ] && continue
    echo "$name"
  done
}
for name in "${!SKIPPED_TESTS[@]}"; do echo "   not copied: test/frontend/$name: ${SKIPPED_TESTS[$name]}"; done

# A fixture: the pinned packages, the frontend sources (kubernetes/ and alpha/
# when the line pins their packages), the line's tests with their support
# files, and the package's own configs.
write_fixture() {
  local dir="$1" app_api="$2" plugin_api="$3" config="$4" types="$5" extras="$6" name
  mkdir -p "$dir/src/frontend" "$dir/test/frontend" "$dir/test/support"
  sed -e "s|@@CORE_APP_API@@|$app_api|" -e "s|@@CORE_PLUGIN_API@@|$plugin_api|" \
      -e "s|@@CONFIG@@|$config|" -e "s|@@TYPES@@|$types|" \
      "$TEMPLATE_DIR/package.json.tmpl" >"$dir/package.json"
  # The extras join the template's dependencies (name@version, scoped names too).
  node -e '
    const [file, ...extras] = process.argv.slice(1);
    const pkg = JSON.parse(require("fs").readFileSync(file, "utf8"));
    for (const spec of extras) { const at = spec.lastIndexOf("@"); pkg.dependencies[spec.slice(0, at)] = spec.slice(at + 1); }
    require("fs").writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
  ' "$dir/package.json" $extras
  local include='"src/frontend/*.ts", "src/frontend/sessionEnd/*.ts"'
  cp "$ROOT"/src/frontend/*.ts "$dir/src/frontend/"
  cp -r "$ROOT/src/frontend/sessionEnd" "$dir/src/frontend/"
  # The one header constant the frontend shares with the backend hand-off.
  cp "$ROOT/src/reauthHeader.ts" "$dir/src/"
  if [[ " $extras" == *" @backstage/plugin-kubernetes-react@"* ]]; then
    cp -r "$ROOT/src/frontend/kubernetes" "$dir/src/frontend/"; include+=', "src/frontend/kubernetes/*.ts"'
  fi
  if [[ " $extras" == *" @backstage/frontend-plugin-api@"* ]]; then
    cp -r "$ROOT/src/alpha" "$dir/src/"; include+=', "src/alpha/**/*.ts"'
  fi
  sed -e "s|@@ROOT@@|$ROOT|" -e "s|@@INCLUDE@@|$include|" "$TEMPLATE_DIR/tsconfig.json.tmpl" >"$dir/tsconfig.json"
  for name in $(line_tests "$extras"); do cp "$ROOT/test/frontend/$name" "$dir/test/frontend/"; done
  # The support files, not their own tests (support/*.test.ts need the backend's packages).
  for file in "$ROOT"/test/support/*.ts; do [[ "$file" == *.test.ts ]] || cp "$file" "$dir/test/support/"; done
  cp "$ROOT/vitest.config.ts" "$dir/"
}

# Installs run in the background, all at once (mostly network time); the
# checks then run one line after the other.
for entry in "${run_lines[@]}"; do
  IFS='|' read -r line app_api plugin_api config types role extras <<<"$entry"
  dir="$WORK/line-$line"
  write_fixture "$dir" "$app_api" "$plugin_api" "$config" "$types" "$extras"
  # --legacy-peer-deps: core-app-api before 1.11.1 declares react ^16 || ^17 as
  # its peer; react 18 is what the package's tests use (reported per line below).
  (
    t0=$(now)
    cd "$dir" && npm install --no-audit --no-fund --ignore-scripts --legacy-peer-deps --loglevel=error >"$dir/install.log" 2>&1
    echo "$? $(( $(now) - t0 ))" >"$dir/install.rc"
  ) &
  INSTALL_PIDS+=($!)
done
echo "== installing ${#run_lines[@]} fixtures in $WORK"

installed_version() { node -p "require('$1/node_modules/$2/package.json').version" 2>/dev/null || echo missing; }
# Every copy of a package in the tree: more than one means core-app-api did
# not share the pinned one, and the line would not test what it names.
copies() { find "$1/node_modules" -path "*/node_modules/$2/package.json" 2>/dev/null | wc -l; }

declare -a SUMMARY=()
failures=0
passes=0
i=0
for entry in "${run_lines[@]}"; do
  IFS='|' read -r line app_api plugin_api config types role extras <<<"$entry"
  dir="$WORK/line-$line"
  wait "${INSTALL_PIDS[$i]}"
  i=$((i + 1))
  read -r install_status install_s <"$dir/install.rc"
  echo
  echo "== core-app-api $app_api (core-plugin-api $plugin_api, config $config, types $types)${extras:+ + ${extras%% @testing-library*}}$([ "$role" = probe ] && echo ' [probe: reported, not counted]')"
  echo "   tests: $(cd "$dir/test/frontend" && ls *.test.ts | paste -sd' ' -)"
  notes=()
  typecheck=FAIL
  tests_result=FAIL
  check_s=0
  if [ "$install_status" != 0 ]; then
    tail -30 "$dir/install.log"
    notes+=("install failed (see install.log)")
    typecheck=-
    tests_result=-
  else
    t_check=$(now)
    # (config and types may legitimately appear twice: @backstage/errors, a
    # dependency of config, pulls the newest types.)
    # On the fpa lines, frontend-test-utils and the Backstage packages around it pull
    # newer core-plugin-api (and, nested, newer frontend-plugin-api) copies: what must
    # hold there is that the app machinery and the Kubernetes plugin use the pinned
    # frontend-plugin-api, the one src/alpha imports.
    checked="@backstage/core-app-api @backstage/core-plugin-api react react-dom"
    if [[ " $extras" == *" @backstage/frontend-plugin-api@"* ]]; then
      checked="react react-dom"
      for user in @backstage/frontend-test-utils @backstage/frontend-app-api @backstage/plugin-app @backstage/plugin-kubernetes; do
        resolved="$(cd "$dir" && node -p "require.resolve('@backstage/frontend-plugin-api/package.json', { paths: [require('path').dirname(require.resolve('$user/package.json'))] })" 2>/dev/null)"
        [ "$resolved" = "$dir/node_modules/@backstage/frontend-plugin-api/package.json" ] || notes+=("$user uses another copy of @backstage/frontend-plugin-api: ${resolved:-none}")
      done
    fi
    for pkg in $checked; do
      n="$(copies "$dir" "$pkg")"
      [ "$n" = 1 ] || notes+=("$n copies of $pkg installed")
    done
    react_peer="$(node -p "require('$dir/node_modules/@backstage/core-app-api/package.json').peerDependencies?.react ?? ''")"
    case "$react_peer" in
      *18*) ;;
      *) notes+=("react 18 is outside core-app-api's react peer ($react_peer)") ;;
    esac

    (cd "$dir" && ./node_modules/.bin/tsc -p tsconfig.json >"$dir/typecheck.log" 2>&1)
    if [ $? = 0 ]; then
      typecheck=PASS
      echo "   typecheck: PASS"
    else
      echo "   typecheck: FAIL"
      sed 's/^/     /' "$dir/typecheck.log" | head -20
      # In the table: where and which code, e.g. SpectroCloudAuth.ts(1,23) TS2724.
      errors="$(grep -E 'error TS[0-9]+' "$dir/typecheck.log" | sed -E 's|^src/frontend/([^:]+): error (TS[0-9]+):.*|\1 \2|' | paste -sd' ' -)"
      notes+=("tsc: ${errors:-see typecheck.log}")
    fi

    (cd "$dir" && CI=1 ./node_modules/.bin/vitest run --reporter=default >"$dir/tests.log" 2>&1)
    test_status=$?
    tests_line="$(sed 's/\x1b\[[0-9;]*m//g' "$dir/tests.log" | grep -m1 -E '^\s*Tests\s' | sed -E 's/^\s*Tests\s+//; s/\s+/ /g; s/ \| /, /g')"
    if [ $test_status = 0 ]; then
      tests_result="PASS ($tests_line)"
      echo "   tests: PASS ($tests_line)"
    else
      tests_result="FAIL (${tests_line:-no summary})"
      echo "   tests: FAIL (${tests_line:-no summary})"
      sed 's/\x1b\[[0-9;]*m//g' "$dir/tests.log" | grep -E '^\s*(FAIL\s|\S*Error\b)' | head -20 | sed -E 's/^\s*/     /'
      while IFS= read -r t; do notes+=("failed: $t"); done < <(sed 's/\x1b\[[0-9;]*m//g' "$dir/tests.log" | grep -E '^\s*FAIL\s' | sed -E 's/^\s*FAIL\s+test\/frontend\///; s/\s+/ /g' | cut -c1-140 | sort -u | head -3)
    fi
    check_s=$(( $(now) - t_check ))
  fi

  [ ${#notes[@]} -gt 0 ] && printf '   note: %s\n' "${notes[@]}"
  if [ "$typecheck" = PASS ] && [ "${tests_result%% *}" = PASS ] && ! printf '%s\n' "${notes[@]}" | grep -q -E 'copies of|another copy'; then
    result=PASS
  else
    result=FAIL
  fi
  if [ "$role" = counted ]; then
    if [ $result = PASS ]; then passes=$((passes + 1)); else failures=$((failures + 1)); fi
  else
    result="$result (probe, not counted)"
  fi
  joined="$(IFS=';'; echo "${notes[*]:-}" | sed 's/;/; /g')"
  SUMMARY+=("$line|$(installed_version "$dir" @backstage/core-app-api)|$(installed_version "$dir" @backstage/core-plugin-api)|$(installed_version "$dir" @backstage/config)|$(installed_version "$dir" @backstage/types)|$typecheck|$tests_result|$result|${install_s}s|${check_s}s|$joined")
  [ $keep = 1 ] && echo "   fixture kept in $dir"
done

echo
echo "== frontend compatibility summary"
fmt='%-5s %-13s %-16s %-7s %-6s %-10s %-32s %-26s %-8s %-6s %s\n'
printf "$fmt" line core-app-api core-plugin-api config types typecheck tests result install check notes
for row in "${SUMMARY[@]}"; do
  IFS='|' read -r l aa pa cf ty tc te r ins chk n <<<"$row"
  printf "$fmt" "$l" "$aa" "$pa" "$cf" "$ty" "$tc" "$te" "$r" "$ins" "$chk" "$n"
done
echo "frontend-compat: $passes passed, $failures failed"
[ $failures = 0 ]
