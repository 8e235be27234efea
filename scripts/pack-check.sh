#!/usr/bin/env bash
# Publishing check: what `pnpm pack` / `npm publish` make from a CLEAN checkout
# (a fresh git clone of the committed HEAD, so no dist/ and no local edits):
#   1. install (frozen lockfile) and `pnpm pack` (the packageManager's pnpm), whose `prepack` script
#      builds; a second clone of the same commit packs the same bytes (one sha256);
#   2. the tarball holds dist/ with every entry in package.json's exports and bin;
#   3. installed into throw-away backends (scripts/compat-matrix.sh with
#      TARBALL=...: legacy routers, and the new backend system with the module
#      for the 0.31 line) a user signs in, refreshes and signs out
#      (scripts/compat/signin-check.mjs);
#   4. in that backend, both bins work from the tarball: the emulator starts
#      (without --users, offering the example users on its login page) and
#      `npx backstage-plugin-spectrocloud-auth-legacy doctor` passes against it.
#
#   scripts/pack-check.sh            the newest backend line (0.24)
#   scripts/pack-check.sh 0.18 0.24  these lines of scripts/compat-matrix.sh (the bins run in the last one)
#   scripts/pack-check.sh 0.18 0.24 0.18@node18 0.24@node18 0.31@node22   what .ci/run runs
#
# Needs what scripts/compat-matrix.sh needs. Leaves nothing behind in the temp
# directory. Prints `pack-check: N passed, N failed`; exits 1 on any failure.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LINES=("${@:-0.24}")
LINE="${LINES[-1]}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/spectrocloud-pack-check.XXXXXX")"
EMULATOR_PID=""
cleanup() {
  [ -n "$EMULATOR_PID" ] && kill "$EMULATOR_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

passed=0
failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }
finish() {
  echo "pack-check: $passed passed, $failed failed"
  [ "$failed" = 0 ]
  exit $?
}
now() { date +%s; }
t_start=$(now)

echo "== clean checkout of $(cd "$ROOT" && git rev-parse --short HEAD)"
git clone --quiet --no-hardlinks "$ROOT" "$WORK/clone" || { fail "git clone"; finish; }
[ ! -e "$WORK/clone/dist" ] && pass "clean checkout has no dist/" || fail "clean checkout has a dist/"

echo "== install and pack (prepack builds)"
t0=$(now)
if (cd "$WORK/clone" && npx -y pnpm@9 install --frozen-lockfile >"$WORK/install.log" 2>&1); then
  pass "pnpm install --frozen-lockfile ($(( $(now) - t0 ))s)"
else
  tail -30 "$WORK/install.log"; fail "pnpm install --frozen-lockfile"; finish
fi
t0=$(now)
mkdir -p "$WORK/pack"
# The pnpm of package.json's packageManager: another pnpm may write another tar layout.
PNPM_VERSION="$(cd "$WORK/clone" && node -p 'require("./package.json").packageManager.split("@")[1]')"
if (cd "$WORK/clone" && npx -y "pnpm@$PNPM_VERSION" pack --pack-destination "$WORK/pack" >"$WORK/pack.log" 2>&1); then
  pass "pnpm pack ($(( $(now) - t0 ))s)"
else
  tail -30 "$WORK/pack.log"; fail "pnpm pack"; finish
fi
TARBALL="$(ls "$WORK"/pack/*.tgz 2>/dev/null | head -1)"
[ -n "$TARBALL" ] || { fail "pnpm pack wrote no tarball"; finish; }

