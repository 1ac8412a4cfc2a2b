#!/bin/bash
# verifiedctl install/uninstall containerd against containerd's own default config: the merged
# file is read back by the real containerd (its CRI plugin logs the runtime it loaded), the
# uninstall restores the original byte for byte, and an existing runtime is never clobbered.
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_need containerd ctr

D="$E2E_DIR/ctd"
mkdir -p "$D"
CONF="$D/config.toml"
# containerd's default config, kubelet-style systemd cgroups, private root/state/sockets.
containerd config default \
  | sed -e "s|^root = .*|root = \"$D/root\"|" -e "s|^state = .*|state = \"$D/state\"|" \
        -e "s|SystemdCgroup = false|SystemdCgroup = true|" \
        -e "s|address = \"/run/containerd/containerd.sock\"|address = \"$D/c.sock\"|" \
        -e "/^\[ttrpc\]/,/address/ s|address = \"\"|address = \"$D/c.sock.ttrpc\"|" > "$CONF"
grep -q "root = \"$D/root\"" "$CONF" || e2e_skip "unexpected 'containerd config default' output"
cp "$CONF" "$E2E_DIR/original.toml"

e2e_log "install merges the runtime into config.toml"
expect_ok vctl install containerd --config "$CONF" --runtime-path "$VERIFIED_RUNTIME"
expect_contains "$LAST_OUT" "added CRI runtime \"verified\""
expect_contains "$LAST_OUT" "backup: $CONF.verified-backup-"
grep -q '^\[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.verified\]$' "$CONF" \
  && pass "runtime table added" || fail "no runtime table: $(tail -8 "$CONF")"
head -c "$(stat -c %s "$E2E_DIR/original.toml")" "$CONF" | cmp -s - "$E2E_DIR/original.toml" \
  && pass "the original config is untouched above the block" || fail "original lines changed"
expect_ok vctl install containerd --config "$CONF" --runtime-path "$VERIFIED_RUNTIME"
[[ $(grep -c 'runtimes.verified\]' "$CONF") -eq 1 ]] && pass "reinstall keeps one block" \
  || fail "reinstall duplicated the block"

e2e_log "the real containerd reads the merged file"
expect_ok containerd --config "$CONF" config dump
dump=$LAST_OUT
expect_contains "$dump" '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.verified]' "config dump"
expect_contains "$dump" "BinaryName = \"$VERIFIED_RUNTIME\"" "config dump"
containerd --config "$CONF" --log-level debug > "$D/containerd.log" 2>&1 &
E2E_PIDS+=($!)
if e2e_wait_for 30 ctr --address "$D/c.sock" version; then
  e2e_wait_for 10 grep -q 'Start cri plugin with config' "$D/containerd.log"
  line=$(grep 'Start cri plugin with config' "$D/containerd.log")
  expect_contains "$line" "verified:{Type:io.containerd.runc.v2" "CRI plugin config"
  expect_contains "$line" "BinaryName:$VERIFIED_RUNTIME" "CRI plugin config"
  expect_contains "$line" "SystemdCgroup:true" "CRI plugin config"
else
  fail "containerd did not start with the merged config: $(tail -5 "$D/containerd.log")"
fi
e2e_stop_pid "${E2E_PIDS[-1]}"

e2e_log "uninstall restores the original"
expect_ok vctl uninstall containerd
expect_contains "$LAST_OUT" "removed CRI runtime \"verified\" from $CONF"
cmp -s "$CONF" "$E2E_DIR/original.toml" && pass "config.toml is byte for byte the original" \
  || fail "uninstall left a different file: $(diff "$CONF" "$E2E_DIR/original.toml" | head)"
expect_fail vctl uninstall containerd --config "$CONF"
expect_contains "$LAST_OUT" "$CONF: no '# BEGIN verified runtime (verifiedctl install containerd)' block from verifiedctl in the config"

e2e_log "a runtime named verified that install did not write is never clobbered"
printf '\n[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.verified]\n  runtime_type = "io.containerd.kata.v2"\n' >> "$CONF"
cp "$CONF" "$E2E_DIR/theirs.toml"
expect_fail vctl install containerd --config "$CONF" --runtime-path "$VERIFIED_RUNTIME"
expect_contains "$LAST_OUT" "already defines runtime 'verified'"
cmp -s "$CONF" "$E2E_DIR/theirs.toml" && pass "their config is unchanged" || fail "config changed"
