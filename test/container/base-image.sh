#!/usr/bin/env bash
# Makes the Dockerfile's base image (node:lts-bookworm-slim) locally, for machines that reach Debian's
# mirror and npm but no container registry: a minimal Debian bookworm root from debootstrap, plus this
# machine's node and npm where the official image has them (/usr/local), imported into Podman and
# tagged with the Dockerfile's FROM name. The container test (test/container/container.test.ts) runs
# it with Podman pointed at its own storage, so the stand-in never shadows a real node image.
#
#   base-image.sh CACHE_DIR IMAGE
#
# The root's tarball is cached in CACHE_DIR, keyed by the mirrors, node's and npm's versions, the
# added certificate authorities and this script; the import is skipped when IMAGE already carries the same key (label
# gatehouse.base-key). Needs root (debootstrap chroots), debootstrap and podman. The mirrors are the
# ones apt's sources give for bookworm and bookworm-security, unless DEBIAN_MIRROR and
# DEBIAN_SECURITY_MIRROR say otherwise.
set -euo pipefail
cache=${1:?usage: base-image.sh CACHE_DIR IMAGE}
image=${2:?usage: base-image.sh CACHE_DIR IMAGE}
suite=bookworm

# The URI apt's sources give for a suite: deb822 (URIs:/Suites:) first, then one-line `deb URI suite`.
source_for() {
  local uri
  uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
    awk -v s="$1" '/^URIs:/ { u = $2 } /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == s && u) { print u; exit } }')
  [ -n "$uri" ] || uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    awk -v s="$1" '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i ~ /:\/\//) { if ($(i + 1) == s) { print $i; exit } break } }')
  echo "${uri%/}"
}
mirror=${DEBIAN_MIRROR:-$(source_for "$suite")}
mirror=${mirror:-http://deb.debian.org/debian}
security=${DEBIAN_SECURITY_MIRROR:-$(source_for "$suite-security")}
security=${security:-http://deb.debian.org/debian-security}

node=$(readlink -f "$(command -v node)")
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
node_version=$("$node" --version)
npm_version=$("$node" "$npm_dir/bin/npm-cli.js" --version)
# Certificate authorities this machine added (Debian keeps them in /usr/local/share/ca-certificates):
# where outgoing HTTPS passes a TLS-inspecting proxy, npm in the build cannot reach the registry
# without them. The stand-in base carries them, as an organisation's own base image would: Node
# reads them through NODE_EXTRA_CA_CERTS, and the ca-certificates package adds them to the system
# store when the image installs it.
extra_cas=(/usr/local/share/ca-certificates/*.crt)
[ -e "${extra_cas[0]}" ] || extra_cas=()
cas_sum=$(cat /dev/null "${extra_cas[@]}" | sha256sum | cut -c1-12)
recipe=$(sha256sum "$0" | cut -c1-12)
key="$suite $mirror $security node $node_version npm $npm_version cas $cas_sum recipe $recipe"
tarball="$cache/rootfs-$suite-node$node_version-$(echo "$key" | sha256sum | cut -c1-12).tar"

if [ "$(podman image inspect --format '{{ index .Labels "gatehouse.base-key" }}' "$image" 2>/dev/null || true)" = "$key" ]; then
  echo "base image $image is up to date ($key)" >&2
  exit 0
fi

mkdir -p "$cache"
if [ ! -s "$tarball" ]; then
  [ "$(id -u)" = 0 ] || { echo "debootstrap needs root" >&2; exit 1; }
  root=$(mktemp -d "$cache/rootfs.XXXXXX")
  trap 'rm -rf "$root"' EXIT
  echo "debootstrap $suite from $mirror" >&2
  debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
    { tail -20 "$cache/debootstrap.log" >&2; exit 1; }
  # The same sources debian:bookworm-slim has (the release, its updates, security), on this machine's
  # mirrors.
  rm -f "$root/etc/apt/sources.list"
  cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # What debian:bookworm-slim's apt and dpkg settings do (debuerreotype's): no package caches or
  # downloaded packages left in a layer, no translations, no documentation or locales installed.
  cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
  echo 'Acquire::GzipIndexes "true";' >"$root/etc/apt/apt.conf.d/docker-gzip-indexes"
  echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$root/etc/apt/apt.conf.d/docker-autoremove-suggests"
  cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
  # node and npm where the official image puts them.
  install -D -m 0755 "$node" "$root/usr/local/bin/node"
  mkdir -p "$root/usr/local/lib/node_modules"
  cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  chroot "$root" /usr/local/bin/node --version >/dev/null
  if [ ${#extra_cas[@]} -gt 0 ]; then
    mkdir -p "$root/usr/local/share/ca-certificates"
    cp "${extra_cas[@]}" "$root/usr/local/share/ca-certificates/"
    cat "${extra_cas[@]}" >"$root/usr/local/share/ca-certificates/extra-cas.pem"
  fi
  # What debootstrap installed before those settings: package caches and lists, documentation.
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/* \
    "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* \
    "$root"/var/log/*.log "$root"/var/cache/ldconfig/*
  tar --numeric-owner --xattrs -C "$root" -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
  find "$cache" -maxdepth 1 -name 'rootfs-*.tar' ! -path "$tarball" -delete
  rm -rf "$root"
  trap - EXIT
fi

echo "importing $tarball as $image" >&2
env_cas=()
[ ${#extra_cas[@]} -eq 0 ] || env_cas=(--change 'ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/extra-cas.pem')
podman import --quiet "${env_cas[@]}" \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=${node_version#v}" \
  --change "LABEL gatehouse.base-key=\"$key\"" \
  --change 'CMD ["node"]' \
  "$tarball" "$image" >/dev/null