# Reproducible: the same commit packed again from a second clone (another path, other file mtimes, a later
# time) gives the same bytes. The second clone borrows the first one's node_modules (same lockfile), so
# this costs one build, not one more install. The tarball's own entries carry a fixed date (pnpm's), and
# scripts/normalize-sourcemaps.mjs takes the checkout's path out of the CommonJS source maps.
t0=$(now)
git clone --quiet --no-hardlinks "$ROOT" "$WORK/clone-again" && ln -s "$WORK/clone/node_modules" "$WORK/clone-again/node_modules"
mkdir -p "$WORK/pack-again"
if (cd "$WORK/clone-again" && npx -y "pnpm@$PNPM_VERSION" pack --pack-destination "$WORK/pack-again" >"$WORK/pack-again.log" 2>&1); then
  first_hash="$(sha256sum "$TARBALL" | cut -d' ' -f1)"
  second_hash="$(sha256sum "$WORK"/pack-again/*.tgz | cut -d' ' -f1)"
  if [ "$first_hash" = "$second_hash" ]; then
    pass "reproducible: a second clone packs the same bytes, sha256 $first_hash ($(( $(now) - t0 ))s)"
  else
    mkdir -p "$WORK/x1" "$WORK/x2"
    tar -xzf "$TARBALL" -C "$WORK/x1"; tar -xzf "$WORK"/pack-again/*.tgz -C "$WORK/x2"
    diff -rq "$WORK/x1" "$WORK/x2" | head -10 | sed 's/^/   /'
    fail "reproducible: two packs of one commit differ ($first_hash, $second_hash)"
  fi
else
  tail -30 "$WORK/pack-again.log"; fail "pnpm pack from a second clone"
fi
rm -rf "$WORK/clone-again" "$WORK/pack-again"

# Every file package.json points at (exports, main, module, types, bin) is in the tarball.
missing="$(cd "$WORK/clone" && tar -tzf "$TARBALL" | node -e '
  const listed = new Set(require("fs").readFileSync(0, "utf8").split("\n").map(l => l.replace(/^package\//, "")));
  const pkg = require("./package.json");
  const wanted = new Set();
  const walk = v => typeof v === "string" ? wanted.add(v.replace(/^\.\//, "")) : v && Object.values(v).forEach(walk);
  walk(pkg.exports); walk(pkg.bin); [pkg.main, pkg.module, pkg.types].forEach(walk);
  console.log([...wanted].filter(f => !listed.has(f)).join(" "));
')"
[ -z "$missing" ] && pass "tarball holds every exported and bin file" || fail "tarball lacks: $missing"

echo "== sign-in in throw-away backends (plugin-auth-backend ${LINES[*]}) from the tarball"
if TARBALL="$TARBALL" COMPAT_WORK_DIR="$WORK/compat" "$ROOT/scripts/compat-matrix.sh" "${LINES[@]}" | sed 's/^/   /'; then
  pass "sign-in, refresh and sign-out with the packed tarball (lines ${LINES[*]})"
else
  fail "sign-in with the packed tarball (lines ${LINES[*]})"; finish
fi

echo "== the package's bins, from the tarball"
FIXTURE="$WORK/compat/line-$LINE"
SECRET="pack-check-secret-$(node -p 'require("crypto").randomBytes(12).toString("hex")')"
# exec: $! is then the emulator itself, so the kill at the end stops it (not only a subshell around it).
(cd "$FIXTURE" && SPECTROCLOUD_EMULATOR_CLIENT_SECRET="$SECRET" exec ./node_modules/.bin/spectrocloud-emulator --port 0 \
  --client-id pack-check --redirect-uri http://localhost:7007/api/auth/spectrocloud/handler/frame >"$WORK/emulator.log" 2>&1) &
EMULATOR_PID=$!
authorization_url=""
for _ in $(seq 1 120); do
  authorization_url="$(sed -n 's/^authorization URL: *//p' "$WORK/emulator.log")"
  [ -n "$authorization_url" ] && break
  kill -0 "$EMULATOR_PID" 2>/dev/null || break
  sleep 0.5
done
if [ -n "$authorization_url" ]; then
  pass "spectrocloud-emulator bin starts"
  # Started without --users: its login page must offer the built-in example users.
  login_page="$(curl -s "$authorization_url?client_id=pack-check&redirect_uri=http%3A%2F%2Flocalhost%3A7007%2Fapi%2Fauth%2Fspectrocloud%2Fhandler%2Fframe&response_type=code&scope=openid&state=pack-check")"
  if grep -q 'data-email="alice@example.com"' <<<"$login_page" && grep -q 'data-email="bob@example.com"' <<<"$login_page"; then
    pass "spectrocloud-emulator without --users offers the example users (alice, bob)"
  else
    fail "spectrocloud-emulator without --users offers the example users"
  fi
  cat >"$FIXTURE/app-config.yaml" <<YAML
app:
  baseUrl: http://localhost:3000
backend:
  baseUrl: http://localhost:7007
  # The app is on another origin: the doctor's cors check wants what a real deployment needs.
  cors:
    origin: http://localhost:3000
    credentials: true
auth:
  environment: development
  providers:
    spectrocloud:
      development:
        clientId: pack-check
        clientSecret: \${PACK_CHECK_SECRET}
        authorizationUrl: $authorization_url
YAML
  if (cd "$FIXTURE" && PACK_CHECK_SECRET="$SECRET" npx --no-install backstage-plugin-spectrocloud-auth-legacy doctor --config app-config.yaml >"$WORK/doctor.log" 2>&1); then
    pass "npx backstage-plugin-spectrocloud-auth-legacy doctor passes ($(grep -c '^ok ' "$WORK/doctor.log") checks)"
  else
    sed 's/^/   /' "$WORK/doctor.log"; fail "doctor from the tarball"
  fi
  grep -q "$SECRET" "$WORK/doctor.log" "$WORK/emulator.log" && fail "a bin printed the client secret" || pass "no bin printed the client secret"
else
  cat "$WORK/emulator.log"; fail "spectrocloud-emulator bin starts"
fi

echo "   took $(( $(now) - t_start ))s"
finish
