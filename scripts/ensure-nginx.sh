#!/usr/bin/env bash
# `make run-scaled` puts nginx in front of the web processes and the engines. Install
# Debian's package when it is missing; needs root (or passwordless sudo).
set -euo pipefail
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then exit 0; fi
echo ">> installing Debian's nginx for the scaled-out stack"
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo -n"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends nginx >/dev/null
# The package starts a system nginx on port 80; this project runs its own instance.
$SUDO systemctl disable --now nginx >/dev/null 2>&1 || $SUDO service nginx stop >/dev/null 2>&1 || true
/usr/sbin/nginx -v
