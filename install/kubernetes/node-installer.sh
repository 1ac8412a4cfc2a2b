#!/bin/bash
# verified's node installer: what the DaemonSet (daemonset.yaml) runs on every node, the way
# kata-deploy installs its runtime. `run` installs, labels the node, then waits; on SIGTERM
# (the pod is deleted) it undoes exactly what it did and exits.
#
#   node-installer.sh install | uninstall | run
#
# (`run` first undoes an install whose pod was killed before it could undo it.)
# install:  copies verified-runtime, verifiedctl and verified-hook to the host's bin dir
#           (a file already there is kept aside and put back on uninstall), installs the
#           policy from the mounted ConfigMap directory, writes containerd's `verified`
#           handler with `verifiedctl install containerd`, restarts containerd through the
#           host's systemd and labels the node verified.runtime/ready=true. Each step is
#           recorded in <config-dir>/node-installer.state as it completes.
# uninstall: undoes the recorded steps in reverse order: unlabels the node, removes the
#           handler (config.toml byte for byte as found), restarts containerd, restores the
#           policy and the binaries as they were.
#
# Host paths and host commands come from the environment, so a test can point them at a
# temporary directory and at commands of its own (defaults: as the DaemonSet mounts them):
#   VERIFIED_SRC_DIR          binaries to install (default: this script's directory)
#   VERIFIED_HOST_BIN_DIR     /usr/local/bin
#   VERIFIED_HOST_CONFIG_DIR  /etc/verified
#   VERIFIED_CONTAINERD_CONFIG /etc/containerd/config.toml
#   VERIFIED_POLICY_DIR       /etc/verified-policy (the ConfigMap: policy.json)
#   VERIFIED_RESTART_CONTAINERD  command line (split on blanks) restarting the host's
#                             containerd (default: systemctl in the host's namespaces through
#                             nsenter; needs hostPID)
#   VERIFIED_LABEL_NODE / VERIFIED_UNLABEL_NODE  command lines (default: kubectl label node
#                             $NODE_NAME verified.runtime/ready=true / verified.runtime/ready-)
set -uo pipefail

SRC=${VERIFIED_SRC_DIR:-$(cd "$(dirname "$0")" && pwd)}
BIN=${VERIFIED_HOST_BIN_DIR:-/usr/local/bin}
CFG=${VERIFIED_HOST_CONFIG_DIR:-/etc/verified}
CTD_CONFIG=${VERIFIED_CONTAINERD_CONFIG:-/etc/containerd/config.toml}
POLICY_DIR=${VERIFIED_POLICY_DIR:-/etc/verified-policy}
RESTART=${VERIFIED_RESTART_CONTAINERD:-nsenter --target 1 --mount --uts --ipc --net --pid -- systemctl restart containerd}
LABEL=${VERIFIED_LABEL_NODE:-kubectl label node ${NODE_NAME:-} verified.runtime/ready=true --overwrite}
UNLABEL=${VERIFIED_UNLABEL_NODE:-kubectl label node ${NODE_NAME:-} verified.runtime/ready-}
STATE="$CFG/node-installer.state"
BINARIES=(verified-runtime verifiedctl verified-hook)

log() { echo "verified-node-installer: $*"; }
die() { log "error: $*" >&2; exit 1; }
record() { echo "$*" >> "$STATE"; }

install_binaries() {
  local b
  for b in "${BINARIES[@]}"; do
    [[ -x "$SRC/$b" ]] || die "$SRC/$b is missing"
    if [[ -e "$BIN/$b" ]]; then
      cp -a "$BIN/$b" "$CFG/node-installer.$b.previous" || die "cannot keep $BIN/$b aside"
      record "binary $b previous"
    else
      record "binary $b new"
    fi
    # Copy next to the target and rename: a running runtime is never overwritten in place.
    cp "$SRC/$b" "$BIN/.$b.new" && chmod 0755 "$BIN/.$b.new" && mv -f "$BIN/.$b.new" "$BIN/$b" \
      || die "cannot install $BIN/$b"
  done
  log "installed ${BINARIES[*]} in $BIN"
}

