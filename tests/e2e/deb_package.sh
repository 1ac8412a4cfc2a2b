#!/bin/bash
# The Debian package: `apt install ./verified_<version>_<arch>.deb` on Debian's stock engine
# configs, the demo scenario with the installed binaries (Docker hardened: the host's runc
# diverted; containerd's stock config.toml given the verified handler), then `apt purge`: runc,
# daemon.json (which Debian's docker.io does not ship) and containerd's config.toml are back as
# they were, byte for byte, and nothing of verified is left.
#
# Runs in a private mount namespace where /usr, /etc and /var are copy-on-write overlays and
# /run/verified a tmpfs: the package is really installed and purged by apt and dpkg, but the
# rest of the machine never sees it, whatever happens.
if [[ -z "${VERIFIED_PRIVATE_NS:-}" ]]; then
  command -v unshare > /dev/null || { echo "SKIPPED: unshare missing"; exit 77; }
  exec unshare --mount --propagation private env VERIFIED_PRIVATE_NS=1 bash "$0" "$@"
fi
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_need cpack dpkg-deb apt-get dpkg-divert gzip runc
: "${VERIFIED_BUILD_DIR:?VERIFIED_BUILD_DIR must point at the build tree to package}"
dpkg -s verified > /dev/null 2>&1 && e2e_skip "a verified package is installed on this host; not touching it"
dpkg-divert --list | grep -q verified-real && e2e_skip "runc is already diverted on this host"

NS_MOUNTS=()
for dir in /usr /etc /var; do
  mkdir -p "$E2E_DIR/ns/up$dir" "$E2E_DIR/ns/work$dir"
  mount -t overlay overlay -o "lowerdir=$dir,upperdir=$E2E_DIR/ns/up$dir,workdir=$E2E_DIR/ns/work$dir" "$dir" \
    || e2e_skip "cannot overlay $dir in a private mount namespace"
  NS_MOUNTS=("$dir" "${NS_MOUNTS[@]}")
done
mkdir -p /run/verified && mount -t tmpfs tmpfs /run/verified && NS_MOUNTS=(/run/verified "${NS_MOUNTS[@]}")
e2e_extra_cleanup() {
  local m
  for m in "${NS_MOUNTS[@]}"; do umount -l "$m"; done
}

sum() { if [[ -e $1 ]]; then sha256sum "$1" | cut -d' ' -f1; else echo absent; fi; }
RUNC=$(readlink -f "$(command -v runc)")
BEFORE_RUNC=$(sum "$RUNC")
BEFORE_DAEMON_JSON=$(sum /etc/docker/daemon.json)
BEFORE_CONTAINERD=$(sum /etc/containerd/config.toml)
[[ -f /etc/containerd/config.toml ]] || e2e_skip "no /etc/containerd/config.toml (Debian's containerd package ships one)"

e2e_log "build the package (cpack -G DEB) from $VERIFIED_BUILD_DIR"
expect_ok cpack -G DEB --config "$VERIFIED_BUILD_DIR/CPackConfig.cmake" -B "$E2E_DIR/pkg"
DEB=$(ls "$E2E_DIR"/pkg/verified_*_"$(dpkg --print-architecture)".deb 2> /dev/null | head -1)
[[ -f $DEB ]] && pass "built ${DEB##*/}" || e2e_abort "no verified_<version>_<arch>.deb in $E2E_DIR/pkg"
expect_ok dpkg-deb --info "$DEB"
expect_contains "$LAST_OUT" "Depends: runc"
for script in postinst prerm postrm; do expect_contains "$LAST_OUT" " $script"; done

e2e_log "apt install ./${DEB##*/}"
expect_ok apt-get install -y "$DEB"
expect_contains "$LAST_OUT" "verified: installed, not yet enforcing"
for bin in verified-runtime verifiedctl verified-hook; do
  [[ -x /usr/bin/$bin ]] && pass "/usr/bin/$bin" || fail "/usr/bin/$bin missing"
  zcat "/usr/share/man/man1/$bin.1.gz" 2> /dev/null | grep -q "^\.TH ${bin^^} 1" \
    && pass "man page $bin(1)" || fail "no man page for $bin"
done
zcat /usr/share/man/man1/verifiedctl.1.gz | grep -q '"VERIFIEDCTL POLICY"' \
  && pass "verifiedctl(1) holds the subcommands' help" || fail "verifiedctl(1) lacks 'policy'"
for f in runtimeclass.yaml daemonset.yaml node-installer.sh; do
  [[ -f /usr/share/verified/$f ]] && pass "/usr/share/verified/$f" || fail "/usr/share/verified/$f missing"
done
[[ $(stat -c '%U %a' /etc/verified) == "root 755" ]] && pass "/etc/verified is root's, 0755" \
  || fail "/etc/verified: $(stat -c '%U %a' /etc/verified 2>&1)"
[[ ! -e /etc/verified/policy.json ]] && pass "no policy: nothing enforced yet" || fail "the package shipped a policy"

e2e_log "the demo scenario with the installed binaries (Docker hardened, containerd's stock config)"
VERIFIEDCTL=/usr/bin/verifiedctl VERIFIED_RUNTIME=/usr/bin/verified-runtime CFG=/etc/verified
expect_ok "$VERIFIEDCTL" install docker --hardened
expect_contains "$LAST_OUT" "created /etc/verified/policy.json (enforce, default deny)"
expect_contains "$LAST_OUT" "hardened: $RUNC diverted"
expect_ok "$VERIFIEDCTL" install containerd
cp /etc/docker/daemon.json "$E2E_DIR/daemon.json"
e2e_start_docker
e2e_build_image app:1
e2e_build_image evil:1 "COPY image-tag /tampered"
expect_ok "$VERIFIEDCTL" register app:1
expect_ok "$VERIFIEDCTL" policy allow app --require registered
expect_ok d run --rm --network=none --runtime=verified app:1 echo registered-runs
expect_contains "$LAST_OUT" "registered-runs"
expect_ok d run --rm --network=none --runtime=runc app:1 echo runc-is-verified-too
expect_ok d tag evil:1 app:1
for rt in verified runc; do
  expect_fail d run --rm --network=none --runtime=$rt -v "$E2E_DIR/canary:/canary" app:1 touch /canary/ran
  expect_contains "$LAST_OUT" "verified: refused image app:1"
  expect_no_file "$E2E_DIR/canary/ran"
done

e2e_log "apt purge verified: every engine put back"
expect_ok apt-get purge -y verified
expect_contains "$LAST_OUT" "restored $RUNC (diversion removed)"
[[ $(sum "$RUNC") == "$BEFORE_RUNC" && ! -L $RUNC ]] && pass "runc is the original binary" || fail "runc differs after purge"
dpkg-divert --list | grep -q verified-real && fail "a runc diversion is left" || pass "no diversion left"
[[ $(sum /etc/docker/daemon.json) == "$BEFORE_DAEMON_JSON" ]] && pass "daemon.json as before ($BEFORE_DAEMON_JSON)" \
  || fail "daemon.json differs after purge: $(cat /etc/docker/daemon.json 2>&1)"
[[ $(sum /etc/containerd/config.toml) == "$BEFORE_CONTAINERD" ]] && pass "containerd's config.toml byte for byte" \
  || fail "config.toml differs after purge"
for path in /usr/bin/verified-runtime /usr/bin/verifiedctl /usr/bin/verified-hook /etc/verified /usr/share/verified; do
  [[ ! -e $path ]] && pass "$path gone" || fail "$path left behind"
done
dpkg -s verified > /dev/null 2>&1 && fail "dpkg still knows verified" || pass "package purged"
