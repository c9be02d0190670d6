#!/usr/bin/env bash
# Installs what the test suite needs from the OS: bubblewrap (the Linux sandbox). Idempotent; runs
# before `npm test`. As root it installs with apt-get; otherwise it says what to run and fails.
set -euo pipefail
[ "$(uname -s)" = "Linux" ] || exit 0
if command -v bwrap >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq bubblewrap >/dev/null
  command -v bwrap >/dev/null
  echo "installed $(bwrap --version)" >&2
else
  echo "bubblewrap is missing: run 'sudo apt-get update && sudo apt-get install -y bubblewrap' (or your distribution's package), then retry" >&2
  exit 1
fi
