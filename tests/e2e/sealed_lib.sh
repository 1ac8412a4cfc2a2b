# Shared by docker_sealed.sh and podman_sealed.sh (sourced after lib.sh and e2e_init).

# The distribution's default seccomp profile (package golang-github-containers-common).
SECCOMP_BASE=/usr/share/containers/seccomp.json

# sealed_seccomp_profile OUT: the distribution's default seccomp profile minus ptrace and
# process_vm_*, which a seal forbids and both Docker's and Podman's defaults allow; a host
# that runs sealed images sets such a profile engine-wide (docs/sealed.md).
sealed_seccomp_profile() {
  [[ -f $SECCOMP_BASE ]] \
    || e2e_skip "$SECCOMP_BASE is missing (apt-get install golang-github-containers-common)"
  python3 - "$SECCOMP_BASE" "$1" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
drop = {"ptrace", "process_vm_readv", "process_vm_writev"}
for r in p["syscalls"]:
    r["names"] = [n for n in r.get("names", []) if n not in drop]
p["syscalls"] = [r for r in p["syscalls"] if r["names"]]
json.dump(p, open(sys.argv[2], "w"))
PY
}

# sealed_context: prints a new build context for the shell-less image sealed:1 (one static C
# program as entrypoint and as /app/tool, a world-writable /proof, passwd/group, user app),
# its build file named Dockerfile.
sealed_context() {
  local ctx
  ctx=$(mktemp -d "$E2E_DIR/sealed.XXXXXX")
  cp "$(dirname "${BASH_SOURCE[0]}")/sealed_canary.c" "$ctx/canary.c"
  gcc -static -O2 -o "$ctx/canary" "$ctx/canary.c" || fail "gcc -static"
  mkdir -p "$ctx/proof" "$ctx/etc" && chmod 777 "$ctx/proof"
  printf 'root:x:0:0:root:/root:/nologin\napp:x:1000:1000:app:/home/app:/nologin\n' > "$ctx/etc/passwd"
  printf 'root:x:0:\napp:x:1000:\n' > "$ctx/etc/group"
  cat > "$ctx/Dockerfile" <<'DF'
FROM scratch
COPY canary /app/canary
COPY canary /app/tool
COPY proof /proof
COPY etc /etc
USER app
ENTRYPOINT ["/app/canary"]
CMD ["serve"]
DF
  echo "$ctx"
}

# A private dockerd with the runtime installed and, engine-wide, the distribution's seccomp
# profile minus ptrace and process_vm_* (what `sealed` requires of a container's seccomp).
sealed_start_docker() {
  sealed_seccomp_profile "$E2E_DIR/sealed-seccomp.json"
  vctl install docker --daemon-json "$E2E_DIR/daemon.json" --runtime-path "$VERIFIED_RUNTIME" > /dev/null
  /usr/bin/python3 - "$E2E_DIR/daemon.json" "$E2E_DIR/sealed-seccomp.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["seccomp-profile"] = sys.argv[2]
json.dump(d, open(sys.argv[1], "w"), indent=2)
PY
  e2e_start_docker
}
