#!/usr/bin/env bash
# Install the system programs the tests drive for real (Debian packages):
#   virtuoso-opensource-7-bin  a SPARQL store the tests start on 127.0.0.1 (kg push, remote queries)
#   chromium, fonts-wqy-microhei  a browser for the HTML page tests (Chinese labels need the font)
#   raptor2-utils, serdi       independent Turtle parsers (rapper, serdi)
# Run as root (CI runs as root). Without root it only reports what is missing; the tests
# that need a missing program then fail with a message naming this script.
set -euo pipefail
need=()
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource-7-bin)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy" || need+=(fonts-wqy-microhei)
command -v rapper >/dev/null 2>&1 || need+=(raptor2-utils)
command -v serdi >/dev/null 2>&1 || need+=(serdi)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "system-deps: missing ${need[*]} (run this script as root to install them)" >&2
  exit 0
fi
echo "system-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
