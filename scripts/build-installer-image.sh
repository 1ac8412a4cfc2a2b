#!/bin/bash
# Builds the node installer image `verified-installer:<version>` (install/kubernetes/Dockerfile,
# FROM scratch) from a build of this tree, with no network:
#   scripts/build-installer-image.sh [--save FILE.tar] [BUILD_DIR]     (default BUILD_DIR: build)
# then load it where the cluster's nodes pull from, e.g.
#   kind load docker-image verified-installer:<version>
#   ctr -n k8s.io images import FILE.tar            (on each node, from --save's tarball)
#   docker tag/push verified-installer:<version> REGISTRY/verified-installer:<version>
#
# The image holds the binaries exactly as the build made them (their sha256 in
# /opt/verified/SHA256SUMS), node-installer.sh as its entry point, Debian's bash-static and
# busybox-static (only the utilities the installer runs are linked, no sh), a static kubectl and,
# when verifiedctl is dynamically linked (it links libcurl, which Debian ships as a shared
# library only), the dynamic loader and the libraries verifiedctl needs, from this host.
# Inputs (environment): VERIFIED_RUNTIME, VERIFIEDCTL, VERIFIED_HOOK (default: from BUILD_DIR),
# KUBECTL (default: kubectl on PATH; Debian's kubernetes-client is static), BASH_STATIC
# (/bin/bash-static), BUSYBOX (/bin/busybox), DOCKER (/usr/bin/docker; DOCKER_HOST as usual),
# IMAGE (default verified-installer:<verifiedctl --version>).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
save=""
if [[ ${1:-} == --save ]]; then
  save=${2:?--save needs a file}
  shift 2
fi
build=${1:-build}
runtime=${VERIFIED_RUNTIME:-$build/shim/verified-runtime}
ctl=${VERIFIEDCTL:-$build/ctl/verifiedctl}
hook=${VERIFIED_HOOK:-$build/hooks/verified-hook}
kubectl=${KUBECTL:-$(command -v kubectl || true)}
bash_static=${BASH_STATIC:-/bin/bash-static}
busybox=${BUSYBOX:-/bin/busybox}
docker=${DOCKER:-/usr/bin/docker}
# What node-installer.sh runs besides bash's builtins, and nothing else: no shell among them.
applets=(cp chmod mv ls grep rm rmdir mkdir sleep dirname nsenter)

die() { echo "build-installer-image: $*" >&2; exit 1; }
# A static executable has no PT_INTERP program header (no dynamic loader to name).
is_static() { ! readelf -l "$1" 2> /dev/null | grep -q 'Requesting program interpreter'; }

for f in "$runtime" "$ctl" "$hook"; do
  [[ -x $f ]] || die "$f is missing: build verified-runtime, verifiedctl and verified-hook first"
done
for f in "$runtime" "$hook"; do
  is_static "$f" || die "$f is dynamically linked (a sanitized build?): the node runs it" \
    "without the image's libraries, it must be static (VERIFIED_STATIC_LINK)"
done
[[ -x $bash_static ]] && is_static "$bash_static" \
  || die "no static bash at $bash_static (apt-get install bash-static)"
[[ -x $busybox ]] && is_static "$busybox" \
  || die "no static busybox at $busybox (apt-get install busybox-static)"
for a in "${applets[@]}"; do
  "$busybox" --list | grep -x "$a" > /dev/null || die "$busybox has no $a applet (node-installer.sh runs it)"
done
[[ -n $kubectl && -x $kubectl ]] || die "no kubectl (apt-get install kubernetes-client, or KUBECTL=)"
kubectl=$(readlink -f "$kubectl")
is_static "$kubectl" || die "$kubectl is dynamically linked: a FROM scratch image needs a static one"
version=$("$ctl" --version | awk '{print $2}')
[[ -n $version ]] || die "$ctl --version printed no version"
image=${IMAGE:-verified-installer:$version}

ctx=$(mktemp -d /tmp/verified-installer-ctx.XXXXXX)
trap 'rm -rf "$ctx"' EXIT
mkdir -p "$ctx"/{bin,usr/bin,lib,lib64,opt/verified/bin,tmp}
chmod 1777 "$ctx/tmp"
cp "$here/install/kubernetes/Dockerfile" "$ctx/Dockerfile"
install -m 0755 "$here/install/kubernetes/node-installer.sh" "$ctx/opt/verified/bin/"
install -m 0755 "$runtime" "$ctx/opt/verified/bin/verified-runtime"
install -m 0755 "$ctl" "$ctx/opt/verified/bin/verifiedctl"
install -m 0755 "$hook" "$ctx/opt/verified/bin/verified-hook"
(cd "$ctx/opt/verified/bin" && sha256sum verified-runtime verifiedctl verified-hook) \
  > "$ctx/opt/verified/SHA256SUMS"
install -m 0755 "$bash_static" "$ctx/bin/bash"
install -m 0755 "$busybox" "$ctx/bin/busybox"
for a in "${applets[@]}"; do ln -s busybox "$ctx/bin/$a"; done
install -m 0755 "$kubectl" "$ctx/usr/bin/kubectl"
if ! is_static "$ctl"; then
  # The loader and each library at the path the loader looks for it (ldd's answer).
  interp=$(readelf -l "$ctl" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
  libs=$(ldd "$ctl" | awk '$2 == "=>" && $3 ~ /^\// {print $3}')
  for lib in $interp $libs; do
    [[ $lib == /lib/* || $lib == /lib64/* ]] || die "$ctl needs $lib, outside /lib and /lib64"
    mkdir -p "$ctx$(dirname "$lib")"
    cp -L "$lib" "$ctx$lib"
  done
fi

"$docker" build -t "$image" "$ctx" >&2 || die "docker build failed"
echo "built $image: $(cd "$ctx/opt/verified" && tr '\n' ' ' < SHA256SUMS)" >&2
if [[ -n $save ]]; then
  "$docker" save -o "$save" "$image" || die "docker save failed"
  echo "saved $image to $save (ctr -n k8s.io images import $save; kind load image-archive)" >&2
fi
echo "$image"
