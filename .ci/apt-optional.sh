#!/bin/sh
# Install a Debian package that an optional integration test needs, without ever failing CI.
# Usage: apt-optional.sh LABEL "INSTALLED-CHECK" "VERSION-CMD" "WHAT IT ENABLES" PACKAGE...
# It only installs as root on a system with apt-get; otherwise it explains and exits 0, and the
# test then skips with its reason. No service is started (policy-rc.d blocks package start-up).
set -eu
label=$1 check=$2 version=$3 purpose=$4
shift 4

if sh -c "$check" >/dev/null 2>&1; then
  echo "$label: already installed: $(sh -c "$version")"
  exit 0
fi
if [ "$(uname -s)" != "Linux" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "$label: no apt-get; install $* by hand to run $purpose"
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "$label: not root; to run $purpose: sudo apt-get install -y $*"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
policy=/usr/sbin/policy-rc.d
made_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
fi
# A stale or unreachable package index must not fail CI: the test then skips.
if apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" >/dev/null; then
  echo "$label: installed $(sh -c "$version")"
else
  echo "$label: apt-get failed; $purpose will skip with the reason"
fi
if [ -n "$made_policy" ]; then rm -f "$policy"; fi
exit 0
