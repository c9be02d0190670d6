#!/usr/bin/env bash
# Installs what the test suite needs from the OS: bubblewrap (the Linux sandbox), and the real tools
# the tests run inside it: git (repositories, git over HTTP), python3 (the TIOCSTI test, pip through
# the managed proxy), curl (managed networking). Idempotent; runs before `npm test`. As root it
# installs what is missing with apt-get; otherwise it says what to run and fails.
set -euo pipefail
[ "$(uname -s)" = "Linux" ] || exit 0
declare -A package=([bwrap]=bubblewrap [git]=git [python3]=python3 [curl]=curl)
missing=()
for tool in bwrap git python3 curl; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${package[$tool]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  for tool in bwrap git python3 curl; do command -v "$tool" >/dev/null; done
  echo "installed ${missing[*]}" >&2
else
  echo "missing OS packages: run 'sudo apt-get update && sudo apt-get install -y ${missing[*]}' (or your distribution's packages), then retry" >&2
  exit 1
fi
