#!/bin/bash
# Installs everything verified builds and tests with, from Debian's packages only.
set -euo pipefail
PKGS=(
  # build
  cmake ninja-build g++ pkg-config clang
  nlohmann-json3-dev libssl-dev libspdlog-dev libfmt-dev libseccomp-dev libgtest-dev
  libgmock-dev libcurl4-openssl-dev libcli11-dev zlib1g-dev libarchive-dev libbenchmark-dev
  # engines driven by the end-to-end tests
  docker.io containerd runc crun podman skopeo umoci busybox-static
  uidmap fuse-overlayfs iptables python3 jq procps util-linux
  # a containerd API client that stores spec bytes verbatim (e2e containerd_spec_keys)
  python3-grpcio
  # the CRI client of e2e cri_containerd: its stubs are generated at test time
  python3-grpc-tools
  # e2e cri_installer checks the DaemonSet and RuntimeClass manifests
  python3-yaml
  # the node installer image (scripts/build-installer-image.sh): its entry point's shell
  bash-static
  # sealed images: static test program, seccomp base profile, a second multi-call binary
  libc6-dev golang-github-containers-common toybox
)
# ...and a static kubectl for it: Debian's, unless one is installed already (the package would
# collide with it on /usr/bin/kubectl).
command -v kubectl > /dev/null || PKGS+=(kubernetes-client)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # policy-rc.d: never let package scripts start system daemons (tests start private ones).
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi
