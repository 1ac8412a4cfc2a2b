#!/bin/bash
# Sealed images under a real dockerd (seed 003, "shabunble"): a shell-less image whose rule
# says `sealed` runs with a plain `docker run`; every way in that seed 003 found
# (--entrypoint, a host bind mount with a program in it, --user root, docker exec) and the
# privilege flags (--privileged, --cap-add SYS_PTRACE, --pid=host, seccomp=unconfined) are
# refused before anything runs, each with its own message. `no_shell` refuses a busybox
# image naming /bin/sh and the busybox applet. Podman: tests/e2e/podman_sealed.sh.
#
# Canary: the image's program (a static C binary) writes /proof/<name>-<tag> (and, run from
# /injection, a mark next to itself). Attack runs mount a fresh named volume at /proof (volumes are allowed in a
# sealed container, so the volume is never why a run is refused) and the payload program
# sits in a host directory: after a refusal both stay empty, and `docker logs` is empty.
source "$(dirname "$0")/lib.sh"
e2e_init
source "$(dirname "$0")/sealed_lib.sh"
e2e_need gcc python3

e2e_log "a private dockerd with the engine-wide seccomp profile sealed containers need"
sealed_start_docker

e2e_log "build the shell-less image: one static C program, FROM scratch"
ctx=$(sealed_context)
d build -q -t sealed:1 "$ctx" > /dev/null || fail "docker build sealed:1"
e2e_build_image bb:1
expect_ok vctl policy allow sealed --require no_shell --require sealed
expect_ok vctl policy allow bb
expect_ok vctl policy lint

e2e_log "verifiedctl check: no_shell passes, and what a sealed rule would refuse"
expect_ok vctl check sealed:1
expect_contains "$LAST_OUT" "[pass] no_shell: no shell in the"
expect_contains "$LAST_OUT" "[n/a] sealed: needs a container to judge"
expect_contains "$LAST_OUT" 'an entrypoint other than ["/app/canary"]'
expect_contains "$LAST_OUT" "a user other than 'app' (uid 1000, gid 1000)"
expect_contains "$LAST_OUT" "mounts over or inside /app"
expect_contains "$LAST_OUT" "a seccomp profile allowing ptrace, process_vm_readv, process_vm_writev"
expect_fail vctl check bb:1 --require no_shell
expect_contains "$LAST_OUT" "[FAIL] no_shell (--require)"
expect_contains "$LAST_OUT" "/bin/sh (shell name, symlink to busybox)"

RUN=(d run -d --runtime=verified)
# Volumes are mounted with nocopy: Docker would otherwise copy the image's /proof (mode 0755)
# over the volume's mode.
new_volume() {  # new_volume NAME: an empty named volume the image's user (1000) can write
  d volume create "$1" > /dev/null
  chmod 777 "$(d volume inspect --format '{{.Mountpoint}}' "$1")"
}
volume_empty() {  # volume_empty VOLUME: its directory on the host has no files
  local mp
  mp=$(d volume inspect --format '{{.Mountpoint}}' "$1") || { fail "volume $1 missing"; return; }
  if [[ -z $(ls "$mp") ]]; then pass "volume $1 is empty: nothing ran"; else fail "volume $1 has $(ls "$mp"): the refused container ran"; fi
}
wait_log() {  # wait_log CONTAINER TEXT
  e2e_wait_for 20 bash -c "'$DOCKER_CLI' logs '$1' 2>&1 | grep -qF '$2'" && pass "$1 printed '$2'" || fail "$1 never printed '$2': $(d logs "$1" 2>&1)"
}
# attack NAME EXPECTED-MESSAGE DOCKER-RUN-ARGS...: refused, nothing ran, docker logs empty.
attack() {
  local name=$1 want=$2; shift 2
  new_volume "proof-$name"
  expect_fail "${RUN[@]}" --name "attack-$name" -v "proof-$name:/proof:nocopy" "$@"
  expect_contains "$LAST_OUT" "OCI runtime create failed: verified: refused image sealed:1" "$name refusal"
  expect_contains "$LAST_OUT" "requires sealed: sealed image: " "$name refusal"
  expect_contains "$LAST_OUT" "$want" "$name refusal"
  volume_empty "proof-$name"
  local logs
  logs=$(d logs "attack-$name" 2>&1)
  [[ -z $logs ]] && pass "$name: docker logs is empty" || fail "$name: docker logs: $logs"
}

