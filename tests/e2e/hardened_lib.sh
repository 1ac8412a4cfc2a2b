# Shared set-up of the tests that divert the host's runc (`install docker --hardened`).
# Source it first thing: it re-executes the test in a private mount namespace where
# /usr/sbin, /usr/bin and /var/lib/dpkg are copy-on-write overlays, so the diversion is real
# (dpkg-divert, the same binaries) but invisible to the rest of the machine and gone with the
# namespace whatever happens. Then it sources lib.sh and calls e2e_init.
if [[ -z "${VERIFIED_PRIVATE_NS:-}" ]]; then
  command -v unshare > /dev/null || { echo "SKIPPED: unshare missing"; exit 77; }
  exec unshare --mount --propagation private env VERIFIED_PRIVATE_NS=1 bash "$0" "$@"
fi
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
e2e_init
e2e_need dpkg-divert
if dpkg-divert --list | grep -q 'verified-real'; then
  e2e_skip "runc is already diverted on this host (a real hardened install?); not touching it"
fi
NS_MOUNTS=()
for dir in /usr/sbin /usr/bin /var/lib/dpkg; do
  mkdir -p "$E2E_DIR/ns/up$dir" "$E2E_DIR/ns/work$dir"
  mount -t overlay overlay -o "lowerdir=$dir,upperdir=$E2E_DIR/ns/up$dir,workdir=$E2E_DIR/ns/work$dir" "$dir" \
    || e2e_skip "cannot overlay $dir in a private mount namespace"
  NS_MOUNTS+=("$dir")
done
e2e_extra_cleanup() {
  local m
  for m in "${NS_MOUNTS[@]}"; do umount -l "$m"; done
}
