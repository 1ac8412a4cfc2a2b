#!/bin/bash
# Sealed images under Podman 4.3 (seed 003, "shabunble"), as docker_sealed.sh does for Docker:
# a shell-less image whose rule says `sealed` runs with a plain `podman run` (Podman's own
# binds - /dev/shm, /etc/hosts, /etc/hostname, /run/.containerenv - are the engine's files);
# every way in that seed 003 found (--entrypoint, a host bind mount with a program in it,
# --user root, podman exec) and the privilege flags (--privileged, --cap-add SYS_PTRACE,
# --pid=host, seccomp=unconfined) are refused before anything runs, each with its own message.
# `no_shell` refuses a busybox image naming /bin/sh and the busybox applet; exec into an
# unsealed container still works.
#
# Canary: the image's program (a static C binary, sealed_canary.c) writes /proof/<name>-<tag>.
# Attack runs mount a fresh named volume at /proof (volumes are allowed in a sealed container,
# so the volume is never why a run is refused) and the payload program sits in a host
# directory: after a refusal both stay empty, and `podman logs` is empty.
source "$(dirname "$0")/lib.sh"
e2e_init
source "$(dirname "$0")/podman_lib.sh"
source "$(dirname "$0")/sealed_lib.sh"
e2e_need gcc python3

e2e_log "engine-wide seccomp profile: the distribution's default minus ptrace and process_vm_*"
sealed_seccomp_profile "$E2E_DIR/sealed-seccomp.json"
printf '[containers]\nseccomp_profile = "%s"\n' "$E2E_DIR/sealed-seccomp.json" > "$CONTAINERS_CONF"

e2e_log "build the shell-less image: one static C program, FROM scratch"
ctx=$(sealed_context)
pm build -q --network=none -t sealed:1 -f "$ctx/Dockerfile" "$ctx" > /dev/null || fail "podman build sealed:1"
pm_build bb:1
expect_ok vctl policy allow localhost/sealed --require no_shell --require sealed
expect_ok vctl policy allow localhost/bb
expect_ok vctl policy lint

e2e_log "verifiedctl check (from containers/storage): no_shell passes, and what a sealed rule would refuse"
expect_ok pvctl check sealed:1
expect_contains "$LAST_OUT" "[pass] no_shell: no shell in the"
expect_contains "$LAST_OUT" "[n/a] sealed: needs a container to judge"
expect_contains "$LAST_OUT" 'an entrypoint other than ["/app/canary"]'
expect_contains "$LAST_OUT" "a user other than 'app' (uid 1000, gid 1000)"
expect_fail pvctl check bb:1 --require no_shell
expect_contains "$LAST_OUT" "/bin/sh (shell name, symlink to busybox)"

REFUSED="Error: OCI runtime error: $VERIFIED_RUNTIME: verified: refused image localhost/sealed:1"
RUN=(pm_verified run -d --network=none "${ULIMITS[@]}")
# Podman resets a volume's mode when it mounts it; a volume created for uid 1000 stays the
# image user's, so the canary could write there had the container run.
new_volume() {  # new_volume NAME: an empty named volume the image's user (1000) can write
  pm volume create --opt o=uid=1000,gid=1000 "$1" > /dev/null
}
volume_empty() {  # volume_empty VOLUME: its directory on the host has no files
  local mp
  mp=$(pm volume inspect --format '{{.Mountpoint}}' "$1") || { fail "volume $1 missing"; return; }
  if [[ -z $(ls "$mp") ]]; then pass "volume $1 is empty: nothing ran"; else fail "volume $1 has $(ls "$mp"): the refused container ran"; fi
}
wait_log() {  # wait_log CONTAINER TEXT
  local i
  for i in $(seq 1 100); do
    pm logs "$1" 2>&1 | grep -qF "$2" && { pass "$1 printed '$2'"; return; }
    sleep 0.2
  done
  fail "$1 never printed '$2': $(pm logs "$1" 2>&1)"
}
# attack NAME EXPECTED-MESSAGE PODMAN-RUN-ARGS...: refused (exit 126), nothing ran, logs empty.
attack() {
  local name=$1 want=$2; shift 2
  new_volume "proof-$name"
  local rc=0
  LAST_OUT=$("${RUN[@]}" --name "attack-$name" -v "proof-$name:/proof" "$@" 2>&1) || rc=$?
  [[ $rc -eq 126 ]] && pass "$name: podman run exits 126" || fail "$name: podman run exit code $rc (want 126): $LAST_OUT"
  expect_contains "$LAST_OUT" "$REFUSED" "$name refusal"
  expect_contains "$LAST_OUT" "requires sealed: sealed image: " "$name refusal"
  expect_contains "$LAST_OUT" "$want" "$name refusal"
  volume_empty "proof-$name"
  local logs
  logs=$(pm logs "attack-$name" 2>&1)
  [[ -z $logs ]] && pass "$name: podman logs is empty" || fail "$name: podman logs: $logs"
}

e2e_log "sealed image: a plain podman run works (Podman's own binds are the engine's files)"
plain=$("${RUN[@]}" sealed:1) || fail "plain podman run of sealed:1: $plain"
wait_log "$plain" "sealed-app canary ran: tag=serve uid=1000"
tail -1 "$E2E_DIR/decisions.log" | grep -q '"engine":"containers-storage-overlay".*"verdict":"allow"' \
  && pass "decision log: sealed container allowed from containers/storage" \
  || fail "decision log: $(tail -1 "$E2E_DIR/decisions.log")"
pm rm -f -t 0 "$plain" > /dev/null

