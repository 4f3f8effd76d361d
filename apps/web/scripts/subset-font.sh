#!/bin/sh
# The font embedded in the viewer's SVG and PNG exports: DejaVu Sans (Bitstream Vera licence,
# src/assets/fonts/LICENSE-DejaVu.txt), regular and bold, subset to ASCII, Latin-1, Greek and
# the symbols the figures draw (arrows, dashes, ×, ≤, ≥, −), as WOFF2 (~25 KB each).
# Needs fontTools with brotli (Debian: python3-fonttools python3-brotli) and fonts-dejavu-core.
set -eu
out="$(dirname "$0")/../src/assets/fonts"
for weight in "" "-Bold"; do
  name=$(echo "dejavu-sans${weight}-subset" | tr 'A-Z' 'a-z')
  /usr/bin/python3 -m fontTools.subset "/usr/share/fonts/truetype/dejavu/DejaVuSans${weight}.ttf" \
    --unicodes="U+0020-007E,U+00A0-00FF,U+0391-03C9,U+2013,U+2014,U+2022,U+2026,U+2190-2194,U+2212,U+2264,U+2265,U+00D7,U+2715" \
    --flavor=woff2 --name-IDs='*' --name-languages='*' --layout-features='kern,liga' \
    --output-file="$out/$name.woff2"
done
