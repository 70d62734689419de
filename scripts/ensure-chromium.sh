#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (Playwright cannot download its own here), and
# the report tests render PDF pages with poppler's pdftoppm. Install whichever is missing
# from Debian's packages; needs root (or passwordless sudo).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo ">> installing Debian's ${missing[*]} for the browser and report tests"
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo -n"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
chromium --version