e2e_log "sealed image: a plain docker run works (no extra mounts, no flags)"
plain=$(d run -d --runtime=verified sealed:1) || fail "plain docker run of sealed:1"
wait_log "$plain" "sealed-app canary ran: tag=serve uid=1000"
d rm -f "$plain" > /dev/null
e2e_log "positive control for the canary: the same run with a volume at /proof writes into it"
new_volume proof-control
ctl=$(d run -d --runtime=verified -v proof-control:/proof:nocopy sealed:1) || fail "run with a volume"
wait_log "$ctl" "sealed-app canary ran: tag=serve"
mp=$(d volume inspect --format '{{.Mountpoint}}' proof-control)
expect_file "$mp/canary-serve"

e2e_log "seed 003: docker exec into the running sealed container"
expect_fail d exec "$ctl" /app/canary exec
expect_contains "$LAST_OUT" "verified: refused exec into container $(d inspect --format '{{.Id}}' "$ctl")"
expect_contains "$LAST_OUT" "it runs sealed image sealed:1"
expect_contains "$LAST_OUT" "a sealed container cannot be entered"
expect_no_file "$mp/canary-exec"
expect_fail d exec "$ctl" sh
expect_contains "$LAST_OUT" "a sealed container cannot be entered"
tail -1 "$E2E_DIR/decisions.log" | grep -q '"command":"exec","container":"[0-9a-f]*".*"verdict":"deny"' \
  && pass "decision log has the refused exec" || fail "exec not in decision log: $(tail -1 "$E2E_DIR/decisions.log")"

e2e_log "another container may not join the sealed container's namespaces (--pid=container:)"
new_volume proof-join
expect_fail "${RUN[@]}" --name attack-join -v proof-join:/proof:nocopy --pid="container:$ctl" \
  bb:1 sh -c 'ls /proc/1/root/app > /proof/seen'
expect_contains "$LAST_OUT" "it joins the pid namespace of container $(d inspect --format '{{.Id}}' "$ctl"), which runs sealed image sealed:1"
volume_empty proof-join
d rm -f "$ctl" > /dev/null

e2e_log "a sealed container restarts; after docker cp replaced its program it does not"
rs=$(d run -d --runtime=verified sealed:1) || fail "run sealed:1 for restart"
wait_log "$rs" "sealed-app canary ran: tag=serve"
expect_ok d stop -t 5 "$rs"
expect_ok d start "$rs"
expect_ok d stop -t 5 "$rs"
expect_ok d cp "$ctx/canary" "$rs:/app/tool"
expect_fail d start "$rs"
expect_contains "$LAST_OUT" "the container's own layer adds or replaces code since the image was made (docker cp into a stopped container?): /app/tool"
d rm -f "$rs" > /dev/null

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
python3 - "$E2E_DIR/sealed-seccomp.json" "$E2E_DIR/bogus-seccomp.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["syscalls"].append({"names": ["not_a_real_syscall"], "action": "SCMP_ACT_ALLOW"})
json.dump(p, open(sys.argv[2], "w"))
PY
attack seccomp-unknown "seccomp profile names syscalls unknown to libseccomp: not_a_real_syscall" \
  --security-opt "seccomp=$E2E_DIR/bogus-seccomp.json" sealed:1
