#!/bin/sh
# Render llmchoice's HTML report in headless Chromium and save a PNG screenshot,
# so a person can see the report without opening a browser.
#
#   docs/render_html_screenshot.sh [ANSWERS] [OUT.png]
#
# ANSWERS defaults to docs/examples/middle-of-the-road.yaml, OUT.png to
# docs/report-screenshot.png. PYTHON picks the interpreter that has llmchoice
# installed (default: python3), CHROMIUM the browser (default: chromium on PATH;
# Debian: apt-get update && apt-get install -y chromium). The report is standalone,
# and Chromium runs with a throw-away profile and its background networking off.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
answers=${1:-"$here/examples/middle-of-the-road.yaml"}
out=${2:-"$here/report-screenshot.png"}
python=${PYTHON:-python3}
browser=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$browser" ]; then
    echo "chromium not found; install it with: apt-get update && apt-get install -y chromium" >&2
    exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

"$python" -m llmchoice recommend "$answers" --explain --format html --output "$work/report.html"

rm -f "$out"
if ! "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --no-first-run --disable-sync --hide-scrollbars \
        --user-data-dir="$work/profile" --window-size=1000,2000 \
        --screenshot="$out" "file://$work/report.html" >"$work/chromium.log" 2>&1 \
        || [ ! -s "$out" ]; then
    echo "chromium did not write $out:" >&2
    cat "$work/chromium.log" >&2
    exit 1
fi
echo "Wrote $out"
