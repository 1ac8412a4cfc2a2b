# Offline OCI images for containerd tests, built with umoci from busybox-static (no network,
# no dockerd). Sourced by tests/e2e/containerd_*.sh and tests/fixtures/containerd/make-fixtures.sh.

# oci_image LAYOUT TAG [MARKER]: adds image TAG (FROM scratch: busybox layer + a layer with
# /etc/image-tag holding MARKER, default TAG) to the OCI layout directory LAYOUT. The index
# entry's org.opencontainers.image.ref.name is TAG, so `ctr images import --base-name NAME`
# names it NAME:TAG.
oci_image() {
  local layout=$1 tag=$2 marker=${3:-$2}
  local work
  work=$(mktemp -d "${TMPDIR:-/tmp}/oci-build.XXXXXX")
  [[ -d "$layout" ]] || umoci init --layout "$layout" || return 1
  umoci new --image "$layout:$tag" || return 1
  umoci unpack --rootless --image "$layout:$tag" "$work/b" > /dev/null || return 1
  mkdir -p "$work/b/rootfs/bin" "$work/b/rootfs/tmp" "$work/b/rootfs/etc"
  cp /bin/busybox "$work/b/rootfs/bin/busybox"
  local app
  for app in sh echo cat touch ls sleep id true false; do ln -s busybox "$work/b/rootfs/bin/$app"; done
  umoci repack --image "$layout:$tag" "$work/b" || return 1
  umoci unpack --rootless --image "$layout:$tag" "$work/c" > /dev/null || return 1
  echo "$marker" > "$work/c/rootfs/etc/image-tag"
  umoci repack --image "$layout:$tag" "$work/c" || return 1
  umoci config --image "$layout:$tag" --config.cmd /bin/sh --config.cmd -c \
    --config.cmd 'echo hello from $(cat /etc/image-tag)' || return 1
  rm -rf "$work"
}

# oci_archive LAYOUT OUT.tar: the layout as a tarball for `ctr images import`.
oci_archive() {
  tar -C "$1" -cf "$2" .
}