attack env "environment variables not set this way by the image: LD_PRELOAD" -e LD_PRELOAD=/proof/x.so sealed:1
attack tmpfs-app "mount on /app covers /app, which holds /app/canary" --tmpfs /app sealed:1
d volume create plugins > /dev/null
attack volume-in-app "mount on /app/plugins is inside /app, which holds /app/canary" -v plugins:/app/plugins sealed:1
attack workdir "working directory /tmp differs from the image's /" -w /tmp sealed:1
attack init 'entrypoint ["/sbin/docker-init"] differs from the image'"'"'s ["/app/canary"]' --init sealed:1

e2e_log "the seal is per container: docker exec into an unsealed container still works"
bbc=$("${RUN[@]}" bb:1 sleep 60) || fail "run bb:1"
expect_ok d exec "$bbc" sh -c 'echo exec-ok'
expect_contains "$LAST_OUT" "exec-ok"
expect_ok d run --rm --runtime=verified --pid="container:$bbc" bb:1 sh -c 'echo joined-unsealed'
expect_contains "$LAST_OUT" "joined-unsealed"
d rm -f "$bbc" > /dev/null

e2e_log "no_shell refuses the busybox image, naming /bin/sh and the busybox applet"
expect_ok vctl policy allow bb --require no_shell
expect_fail d run --rm --runtime=verified bb:1 echo should-not-run
expect_contains "$LAST_OUT" "requires no_shell: the image contains"
expect_contains "$LAST_OUT" "/bin/busybox (BusyBox multi-call binary with the shell applets ash, sh)"
expect_contains "$LAST_OUT" "/bin/sh (shell name, symlink to busybox)"
expect_not_contains "$LAST_OUT" "should-not-run"

e2e_log "no_shell finds busybox under another name by its content"
ctx2=$(mktemp -d "$E2E_DIR/renamed.XXXXXX")
cp /bin/busybox "$ctx2/helper"
printf 'FROM scratch\nCOPY helper /usr/lib/app/helper\nCMD ["/usr/lib/app/helper","true"]\n' > "$ctx2/Dockerfile"
d build -q -t renamed:1 "$ctx2" > /dev/null || fail "build renamed:1"
expect_ok vctl policy allow renamed --require no_shell
expect_fail d run --rm --runtime=verified renamed:1
expect_contains "$LAST_OUT" "the image contains 1 shell: /usr/lib/app/helper (BusyBox multi-call binary with the shell applets"

e2e_log "no_shell respects whiteouts: a shell deleted in an upper layer does not count"
ctx3=$(mktemp -d "$E2E_DIR/gone.XXXXXX")
cp "$ctx/canary" "$ctx3/canary"
printf 'FROM bb:1\nRUN ["/bin/busybox", "rm", "-rf", "/bin"]\nCOPY canary /app/canary\nENTRYPOINT ["/app/canary"]\nCMD ["gone"]\n' > "$ctx3/Dockerfile"
d build -q -t gone:1 "$ctx3" > /dev/null || fail "build gone:1"
expect_ok vctl policy allow gone --require no_shell
expect_ok d run --rm --runtime=verified gone:1
expect_contains "$LAST_OUT" "sealed-app canary ran: tag=gone"
expect_ok vctl check gone:1
expect_contains "$LAST_OUT" "[pass] no_shell"

e2e_log "no_shell with an interpreter list treats them as shells"
expect_ok vctl policy allow gone --require 'no_shell=["canary"]'
expect_fail d run --rm --runtime=verified gone:1
expect_contains "$LAST_OUT" "/app/canary (interpreter 'canary' listed in the policy)"

e2e_log "create decision times from the decision log (median elapsed_us per image and rule)"
python3 - "$E2E_DIR/decisions.log" <<'PY'
import json, statistics, sys
by = {}
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d["command"] != "create":
        continue
    by.setdefault((d["image"], d["rule"]), []).append(d["elapsed_us"])
for (image, rule), v in sorted(by.items()):
    print(f"  {image:<10} {rule:<40} n={len(v):<3} median {statistics.median(v):>7.0f} us")
PY
