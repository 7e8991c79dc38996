#!/usr/bin/env bash
# Installs what TradingPageBrowserTest needs: Debian's chromium (apt-get, when /usr/bin/chromium is
# missing) and the pinned playwright-core (npm ci from package-lock.json, when missing or another
# version). playwright-core drives that chromium; it downloads no browser of its own.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "chromium is not installed and this is not root: run 'apt-get install chromium' as root" >&2
    exit 2
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$tool is not installed: the browser test needs node 20+ and npm on the PATH" >&2
    exit 2
  fi
done
wanted=$(node -p "require('./package.json').dependencies['playwright-core']")
installed=$(node -p "try { require('./node_modules/playwright-core/package.json').version } catch (e) { '' }")
if [ "$installed" != "$wanted" ]; then
  # playwright-core has no install scripts; none are run.
  npm ci --ignore-scripts --no-audit --no-fund >&2
fi
