# Shared by docker_content.sh and podman_content.sh: the tampers of a lower layer's directory
# that `full` and `cached` must both refuse. The sourcing test defines MID (the layer holding
# /opt/app), DIFF_IDS, run_ok NAME and run_refused NAME NEEDLE...
# Each tamper is applied, refused, then undone (directory times included) and allowed again.
save_times() { touch -r "$MID/opt/app" "$E2E_DIR/t.app"; }
restore_times() { touch -r "$E2E_DIR/t.app" "$MID/opt/app"; }

tampers() {  # tampers MODE
  local mode=$1
  save_times

  e2e_log "[$mode] a file added to a lower layer"
  echo evil > "$MID/opt/app/added"
  run_refused "$mode-add" "layer 3 of 4 (diffID ${DIFF_IDS[2]}" "opt/app/added is on disk but not in the layer"
  rm "$MID/opt/app/added"; restore_times
  run_ok "$mode-add-undone"

  e2e_log "[$mode] a file removed from a lower layer"
  mv "$MID/opt/app/config" "$E2E_DIR/config.moved"
  run_refused "$mode-remove" "layer 3 of 4" "opt/app/config is in the layer but missing on disk"
  mv "$E2E_DIR/config.moved" "$MID/opt/app/config"; restore_times
  run_ok "$mode-remove-undone"

  e2e_log "[$mode] a file's mode changed"
  chmod 4755 "$MID/opt/app/data"
  run_refused "$mode-chmod" "layer 3 of 4" "opt/app/data has mode 4755 on disk but 0640 in the layer"
  chmod 640 "$MID/opt/app/data"
  run_ok "$mode-chmod-undone"

  e2e_log "[$mode] a file replaced by a symlink (to a copy outside the layer)"
  cp -a "$MID/opt/app/data" "$E2E_DIR/data.orig"
  rm "$MID/opt/app/data"; ln -s "$E2E_DIR/data.orig" "$MID/opt/app/data"
  run_refused "$mode-symlink" "layer 3 of 4" "opt/app/data is a symlink on disk but a regular file in the layer"
  rm "$MID/opt/app/data"; cp -a "$E2E_DIR/data.orig" "$MID/opt/app/data"; restore_times
  run_ok "$mode-symlink-undone"
}

