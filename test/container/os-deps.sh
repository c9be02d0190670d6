#!/usr/bin/env bash
# What the container test (npm run test:container) needs from the OS: Podman with Debian's runc
# (test/container/containers.conf picks it) and debootstrap, which makes the local base image.
# Idempotent; as root it installs what is missing with apt-get, otherwise it says what to run.
set -euo pipefail
[ "$(uname -s)" = "Linux" ] || { echo "the container test runs on Linux only" >&2; exit 1; }
declare -A package=([podman]=podman [runc]=runc [debootstrap]=debootstrap)
missing=()
for tool in podman runc debootstrap; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${package[$tool]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  for tool in podman runc debootstrap; do command -v "$tool" >/dev/null; done
  echo "installed ${missing[*]}" >&2
else
  echo "missing OS packages: run 'sudo apt-get update && sudo apt-get install -y ${missing[*]}', then retry as root" >&2
  exit 1
fi
