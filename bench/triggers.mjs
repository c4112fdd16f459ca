#!/usr/bin/env node
// `npm run bench -- --only triggers`: webhook triggers side by side in ONE real n8n 2.41.1, loaded by autocannon on
// 127.0.0.1 with the same 491-byte RentEngine `INSERT units` body:
//   - RentEngine Trigger → No Operation             (ours)
//   - core Webhook node, Header Auth x-api-token → No Operation   (n8n's own)
//   - a minimal community trigger answering 401 at once (test/fixtures/minimal-trigger): the floor n8n itself
//     imposes on any non-core trigger (it prepares an expression isolate before calling a community webhook()),
//   - the same minimal trigger reading its credential first: the floor for any community trigger that checks a
//     secret stored in a credential.
// (and the RentEngine Trigger at typeVersion 1, as in workflows saved before 1.1), and the Buildium Trigger with
// deliveries signed per request (HMAC-SHA256 over timestamp.body; forged signatures for the rejected case).
// Cases: accepted (right token: one execution each), rejected (wrong token: 401, no execution), filtered (right
// token, table not selected: acknowledged, no execution). Rounds alternate the sides so machine noise hits all of
// them alike; medians and spreads are printed and written into bench/results.md between the trigger markers.
//
//   node bench/triggers.mjs [--seconds S] [--rounds R] [--connections C] [--sides REGEX] [--profile DIR]
// --profile DIR: also run the server with --cpu-prof into DIR (for `chrome://inspect` / speedscope).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createRequire } from 'node:module';

import autocannon from 'autocannon';

import * as lab from '../scripts/lib/n8n-lab.mjs';
import { signWebhook } from '../test/simulators/buildium.mjs';

const arg = (name, fallback) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? process.argv[i + 1] : fallback;
};
const SECONDS = Number(arg('seconds', 8));
const ROUNDS = Number(arg('rounds', 3));
const CONNECTIONS = Number(arg('connections', 10));
const PROFILE_DIR = arg('profile', undefined);
const SIDES = arg('sides', undefined); // a regular expression: run only the sides whose name matches
const SECRET = 'bench-webhook-secret-0123456789';
const BENCH_DIR = path.dirname(new URL(import.meta.url).pathname);
const FIXTURE = path.join(lab.REPO_ROOT, 'test/fixtures/minimal-trigger');

// 491 bytes, as in the issue: a unit INSERT as RentEngine sends it.
const BODY = JSON.stringify({
	type: 'INSERT',
	table: 'units',
	record: {
		id: 1234567,
		status: 'Incomplete',
		property_type: 'SINGLE FAMILY RESIDENCE',
		bedrooms: '3',
		bathrooms: '2',
		sqft: '1450',
		target_rental_rate: '2150',
		account_id: 'e9a15963-b089-440f-a4f6-a6f11da24fe1',
		address: { street_number: '742', street_name: 'Evergreen Ter', zip_code: '78701', state: 'TX', city: 'Austin' },
		created_at: '2026-11-24T12:00:00.000Z',
		updated_at: '2026-11-24T12:00:00.000Z',
		furnished: false,
		is_occupied: false,
	},
	old_record: null,
});

/**
 * Buildium deliveries: a thin event signed for the moment it is sent (each one unique, as Buildium's are, so the
 * replay check does not turn the load into duplicates). `secret` null = a forged signature.
 */
let buildiumSeq = 0;
function buildiumRequest(secret, eventName = 'Lease.Created') {
	return (req) => {
		const ts = String(Math.floor(Date.now() / 1000));
		const body = JSON.stringify({ EventName: eventName, EventDateTime: new Date().toISOString(), AccountId: 123456, LeaseId: 1_000_000 + ++buildiumSeq });
		const signature = secret ? signWebhook(secret, ts, body) : 'Zm9yZ2VkLXNpZ25hdHVyZS1ub3QtdmFsaWQtYXQtYWxsLi4uLg==';
		return { ...req, body, headers: { ...req.headers, 'content-type': 'application/json', 'buildium-webhook-timestamp': ts, 'buildium-webhook-signature': signature } };
	};
}

/** The RentEngine Trigger's current version, as the built package declares it (new workflows get it). */
function triggerVersion() {
	const { RentEngineTrigger } = createRequire(import.meta.url)(path.join(lab.REPO_ROOT, 'dist/nodes/RentEngine/RentEngineTrigger.node.js'));
	const { version, defaultVersion } = new RentEngineTrigger().description;
	return defaultVersion ?? (Array.isArray(version) ? Math.max(...version) : version);
}

