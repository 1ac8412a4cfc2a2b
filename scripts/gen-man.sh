#!/bin/bash
# Writes a man page (section 1, gzipped) for one of verified's binaries from its --help output,
# so the pages never drift from the programs:
#   scripts/gen-man.sh BINARY NAME VERSION OUT.1.gz
# verifiedctl: its help and every subcommand's. verified-runtime: its own options (it passes
# --help through to runc, as it passes every runc command) and runc's help when runc is there.
set -euo pipefail
bin=$1 name=$2 version=$3 out=$4

# roff: help text verbatim (no fill), backslashes and leading dots or quotes escaped.
verbatim() { printf '.nf\n'; sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; printf '.fi\n'; }

summary() {
  case $name in
    verifiedctl) echo "administer the verified OCI runtime: images, policy, signatures, engines" ;;
    verified-runtime) echo "OCI runtime that proves which image a container runs before runc starts it" ;;
    verified-hook) echo "the verified create decision as an OCI createRuntime hook" ;;
    *) echo "$name" ;;
  esac
}

body() {
  case $name in
    verifiedctl)
      "$bin" --help | verbatim
      # Each subcommand's help: the names listed under "Subcommands:" in the top help.
      for sub in $("$bin" --help | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && NF {print $1}'); do
        printf '.SH "%s"\n' "${name^^} ${sub^^}"
        "$bin" "$sub" --help | verbatim
      done
      ;;
    verified-runtime)
      cat <<'TXT' | verbatim
verified-runtime [--config-dir DIR] [--seal-dir DIR] [--state-dir DIR] [--runc PATH] RUNC-ARGS...

Called exactly as runc is called (Docker's runtimes entry, containerd's BinaryName, Podman's
--runtime). On create, run and restore it proves from the engine's storage which image the
container's root filesystem came from, checks it against <config-dir>/policy.json and execs
runc only if the policy allows it; every other command is passed to runc unchanged.
Options of its own come before runc's: --config-dir (default /etc/verified, or
VERIFIED_CONFIG_DIR), --seal-dir (VERIFIED_SEAL_DIR), --state-dir (VERIFIED_STATE_DIR),
--runc (the runc binary; also "runc" in <config-dir>/runtime.json).
TXT
      if help=$("$bin" --help 2> /dev/null); then
        printf '.SH "RUNC OPTIONS"\n'
        printf '%s\n' "$help" | verbatim
      fi
      ;;
    *)
      "$bin" --help | verbatim
      ;;
  esac
}

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
{
  printf '.TH %s 1 "" "verified %s" "User Commands"\n' "${name^^}" "$version"
  printf '.SH NAME\n%s \\- %s\n' "$name" "$(summary)"
  printf '.SH DESCRIPTION\n'
  body
  printf '.SH SEE ALSO\nrunc(8), verifiedctl(1), verified-runtime(1), verified-hook(1)\n'
} > "$tmp"
mkdir -p "$(dirname "$out")"
gzip -9n < "$tmp" > "$out"
