#!/bin/bash
# Issue 10, metadata-only rebuilds: `docker build` of `FROM app:1` plus only ENTRYPOINT, ENV
# (LD_PRELOAD=...), USER, LABEL or HEALTHCHECK lines runs no container and keeps every layer
# of the registered image, so a layers-only `registered` allowed it once tagged app:1 and
# `labels`, `healthcheck`, `non_root` judged the new config. `registered` now binds the image
# config: each rebuild is refused naming the field it changed, and the canary (a bind-mounted
# host directory the container would write) stays empty. The registered image still runs, and
# `verifiedctl register --layers-only`, the documented opt-out, admits the rebuild.
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_start_docker

chmod 1777 "$E2E_DIR/canary"   # writable by the USER of a rebuild, so only a refusal keeps it empty
RUN=(d run --rm --network=none --runtime=verified -v "$E2E_DIR/canary:/canary")

e2e_log "build and register app:1; allow app with the registered requirement"
e2e_build_image app:1
orig=$(d image inspect --format '{{.Id}}' app:1)
expect_ok vctl register app:1
expect_ok vctl policy allow app --require registered
expect_ok vctl list
expect_contains "$LAST_OUT" "config" "verifiedctl list (binds)"

e2e_log "positive control: the registered image runs and writes the canary"
expect_ok "${RUN[@]}" app:1 touch /canary/original
expect_file "$E2E_DIR/canary/original"

# rebuild NAME LINE: app:1 := FROM <the registered image> + LINE (a metadata-only build).
rebuild() {
  d tag "$orig" app:1 || fail "re-tag the registered image"
  local ctx
  ctx=$(mktemp -d "$E2E_DIR/rebuild.XXXXXX")
  printf 'FROM app:1\n%s\n' "$2" > "$ctx/Dockerfile"
  d build -q -t app:1 "$ctx" > /dev/null || fail "docker build of the $1 rebuild"
  local id layers_old layers_new
  id=$(d image inspect --format '{{.Id}}' app:1)
  layers_old=$(d image inspect --format '{{json .RootFS.Layers}}' "$orig")
  layers_new=$(d image inspect --format '{{json .RootFS.Layers}}' app:1)
  [[ $id != "$orig" && $layers_old == "$layers_new" ]] \
    && pass "$1 rebuild: new config $id, the same layers" \
    || fail "$1 rebuild is not metadata-only (id $id, layers $layers_new vs $layers_old)"
}

# refused NAME CHANGED [ARGS...]: app:1 (rebuilt) is refused naming CHANGED; no canary.
refused() {
  local name=$1 changed=$2; shift 2
  expect_fail "${RUN[@]}" app:1 "$@"
  expect_contains "$LAST_OUT" "OCI runtime create failed: verified: refused image app:1"
  expect_contains "$LAST_OUT" "requires registered: image config differs from the registration: app:1 was registered with config $orig but the image has config sha256:"
  expect_contains "$LAST_OUT" "$changed"
  expect_no_file "$E2E_DIR/canary/$name"
}

e2e_log "ENTRYPOINT only"
rebuild entrypoint 'ENTRYPOINT ["/bin/sh", "-c", "touch /canary/entrypoint"]'
refused entrypoint "changed: entrypoint"
e2e_log "ENV LD_PRELOAD only"
rebuild env 'ENV LD_PRELOAD=/some/lib.so'
refused env "changed: env (LD_PRELOAD added)" touch /canary/env
expect_not_contains "$LAST_OUT" "/some/lib.so" "refusal (variable values are not shown)"
e2e_log "USER only"
rebuild user 'USER 4242'
refused user "changed: user" touch /canary/user
e2e_log "LABEL only"
rebuild label 'LABEL security.scan=passed'
refused label "changed: labels (security.scan added)" touch /canary/label
e2e_log "HEALTHCHECK only"
rebuild healthcheck 'HEALTHCHECK CMD ["/bin/true"]'
refused healthcheck "changed: healthcheck" touch /canary/healthcheck
grep -q 'image config differs' "$E2E_DIR/decisions.log" \
  && pass "decision log has the config refusal" || fail "no config refusal in the decision log"

e2e_log "checks on the config (labels, healthcheck, non_root) judge the registered config only"
# Each requirement fails on the registered image itself, and a metadata rebuild that would
# satisfy it is refused by registered instead of being judged on its own config.
rebuild label 'LABEL security.scan=passed'
expect_ok vctl policy allow app --require registered --require 'labels={"security.scan":"passed"}'
refused labels-rule "changed: labels (security.scan added)" touch /canary/labels-rule
d tag "$orig" app:1
expect_fail "${RUN[@]}" app:1 touch /canary/labels-orig
expect_contains "$LAST_OUT" 'requires labels'
expect_no_file "$E2E_DIR/canary/labels-orig"
rebuild healthcheck 'HEALTHCHECK CMD ["/bin/true"]'
expect_ok vctl policy allow app --require registered --require healthcheck
refused healthcheck-rule "changed: healthcheck" touch /canary/healthcheck-rule
rebuild user 'USER 4242'
expect_ok vctl policy allow app --require registered --require non_root
refused non-root-rule "changed: user" touch /canary/non-root-rule
expect_fail vctl check app:1
expect_contains "$LAST_OUT" "image config differs from the registration" "verifiedctl check"
expect_ok vctl policy allow app --require registered

e2e_log "run by image ID: the registration with the same layers is found, the config is not"
rebuild byid 'ENV MODE=debug'
rebuilt_id=$(d image inspect --format '{{.Id}}' app:1)
d tag "$orig" app:1
expect_fail "${RUN[@]}" "$rebuilt_id" touch /canary/byid
expect_contains "$LAST_OUT" "image config differs from the registration"
expect_contains "$LAST_OUT" "changed: env (MODE added)"
expect_no_file "$E2E_DIR/canary/byid"
expect_ok "${RUN[@]}" "$orig" touch /canary/orig-by-id
expect_file "$E2E_DIR/canary/orig-by-id"

e2e_log "the documented opt-out: register --layers-only admits a metadata rebuild"
d tag "$orig" app:1
expect_ok vctl register app:1 --layers-only
expect_contains "$LAST_OUT" "layers only"
expect_ok vctl list
expect_contains "$LAST_OUT" "layers" "verifiedctl list (binds)"
rebuild layers-only 'ENTRYPOINT ["/bin/sh", "-c", "touch /canary/layers-only"]'
expect_ok "${RUN[@]}" app:1
expect_file "$E2E_DIR/canary/layers-only"
e2e_log "registering again without it binds the config again"
d tag "$orig" app:1
expect_ok vctl register app:1
rebuild entrypoint-again 'ENTRYPOINT ["/bin/sh", "-c", "touch /canary/entrypoint-again"]'
refused entrypoint-again "changed: entrypoint"

e2e_log "positive control at the end: the registered image still runs"
d tag "$orig" app:1
expect_ok "${RUN[@]}" app:1 touch /canary/original-end
expect_file "$E2E_DIR/canary/original-end"
