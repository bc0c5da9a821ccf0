#!/usr/bin/env bash
# Vendors Swagger UI (the npm package swagger-ui-dist, pinned below) into
# local/assets/swagger-ui/, whose files invites-local embeds and serves at /docs: the
# page never loads anything from a CDN. Run it to move to another version (update the
# pin and its integrity from `npm view swagger-ui-dist@VERSION dist.integrity`); it
# checks the tarball against the pinned integrity and records each file's SHA-256 in
# SHA256SUMS, which a unit test of invites-local checks the embedded files against.
set -euo pipefail
cd "$(dirname "$0")/.."

version=5.35.0
integrity=sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ==
files=(swagger-ui-bundle.js swagger-ui.css LICENSE NOTICE swagger-ui-bundle.js.LICENSE.txt)
dest=local/assets/swagger-ui

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "swagger-ui-dist@$version" --json > pack.json)
got=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["integrity"])' "$work/pack.json")
if [ "$got" != "$integrity" ]; then
  echo "swagger-ui-dist@$version: integrity $got, expected $integrity" >&2
  exit 1
fi
tar -xzf "$work/swagger-ui-dist-$version.tgz" -C "$work"
mkdir -p "$dest"
for file in "${files[@]}"; do
  cp "$work/package/$file" "$dest/$file"
done
echo "$version" > "$dest/VERSION"
(cd "$dest" && sha256sum "${files[@]}" > SHA256SUMS)
echo "vendored swagger-ui-dist $version into $dest"
