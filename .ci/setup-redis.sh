#!/bin/sh
# Install Debian's redis-server so the server's Redis/BullMQ integration test runs for real (it
# starts its own redis-server on a random loopback port; nothing is started here). Safe to call
# anywhere: it only installs as root on a Debian/Ubuntu system with apt-get, and otherwise explains
# and exits 0 (the test then skips with its reason).
set -eu

if command -v redis-server >/dev/null 2>&1; then
  echo "setup-redis: already installed: $(redis-server --version | cut -d' ' -f1-3)"
  exit 0
fi
if [ "$(uname -s)" != "Linux" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-redis: no apt-get; install redis-server by hand to run the Redis integration test"
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "setup-redis: not root; to run the Redis integration test: sudo apt-get install -y redis-server"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
# policy-rc.d keeps the package from starting a system-wide redis-server of its own.
policy=/usr/sbin/policy-rc.d
made_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
fi
# A stale or unreachable package index must not fail CI: the test then skips.
if apt-get update -qq && apt-get install -y -qq --no-install-recommends redis-server >/dev/null; then
  echo "setup-redis: installed $(redis-server --version | cut -d' ' -f1-3)"
else
  echo "setup-redis: apt-get failed; the Redis integration test will skip with the reason"
fi
if [ -n "$made_policy" ]; then rm -f "$policy"; fi
exit 0
