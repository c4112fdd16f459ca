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
// Before each run the server is made idle (its CPU use under 5% of a core, after a full garbage collection through
// bench/server-hook.cjs), so no side pays for the executions or the garbage the previous side left.
// --profile DIR: also profile the server's main thread during each run (bench/server-hook.cjs), one file per side
// and round, named with the side and its request count, so two sides compare per request (for speedscope or
// `chrome://inspect`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createRequire } from 'node:module';

import autocannon from 'autocannon';

import * as lab from '../scripts/lib/n8n-lab.mjs';
import { signWebhook } from '../test/simulators/buildium.mjs';
import { arg, fmt, markdownTable, median, numberArg } from './lib.mjs';

const SECONDS = numberArg('seconds', 8);
const ROUNDS = numberArg('rounds', 3);
const CONNECTIONS = numberArg('connections', 10);
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

/** A trigger's current version, as the built package declares it (new workflows get it). */
function triggerVersion(vendor = 'RentEngine') {
	const exports = createRequire(import.meta.url)(path.join(lab.REPO_ROOT, `dist/nodes/${vendor}/${vendor}Trigger.node.js`));
	const { version, defaultVersion } = new exports[`${vendor}Trigger`]().description;
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
		typeVersion: triggerVersion('Buildium'),
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

/** autocannon's options for one side: the body, the token header when there is one, signed requests for Buildium. */
function loadOptions(url, token, setupRequest, duration) {
	return {
		url,
		method: 'POST',
		connections: CONNECTIONS,
		duration,
		headers: { 'content-type': 'application/json', ...(token ? { 'x-api-token': token } : {}) },
		body: BODY,
		...(setupRequest ? { requests: [{ setupRequest }] } : {}),
	};
}

/** CPU time (user + system, ms) the process has used so far: Linux /proc, 100 ticks a second. */
function cpuMs(pid) {
	try {
		const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		return (Number(fields[11]) + Number(fields[12])) * 10;
	} catch {
		return NaN;
	}
}

/**
 * One autocannon run; returns req/s, latency percentiles, the status counts, and the server's CPU milliseconds per
 * request (what a delivery costs n8n, less sensitive than req/s to what else the machine is doing).
 */
async function load(url, token, setupRequest, serverPid) {
	const cpuBefore = cpuMs(serverPid);
	const result = await autocannon(loadOptions(url, token, setupRequest, SECONDS));
	const statuses = {};
	for (const [k, v] of Object.entries(result.statusCodeStats ?? {})) statuses[k] = v.count;
	const cpuPerRequest = (cpuMs(serverPid) - cpuBefore) / result.requests.total;
	return { rps: result.requests.average, requests: result.requests.total, p50: result.latency.p50, p99: result.latency.p99, cpu: cpuPerRequest, errors: result.errors + result.timeouts, statuses };
}

/** Stops the server's profile (bench/server-hook.cjs) and renames the file it writes to `label`.cpuprofile. */
async function saveProfile(pid, label) {
	const dir = path.resolve(PROFILE_DIR);
	const before = new Set(fs.readdirSync(dir));
	process.kill(pid, 'SIGUSR2');
	for (let i = 0; i < 100; i++) {
		await new Promise((resolve) => setTimeout(resolve, 100));
		const file = fs.readdirSync(dir).find((f) => !before.has(f) && /^\d+\.cpuprofile$/.test(f));
		if (file) {
			// Renamed even if the hook is still writing it: the write goes on into the same file.
			fs.renameSync(path.join(dir, file), path.join(dir, `${label}.cpuprofile`));
			return;
		}
	}
	console.warn(`no profile written for ${label}`);
}

/**
 * Waits until the server is idle (under 5% of a core over 250 ms, at most 15 s), has it collect its garbage
 * (bench/server-hook.cjs) and waits again: an accepted run leaves executions finishing after the load stops and
 * garbage behind, and without this the next side in the order would pay for both.
 */
async function settle(pid) {
	const started = Date.now();
	await idle(pid);
	process.kill(pid, 'SIGWINCH');
	await idle(pid);
	return Date.now() - started;
}

async function idle(pid) {
	for (const started = Date.now(); Date.now() - started < 15_000; ) {
		const before = cpuMs(pid);
		await new Promise((resolve) => setTimeout(resolve, 250));
		if (!((cpuMs(pid) - before) / 250 > 0.05)) return;
	}
}

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
	if (PROFILE_DIR) fs.mkdirSync(PROFILE_DIR, { recursive: true });
	const nodeArgs = ['--require', path.join(BENCH_DIR, 'server-hook.cjs')];
	// Execution data is not saved (as in most production webhook flows); every side pays the same.
	const n8n = await lab.startN8n({ userFolder, nodeArgs, extraEnv: { ...(PROFILE_DIR ? { BENCH_PROFILE_DIR: path.resolve(PROFILE_DIR) } : {}), EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none', N8N_LOG_LEVEL: 'warn' } });
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
		// A warm-up per side at full load (JIT, caches, n8n's isolate pool), not counted: with a shorter one the first
		// side measured ran ~15% slower in its first round.
		for (const [u, token, , setupRequest] of Object.values(sides)) {
			await autocannon(loadOptions(u, token, setupRequest, 3));
		}
		const results = Object.fromEntries(Object.keys(sides).map((k) => [k, []]));
		for (let round = 1; round <= ROUNDS; round++) {
			const order = Object.keys(sides);
			if (round % 2 === 0) order.reverse();
			for (const name of order) {
				const [u, token, status, setupRequest] = sides[name];
				const settledMs = await settle(n8n.pid);
				if (PROFILE_DIR) process.kill(n8n.pid, 'SIGUSR2');
				const r = await load(u, token, setupRequest, n8n.pid);
				if (PROFILE_DIR) await saveProfile(n8n.pid, `r${round}-${name.replace(/[^a-z0-9]+/gi, '-')}-${r.requests}req`);
				const wrong = Object.entries(r.statuses).filter(([code]) => Number(code) !== status);
				if (wrong.length || r.errors) throw new Error(`${name}: expected only HTTP ${status}, got ${JSON.stringify(r.statuses)} (${r.errors} errors)`);
				results[name].push(r);
				console.log(`round ${round} ${name.padEnd(38)} ${r.rps.toFixed(1).padStart(7)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  server CPU ${r.cpu.toFixed(1)} ms/request  (settled ${settledMs} ms before)`);
			}
		}
		const summary = Object.fromEntries(
			Object.entries(results).map(([k, rs]) => {
				const of = (field) => rs.map((r) => r[field]);
				return [k, { rps: median(of('rps')), min: Math.min(...of('rps')), max: Math.max(...of('rps')), p50: median(of('p50')), p99: median(of('p99')), cpu: median(of('cpu')) }];
			}),
		);
		const pairs = {
			'accepted: ours / core': ['accepted: RentEngine Trigger', 'accepted: core Webhook'],
			'rejected: ours / core': ['rejected: RentEngine Trigger', 'rejected: core Webhook'],
			'rejected: ours / minimal community trigger': ['rejected: RentEngine Trigger', 'rejected: minimal community trigger'],
			'rejected: minimal community trigger / core': ['rejected: minimal community trigger', 'rejected: core Webhook'],
			'rejected: ours / minimal trigger reading its credential': ['rejected: RentEngine Trigger', 'rejected: minimal trigger reading its credential'],
			'rejected: minimal trigger reading its credential / core': ['rejected: minimal trigger reading its credential', 'rejected: core Webhook'],
			'filtered out: ours / core rejection': ['filtered out: RentEngine Trigger', 'rejected: core Webhook'],
			'rejected: typeVersion 1.1 / typeVersion 1 (ours)': ['rejected: RentEngine Trigger', 'rejected: RentEngine Trigger, typeVersion 1'],
			'accepted: Buildium / core (signed deliveries)': ['accepted: Buildium Trigger', 'accepted: core Webhook, signed deliveries'],
			'rejected: Buildium / core (signed deliveries)': ['rejected: Buildium Trigger', 'rejected: core Webhook, signed deliveries'],
			'filtered out: Buildium / core rejection (signed deliveries)': ['filtered out: Buildium Trigger', 'rejected: core Webhook, signed deliveries'],
			"signed / plain deliveries, core Webhook rejection (the load generator's signing cost)": ['rejected: core Webhook, signed deliveries', 'rejected: core Webhook'],
		};
		// Throughput a / b, and the same comparison by the server's CPU time per request (b / a: above 1 when a costs less).
		const ratios = Object.entries(pairs)
			.filter(([, [a, b]]) => summary[a] && summary[b])
			.map(([label, [a, b]]) => [label, summary[a].rps / summary[b].rps, summary[b].cpu / summary[a].cpu]);
		const lines = [
			'<!-- triggers -->',
			'## Webhook triggers (`npm run bench -- --only triggers`)',
			'',
			`n8n ${info.n8nVersion} on Node ${info.nodeVersion}; autocannon, ${CONNECTIONS} connections, ${SECONDS} s per run, ${ROUNDS} alternating rounds, the same ${BODY.length}-byte body; ${os.cpus().length} cores (${os.loadavg().map((l) => l.toFixed(1)).join(' / ')} load after). Medians (min–max):`,
			'',
			...markdownTable(
				['side', 'req/s', 'p50 ms', 'p99 ms', 'server CPU ms / request'],
				['l', 'r', 'r', 'r', 'r'],
				Object.entries(summary).map(([k, v]) => [k, `${fmt(v.rps, 1)} (${fmt(v.min, 1)}–${fmt(v.max, 1)})`, v.p50, v.p99, fmt(v.cpu, 1)]),
			),
			'',
			...markdownTable(
				['ratio', 'throughput', 'by server CPU per request'],
				['l', 'r', 'r'],
				ratios.map(([k, t, c]) => [k, `**${fmt(t, 2)}×**`, `${fmt(c, 2)}×`]),
			),
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
