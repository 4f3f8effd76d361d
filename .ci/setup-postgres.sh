#!/bin/sh
# Install Debian's postgresql so the server's Postgres integration test runs for real (it creates
# and starts its own throwaway cluster on a random loopback port; no service is started here).
# Safe to call anywhere: it only installs as root on a Debian/Ubuntu system with apt-get, and
# otherwise explains and exits 0 (the test then skips with its reason).
set -eu

if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "setup-postgres: already installed: $(ls /usr/lib/postgresql | tr '\n' ' ')"
  exit 0
fi
if [ "$(uname -s)" != "Linux" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-postgres: no apt-get; install PostgreSQL by hand to run the Postgres integration test"
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "setup-postgres: not root; to run the Postgres integration test: sudo apt-get install -y postgresql"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
# policy-rc.d keeps the package from starting a system-wide Postgres of its own.
policy=/usr/sbin/policy-rc.d
made_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
fi
# A stale or unreachable package index must not fail CI: the test then skips.
if apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql >/dev/null; then
  echo "setup-postgres: installed $(ls /usr/lib/postgresql | tr '\n' ' ')"
else
  echo "setup-postgres: apt-get failed; the Postgres integration test will skip with the reason"
fi
if [ -n "$made_policy" ]; then rm -f "$policy"; fi
exit 0
