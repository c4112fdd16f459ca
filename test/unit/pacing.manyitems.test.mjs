// Pacing over many input items, in one and in two n8n processes sharing one key, against the simulators' strict
// limiters: the built nodes run through n8n-core's RoutingNode (in this process, or in child processes running
// test/harness/pacing-child.mjs), each item one create. Every item must succeed exactly once, with at most a few
// 429s, in no more than 1.2× the time the limit imposes (plus a small constant).
//
// Windows are scaled so the file stays short: RentEngine 30 per 1 s (its X-Ratelimit-Limit, window unreported),
// Entrata 150 per 2 s as its MINUTE window (DAY and HOUR windows too), Buildium its real 10 per 1 s per client id.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';

import { loadPackage, runNode } from '../harness/routing.mjs';
import { startBuildiumSimulator } from '../simulators/buildium.mjs';
import { startEntrataSimulator } from '../simulators/entrata.mjs';
import { startRentEngineSimulator } from '../simulators/rentengine.mjs';

const require = createRequire(import.meta.url);
// The one pacing instance the bundled nodes share (dist/shared/pacing.js).
const pacing = require('../../dist/shared/pacing.js');
const child = new URL('../harness/pacing-child.mjs', import.meta.url).pathname;

const MAX_429 = 5;
const SLACK_MS = 2000;
let pkg;
let lane = 0;

before(async () => {
	pkg = await loadPackage();
});

/** Starts `processes` children on the job, lets them all go at once, and collects their outcomes. */
async function runInChildren(job, processes) {
	const kids = Array.from({ length: processes }, (_, p) => {
		const proc = spawn(process.execPath, [child, JSON.stringify({ ...job, tag: `${job.tag}p${p}` })], { stdio: ['pipe', 'pipe', 'inherit'] });
		const lines = createInterface({ input: proc.stdout });
		const next = () => new Promise((resolve, reject) => {
			lines.once('line', resolve);
			proc.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
		});
		return { proc, next };
	});
	await Promise.all(kids.map((k) => k.next().then((line) => assert.equal(line, 'ready'))));
	const results = kids.map((k) => k.next());
	for (const k of kids) k.proc.stdin.write('go\n');
	const outcomes = (await Promise.all(results)).map((line) => JSON.parse(line));
	for (const k of kids) k.proc.stdin.end();
	return outcomes;
}

/**
 * Runs `items` creates in each of `processes` processes (1: in this process) against `sim`, and checks: no item
 * errored or lost, each record created exactly once (successful create requests = items, every name once), at most
 * MAX_429 answered 429, and the run, from its first request to the last process's end, within 1.2× the
 * limit-imposed minimum + SLACK_MS.
 */
async function manyItems(v, { items, processes }) {
	pacing.resetPacing();
	v.resetLimiter();
	v.sim.clearRequests();
	const tag = `${v.name}${lane++}`;
	const job = { node: v.node, parameters: v.parameters, credentials: v.credentials(processes), items, tag };
	let outcomes;
	if (processes === 1) {
		const input = Array.from({ length: items }, (_, i) => ({ json: { name: `${tag}p0-${i}`, email: `${tag}p0-${i}@example.test` } }));
		const startAt = Date.now();
		const out = await runNode(pkg.nodes[v.node], { parameters: v.parameters, credentials: job.credentials, credentialTypes: pkg.credentials, items: input, continueOnFail: true });
		outcomes = [{ startAt, endAt: Date.now(), count: out.length, errors: out.filter((i) => i.error || i.json.error).map((i) => String(i.error?.message ?? i.json.error)) }];
	} else {
		outcomes = await runInChildren(job, processes);
	}
	const total = items * processes;
	const api = v.sim.requests.filter((r) => v.isCreate(r));
	const refused = api.filter((r) => r.status === 429).length;
	const created = api.filter((r) => r.status >= 200 && r.status < 300 && v.succeeded(r));
	const names = created.map((r) => v.nameOf(r));
	const minimum = (Math.ceil(total / v.limit) - 1) * v.windowMs;
	// RoutingNode builds every item's request (expressions and all) before the first goes out: that is n8n's, not
	// the pacing's; the time is counted from the first request on.
	const first = Math.min(...api.map((r) => Date.parse(r.at)));
	const prep = first - Math.min(...outcomes.map((o) => o.startAt));
	const paced = Math.max(...outcomes.map((o) => o.endAt)) - first;
	console.log(
		`${v.name} ${items} items × ${processes} process(es): ${paced} ms from the first request (minimum ${minimum} ms, ` +
			`${minimum ? (paced / minimum).toFixed(2) : '-'}×) after ${prep} ms of RoutingNode preparation; ${api.length} requests, ${refused} × 429`,
	);
	for (const o of outcomes) {
		assert.equal(o.count, items, 'one output item per input item');
		assert.deepEqual(o.errors, [], 'no item errored');
	}
	assert.equal(created.length, total, 'each item created once (no lost, no duplicate create)');
	assert.equal(new Set(names).size, total, 'every record name created exactly once');
	assert.ok(refused <= MAX_429, `${refused} requests answered 429 (at most ${MAX_429})`);
	assert.ok(paced <= 1.2 * minimum + SLACK_MS, `${paced} ms > 1.2 × ${minimum} ms + ${SLACK_MS} ms`);
}

