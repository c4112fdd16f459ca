#!/usr/bin/env bash
# Installs n8n's community-package scanner (@n8n/scan-community-package) into the cache folder outside the repo,
# the way it installs: its eslint-plugin-n8n-nodes-base dependency has a pnpm-only preinstall, so no install scripts.
# Its own eslint/typescript versions stay out of this package's devDependencies. Idempotent; prints the folder.
set -euo pipefail
SCANNER_VERSION=0.32.0
CACHE=${N8N_CACHE_DIR:-$HOME/.cache/n8n-nodes-property-management}
DIR=$CACHE/scanner-$SCANNER_VERSION
ENTRY=$DIR/node_modules/@n8n/scan-community-package/scanner/scanner.mjs
if [ -f "$ENTRY" ]; then echo "$DIR"; exit 0; fi
mkdir -p "$DIR"
cd "$DIR"
echo "{\"name\":\"scanner-run\",\"private\":true,\"dependencies\":{\"@n8n/scan-community-package\":\"$SCANNER_VERSION\"}}" > package.json
npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2
[ -f "$ENTRY" ] || { echo "install-scanner.sh: $ENTRY missing" >&2; exit 1; }
echo "$DIR"
