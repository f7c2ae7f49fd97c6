#!/bin/sh
# Render llmchoice's answer form (llmchoice form) in headless Chromium at a phone's width
# (390 CSS pixels) and save a PNG screenshot of its top, so a person can see the form
# without opening a browser.
#
#   docs/render_form_screenshot.sh [RULES] [OUT.png]
#
# RULES defaults to the shipped default rule set, OUT.png to docs/form-390.png. PYTHON
# picks the interpreter that has llmchoice installed (default: python3), CHROMIUM the
# browser (default: chromium on PATH; Debian: apt-get update && apt-get install -y
# chromium), HEIGHT the height of the shot in pixels (default 2400). The form is
# standalone, and Chromium runs with a throw-away profile and its background networking off.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
rules=${1:-default}
out=${2:-"$here/form-390.png"}
height=${HEIGHT:-2400}
python=${PYTHON:-python3}
browser=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$browser" ]; then
    echo "chromium not found; install it with: apt-get update && apt-get install -y chromium" >&2
    exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

"$python" -m llmchoice form --rules "$rules" --output "$work/form.html"

rm -f "$out"
if ! "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --no-first-run --disable-sync --hide-scrollbars \
        --force-device-scale-factor=1 --user-data-dir="$work/profile" \
        --window-size="390,$height" --screenshot="$out" "file://$work/form.html" \
        >"$work/chromium.log" 2>&1 || [ ! -s "$out" ]; then
    echo "chromium did not write $out:" >&2
    cat "$work/chromium.log" >&2
    exit 1
fi
echo "Wrote $out"
