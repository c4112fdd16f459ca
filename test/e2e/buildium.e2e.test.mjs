// End-to-end: Buildium in a REAL n8n 2.41.1 (or N8N_VERSION, e.g. 1.123.81) on Node 24, with the packed package
// installed as a community package, against the local Buildium and RentEngine simulators. `npm run test:e2e`.
//
// In order, sharing one n8n user folder:
//   1. setup: simulators (2 500 rental units, Buildium's 10 requests/s enforced), package, credentials, workflows
//   2. CLI: Return All of 2 500 rental units (exact, 3 requests); a Create over 500 items under the enforced limit
//   3. server: Buildium nodes listed, credential test (good / wrong / no-permission key)
//   4. Buildium Trigger: a signed Lease.Created → one execution with the lease; forged / stale / replayed → none
//   5. the card's flow: a prospect inserted in RentEngine ends as an applicant in Buildium, logged back in RentEngine
//   6. editor in Chromium: each Buildium node's panel opens (time to open measured)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

import * as lab from '../../scripts/lib/n8n-lab.mjs';
import { signWebhook, startBuildiumSimulator } from '../simulators/buildium.mjs';
import { insertProspect, startRentEngineSimulator } from '../simulators/rentengine.mjs';

const UNITS = 2500;
const CREATES = 500;
const CLIENT = { clientId: 'e2e-buildium-client', clientSecret: 'e2e-buildium-secret-9f8e7d' };
const BUILDIUM_WEBHOOK_SECRET = 'e2e-buildium-signing-secret';
const RE_TOKEN = 'e2e-rentengine-token-0123456789';
const RE_WEBHOOK_SECRET = 'e2e-webhook-secret-abcdef';
const OWNER = { email: 'e2e-owner@example.com', password: 'E2e-Passw0rd!x' };
const BUILDIUM_NODES = ['buildiumRentals', 'buildiumLeasing', 'buildiumAssociations', 'buildiumAccounting', 'buildiumMaintenance', 'buildiumAdministration'];

const state = { figures: {} };
const { step, finish } = lab.suiteSteps(test, assert, state);
after(async () => await finish(() => state.buildium?.close(), () => state.rentengine?.close()));

const manual = (name) => ({ id: `m-${name}`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} });
const buildiumCred = { buildiumApi: { id: 'buildium-demo', name: 'Buildium (simulator)' } };

