# The load of issue 14 §4, shared by tests/e2e/docker_load.sh (which checks it) and
# bench/load_bench.sh (which times it): N containers created concurrently through a private
# dockerd with the runtime while verifiedctl edits the policy and the registrations in loops.
# Source after lib.sh, e2e_init and e2e_start_docker.
#
# Images (FROM scratch + busybox) and what decides them:
#   lok:1      registered, rule `allow lok --require registered`: always allowed
#   lno:1      never registered, same kind of rule: always refused ("is not registered")
#   lpol:1     registered; its rule flips between `allow lpol` and `deny lpol` (admin loop)
#   ltoggle:1  rule `allow ltoggle --require registered`; registered and unregistered in a loop
#              of its own (registration loop)
#   lflip:1    the admin loop edits its rule and its registration in an order in which no
#              state ever allows it: deny the rule, register, unregister, allow-if-registered.
#              An allow can only come from a policy and a registration that never held
#              together (a decision reading the policy before an edit and the registration
#              after the next ones).
# The admin loop is the only writer of policy.json and of lflip's registration, the
# registration loop the only writer of ltoggle's: each archives every state it produced, keyed
# by the digest of the file (and the admin loop logs the sequence of its (policy, lflip
# registration) states), so that tests/e2e/load_check.py can check each decision-log line
# against exactly the state it names. Each rule edit carries the cycle number as its --name,
# so no two policy states of a run have the same bytes.

LOAD_IMAGES=(lok lno lpol ltoggle lflip)

load_sha() { sha256sum "$1" | cut -d' ' -f1; }

# load_reg_path NAME: the registration record of a normalised name (RegistrationStore layout).
load_reg_path() {
  echo "$CFG/images/by-name/$(printf '%s' "$1" | sha256sum | cut -d' ' -f1).json"
}

# load_archive_reg NAME: copies NAME's registration record into the archive; prints its digest,
# or "null" when it is absent.
load_archive_reg() {
  local f
  f=$(load_reg_path "$1")
  if [[ -f $f ]]; then
    local h
    h=$(load_sha "$f")
    cp "$f" "$LOAD_STATES/reg/$h.json"
    echo "sha256:$h"
  else
    echo null
  fi
}

load_archive_policy() {
  local h
  h=$(load_sha "$CFG/policy.json")
  cp "$CFG/policy.json" "$LOAD_STATES/policy/$h.json"
  echo "sha256:$h"
}

load_setup() {
  LOAD_STATES="$E2E_DIR/states"
  LOAD_STOP="$E2E_DIR/stop-loops"
  mkdir -p "$LOAD_STATES/policy" "$LOAD_STATES/reg" "$E2E_DIR/cid" "$E2E_DIR/runs" \
    "$E2E_DIR/canary"
  chmod 777 "$E2E_DIR/canary"
  local img
  for img in "${LOAD_IMAGES[@]}"; do e2e_build_image "$img:1"; done
  vctl policy default deny > /dev/null || fail "policy default deny"
  for img in lok lno ltoggle lflip; do
    vctl policy allow "$img" --require registered > /dev/null || fail "policy allow $img"
  done
  vctl policy allow lpol > /dev/null || fail "policy allow lpol"
  vctl register lok:1 > /dev/null || fail "register lok:1"
  vctl register lpol:1 > /dev/null || fail "register lpol:1"
  load_archive_reg docker.io/library/lok:1 > /dev/null
  load_archive_reg docker.io/library/lpol:1 > /dev/null
  echo "$(load_archive_policy) $(load_archive_reg docker.io/library/lflip:1)" > "$LOAD_STATES/admin.log"
}

# One admin step: the verifiedctl command, then the state it left, archived and logged.
load_admin_step() {
  if ! vctl "$@" > "$E2E_DIR/admin.out" 2>&1; then
    echo "admin step '$*' failed: $(cat "$E2E_DIR/admin.out")" >> "$LOAD_STATES/errors"
  fi
  echo "$(load_archive_policy) $(load_archive_reg docker.io/library/lflip:1)" >> "$LOAD_STATES/admin.log"
}

load_admin_loop() {
  local k=0
  while [[ -d $LOAD_STATES && ! -e $LOAD_STOP ]]; do
    k=$((k + 1))
    load_admin_step policy deny lflip --name "c$k"
    load_admin_step register lflip:1
    load_admin_step unregister lflip:1
    load_admin_step policy allow lflip --require registered --name "c$k"
    load_admin_step policy deny lpol --name "c$k"
    load_admin_step policy allow lpol --name "c$k"
  done
  echo "$k" > "$LOAD_STATES/admin.cycles"
}

load_register_loop() {
  local k=0
  while [[ -d $LOAD_STATES && ! -e $LOAD_STOP ]]; do
    k=$((k + 1))
    vctl register ltoggle:1 > /dev/null 2>&1 || echo "register ltoggle:1 failed" >> "$LOAD_STATES/errors"
    load_archive_reg docker.io/library/ltoggle:1 > /dev/null
    vctl unregister ltoggle:1 > /dev/null 2>&1 || echo "unregister ltoggle:1 failed" >> "$LOAD_STATES/errors"
  done
  echo "$k" > "$LOAD_STATES/register.cycles"
}

load_start_loops() {
  rm -f "$LOAD_STOP"
  load_admin_loop &
  LOAD_ADMIN_PID=$!
  E2E_PIDS+=($LOAD_ADMIN_PID)
  load_register_loop &
  LOAD_REG_PID=$!
  E2E_PIDS+=($LOAD_REG_PID)
}

load_stop_loops() {
  touch "$LOAD_STOP"
  wait "$LOAD_ADMIN_PID" "$LOAD_REG_PID"
  # Both ended: the cleanup must not signal their PIDs, which the kernel may reuse.
  local keep=() p
  for p in "${E2E_PIDS[@]}"; do
    [[ $p == "$LOAD_ADMIN_PID" || $p == "$LOAD_REG_PID" ]] || keep+=("$p")
  done
  E2E_PIDS=("${keep[@]}")
}

# load_one I: one `docker run` of image LOAD_IMAGES[I % 5] whose process writes canary I.
# Its id is in cid/I (docker writes it once the container exists), its status and output in
# runs/I.rc and runs/I.out.
load_one() {
  local i=$1 img=${LOAD_IMAGES[$(($1 % ${#LOAD_IMAGES[@]}))]}
  "$DOCKER_CLI" run --rm --network=none --runtime=verified --cidfile "$E2E_DIR/cid/$i" \
    -v "$E2E_DIR/canary:/canary" "$img:1" sh -c "touch /canary/$i" > "$E2E_DIR/runs/$i.out" 2>&1
  echo $? > "$E2E_DIR/runs/$i.rc"
}

# load_run N P: N runs, at most P at a time, while the loops edit; prints the wall time.
load_run() {
  local n=$1 p=$2 t0
  export -f load_one
  export E2E_DIR DOCKER_CLI DOCKER_HOST
  export LOAD_IMAGES_LIST="${LOAD_IMAGES[*]}"
  t0=$(date +%s%N)
  load_start_loops
  seq 0 $((n - 1)) | xargs -P "$p" -I{} bash -c 'LOAD_IMAGES=($LOAD_IMAGES_LIST); load_one {}'
  load_stop_loops
  LOAD_WALL_MS=$((($(date +%s%N) - t0) / 1000000))
}
