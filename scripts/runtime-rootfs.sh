#!/usr/bin/env bash
# The runtime stage of Dockerfile.distroless as a directory: gcr.io/distroless/cc-debian12:nonroot's file set, taken
# from this Debian 12 machine's installed packages, plus /tinymetrics. It shows what the image holds and whether
# the binary runs in it without anything else, with no container engine.
#   runtime-rootfs.sh assemble BINARY DIR [amd64|arm64]   writes the file set into DIR (the host's architecture by default)
#   runtime-rootfs.sh size DIR                            bytes of DIR as one gzip-compressed tar layer, as a registry stores it
#   runtime-rootfs.sh run DIR [--bind SRC:/tmp/PATH]... -- FLAGS...
#       (as root) starts DIR/tinymetrics as a container runtime does: new mount and PID namespaces, DIR read-only as /,
#       a tmpfs at /tmp (the manifests' emptyDir), proc, a read-only sys, a minimal /dev, uid and gid 65532 with no
#       supplementary groups, the image's environment; each --bind is a read-only directory under /tmp (a mounted Secret).
# The distroless package lists are those of GoogleContainerTools/distroless static/config.bzl, base/config.bzl and
# cc/config.bzl for debian12; users, groups, homes, /tmp, nsswitch.conf and os-release those of common/BUILD.bazel.
set -euo pipefail

STATIC_PACKAGES=(base-files netbase tzdata media-types)
LIBRARY_PACKAGES=(libc6 libssl3 libgomp1 libstdc++6 libgcc-s1 gcc-12-base)
NONROOT=65532
IMAGE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

die() { echo "runtime-rootfs.sh: $*" >&2; exit 1; }

# Copies the files (and real directories) one package installed; directories that are symlinks here (usrmerge's
# /lib -> usr/lib) are left out, so the tree keeps the package's own paths, as its data.tar has them.
copy_package() {
  local package=$1 dir=$2
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' \
    || die "$package is not installed (make deps-platforms, or as root: apt-get install $package)"
  dpkg-query -L "$package" | while IFS= read -r path; do
    if [ "$path" = /. ] || { [ -d "$path" ] && [ -L "$path" ]; }; then continue; fi
    # A path dpkg lists but this machine dropped (a dpkg path-exclude for documentation) is absent from the image too.
    if [ -e "$path" ] || [ -L "$path" ]; then printf '%s\n' "${path#/}"; fi
  done | tar -C / --no-recursion -cf - -T - | tar -C "$dir" -xpf -
  mkdir -p "$dir/var/lib/dpkg/status.d"
  dpkg-query -s "$package" >"$dir/var/lib/dpkg/status.d/${package%%:*}"
}

write_accounts() {
  local dir=$1
  printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' 'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' \
    "nonroot:x:$NONROOT:$NONROOT:nonroot:/home/nonroot:/sbin/nologin" >"$dir/etc/passwd"
  printf '%s\n' 'root:x:0:' 'nobody:x:65534:' 'tty:x:5:' 'staff:x:50:' "nonroot:x:$NONROOT:" >"$dir/etc/group"
  install -d -m 0700 "$dir/root"
  install -d -m 0755 "$dir/home"
  install -d -m 0700 -o "$NONROOT" -g "$NONROOT" "$dir/home/nonroot"
  install -d -m 1777 "$dir/tmp"
}

