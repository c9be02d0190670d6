#!/usr/bin/env bash
# Installs what a test run needs from the OS. Without arguments, what `npm test` needs: bubblewrap (the
# Linux sandbox), and the real tools the tests run inside it: git (repositories, git over HTTP), python3
# (the TIOCSTI test, pip through the managed proxy), curl (managed networking); it runs before `npm test`.
# With arguments TOOL=PACKAGE …, those instead (`npm run test:container` asks for podman, runc and
# debootstrap). Idempotent. As root it installs what is missing with apt-get; otherwise it says what to
# run and fails.
set -euo pipefail
if [ "$(uname -s)" != "Linux" ]; then
  [ $# -eq 0 ] && exit 0
  echo "these tests run on Linux only" >&2
  exit 1
fi
declare -A package=()
tools=()
for pair in "${@:-bwrap=bubblewrap git=git python3=python3 curl=curl}"; do
  for p in $pair; do
    tools+=("${p%%=*}")
    package[${p%%=*}]=${p#*=}
  done
done
missing=()
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${package[$tool]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  for tool in "${tools[@]}"; do command -v "$tool" >/dev/null; done
  echo "installed ${missing[*]}" >&2
else
  echo "missing OS packages: run 'sudo apt-get update && sudo apt-get install -y ${missing[*]}' (or your distribution's packages), then retry" >&2
  exit 1
fi