e2e_log "positive control for the canary: the same run with a volume at /proof writes into it"
new_volume proof-control
ctl=$("${RUN[@]}" -v proof-control:/proof sealed:1) || fail "run with a volume: $ctl"
wait_log "$ctl" "sealed-app canary ran: tag=serve"
mp=$(pm volume inspect --format '{{.Mountpoint}}' proof-control)
expect_file "$mp/canary-serve"

e2e_log "seed 003: podman exec into the running sealed container"
rc=0
LAST_OUT=$(pm_verified exec "$ctl" /app/canary exec 2>&1) || rc=$?
[[ $rc -ne 0 ]] && pass "podman exec refused (exit $rc)" || fail "podman exec succeeded: $LAST_OUT"
echo "podman exec shows (exit $rc): $LAST_OUT"
expect_contains "$LAST_OUT" "verified: refused exec into container $ctl"
expect_contains "$LAST_OUT" "it runs sealed image localhost/sealed:1"
expect_contains "$LAST_OUT" "a sealed container cannot be entered"
expect_no_file "$mp/canary-exec"
expect_fail pm_verified exec "$ctl" sh
expect_contains "$LAST_OUT" "a sealed container cannot be entered"
tail -1 "$E2E_DIR/decisions.log" | grep -q '"command":"exec","container":"[0-9a-f]*".*"verdict":"deny"' \
  && pass "decision log has the refused exec" || fail "exec not in decision log: $(tail -1 "$E2E_DIR/decisions.log")"
pm rm -f -t 0 "$ctl" > /dev/null

e2e_log "seed 003's attacks and the privilege flags: each refused with its own message"
attack entrypoint-sh 'entrypoint ["sh"] differs from the image'"'"'s ["/app/canary"]' --entrypoint sh sealed:1
attack entrypoint-tool 'entrypoint ["/app/tool"] differs from the image'"'"'s ["/app/canary"]' --entrypoint /app/tool sealed:1
attack args 'arguments ["/app/canary","other"] differ from the image'"'"'s ["/app/canary","serve"]' sealed:1 other
mkdir -p "$E2E_DIR/injection" && cp "$ctx/canary" "$E2E_DIR/injection/payload" && chmod 777 "$E2E_DIR/injection"
attack inject "bind mount from the host: $E2E_DIR/injection on /injection" \
  -v "$E2E_DIR/injection:/injection" --entrypoint /injection/payload sealed:1 injected
[[ -z $(ls "$E2E_DIR/injection" | grep -v '^payload$') ]] && pass "injection dir untouched: the payload never ran" \
  || fail "injection dir has $(ls "$E2E_DIR/injection"): the payload ran"
attack user-root "user uid 0 gid 0 differs from the image's user 'app' (uid 1000, gid 1000)" --user root sealed:1
attack privileged "privileged mode (every capability, no masked paths, all host devices)" --privileged sealed:1
attack cap-ptrace "capabilities beyond the engine's default set: CAP_SYS_PTRACE" --cap-add SYS_PTRACE sealed:1
attack pid-host "shares the host's PID (--pid=host) namespace" --pid=host sealed:1
attack seccomp-off "seccomp is disabled (seccomp=unconfined)" --security-opt seccomp=unconfined sealed:1
attack seccomp-ptrace "seccomp profile allows ptrace, process_vm_readv, process_vm_writev" \
  --security-opt "seccomp=$SECCOMP_BASE" sealed:1
attack env "environment variables not set this way by the image: LD_PRELOAD" -e LD_PRELOAD=/proof/x.so sealed:1
attack tmpfs-app "mount on /app covers /app, which holds /app/canary" --tmpfs /app sealed:1
pm volume create plugins > /dev/null
attack volume-in-app "mount on /app/plugins is inside /app, which holds /app/canary" -v plugins:/app/plugins sealed:1
# (podman itself refuses a working directory the image lacks, so it is one the image has)
attack workdir "working directory /proof differs from the image's /" -w /proof sealed:1
# Another container's engine files are host files here, even at an engine-file destination.
# (podman writes a container's runroot files when it starts: the other one runs)
other=$("${RUN[@]}" bb:1 sleep 60) || fail "run bb:1: $other"
attack other-hosts "bind mount from the host: $PR/runroot/overlay-containers/$other/userdata/hosts on /etc/resolv.conf" \
  -v "$PR/runroot/overlay-containers/$other/userdata/hosts:/etc/resolv.conf" sealed:1
pm rm -f -t 0 "$other" > /dev/null

e2e_log "the seal is per container: podman exec into an unsealed container still works"
bbc=$("${RUN[@]}" bb:1 sleep 60) || fail "run bb:1: $bbc"
expect_ok pm_verified exec "$bbc" sh -c 'echo exec-ok'
expect_contains "$LAST_OUT" "exec-ok"
pm rm -f -t 0 "$bbc" > /dev/null

e2e_log "no_shell refuses the busybox image, naming /bin/sh and the busybox applet"
expect_ok vctl policy allow localhost/bb --require no_shell
expect_fail pm_verified run --rm --network=none "${ULIMITS[@]}" -v "$E2E_DIR/canary:/canary" bb:1 \
  sh -c 'touch /canary/bb; echo should-not-run'
expect_contains "$LAST_OUT" "Error: OCI runtime error: $VERIFIED_RUNTIME: verified: refused image localhost/bb:1"
expect_contains "$LAST_OUT" "requires no_shell: the image contains"
expect_contains "$LAST_OUT" "/bin/busybox (BusyBox multi-call binary with the shell applets ash, sh)"
expect_contains "$LAST_OUT" "/bin/sh (shell name, symlink to busybox)"
expect_not_contains "$LAST_OUT" "should-not-run"
expect_no_file "$E2E_DIR/canary/bb"
