#!/bin/sh
# Debian's Chromium for the viewer's browser tests (apps/web/e2e: Playwright drives
# /usr/bin/chromium headless on loopback; they skip with their reason when it is missing).
exec sh "$(dirname "$0")/apt-optional.sh" setup-chromium "command -v chromium" \
  "chromium --version 2>/dev/null" "the viewer's browser tests" chromium
