#!/usr/bin/env bash
# Runs the Community Nodes UI suite inside a private network namespace whose /etc/hosts sends registry.npmjs.org
# to its own loopback, where the suite serves a local Verdaccio over TLS (a CA made for the run). n8n only installs
# community packages from its default registry unless licensed for a custom one, so this is how the suite lets
# the real Settings → Community Nodes path install our packed package. Nothing leaves the namespace. Needs root.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(id -u)" = 0 ] || { echo "run-in-netns.sh: needs root (ip netns)" >&2; exit 1; }
VERDACCIO_BIN=$(bash test/community/install-verdaccio.sh)
export VERDACCIO_BIN
# The runtime dependencies of the package (if any) are packed here, outside the namespace, for the local registry.
DEPS_DIR=$(mktemp -d)
export COMMUNITY_DEPS_DIR=$DEPS_DIR
for dep in $(node -e 'const p=require("./package.json");for(const[n,v]of Object.entries(p.dependencies||{}))console.log(n+"@"+v)'); do
	npm pack "$dep" --pack-destination "$DEPS_DIR" --loglevel=error >/dev/null
done
NS=n8ncp$$
cleanup() { ip netns del "$NS" 2>/dev/null || true; rm -rf "/etc/netns/$NS" "$DEPS_DIR"; }
trap cleanup EXIT
ip netns add "$NS"
mkdir -p "/etc/netns/$NS"
printf '127.0.0.1 localhost registry.npmjs.org\n::1 localhost\n' > "/etc/netns/$NS/hosts"
echo 'nameserver 127.0.0.1' > "/etc/netns/$NS/resolv.conf"
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" node --test --test-concurrency=1 test/community/
