#!/bin/sh
# Install Mesa's EGL + OpenGL ES so that Dawn (the `webgpu` npm package) finds a software WebGPU
# adapter (llvmpipe) and the webgpu backend tests run for real. Safe to call anywhere: it only
# installs as root on a Debian/Ubuntu system with apt-get, and otherwise explains and exits 0
# (the webgpu tests then skip with the probe's reason).
set -eu

PACKAGES="libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri"

if [ "$(uname -s)" != "Linux" ]; then
  echo "setup-webgpu: not Linux; Dawn uses the system GPU driver here, nothing to install"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
  echo "setup-webgpu: no apt-get; install Mesa's EGL and GLES libraries ($PACKAGES on Debian) by hand to test webgpu"
  exit 0
fi

missing=""
for p in $PACKAGES; do
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then missing="$missing $p"; fi
done
if [ -z "$missing" ]; then
  echo "setup-webgpu: already installed:$(printf ' %s' $PACKAGES)"
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "setup-webgpu: not root; to test webgpu run: sudo apt-get install -y$missing"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
# A stale or unreachable package index must not fail CI: the webgpu tests then skip.
if apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null; then
  echo "setup-webgpu: installed$missing"
else
  echo "setup-webgpu: apt-get failed; webgpu tests will skip with the reason"
fi
exit 0