const noOp = (name) => ({ id: `${name}-noop`, name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [240, 0], parameters: {} });
const flow = (id, name, trigger) => ({
	id,
	name,
	nodes: [trigger, noOp(id)],
	connections: { [trigger.name]: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1', saveDataSuccessExecution: 'none', saveManualExecutions: false },
});

function workflows() {
	const rentEngine = (webhookId, tables, typeVersion) => ({
		id: `${webhookId}-t`,
		name: 'On change',
		type: lab.NODE_TYPES.rentEngineTrigger,
		typeVersion,
		position: [0, 0],
		webhookId,
		parameters: { tables, events: ['INSERT', 'UPDATE', 'DELETE'], output: 'record' },
		credentials: { rentEngineApi: { id: 'bench-re', name: 'RentEngine (bench)' } },
	});
	const buildium = (webhookId, events) => ({
		id: `${webhookId}-b`,
		name: 'On change',
		type: lab.NODE_TYPES.buildiumTrigger,
		typeVersion: 1,
		position: [0, 0],
		webhookId,
		parameters: { events, fetchEntity: false },
		credentials: { buildiumApi: { id: 'bench-bd', name: 'Buildium (bench)' } },
	});
	return {
		buildium: flow('benchTrigBuild01', 'Bench: Buildium Trigger', buildium('0b0e0000-0000-4000-8000-000000000007', [])),
		buildiumFiltered: flow('benchTrigBuildF1', 'Bench: Buildium Trigger (Bill events only)', buildium('0b0e0000-0000-4000-8000-000000000008', ['Bill.Created'])),
		ours: flow('benchTrigOurs01', 'Bench: RentEngine Trigger', rentEngine('0b0e0000-0000-4000-8000-000000000001', [], triggerVersion())),
		// Workflows saved before 1.1 keep typeVersion 1 (n8n never upgrades them): measured to show what 1.1 saves.
		oursV1: flow('benchTrigOursV1', 'Bench: RentEngine Trigger v1', rentEngine('0b0e0000-0000-4000-8000-000000000005', [], 1)),
		oursFiltered: flow('benchTrigFilt01', 'Bench: RentEngine Trigger (floorplans only)', rentEngine('0b0e0000-0000-4000-8000-000000000002', ['floorplans'], triggerVersion())),
		core: flow('benchTrigCore01', 'Bench: core Webhook (Header Auth)', {
			id: 'core-hook',
			name: 'On change',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '0b0e0000-0000-4000-8000-000000000003',
			parameters: { httpMethod: 'POST', path: 'bench-core', authentication: 'headerAuth', responseMode: 'onReceived', options: {} },
			credentials: { httpHeaderAuth: { id: 'bench-header', name: 'x-api-token (bench)' } },
		}),
		minimal: flow('benchTrigMini01', 'Bench: minimal community trigger', {
			id: 'mini',
			name: 'On change',
			type: 'n8n-nodes-minimal-trigger.minimalTrigger',
			typeVersion: 1.1,
			position: [0, 0],
			webhookId: '0b0e0000-0000-4000-8000-000000000004',
			parameters: {},
		}),
		minimalCredential: flow('benchTrigMiniCred', 'Bench: minimal community trigger reading its credential', {
			id: 'mini-cred',
			name: 'On change',
			type: 'n8n-nodes-minimal-trigger.minimalCredentialTrigger',
			typeVersion: 1.1,
			position: [0, 0],
			webhookId: '0b0e0000-0000-4000-8000-000000000006',
			parameters: {},
			credentials: { httpHeaderAuth: { id: 'bench-header', name: 'x-api-token (bench)' } },
		}),
	};
}

/** One autocannon run; returns req/s, latency percentiles and the status counts. */
async function load(url, token, setupRequest) {
	const result = await autocannon({
		url,
		method: 'POST',
		connections: CONNECTIONS,
		duration: SECONDS,
		headers: { 'content-type': 'application/json', ...(token ? { 'x-api-token': token } : {}) },
		body: BODY,
		...(setupRequest ? { requests: [{ setupRequest }] } : {}),
	});
	const statuses = {};
	for (const [k, v] of Object.entries(result.statusCodeStats ?? {})) statuses[k] = v.count;
	return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts, statuses };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
	const info = await lab.ensureN8n();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-bench-triggers-'));
	await lab.installPackage(userFolder, { extraPackages: [FIXTURE] });
	await lab.importJson(userFolder, 'credentials', [
		{ id: 'bench-re', name: 'RentEngine (bench)', type: 'rentEngineApi', data: { environment: 'production', apiToken: 'unused', webhookSecret: SECRET, baseUrl: 'http://127.0.0.1:9' } },
		{ id: 'bench-header', name: 'x-api-token (bench)', type: 'httpHeaderAuth', data: { name: 'x-api-token', value: SECRET } },
		{ id: 'bench-bd', name: 'Buildium (bench)', type: 'buildiumApi', data: { environment: 'production', clientId: 'unused', clientSecret: 'unused', webhookSecret: SECRET, baseUrl: 'http://127.0.0.1:9' } },
	]);
	const wfs = workflows();
	const nodeArgs = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(PROFILE_DIR)}`] : [];
	// Execution data is not saved (as in most production webhook flows); every side pays the same.
	const n8n = await lab.startN8n({ userFolder, nodeArgs, extraEnv: { EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none', N8N_LOG_LEVEL: 'warn' } });
	try {
		const owner = await lab.setupOwner(n8n.baseUrl);
		for (const wf of Object.values(wfs)) {
			const created = await lab.createWorkflow(n8n.baseUrl, owner.apiKey, wf);
			await lab.activateWorkflow(n8n.baseUrl, owner.apiKey, created.id);
		}
		const url = (wf) => `${n8n.baseUrl}/webhook/${wf.nodes[0].webhookId}/webhook`;
		const urls = { buildium: url(wfs.buildium), buildiumFiltered: url(wfs.buildiumFiltered), ours: url(wfs.ours), oursV1: url(wfs.oursV1), oursFiltered: url(wfs.oursFiltered), minimal: url(wfs.minimal), minimalCredential: url(wfs.minimalCredential), core: `${n8n.baseUrl}/webhook/bench-core` };
		for (const u of Object.values(urls)) await lab.waitForWebhook(u, { body: {} });

		const sides = {
			'accepted: RentEngine Trigger': [urls.ours, SECRET, 200],
			'accepted: core Webhook': [urls.core, SECRET, 200],
			'rejected: RentEngine Trigger': [urls.ours, 'wrong-token', 401],
			'rejected: core Webhook': [urls.core, 'wrong-token', 403],
			'rejected: minimal community trigger': [urls.minimal, 'wrong-token', 401],
			'rejected: minimal trigger reading its credential': [urls.minimalCredential, 'wrong-token', 401],
			'rejected: RentEngine Trigger, typeVersion 1': [urls.oursV1, 'wrong-token', 401],
			'filtered out: RentEngine Trigger': [urls.oursFiltered, SECRET, 200],
			// The core node again, sent the same signed Buildium deliveries (it checks only x-api-token): signing each
			// request costs the load generator CPU on the same cores, so Buildium is compared with a baseline that pays it.
			'accepted: core Webhook, signed deliveries': [urls.core, SECRET, 200, buildiumRequest(SECRET)],
			'rejected: core Webhook, signed deliveries': [urls.core, 'wrong-token', 403, buildiumRequest(null)],
			'accepted: Buildium Trigger': [urls.buildium, undefined, 200, buildiumRequest(SECRET)],
			'rejected: Buildium Trigger': [urls.buildium, undefined, 401, buildiumRequest(null)],
			'filtered out: Buildium Trigger': [urls.buildiumFiltered, undefined, 200, buildiumRequest(SECRET)],
		};
		if (SIDES) for (const k of Object.keys(sides)) if (!new RegExp(SIDES).test(k)) delete sides[k];
		// A short warm-up per side (JIT, caches), not counted.
		for (const [u, token, , setupRequest] of Object.values(sides)) {
			await autocannon({ url: u, method: 'POST', connections: 2, duration: 1, headers: { 'content-type': 'application/json', 'x-api-token': token ?? '' }, body: BODY, ...(setupRequest ? { requests: [{ setupRequest }] } : {}) });
		}
		const results = Object.fromEntries(Object.keys(sides).map((k) => [k, []]));
		for (let round = 1; round <= ROUNDS; round++) {
			const order = Object.keys(sides);
			if (round % 2 === 0) order.reverse();
			for (const name of order) {
				const [u, token, status, setupRequest] = sides[name];
				const r = await load(u, token, setupRequest);
				const wrong = Object.entries(r.statuses).filter(([code]) => Number(code) !== status);
				if (wrong.length || r.errors) throw new Error(`${name}: expected only HTTP ${status}, got ${JSON.stringify(r.statuses)} (${r.errors} errors)`);
				results[name].push(r);
				console.log(`round ${round} ${name.padEnd(38)} ${r.rps.toFixed(1).padStart(7)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms`);
			}
		}
		const summary = Object.fromEntries(
			Object.entries(results).map(([k, rs]) => [k, { rps: median(rs.map((r) => r.rps)), min: Math.min(...rs.map((r) => r.rps)), max: Math.max(...rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)) }]),
		);
		const ratio = (a, b) => (summary[a] && summary[b] ? summary[a].rps / summary[b].rps : NaN);
		const ratios = {
			'accepted: ours / core': ratio('accepted: RentEngine Trigger', 'accepted: core Webhook'),
			'rejected: ours / core': ratio('rejected: RentEngine Trigger', 'rejected: core Webhook'),
			'rejected: ours / minimal community trigger': ratio('rejected: RentEngine Trigger', 'rejected: minimal community trigger'),
			'rejected: minimal community trigger / core': ratio('rejected: minimal community trigger', 'rejected: core Webhook'),
			'rejected: ours / minimal trigger reading its credential': ratio('rejected: RentEngine Trigger', 'rejected: minimal trigger reading its credential'),
			'rejected: minimal trigger reading its credential / core': ratio('rejected: minimal trigger reading its credential', 'rejected: core Webhook'),
			'filtered out: ours / core rejection': ratio('filtered out: RentEngine Trigger', 'rejected: core Webhook'),
			'rejected: typeVersion 1.1 / typeVersion 1 (ours)': ratio('rejected: RentEngine Trigger', 'rejected: RentEngine Trigger, typeVersion 1'),
			'accepted: Buildium / core (signed deliveries)': ratio('accepted: Buildium Trigger', 'accepted: core Webhook, signed deliveries'),
			'rejected: Buildium / core (signed deliveries)': ratio('rejected: Buildium Trigger', 'rejected: core Webhook, signed deliveries'),
			'rejected: Buildium / minimal trigger reading its credential': ratio('rejected: Buildium Trigger', 'rejected: minimal trigger reading its credential'),
			'filtered out: Buildium / core rejection (signed deliveries)': ratio('filtered out: Buildium Trigger', 'rejected: core Webhook, signed deliveries'),
			'signed / plain deliveries, core Webhook rejection (the load generator\'s signing cost)': ratio('rejected: core Webhook, signed deliveries', 'rejected: core Webhook'),
		};
		const lines = [
			'<!-- triggers -->',
			'## Webhook triggers (`npm run bench -- --only triggers`)',
			'',
			`n8n ${info.n8nVersion} on Node ${info.nodeVersion}; autocannon, ${CONNECTIONS} connections, ${SECONDS} s per run, ${ROUNDS} alternating rounds, the same ${BODY.length}-byte body; ${os.cpus().length} cores (${os.loadavg().map((l) => l.toFixed(1)).join(' / ')} load after). Medians (min–max):`,
			'',
			'| side | req/s | p50 ms | p99 ms |',
			'| --- | ---: | ---: | ---: |',
			...Object.entries(summary).map(([k, v]) => `| ${k} | ${v.rps.toFixed(1)} (${v.min.toFixed(1)}–${v.max.toFixed(1)}) | ${v.p50} | ${v.p99} |`),
			'',
			'| ratio (throughput) | value |',
			'| --- | ---: |',
			...Object.entries(ratios).filter(([, v]) => Number.isFinite(v)).map(([k, v]) => `| ${k} | **${v.toFixed(2)}×** |`),
			'<!-- /triggers -->',
		];
		console.log(`\n${lines.join('\n')}`);
		const file = path.join(BENCH_DIR, 'results.md');
		const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
		const a = text.indexOf('<!-- triggers -->');
		const b = text.indexOf('<!-- /triggers -->');
		const updated = a >= 0 && b > a ? `${text.slice(0, a)}${lines.join('\n')}${text.slice(b + '<!-- /triggers -->'.length)}` : `${text.trimEnd()}\n\n${lines.join('\n')}\n`;
		fs.writeFileSync(file, updated);
		console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
	} finally {
		await n8n.stop();
		if (!PROFILE_DIR) fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