/** Manual trigger → nodes in a chain. */
function chain(id, name, nodes) {
	const all = [manual(id), ...nodes.map((n, i) => ({ typeVersion: 1, position: [240 * (i + 1), 0], ...n, id: `${id}-${i}` }))];
	const connections = {};
	for (let i = 0; i < all.length - 1; i++) connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	return { id, name, active: false, nodes: all, connections, settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' } };
}

const RETURN_ALL = chain('bdReturnAllUnits', 'Buildium: all rental units', [
	{ name: 'All rental units', type: lab.NODE_TYPES.buildiumRentals, parameters: { resource: 'rentalUnit', operation: 'getAll', returnAll: true }, credentials: buildiumCred },
]);
const CREATE_MANY = chain('bdCreate500Apps', 'Buildium: 500 applicants', [
	{ name: 'Numbers', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { mode: 'raw', jsonOutput: `={{ { n: Array.from({ length: ${CREATES} }, (_, i) => i) } }}` } },
	{ name: 'One item each', type: 'n8n-nodes-base.splitOut', parameters: { fieldToSplitOut: 'n' } },
	{
		name: 'Create applicants',
		type: lab.NODE_TYPES.buildiumLeasing,
		parameters: { resource: 'applicant', operation: 'create', firstName: '=Load', lastName: '=Test {{ $json.n }}', sendRentalApplicationEmail: false },
		credentials: buildiumCred,
	},
]);
const TRIGGER = {
	id: 'bdTriggerLease01',
	name: 'Buildium: on new lease',
	active: false,
	nodes: [
		{
			id: 'bd-trigger-1',
			name: 'On new lease',
			type: lab.NODE_TYPES.buildiumTrigger,
			typeVersion: 1.1,
			position: [0, 0],
			webhookId: '6b2f0c1e-7d3a-4e55-9b1c-0e5d7a2b0001',
			parameters: { events: ['Lease.Created'], fetchEntity: true },
			credentials: buildiumCred,
		},
	],
	connections: {},
	settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
};
const CARD = lab.loadExample('rentengine-prospect-to-buildium-applicant.json');
const CARD_TRIGGER = CARD.nodes.find((n) => n.type === lab.NODE_TYPES.rentEngineTrigger);
// Controls for the panel timings: n8n's own HTTP Request node and our (small) RentEngine node, in the same canvas.
const PANEL_CONTROLS = [
	{ name: 'httpRequest', type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, parameters: { url: 'http://127.0.0.1:9/' } },
	{ name: 'rentEngine', type: lab.NODE_TYPES.rentEngine, parameters: {}, credentials: { rentEngineApi: { id: 'rentengine-demo', name: 'RentEngine (simulator)' } } },
];
const PANELS = chain('bdAllNodesPanel', 'Buildium: every node', [
	...PANEL_CONTROLS,
	...BUILDIUM_NODES.map((n) => ({ name: n, type: lab.NODE_TYPES[n], parameters: {}, credentials: buildiumCred })),
]);

step('setup: simulators, package installed, credentials and workflows imported', [], async () => {
	state.labInfo = await lab.ensureN8n();
	state.buildium = await startBuildiumSimulator({ port: 0, ...CLIENT, rentalUnits: UNITS, seed: 7 });
	state.rentengine = await startRentEngineSimulator({ port: 0, token: RE_TOKEN, units: 20, prospects: 5, seed: 42 });
	state.userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-buildium-'));
	await lab.installPackage(state.userFolder);
	await lab.importJson(state.userFolder, 'credentials', [
		lab.buildiumCredential({ ...CLIENT, baseUrl: state.buildium.origin, webhookSecret: BUILDIUM_WEBHOOK_SECRET }),
		lab.rentEngineCredential({ apiToken: RE_TOKEN, baseUrl: state.rentengine.url, webhookSecret: RE_WEBHOOK_SECRET }),
	]);
	for (const wf of [RETURN_ALL, CREATE_MANY, PANELS]) await lab.importJson(state.userFolder, 'workflow', wf);
	state.ready = true;
}, 25 * 60_000);

step(`CLI execute: Return All of ${UNITS} rental units, exact, in 3 requests`, ['ready'], async () => {
	state.buildium.clearRequests();
	const started = Date.now();
	const res = await lab.cli(state.userFolder, ['execute', `--id=${RETURN_ALL.id}`, '--rawOutput']);
	state.figures.returnAllCliMs = Date.now() - started;
	assert.equal(res.json?.status, 'success', res.stdout.slice(0, 2000));
	const items = lab.nodeItems(res.json.data.resultData.runData, 'All rental units');
	assert.equal(items.length, UNITS);
	assert.deepEqual(
		items.map((i) => i.json.Id),
		state.buildium.db.rentalUnits.map((u) => u.Id),
		'every unit once, in Buildium order',
	);
	const gets = state.buildium.requests.filter((r) => r.path === '/v1/rentals/units');
	assert.equal(gets.length, 3, JSON.stringify(gets.map((r) => r.query)));
	assert.deepEqual(gets.map((r) => Number(r.query.offset)).sort((a, b) => a - b), [0, 1000, 2000]);
	assert.ok(gets.every((r) => r.query.limit === '1000' && r.status === 200));
});

step(`CLI execute: Create over ${CREATES} items under the enforced 10 requests/s, zero failures, no 429, time vs the minimum`, ['ready'], async () => {
	state.buildium.clearRequests();
	const before = state.buildium.db.applicants.length;
	const res = await lab.cli(state.userFolder, ['execute', `--id=${CREATE_MANY.id}`, '--rawOutput'], { timeoutMs: 5 * 60_000 });
	assert.equal(res.json?.status, 'success', res.stdout.slice(0, 2000));
	const runData = res.json.data.resultData.runData;
	const items = lab.nodeItems(runData, 'Create applicants');
	assert.equal(items.length, CREATES);
	assert.ok(items.every((i) => Number.isInteger(i.json.Id) && !i.json.error), 'every item created');
	assert.equal(state.buildium.db.applicants.length - before, CREATES, 'the simulator holds every applicant once');
	const posts = state.buildium.requests.filter((r) => r.method === 'POST' && r.path === '/v1/applicants');
	const refused = posts.filter((r) => r.status === 429).length;
	const ms = runData['Create applicants'][0].executionTime;
	// 10 requests may start at once, then 10 per second: the limit allows 500 requests in 49 s at best.
	const minimumMs = (Math.ceil(CREATES / 10) - 1) * 1000;
	state.figures.create500 = { ms, minimumMs, ratio: Number((ms / minimumMs).toFixed(3)), requests: posts.length, refused429: refused };
	console.log(`500-item create: ${ms} ms vs minimum ${minimumMs} ms (${(ms / minimumMs).toFixed(2)}×), ${posts.length} requests, ${refused} answered 429`);
	assert.equal(refused, 0, 'paced inside the limit: no 429');
	// The ≤ 1.2× goal is measured here and in the unit suite (60 creates, asserted there); this bound only catches a
	// pacing that waits far too long, with room for a CI machine busy with other suites.
	assert.ok(ms <= 1.5 * (CREATES / 10) * 1000, `within 1.5× the limit-imposed minimum: ${ms} ms`);
}, 5 * 60_000);

step('server: the Buildium nodes are listed; credential test OK / wrong key / key without permission', ['ready'], async () => {
	state.n8n = await lab.startN8n({ userFolder: state.userFolder });
	state.owner = await lab.setupOwner(state.n8n.baseUrl, OWNER);
	const names = new Set((await lab.nodeTypes(state.n8n.baseUrl, state.owner.cookie)).map((t) => t.name));
	for (const n of [...BUILDIUM_NODES, 'buildiumTrigger']) assert.ok(names.has(lab.NODE_TYPES[n]), `${n} listed`);

	const data = { environment: 'production', ...CLIENT, webhookSecret: BUILDIUM_WEBHOOK_SECRET, baseUrl: state.buildium.origin };
	const cred = { id: 'buildium-demo', name: 'Buildium (simulator)', type: 'buildiumApi' };
	const good = await lab.testCredential(state.n8n.baseUrl, state.owner.cookie, { ...cred, data });
	assert.equal(good.status, 'OK', JSON.stringify(good));
	const wrong = await lab.testCredential(state.n8n.baseUrl, state.owner.cookie, { ...cred, data: { ...data, clientSecret: 'wrong-secret-1234' } });
	assert.equal(wrong.status, 'Error');
	assert.ok(!JSON.stringify(wrong).includes('wrong-secret-1234'));
	const limited = await lab.testCredential(state.n8n.baseUrl, state.owner.cookie, {
		...cred,
		data: { ...data, clientId: 'sim-limited-client-id', clientSecret: 'sim-limited-client-secret' },
	});
	assert.equal(limited.status, 'Error');
	// n8n 2.x shows the credential's own message per status; 1.x its generic one for a 401.
	if (lab.N8N_MAJOR >= 2) assert.notEqual(limited.message, wrong.message, 'a key without permission is told apart from a wrong key');
	console.log(`credential test: wrong=${JSON.stringify(wrong.message)} limited=${JSON.stringify(limited.message)}`);
	state.owner.ok = true;
});

step('Buildium Trigger: a signed Lease.Created starts one execution with the lease; forged, stale and replayed start none', ['owner'], async () => {
	const { baseUrl } = state.n8n;
	const { apiKey } = state.owner;
	const created = await lab.createWorkflow(baseUrl, apiKey, TRIGGER);
	await lab.activateWorkflow(baseUrl, apiKey, created.id);
	const url = `${baseUrl}/webhook/${TRIGGER.nodes[0].webhookId}/webhook`;
	const first = await lab.waitForWebhook(url, { body: { EventName: 'Lease.Created' } });
	assert.equal(first.status, 401, 'an unsigned delivery is refused');

	const lease = state.buildium.db.leases[3];
	const event = { EventName: 'Lease.Created', EventDateTime: new Date().toISOString(), AccountId: 123456, LeaseId: lease.Id };
	const rawBody = JSON.stringify(event);
	const ts = Math.floor(Date.now() / 1000);
	const headers = { 'content-type': 'application/json', 'buildium-webhook-timestamp': String(ts), 'buildium-webhook-signature': signWebhook(BUILDIUM_WEBHOOK_SECRET, ts, rawBody) };
	const ok = await fetch(url, { method: 'POST', headers, body: rawBody });
	assert.equal(ok.status, 200);
	assert.deepEqual(await ok.json(), { received: true });
	const executions = await lab.waitForExecutions(baseUrl, apiKey, created.id, (l) => l.length >= 1 && l.every((e) => e.status !== 'running'));
	assert.equal(executions.length, 1);
	const [item] = lab.nodeItems(executions[0].data.resultData.runData, 'On new lease');
	assert.equal(item.json.EventName, 'Lease.Created');
	assert.equal(item.json.entity?.Id, lease.Id, 'the lease was fetched from Buildium');

	const replay = await fetch(url, { method: 'POST', headers, body: rawBody });
	assert.equal(replay.status, 200, 'a replay inside the window is acknowledged…');
	assert.deepEqual(await replay.json(), { received: true, duplicate: true }, '…and starts nothing');
	const forged = await state.buildium.sendWebhook(url, 'Lease.Created', { secret: 'not-the-secret' });
	assert.equal(forged.status, 401, forged.body);
	const tampered = await state.buildium.sendWebhook(url, 'Lease.Created', { secret: BUILDIUM_WEBHOOK_SECRET, tamper: 'body' });
	assert.equal(tampered.status, 401, tampered.body);
	const stale = await state.buildium.sendWebhook(url, 'Lease.Created', { secret: BUILDIUM_WEBHOOK_SECRET, timestamp: ts - 600 });
	assert.equal(stale.status, 401, stale.body);
	const future = await state.buildium.sendWebhook(url, 'Lease.Created', { secret: BUILDIUM_WEBHOOK_SECRET, timestamp: ts + 600 });
	assert.equal(future.status, 401, future.body);
	assert.ok(![forged, tampered, stale].some((r) => r.body.includes(BUILDIUM_WEBHOOK_SECRET)));

	await new Promise((r) => setTimeout(r, 1500));
	assert.equal((await lab.listExecutions(baseUrl, apiKey, created.id)).length, 1, 'still exactly one execution');
	await lab.deactivateWorkflow(baseUrl, apiKey, created.id);
});

step("the card's flow: a new RentEngine prospect becomes a Buildium applicant and the applicant ID is logged in RentEngine", ['owner'], async () => {
	const { baseUrl } = state.n8n;
	const { apiKey } = state.owner;
	// A RentEngine unit synced from Buildium carries the Buildium unit ID (the flow maps the desired unit with it).
	const reUnit = state.rentengine.db.units[2];
	const bdUnit = state.buildium.db.rentalUnits[42];
	reUnit.external_ids = { ...(reUnit.external_ids ?? {}), buildium_unit_id: bdUnit.Id };

	const created = await lab.createWorkflow(baseUrl, apiKey, CARD);
	await lab.activateWorkflow(baseUrl, apiKey, created.id);
	const url = `${baseUrl}/webhook/${CARD_TRIGGER.webhookId}/webhook`;
	await lab.waitForWebhook(url, { body: {} });
	state.rentengine.subscribe({ url, token: RE_WEBHOOK_SECRET });

	const before = state.buildium.db.applicants.length;
	const prospect = insertProspect(state.rentengine, { first_name: 'Avery', last_name: 'Quinn', email: 'avery.quinn@example.test', phone: '5125550123', unit_of_interest: reUnit.id });
	await state.rentengine.flushWebhooks();
	assert.equal(state.rentengine.deliveries.at(-1)?.status, 200);
	const executions = await lab.waitForExecutions(baseUrl, apiKey, created.id, (l) => l.length >= 1 && l.every((e) => e.status !== 'running'), { timeoutMs: 30_000 });
	assert.equal(executions.length, 1);
	assert.equal(executions[0].status, 'success', JSON.stringify(executions[0].data?.resultData?.error ?? {}));

	assert.equal(state.buildium.db.applicants.length, before + 1, 'one applicant created in Buildium');
	const applicant = state.buildium.db.applicants.at(-1);
	assert.equal(applicant.FirstName, 'Avery');
	assert.equal(applicant.LastName, 'Quinn');
	assert.equal(applicant.Email, 'avery.quinn@example.test');
	assert.deepEqual(applicant.PhoneNumbers, [{ Number: '5125550123', Type: 'Cell' }], 'posted as Mobile, read back as Cell');
	assert.equal(applicant.UnitId, bdUnit.Id, 'the desired unit, mapped to Buildium');
	const event = state.rentengine.db.leasing_events.at(-1);
	assert.equal(event.prospect, prospect.id);
	assert.equal(event.notes, `Buildium applicant ${applicant.Id} created`);
	state.figures.cardFlow = { prospect: prospect.id, applicant: applicant.Id, leasingEvent: event.id };
	await lab.deactivateWorkflow(baseUrl, apiKey, created.id);
});

step('editor: each Buildium node opens its panel in Chromium (time to open measured)', ['owner'], async () => {
	const { browser, page } = await lab.openEditor(state.n8n.baseUrl, OWNER);
	try {
		await page.goto(`/workflow/${PANELS.id}`);
		const times = await lab.panelOpenTimes(page, [...PANEL_CONTROLS.map((c) => c.name), ...BUILDIUM_NODES], {
			check: async (name) => {
				if (!BUILDIUM_NODES.includes(name)) return;
				const resource = await page.locator('[data-test-id="parameter-input-resource"] input').first().inputValue();
				assert.ok(resource.length > 0, `${name} shows a resource`);
			},
		});
		state.figures.panelOpenMs = times;
		console.log(`panel open times (ms): ${JSON.stringify(times)}`);
		for (const name of BUILDIUM_NODES) assert.ok(times[name].median < 3000, `${name} panel opened in ${times[name].median} ms`);
	} finally {
		await browser.close();
	}
});
