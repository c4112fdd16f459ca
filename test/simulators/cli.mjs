#!/usr/bin/env node
// Runs one vendor simulator as its own process (for the e2e suite, the benchmark and the demo):
//
//   node test/simulators/cli.mjs rentengine [--port 5681] [--units 250] [--token T] [--seed 42]
//   node test/simulators/cli.mjs buildium [--port 5682] [--units 30] [--seed 42] [--client-id ID] [--client-secret S]
//                                         [--rate-limit 10 (requests per second per client id; 0 = off)] [--latency MS]
//   node test/simulators/cli.mjs entrata [--port 5683] [--token API_KEY] [--seed 42]
//
// Once listening it prints exactly one JSON line to stdout, e.g.
//   {"vendor":"rentengine","url":"http://127.0.0.1:5681/api/public/v1","origin":"http://127.0.0.1:5681","port":5681}
// and keeps running until SIGTERM/SIGINT, then closes its sockets and exits 0. Drive it through /__control.
// To add a vendor, add an entry to VENDORS: its start function receives the parsed options.
import { parseArgs } from 'node:util';

import { startBuildiumSimulator } from './buildium.mjs';
import { startEntrataSimulator } from './entrata.mjs';
import { startRentEngineSimulator } from './rentengine.mjs';

const int = (name, value) => {
	if (value === undefined) return undefined;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
	return n;
};

const VENDORS = {
	rentengine: (o) => startRentEngineSimulator({ port: int('port', o.port), units: int('units', o.units), seed: int('seed', o.seed), token: o.token }),
	buildium: (o) => {
		const rate = int('rate-limit', o['rate-limit']);
		return startBuildiumSimulator({
			port: int('port', o.port),
			rentalUnits: int('units', o.units),
			seed: int('seed', o.seed),
			clientId: o['client-id'],
			clientSecret: o['client-secret'],
			latencyMs: int('latency', o.latency),
			...(rate === undefined ? {} : { rateLimit: rate === 0 ? null : { limit: rate, windowMs: 1000 } }),
		});
	},
	// --token is the API key; the legacy host takes sim-user / sim-password. The printed url is the gateway base.
	entrata: (o) => startEntrataSimulator({ port: int('port', o.port), seed: int('seed', o.seed), apiKey: o.token }),
};

async function main() {
	const { positionals, values } = parseArgs({
		allowPositionals: true,
		options: {
			port: { type: 'string' },
			units: { type: 'string' },
			token: { type: 'string' },
			seed: { type: 'string' },
			'client-id': { type: 'string' },
			'client-secret': { type: 'string' },
			'rate-limit': { type: 'string' },
			latency: { type: 'string' },
		},
	});
	const vendor = positionals[0];
	if (!VENDORS[vendor]) throw new Error(`usage: cli.mjs <${Object.keys(VENDORS).join('|')}> [--port N] [--units N] [--token T] [--seed N] [--client-id ID --client-secret S --rate-limit N --latency MS]`);
	// Drop unset options so each simulator's own defaults apply.
	const options = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
	const sim = await VENDORS[vendor](options);
	process.stdout.write(`${JSON.stringify({ vendor, url: sim.url, origin: sim.origin, port: sim.port })}\n`);

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		await sim.close();
		process.exit(0);
	};
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

main().catch((err) => {
	process.stderr.write(`${err.message}\n`);
	process.exit(1);
});
