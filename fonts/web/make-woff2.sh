#!/bin/sh
# Makes the web edition's fonts (fonts/web/*.woff2) from the report's
# fonts (fonts/NotoSans-*.ttf): subset to Latin, Latin Extended and common
# punctuation, all OpenType layout features kept, compressed as WOFF2.
# Needs fonttools with brotli: python3 -m pip install fonttools==4.69.1 brotli==1.2.1
# Run from the repository root; the output is the same bytes every time.
set -eu
for face in Regular Italic Bold BoldItalic; do
  pyftsubset "fonts/NotoSans-$face.ttf" \
    --unicodes="U+0000-024F,U+0259,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0300-036F,U+1E00-1EFF,U+2000-206F,U+2074,U+20AC,U+2122,U+2190-2199,U+2212,U+2215,U+2264-2265,U+FEFF,U+FFFD" \
    --layout-features='*' --flavor=woff2 \
    --output-file="fonts/web/NotoSans-$face.woff2"
done