write_etc() {
  local dir=$1
  printf '%s\n' 'passwd:         compat' 'group:          compat' 'shadow:         compat' 'gshadow:        files' '' \
    'hosts:          files dns' 'networks:       files' '' 'protocols:      db files' 'services:       db files' \
    'ethers:         db files' 'rpc:            db files' '' 'netgroup:       nis' >"$dir/etc/nsswitch.conf"
  rm -f "$dir/etc/os-release"
  printf '%s\n' 'PRETTY_NAME="Distroless"' 'NAME="Debian GNU/Linux"' 'ID="debian"' 'VERSION_ID="12"' \
    'VERSION="Debian GNU/Linux 12 (bookworm)"' 'HOME_URL="https://github.com/GoogleContainerTools/distroless"' >"$dir/etc/os-release"
  # The bundle distroless builds from the ca-certificates package alone (no local additions of this machine).
  [ -d /usr/share/ca-certificates/mozilla ] || die "ca-certificates is not installed (make deps-platforms)"
  install -d -m 0755 "$dir/etc/ssl/certs"
  cat /usr/share/ca-certificates/mozilla/*.crt >"$dir/etc/ssl/certs/ca-certificates.crt"
  chmod 0644 "$dir/etc/ssl/certs/ca-certificates.crt"
}

assemble() {
  local binary=$1 dir=$2 arch=${3:-$(dpkg --print-architecture)}
  [ -f "$binary" ] || die "$binary is missing (make publish)"
  [ "$(id -u)" = 0 ] || die "assemble needs root: the tree keeps root and $NONROOT ownership"
  rm -rf "$dir" && install -d -m 0755 "$dir"
  local package
  for package in "${STATIC_PACKAGES[@]}"; do copy_package "$package" "$dir"; done
  for package in "${LIBRARY_PACKAGES[@]}"; do copy_package "$package:$arch" "$dir"; done
  write_accounts "$dir"
  write_etc "$dir"
  install -m 0755 "$binary" "$dir/tinymetrics"
}

size() {
  local dir=$1
  [ -d "$dir" ] || die "$dir is missing (assemble it first)"
  tar -C "$dir" --sort=name --numeric-owner --mtime=@0 -cf - . | gzip -n | wc -c
}

# In the new namespaces: mounts as a runtime sets them up, then the image's ENTRYPOINT as its USER.
contained() {
  local dir=$1 count=$2
  shift 2
  local binds=("${@:1:$count}")
  shift "$count"
  [ "${1:-}" = -- ] && shift
  mount --bind "$dir" "$dir"
  mount -o remount,bind,ro "$dir"
  mount -t proc -o nosuid,nodev,noexec proc "$dir/proc"
  mount --rbind /sys "$dir/sys"
  mount -o remount,bind,ro "$dir/sys"
  mount -t tmpfs -o nosuid,mode=0755,size=1m tmpfs "$dir/dev"
  local device
  for device in null zero full random urandom tty; do
    [ -e "/dev/$device" ] || continue
    touch "$dir/dev/$device"
    mount --bind "/dev/$device" "$dir/dev/$device"
  done
  mount -t tmpfs -o nosuid,nodev,mode=1777,size=64m tmpfs "$dir/tmp"
  local bind source target
  for bind in "${binds[@]}"; do
    source=${bind%%:*} target=${bind#*:}
    case $target in /tmp/*) ;; *) die "--bind $bind: the root is read-only, so a mount goes under /tmp" ;; esac
    mkdir -p "$dir$target"
    mount --bind "$source" "$dir$target"
    mount -o remount,bind,ro "$dir$target"
  done
  exec env -i PATH="$IMAGE_PATH" HOME=/home/nonroot SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    unshare --root="$dir" --wd=/home/nonroot --setgid="$NONROOT" --setuid="$NONROOT" /tinymetrics "$@"
}

run() {
  local dir=$1
  shift
  local binds=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    case $1 in
      --bind) binds+=("$2"); shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  [ -x "$dir/tinymetrics" ] || die "$dir/tinymetrics is missing (assemble it first)"
  [ "$(id -u)" = 0 ] || die "run needs root for the namespaces and mounts (tinymetrics itself runs as $NONROOT)"
  exec unshare --mount --pid --fork --propagation private --kill-child \
    bash "$0" __contained "$(realpath "$dir")" "${#binds[@]}" "${binds[@]}" "$@"
}

command=${1:-}
[ $# -gt 0 ] && shift
case $command in
  assemble) [ $# -ge 2 ] || die "usage: assemble BINARY DIR [amd64|arm64]"; assemble "$@" ;;
  size) [ $# -eq 1 ] || die "usage: size DIR"; size "$1" ;;
  run) [ $# -ge 1 ] || die "usage: run DIR [--bind SRC:/tmp/PATH]... -- FLAGS..."; run "$@" ;;
  __contained) contained "$@" ;;
  *) die "usage: runtime-rootfs.sh assemble BINARY DIR [amd64|arm64] | size DIR | run DIR [--bind SRC:/tmp/PATH]... -- FLAGS..." ;;
esac
