#!/usr/bin/env bash
# The whole test suite: build, typecheck, lint, unit + integration tests (Vitest) and end-to-end
# tests (Playwright in Debian's Chromium through the web bridge), inside a private D-Bus session
# with an unlocked GNOME Keyring so the real OS keychain is used. Ends with one line
# "N passed, N failed[, N skipped]" totalling every runner.
set -uo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests need. Installed only when missing and when running as root.
PACKAGES=(chromium gnome-keyring dbus dbus-x11 libsecret-1-0 libsecret-1-dev fonts-dejavu-core poppler-utils)
missing=()
for p in "${PACKAGES[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian packages for the tests: ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing Debian packages: ${missing[*]} (install them with: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi

# On a machine where `npm ci` has not run yet (or ran before libsecret was there, so the optional
# keychain module was not built), install and build now. The Electron binary is not needed for tests.
if [ ! -d node_modules ]; then
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
elif [ ! -f node_modules/keytar/build/Release/keytar.node ]; then
  npm rebuild keytar
fi

# npm scripts put node_modules/.bin first on PATH, so this is the project's Node 22 even where the
# machine's Node is older.
echo "Node $(node --version)"

results=$(mktemp -d)
failed_steps=0
step() { # name, command...
  local name=$1; shift
  echo "── $name"
  if "$@"; then echo "pass" > "$results/step-$name"; else echo "fail" > "$results/step-$name"; failed_steps=$((failed_steps + 1)); fi
}

step build npm run build --silent
step typecheck npx tsc --noEmit -p tsconfig.json
step lint npx eslint --max-warnings 0 .

# Vitest and Playwright share one private D-Bus session with an unlocked keyring.
export RESULTS_DIR=$results
# The keyring lives in a fresh folder each run: an old keyring with another password would prompt.
export XDG_DATA_HOME=$results/xdg-data
mkdir -p "$XDG_DATA_HOME"
dbus-run-session -- bash -c '
  echo -n "link-desk-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  echo "── vitest"
  npx vitest run --reporter=default --reporter=json --outputFile.json="$RESULTS_DIR/vitest.json"
  echo "── playwright"
  PLAYWRIGHT_JSON_OUTPUT_NAME="$RESULTS_DIR/playwright.json" npx playwright test --reporter=list,json
  true
' 2>&1 | grep -v "Failed to set fd limit"

node scripts/test-summary.mjs "$results"