const CASES = [
	{ items: 1, processes: 1 },
	{ items: 50, processes: 1 },
	{ items: 500, processes: 1 },
	{ items: 1, processes: 2 },
	{ items: 50, processes: 2 },
	{ items: 500, processes: 2 },
];

describe('RentEngine: X-Ratelimit-* headers (30 per 1 s window), lockbox creates', () => {
	const v = { name: 're', node: 'rentEngine', limit: 30, windowMs: 1000 };
	before(async () => {
		v.sim = await startRentEngineSimulator({ rateLimit: { limit: 30, windowMs: 1000 } });
		v.resetLimiter = () => v.sim.setRateLimit({ ...v.sim.rateLimit });
		const account = v.sim.db.units[0].account_id;
		v.parameters = { resource: 'lockbox', operation: 'create', serialNumber: '={{ $json.name }}', lockboxType: 'Sentrilock', accountId: { mode: 'id', value: String(account) } };
		v.credentials = (processes) => ({ rentEngineApi: { apiToken: 'sim-rentengine-token', baseUrl: v.sim.url, environment: 'production', webhookSecret: '', processesSharingKey: processes } });
		v.isCreate = (r) => r.method === 'POST' && r.path.endsWith('/lockboxes');
		v.succeeded = () => true;
		v.nameOf = (r) => r.body?.serial_number;
	});
	after(async () => v.sim?.close());
	for (const c of CASES) {
		test(`${c.items} item(s) in ${c.processes} process(es): all created once, ≤ ${MAX_429} × 429, ≤ 1.2× the minimum time`, async () => await manyItems(v, c));
	}

	test('a window another client used up: one 429, then the items wait for the reset instead of retrying together', async () => {
		pacing.resetPacing();
		v.sim.setRateLimit({ ...v.sim.rateLimit, limit: 10, windowMs: 2000 });
		try {
			for (let i = 0; i < 10; i++) await fetch(`${v.sim.url}/units?limit=1`, { headers: { authorization: 'Bearer sim-rentengine-token' } });
			v.sim.clearRequests();
			const out = await runNode(pkg.nodes[v.node], {
				parameters: v.parameters,
				credentials: v.credentials(1),
				credentialTypes: pkg.credentials,
				items: Array.from({ length: 20 }, (_, i) => ({ json: { name: `usedup-${i}` } })),
				continueOnFail: true,
			});
			const statuses = v.sim.requests.filter((r) => v.isCreate(r)).map((r) => r.status);
			console.log(`20 items after another client used the window: ${statuses.length} requests, ${statuses.filter((s) => s === 429).length} × 429`);
			assert.ok(out.every((i) => !i.error && !i.json.error), 'no item errored');
			assert.equal(statuses.filter((s) => s === 201 || s === 200).length, 20, 'each created once');
			assert.ok(statuses.filter((s) => s === 429).length <= 2, `${statuses.filter((s) => s === 429).length} × 429 (the first request's, at most one more)`);
		} finally {
			v.sim.setRateLimit({ ...v.sim.rateLimit, limit: 30, windowMs: 1000 });
		}
	});
});

