#!/usr/bin/env bash
# Screenshots of the invitation email for the README: the HTML part of the golden file
# tests/golden/email/en-US-full.txt (every variable set), rendered by Chromium at a
# desktop width (1024 px) and a phone's (375 px) into docs/email-desktop.png and
# docs/email-mobile.png. Run it after a change to the templates (and UPDATE_GOLDEN=1).
set -euo pipefail
cd "$(dirname "$0")/.."
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "chromium is missing (Debian: apt-get install -y chromium)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed -n '/^===== html =====$/,$p' tests/golden/email/en-US-full.txt | tail -n +2 > "$work/email.html"
shot() { # WIDTH HEIGHT OUT
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile" \
    --window-size="$1,$2" --screenshot="$PWD/$3" "file://$work/email.html" 2>/dev/null
}
shot 1024 760 docs/email-desktop.png
shot 375 900 docs/email-mobile.png
echo "wrote docs/email-desktop.png and docs/email-mobile.png"
