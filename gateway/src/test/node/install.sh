#!/usr/bin/env bash
# Installs the pinned ccxt (package-lock.json) for CcxtDydxTest when it is missing or another
# version. Needs node and npm; exits 2 with a message if they are absent.
set -euo pipefail
cd "$(dirname "$0")"
for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$tool is not installed: the ccxt test needs node 20+ and npm on the PATH" >&2
    exit 2
  fi
done
wanted=$(node -p "require('./package.json').dependencies.ccxt")
installed=$(node -p "try { require('./node_modules/ccxt/package.json').version } catch (e) { '' }")
if [ "$installed" != "$wanted" ]; then
  # Scripts are not needed (ccxt's only prints a banner) and not run.
  npm ci --ignore-scripts --no-audit --no-fund >&2
fi
