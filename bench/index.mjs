#!/usr/bin/env node
// `npm run bench [-- --only returnAll|triggers] [options]`: runs the benchmarks in turn, each in its own process
// (bench/run.mjs: RentEngine Return All vs the HTTP Request node; bench/buildium.mjs: the same for Buildium, also
// with 50 ms per request; bench/entrata.mjs: Entrata parse of ~20 MB and Return All vs HTTP Request; bench/triggers.mjs: webhook triggers vs the core Webhook node).
// Other options are passed to both. Each writes its own section of bench/results.md.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const dir = path.dirname(new URL(import.meta.url).pathname);
const args = process.argv.slice(2);
const i = args.indexOf('--only');
const only = i >= 0 ? args.splice(i, 2)[1] : undefined;
const benches = { returnAll: 'run.mjs', buildium: 'buildium.mjs', entrata: 'entrata.mjs', triggers: 'triggers.mjs' };
if (only && !benches[only]) {
	console.error(`--only takes ${Object.keys(benches).join(', ')}`);
	process.exit(2);
}
for (const [name, file] of Object.entries(benches)) {
	if (only && only !== name) continue;
	console.log(`\n=== bench: ${name} ===`);
	const res = spawnSync(process.execPath, [path.join(dir, file), ...args], { stdio: 'inherit' });
	if (res.status !== 0) process.exit(res.status ?? 1);
}