describe('Entrata: per-service DAY/HOUR/MINUTE windows (MINUTE = 150 per 2 s), sendLeads', () => {
	const v = { name: 'en', node: 'entrata', limit: 150, windowMs: 2000 };
	before(async () => {
		v.sim = await startEntrataSimulator();
		const windows = [
			{ name: 'DAY', limit: 15000, ms: 86_400_000 },
			{ name: 'HOUR', limit: 5000, ms: 3_600_000 },
			{ name: 'MINUTE', limit: 150, ms: 2000 },
		];
		v.resetLimiter = () => v.sim.setServiceRateLimit({ windows });
		const propertyId = v.sim.db.properties[0].propertyId;
		const prospects = '={{ JSON.stringify({ prospect: [{ customers: { customer: [{ name: { firstName: $json.name, lastName: "Pace" }, email: $json.email }] } }] }) }}';
		v.parameters = { resource: 'lead', operation: 'sendLeads', propertyId, prospects };
		v.credentials = (processes) => ({ entrataApi: { authMode: 'apiKey', organization: v.sim.org, apiKey: v.sim.apiKey, baseUrl: v.sim.gatewayUrl, format: 'json', acceptLanguage: '', processesSharingKey: processes } });
		v.isCreate = (r) => r.method === 'POST' && r.path.endsWith('/leads');
		// Entrata reports method errors inside HTTP 200: a created lead is a 200 whose name is in the lead store.
		v.succeeded = (r) => v.sim.db.leads.some((l) => l.customers.customer[0].firstName === v.nameOf(r));
		v.nameOf = (r) => r.body?.method?.params?.prospects?.prospect?.[0]?.customers?.customer?.[0]?.name?.firstName;
	});
	after(async () => v.sim?.close());
	for (const c of CASES) {
		test(`${c.items} item(s) in ${c.processes} process(es): all created once, ≤ ${MAX_429} × 429, ≤ 1.2× the minimum time`, async () => await manyItems(v, c));
	}
});

describe('Buildium: 10 requests per second per client id (no headers), task category creates', () => {
	const v = { name: 'bd', node: 'buildiumMaintenance', limit: 10, windowMs: 1000 };
	before(async () => {
		v.sim = await startBuildiumSimulator({ rateLimit: { limit: 10, windowMs: 1000 } });
		v.resetLimiter = () => v.sim.setRateLimit({ limit: 10, windowMs: 1000 });
		v.parameters = { resource: 'task', operation: 'createCategory', name: '={{ $json.name }}' };
		v.credentials = (processes) => ({ buildiumApi: { environment: 'production', clientId: v.sim.clientId, clientSecret: v.sim.clientSecret, webhookSecret: '', baseUrl: v.sim.origin, processesSharingKey: processes } });
		v.isCreate = (r) => r.method === 'POST' && r.path === '/v1/tasks/categories';
		v.succeeded = () => true;
		v.nameOf = (r) => r.body?.Name;
	});
	after(async () => v.sim?.close());
	// 500 items at 10/s take 50 s: the two-process case runs 250 in each (the same 500 requests against the one key).
	for (const c of [...CASES.slice(0, 5), { items: 250, processes: 2 }]) {
		test(`${c.items} item(s) in ${c.processes} process(es): all created once, ≤ ${MAX_429} × 429, ≤ 1.2× the minimum time`, async () => await manyItems(v, c));
	}

	test('two credentials with the same client id and different webhook secrets share one budget (2 × 30 items: ≤ 5 × 429, ≥ 5 s)', async () => {
		pacing.resetPacing();
		v.resetLimiter();
		v.sim.clearRequests();
		const run = (secret, tag) =>
			runNode(pkg.nodes[v.node], {
				parameters: v.parameters,
				credentials: { buildiumApi: { ...v.credentials(1).buildiumApi, webhookSecret: secret } },
				credentialTypes: pkg.credentials,
				items: Array.from({ length: 30 }, (_, i) => ({ json: { name: `${tag}-${i}` } })),
				continueOnFail: true,
			});
		const started = performance.now();
		const [a, b] = await Promise.all([run('secret-one', 'shareA'), run('secret-two', 'shareB')]);
		const ms = performance.now() - started;
		const statuses = v.sim.requests.filter((r) => v.isCreate(r)).map((r) => r.status);
		console.log(`2 × 30 creates with one client id: ${ms.toFixed(0)} ms, ${statuses.filter((s) => s === 429).length} × 429`);
		assert.ok([...a, ...b].every((i) => !i.error && !i.json.error), 'no item errored');
		assert.equal(statuses.filter((s) => s === 201).length, 60);
		assert.ok(statuses.filter((s) => s === 429).length <= MAX_429, 'one budget of 10/s for both: (almost) no 429');
		assert.ok(ms >= 5000 - 100, `60 requests at 10/s take at least 5 s (${ms.toFixed(0)} ms)`);
	});
});
