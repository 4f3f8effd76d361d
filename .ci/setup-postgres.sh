#!/bin/sh
# Debian's postgresql for the server's Postgres integration test (it creates and starts its own
# throwaway cluster on a random loopback port; nothing is started here).
exec sh "$(dirname "$0")/apt-optional.sh" setup-postgres "ls /usr/lib/postgresql/*/bin/initdb" \
  "ls /usr/lib/postgresql | tr '\n' ' '" "the Postgres integration test" postgresql
