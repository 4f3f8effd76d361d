#!/bin/sh
# Debian's redis-server for the server's Redis/BullMQ integration test (it starts its own
# redis-server on a random loopback port; nothing is started here).
exec sh "$(dirname "$0")/apt-optional.sh" setup-redis "command -v redis-server" \
  "redis-server --version | cut -d' ' -f1-3" "the Redis integration test" redis-server