install_policy() {
  [[ -f "$POLICY_DIR/policy.json" ]] || die "no policy.json in $POLICY_DIR (the ConfigMap)"
  if [[ -e "$CFG/policy.json" ]]; then
    cp -a "$CFG/policy.json" "$CFG/node-installer.policy.previous" || die "cannot keep policy"
    record "policy previous"
  else
    record "policy new"
  fi
  # The runtime refuses a policy writable by others: root-owned, 0644; renamed into place so
  # that a runtime deciding meanwhile reads the old or the new file, never half of one.
  # (cp and chmod, not install: the image's busybox has no install applet.)
  cp "$POLICY_DIR/policy.json" "$CFG/.policy.json.new" && chmod 0644 "$CFG/.policy.json.new" \
    && mv -f "$CFG/.policy.json.new" "$CFG/policy.json" || die "cannot install the policy"
  "$BIN/verifiedctl" --config-dir "$CFG" policy lint > /dev/null \
    || log "warning: verifiedctl policy lint reports errors in the ConfigMap's policy"
  log "installed the policy from $POLICY_DIR"
}

do_install() {
  local new_dir=0
  if [[ ! -d "$CFG" ]]; then
    mkdir -p "$CFG" && chmod 0755 "$CFG" || die "cannot create $CFG"
    new_dir=1
  fi
  : > "$STATE"
  ((new_dir)) && record "configdir"
  install_binaries
  install_policy
  ls "$CTD_CONFIG".verified-backup-* > "$CFG/node-installer.backups-before" 2> /dev/null
  [[ -e "$CFG/install-state.json" ]] || record "installstate"
  "$BIN/verifiedctl" --config-dir "$CFG" install containerd --config "$CTD_CONFIG" \
    --runtime-path "$BIN/verified-runtime" || die "verifiedctl install containerd failed"
  record "containerd"
  $RESTART || die "restarting containerd failed: $RESTART"
  log "restarted containerd"
  $LABEL || die "labelling the node failed: $LABEL"
  record "label"
  log "ready: node labelled verified.runtime/ready=true"
}

undo() {
  local what=$1 arg=${2:-}
  case $what in
    label) $UNLABEL || log "warning: unlabelling the node failed: $UNLABEL" ;;
    containerd)
      "$BIN/verifiedctl" --config-dir "$CFG" uninstall containerd \
        || die "verifiedctl uninstall containerd failed"
      # The backups verifiedctl kept of config.toml during this install and uninstall.
      local f
      for f in "$CTD_CONFIG".verified-backup-*; do
        [[ -e "$f" ]] || continue
        grep -qxF "$f" "$CFG/node-installer.backups-before" || rm -f "$f"
      done
      rm -f "$CFG/node-installer.backups-before"
      $RESTART || die "restarting containerd failed: $RESTART"
      log "removed the handler and restarted containerd" ;;
    configdir) rmdir "$CFG/images/by-chain" "$CFG/images/by-name" "$CFG/images" 2> /dev/null ;;
    installstate) rm -f "$CFG/install-state.json" ;;
    policy)
      if [[ $arg == previous ]]; then
        mv -f "$CFG/node-installer.policy.previous" "$CFG/policy.json"
      else
        rm -f "$CFG/policy.json"
      fi ;;
    binary)
      local b=${2%% *} how=${2#* }
      if [[ $how == previous ]]; then
        mv -f "$CFG/node-installer.$b.previous" "$BIN/$b"
      else
        rm -f "$BIN/$b"
      fi ;;
    *) die "unknown step '$what' in $STATE" ;;
  esac
}

do_uninstall() {
  [[ -e "$STATE" ]] || { log "nothing to undo ($STATE absent)"; return 0; }
  local lines line
  mapfile -t lines < "$STATE"
  for ((i = ${#lines[@]} - 1; i >= 0; i--)); do
    line=${lines[$i]}
    undo "${line%% *}" "$([[ $line == *" "* ]] && echo "${line#* }")"
  done
  rm -f "$STATE" "$CFG/node-installer.backups-before"
  # A config dir the install created goes too, when nothing else was put there since.
  [[ ${lines[0]:-} == configdir ]] && rmdir "$CFG" 2> /dev/null
  log "uninstalled"
}

# An install that fails half way undoes the steps it had recorded.
install_or_undo() {
  [[ -e "$STATE" ]] && die "$STATE exists: already installed (uninstall first)"
  (do_install) && return 0
  [[ -e "$STATE" ]] && { log "install failed: undoing what it did"; do_uninstall; }
  exit 1
}

case ${1:-} in
  install) install_or_undo ;;
  uninstall) do_uninstall ;;
  run)
    # A pod killed before it could undo (SIGKILL, a node crash) left its record: undo that
    # install first, or the restarted pod could never install again.
    if [[ -e "$STATE" ]]; then
      log "a previous install was not undone: undoing it first"
      do_uninstall
    fi
    install_or_undo
    trap 'do_uninstall; exit 0' TERM INT
    while :; do sleep 3600 & wait $!; done ;;
  *) echo "usage: $0 install|uninstall|run" >&2; exit 2 ;;
esac
