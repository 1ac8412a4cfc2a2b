#!/bin/bash
# containerd (as Kubernetes drives it: containerd-shim-runc-v2 calling the runtime) with
# `ctr run --runc-binary verified-runtime --annotation io.kubernetes.cri.image-name=...`:
# images built offline with docker and moved over as `docker save` tarballs
# (`ctr images import`); registered images run, everything else is refused with the message
# ctr prints, and annotations cannot talk the runtime into anything.
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_need containerd ctr
e2e_start_docker

e2e_log "build images offline with docker and save them"
e2e_build_image app:1
e2e_build_image other:1 'LABEL other=1'
d save -o "$E2E_DIR/app1.tar" app:1 || fail "docker save app:1"
d save -o "$E2E_DIR/other1.tar" other:1 || fail "docker save other:1"
ctx=$(mktemp -d "$E2E_DIR/tamper.XXXXXX")
printf 'FROM app:1\nRUN echo tamper test >> /tamper.txt\n' > "$ctx/Dockerfile"
d build -q -t app:1 "$ctx" > /dev/null || fail "tampered build"
d save -o "$E2E_DIR/app1-tampered.tar" app:1 || fail "docker save tampered app:1"

e2e_log "a private containerd whose shims see the test's config dir"
e2e_start_runtime_containerd
expect_ok "${C[@]}" images import "$E2E_DIR/app1.tar"
expect_ok "${C[@]}" images import "$E2E_DIR/other1.tar"
RUN=("${C[@]}" run --rm --runc-binary "$VERIFIED_RUNTIME"
     --mount "type=bind,src=$E2E_DIR/canary,dst=/canary,options=rbind:rw")
CANARY='touch /canary/$CANARY_NAME; echo hello-from-container'
n=0
run() {  # run NAME IMAGE [ctr flags...]: one container, id unique per call
  local name=$1 image=$2; shift 2
  n=$((n + 1))
  "${RUN[@]}" "$@" --env "CANARY_NAME=$name" "$image" "e2e-$E2E_RUN_ID-$n" sh -c "$CANARY"
}

e2e_log "register app:1 from containerd (root found from the daemon at CONTAINERD_ADDRESS)"
expect_ok vctl register app:1 --engine containerd
expect_contains "$LAST_OUT" "registered app:1"
expect_ok vctl policy allow app --require registered
expect_ok vctl check app:1 --engine containerd
expect_contains "$LAST_OUT" "containerd root from \`root\` in $CTD/config.toml"
expect_fail vctl check other:1 --engine containerd
expect_refused_check "REFUSED" "no rule allows it and the policy default is deny"

e2e_log "a registered image runs, as CRI would start it"
expect_ok run registered docker.io/library/app:1 --annotation io.kubernetes.cri.image-name=docker.io/library/app:1
expect_contains "$LAST_OUT" "hello-from-container"
expect_file "$E2E_DIR/canary/registered"
tail -1 "$E2E_DIR/decisions.log" | grep -q '"engine":"containerd".*"verdict":"allow"' \
  && pass "decision log: containerd, allow" || fail "decision log: $(tail -1 "$E2E_DIR/decisions.log")"

e2e_log "an unregistered image is refused with the message ctr prints"
expect_fail run unregistered docker.io/library/other:1
expect_contains "$LAST_OUT" "ctr: failed to create shim task: OCI runtime create failed: verified: refused image docker.io/library/other:1"
expect_contains "$LAST_OUT" "no rule allows it and the policy default is deny"
expect_no_file "$E2E_DIR/canary/unregistered"

e2e_log "an annotation lying about the image name does not help"
expect_fail run lying docker.io/library/other:1 --annotation io.kubernetes.cri.image-name=docker.io/library/app:1
expect_contains "$LAST_OUT" "verified: refused image docker.io/library/other:1"
expect_no_file "$E2E_DIR/canary/lying"
expect_not_contains "$LAST_OUT" "refused image docker.io/library/app:1"

e2e_log "an annotation posing as a pod sandbox is refused"
expect_fail run sandbox docker.io/library/app:1 --annotation io.kubernetes.cri.container-type=sandbox
expect_contains "$LAST_OUT" "disagree about whether this is a pod sandbox"
expect_no_file "$E2E_DIR/canary/sandbox"

e2e_log "the same tag rebuilt and re-imported (seed 000's tamper) is refused"
expect_ok "${C[@]}" images import "$E2E_DIR/app1-tampered.tar"
expect_fail run tampered docker.io/library/app:1 --annotation io.kubernetes.cri.image-name=docker.io/library/app:1
expect_contains "$LAST_OUT" "OCI runtime create failed: verified: refused image docker.io/library/app:1"
expect_contains "$LAST_OUT" "requires registered: layer chain differs from the registration"
expect_no_file "$E2E_DIR/canary/tampered"
expect_fail vctl check app:1 --engine containerd
expect_refused_check "REFUSED" "requires registered: layer chain differs from the registration"

e2e_log "audit mode lets the same verdict through and logs it"
expect_ok vctl policy mode audit
expect_ok run audit docker.io/library/app:1
expect_file "$E2E_DIR/canary/audit"
tail -1 "$E2E_DIR/decisions.log" | grep -q '"verdict":"deny".*"mode":"audit"' \
  && pass "audit decision logged as deny" || fail "audit line: $(tail -1 "$E2E_DIR/decisions.log")"
expect_ok vctl policy mode enforce

e2e_log "a pod sandbox image needs its own explicit rule"
expect_ok vctl register other:1 --engine containerd
expect_ok vctl policy allow other --require registered --require pod_sandbox
expect_fail run not-a-sandbox docker.io/library/other:1
expect_contains "$LAST_OUT" "allows the image only as a Kubernetes pod sandbox"
expect_no_file "$E2E_DIR/canary/not-a-sandbox"
