// End-to-end: the packed package installed as a community package in a REAL n8n 2.41.1 (or N8N_VERSION, e.g. 1.123.81)
// on Node 24, talking to the local RentEngine simulator. Run with `npm run test:e2e` (builds first). Recipe: shared/guides/real-n8n.md.
//
// The tests run in order and share one n8n user folder:
//   1. setup: n8n install (cached), simulator, fresh user folder, `npm pack` + install into ~/.n8n/nodes, imports
//   2. CLI `execute --id` of Get Many (Return All) before the server starts (the CLI needs its own broker port),
//      then the same under injected 429 bursts and storms
//   3. server start, owner + API key, node types listed
//   4. credential test through the editor endpoint (good token / wrong token)
//   5. trigger: simulator webhook -> execution; wrong/missing token -> 401, malformed body -> 400, no executions
//   6. editor in chromium: canvas, node panel, "Execute workflow"
// Nothing is skipped: if n8n cannot be installed or started the suite fails.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

import * as lab from '../../scripts/lib/n8n-lab.mjs';
import { startRentEngineSimulator } from '../simulators/rentengine.mjs';

const UNITS = 250;
const PROSPECTS = 260;
const API_TOKEN = 'e2e-rentengine-token-0123456789';
const WEBHOOK_SECRET = 'e2e-webhook-secret-abcdef';
const CREDENTIAL = { id: 'rentengine-demo', name: 'RentEngine (simulator)' };
const GET_ALL = lab.loadExample('rentengine-get-all-units.json');
const TRIGGER = lab.loadExample('rentengine-new-unit-trigger.json');
const GET_ALL_NODE = GET_ALL.nodes.find((n) => n.type === lab.NODE_TYPES.rentEngine).name;
const TRIGGER_NODE = TRIGGER.nodes.find((n) => n.type === lab.NODE_TYPES.rentEngineTrigger);
const OWNER = { email: 'e2e-owner@example.com', password: 'E2e-Passw0rd!x' };

const state = { timings: {} };
let failed = false;

/** A test that records failure (so after() prints n8n's log) and refuses to run on a broken setup. */
function step(name, needs, fn, timeout = 120_000) {
	test(name, { timeout }, async (t) => {
		for (const key of needs) assert.ok(state[key], `an earlier step failed: no ${key}`);
		try {
			await fn(t);
		} catch (err) {
			failed = true;
			throw err;
		}
	});
}

const timed = async (label, fn) => {
	const started = Date.now();
	try {
		return await fn();
	} finally {
		state.timings[label] = Date.now() - started;
	}
};

after(async () => {
	if (failed && state.n8n) {
		console.log(`--- n8n log tail (${state.n8n.logFile}) ---\n${state.n8n.logTail(80)}`);
	}
	await state.n8n?.stop();
	await state.sim?.close();
	console.log(`timings (ms): ${JSON.stringify(state.timings)}`);
	if (!failed && state.userFolder) fs.rmSync(state.userFolder, { recursive: true, force: true });
	else if (state.userFolder) console.log(`user folder kept for inspection: ${state.userFolder}`);
});

step('setup: n8n installed, package packed and installed, credential and workflow imported', [], async () => {
	state.labInfo = await timed('ensureN8n', () => lab.ensureN8n());
	assert.equal(state.labInfo.n8nVersion, lab.N8N_VERSION);
	state.sim = await startRentEngineSimulator({ port: 0, token: API_TOKEN, units: UNITS, prospects: PROSPECTS, seed: 42 });
	state.userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-rentengine-'));

	const installed = await timed('installPackage', () => lab.installPackage(state.userFolder));
	const pkg = JSON.parse(fs.readFileSync(path.join(installed.packageDir, 'package.json'), 'utf8'));
	assert.equal(pkg.name, lab.PACKAGE_NAME);
	// no runtime dependencies: luxon (and fast-xml-parser) travel bundled in dist/vendor
	assert.equal(pkg.dependencies, undefined);
	assert.ok(!fs.existsSync(path.join(installed.nodesDir, 'node_modules/luxon')), 'nothing but the package is installed');
	assert.ok(fs.existsSync(path.join(installed.packageDir, 'dist/vendor/luxon.js')), 'luxon is bundled');
	assert.ok(!fs.existsSync(path.join(installed.nodesDir, 'node_modules/n8n-workflow')), 'peer n8n-workflow not installed (n8n provides it)');

	await timed('importCredential', () =>
		lab.importJson(state.userFolder, 'credentials', [
			lab.rentEngineCredential({ ...CREDENTIAL, apiToken: API_TOKEN, baseUrl: state.sim.url, webhookSecret: WEBHOOK_SECRET }),
		]),
	);
	await timed('importWorkflow', () => lab.importJson(state.userFolder, 'workflow', GET_ALL));
	state.ready = true;
}, 25 * 60_000); // a cold n8n install (first run on a machine) takes 3-6 minutes; ensureN8n allows 20

step('CLI execute: Get Many (Return All) pages through all 250 units in 3 requests', ['ready'], async () => {
	state.sim.clearRequests();
	const res = await timed('cliExecute', () => lab.cli(state.userFolder, ['execute', `--id=${GET_ALL.id}`, '--rawOutput']));
	assert.ok(res.json, `no JSON in the CLI output:\n${res.stdout.slice(0, 2000)}`);
	assert.equal(res.json.status, 'success');
	const items = lab.nodeItems(res.json.data.resultData.runData, GET_ALL_NODE);
	assert.equal(items.length, UNITS);
	assert.equal(items.length, state.sim.state.units, "the simulator's unit count");
	assert.deepEqual(
		items.map((i) => i.json.id),
		state.sim.db.units.map((u) => u.id),
		'every unit once, in order',
	);
	// Simplify is on in the example: only the simplified fields come out
	assert.ok(!('address_details' in items[0].json) && 'target_rental_rate' in items[0].json);

	const gets = state.sim.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/units'));
	assert.equal(state.sim.requests.length, 3, `requests: ${JSON.stringify(state.sim.requests.map((r) => [r.method, r.path, r.query]))}`);
	assert.deepEqual(
		gets.map((r) => [r.query.limit, r.query.page_number]),
		[
			['100', '0'],
			['100', '1'],
			['100', '2'],
		],
	);
	// The simulator redacts Authorization in its log but answers 401 to a wrong bearer token: 200 = right token.
	assert.deepEqual(
		gets.map((r) => r.status),
		[200, 200, 200],
	);
	assert.ok(gets.every((r) => r.headers.authorization === '<redacted>'), 'an Authorization header was sent');
});

step('CLI execute under faults: a 429 burst is retried inside n8n, a 429 storm fails with a clear error', ['ready'], async () => {
	// A burst: two 429s (Retry-After: 0) on the first page, then the vendor answers.
	state.sim.clearRequests();
	state.sim.injectFault({ kind: '429', path: '/api/public/v1/units', times: 2, retryAfter: 0 });
	const burst = await timed('cliExecuteBurst', () => lab.cli(state.userFolder, ['execute', `--id=${GET_ALL.id}`, '--rawOutput']));
	assert.equal(burst.json?.status, 'success');
	assert.equal(lab.nodeItems(burst.json.data.resultData.runData, GET_ALL_NODE).length, UNITS, 'complete result after retries');
	assert.deepEqual(
		state.sim.requests.map((r) => r.status),
		[429, 429, 200, 200, 200],
	);

	// A storm: every request is rate-limited. The node gives up after its retry budget with the vendor's message.
	state.sim.clearRequests();
	state.sim.injectFault({ kind: '429', path: '/api/public/v1/units', times: 1000, retryAfter: 0 });
	const storm = await timed('cliExecuteStorm', () =>
		lab.cli(state.userFolder, ['execute', `--id=${GET_ALL.id}`, '--rawOutput'], { allowFailure: true }),
	);
	state.sim.clearFaults();
	const output = `${storm.stdout}\n${storm.stderr}`;
	assert.notEqual(storm.code, 0, 'the execution failed');
	assert.match(output, /RentEngine rejected the request \[429\]/);
	assert.ok(!output.includes(API_TOKEN), 'the token is not in the error output');
	assert.equal(state.sim.requests.length, 6, 'one try + 5 retries, then stop');
	const runData = storm.json?.data?.resultData?.runData;
	assert.equal(runData ? lab.nodeItems(runData, GET_ALL_NODE).length : 0, 0, 'no partial output');
});

/** A one-node workflow (manual trigger → RentEngine with `parameters`), imported through the CLI. */
async function importOneNodeWorkflow(id, name, parameters) {
	const wf = JSON.parse(JSON.stringify(GET_ALL));
	Object.assign(wf, { id, name });
	const node = wf.nodes.find((n) => n.type === lab.NODE_TYPES.rentEngine);
	node.name = name;
	node.parameters = parameters;
	const trigger = wf.nodes.find((n) => n !== node).name;
	wf.connections = { [trigger]: { main: [[{ node: name, type: 'main', index: 0 }]] } };
	await lab.importJson(state.userFolder, 'workflow', wf);
	return wf;
}

step('CLI execute: prospects Return All over several time windows, and a 70-day report in 3 windows', ['ready'], async () => {
	const prospects = await importOneNodeWorkflow('reProspectsAll01', 'All prospects', { resource: 'prospect', operation: 'getAll', returnAll: true, filters: {} });
	state.sim.clearRequests();
	const res = await timed('cliProspects', () => lab.cli(state.userFolder, ['execute', `--id=${prospects.id}`, '--rawOutput']));
	assert.equal(res.json?.status, 'success', res.stdout.slice(0, 2000));
	const items = lab.nodeItems(res.json.data.resultData.runData, 'All prospects');
	const expected = [...state.sim.db.prospects].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id);
	assert.deepEqual(items.map((i) => i.json.id), expected.map((p) => p.id), 'every prospect once, oldest first');
	const windows = state.sim.requests.filter((r) => r.path.endsWith('/prospects'));
	assert.ok(windows.length >= 3, `several windows (${windows.length})`);
	assert.ok(windows.slice(1).every((r) => r.query.created_after), 'later windows start at the last record seen');

	const account = state.sim.db.accounts[0].id;
	const report = await importOneNodeWorkflow('reMarketingSrc01', 'Marketing sources', {
		resource: 'report',
		operation: 'getMarketingSources',
		accountIds: { __rl: true, mode: 'id', value: account },
		start: '2024-07-15T00:00:00Z',
		end: '2024-09-23T00:00:00Z',
		returnAll: true,
	});
	state.sim.clearRequests();
	const rep = await timed('cliReport', () => lab.cli(state.userFolder, ['execute', `--id=${report.id}`, '--rawOutput']));
	assert.equal(rep.json?.status, 'success', rep.stdout.slice(0, 2000));
	const rows = lab.nodeItems(rep.json.data.resultData.runData, 'Marketing sources');
	const sent = state.sim.requests.filter((r) => r.path.endsWith('/reporting/marketing-sources'));
	assert.equal(sent.length, 3, '70 days = 3 windows of at most 32 days');
	assert.ok(sent.every((r) => r.status === 200));
	const leads = rows.reduce((n, r) => n + r.json.leads, 0);
	const inRange = state.sim.db.prospects.filter((p) => p.account_id === account && Date.parse(p.created_at) >= Date.parse('2024-07-15T00:00:00Z') && Date.parse(p.created_at) <= Date.parse('2024-09-23T00:00:00Z'));
	assert.equal(leads, inRange.length, 'leads added up across the windows');
	assert.equal(new Set(rows.map((r) => r.json.source_key)).size, rows.length, 'one row per source');
});

step('server starts with the package loaded; owner, API key, node types listed', ['ready'], async () => {
	state.n8n = await timed('startN8n', () => lab.startN8n({ userFolder: state.userFolder }));
	state.owner = await timed('setupOwner', () => lab.setupOwner(state.n8n.baseUrl, OWNER));
	const types = await lab.nodeTypes(state.n8n.baseUrl, state.owner.cookie);
	const names = new Set(types.map((t) => t.name));
	assert.ok(names.has(lab.NODE_TYPES.rentEngine), 'rentEngine listed in /types/nodes.json');
	assert.ok(names.has(lab.NODE_TYPES.rentEngineTrigger), 'rentEngineTrigger listed in /types/nodes.json');
	const node = types.find((t) => t.name === lab.NODE_TYPES.rentEngine);
	assert.equal(node.displayName, 'RentEngine');
	assert.deepEqual(node.credentials.map((c) => c.name), ['rentEngineApi']);
});

step('credential test: good token is OK, wrong token fails without echoing the token', ['owner'], async () => {
	const { baseUrl } = state.n8n;
	const data = { environment: 'production', apiToken: API_TOKEN, webhookSecret: WEBHOOK_SECRET, baseUrl: state.sim.url };
	state.sim.clearRequests();
	const good = await lab.testCredential(baseUrl, state.owner.cookie, { ...CREDENTIAL, type: 'rentEngineApi', data });
	assert.equal(good.status, 'OK', JSON.stringify(good));
	assert.equal(state.sim.requests.at(-1)?.status, 200);

	const wrongToken = 'wrong-token-5f3a9c7e21d84b60';
	const bad = await lab.testCredential(baseUrl, state.owner.cookie, { ...CREDENTIAL, type: 'rentEngineApi', data: { ...data, apiToken: wrongToken } });
	assert.equal(bad.status, 'Error', JSON.stringify(bad));
	assert.ok(bad.message, 'an error message');
	assert.ok(!JSON.stringify(bad).includes(wrongToken), `the response must not contain the token: ${JSON.stringify(bad)}`);
	assert.equal(state.sim.requests.at(-1)?.status, 401, 'the simulator refused the wrong token');
	console.log(`credential test messages: OK=${JSON.stringify(good.message)} wrong-token=${JSON.stringify(bad.message)}`);
});

step('trigger: a unit created in RentEngine starts one execution; bad tokens/bodies are rejected without one', ['owner'], async () => {
	const { baseUrl } = state.n8n;
	const { apiKey } = state.owner;
	const created = await lab.createWorkflow(baseUrl, apiKey, TRIGGER);
	await lab.activateWorkflow(baseUrl, apiKey, created.id);
	const webhookUrl = `${baseUrl}/webhook/${TRIGGER_NODE.webhookId}/webhook`;

	// Registration is asynchronous: poll with an unauthenticated POST (which must be refused anyway).
	const first = await lab.waitForWebhook(webhookUrl, { body: { type: 'INSERT', table: 'units', record: { id: 1 }, old_record: null } });
	assert.equal(first.status, 401, `unauthenticated delivery: ${first.text}`);

	state.sim.subscribe({ url: webhookUrl, token: WEBHOOK_SECRET });
	const account = state.sim.db.accounts[0].id;
	const unitRes = await lab.http(`${state.sim.url}/units`, {
		method: 'POST',
		headers: { authorization: `Bearer ${API_TOKEN}` },
		body: {
			account_id: account,
			address: { street_number: '742', street_name: 'Evergreen Ter', zip_code: '78701', state: 'TX', city: 'Austin' },
			property_type: 'SINGLE FAMILY RESIDENCE',
			target_rental_rate: 2150,
			bedrooms: 3,
		},
	});
	assert.equal(unitRes.status, 200, unitRes.text);
	const unit = unitRes.body;
	await state.sim.flushWebhooks();
	const delivery = state.sim.deliveries.at(-1);
	assert.equal(delivery?.status, 200, `delivery: ${JSON.stringify(state.sim.deliveries)}`);

	const executions = await lab.waitForExecutions(baseUrl, apiKey, created.id, (list) => list.length >= 1 && list.every((e) => e.finished || e.status !== 'running'));
	assert.equal(executions.length, 1, 'exactly one execution');
	const [exe] = executions;
	assert.equal(exe.status, 'success');
	assert.equal(exe.mode, 'webhook');
	const [item] = lab.nodeItems(exe.data.resultData.runData, TRIGGER_NODE.name);
	assert.equal(item.json.type, 'INSERT');
	assert.equal(item.json.table, 'units');
	assert.equal(item.json.record.id, unit.id);
	assert.equal(item.json.old_record, null);
	assert.equal(item.json.deliveryId, delivery.deliveryId);
	assert.equal(lab.nodeItems(exe.data.resultData.runData, 'Handle new unit').length, 1);

	// A valid delivery is acknowledged with a small JSON body (not n8n's internal response-data word).
	const ack = await lab.http(webhookUrl, { method: 'POST', headers: { 'x-api-token': WEBHOOK_SECRET }, body: { type: 'DELETE', table: 'floorplans', record: null, old_record: { id: 5 } } });
	assert.equal(ack.status, 200);
	assert.deepEqual(ack.body, { received: true, ignored: true }, 'a filtered-out delivery: acknowledged, no execution');

	const event = { type: 'INSERT', table: 'units', record: { id: 999999 }, old_record: null };
	const wrong = await lab.http(webhookUrl, { method: 'POST', headers: { 'x-api-token': 'not-the-secret' }, body: event });
	assert.equal(wrong.status, 401, wrong.text);
	const missing = await lab.http(webhookUrl, { method: 'POST', body: event });
	assert.equal(missing.status, 401, missing.text);
	const malformed = await lab.http(webhookUrl, { method: 'POST', headers: { 'x-api-token': WEBHOOK_SECRET }, body: { type: 'UPSERT', record: 'nope' } });
	assert.equal(malformed.status, 400, malformed.text);
	assert.ok(!wrong.text.includes(WEBHOOK_SECRET) && !malformed.text.includes(WEBHOOK_SECRET));

	await new Promise((r) => setTimeout(r, 1500));
	const afterwards = await lab.listExecutions(baseUrl, apiKey, created.id);
	assert.equal(afterwards.length, 1, `no new executions: ${JSON.stringify(afterwards.map((e) => [e.id, e.status]))}`);
	state.triggerOk = true;
});

step('editor: node renders, its panel shows Unit / Get Many, and "Execute workflow" succeeds', ['owner'], async () => {
	const { chromium } = await import('playwright-core');
	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
	});
	try {
		const page = await browser.newPage({ baseURL: state.n8n.baseUrl, viewport: { width: 1400, height: 850 } });
		await page.goto('/signin');
		await page.locator('input[type=email]').first().fill(OWNER.email);
		await page.locator('input[type=password]').first().fill(OWNER.password);
		await page.keyboard.press('Enter');
		await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 60_000 });

		await page.goto(`/workflow/${GET_ALL.id}`);
		const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${GET_ALL_NODE}"]`);
		await node.waitFor({ timeout: 60_000 });
		assert.equal(await node.getAttribute('data-node-type'), lab.NODE_TYPES.rentEngine);
		assert.match(await node.innerText(), new RegExp(GET_ALL_NODE));
		// a known node type shows the package's own icon (an unknown one gets a "?" placeholder instead)
		const icon = await node.locator('img').first().getAttribute('src');
		assert.match(icon ?? '', /n8n-nodes-property-management\/.*rentengine.*\.svg/);

		await node.dblclick();
		const resource = page.locator('[data-test-id="parameter-input-resource"] input').first();
		await resource.waitFor({ timeout: 30_000 });
		assert.equal(await resource.inputValue(), 'Unit');
		assert.equal(await page.locator('[data-test-id="parameter-input-operation"] input').first().inputValue(), 'Get Many');
		assert.equal(await page.locator('[data-test-id="node-credentials-select"] input').first().inputValue(), CREDENTIAL.name);
		const shot = path.join(os.tmpdir(), `n8n-e2e-rentengine-ndv-${Date.now()}.png`);
		await page.screenshot({ path: shot });
		console.log(`editor screenshot: ${shot}`);

		// 2.x has a close button; 1.x a "Back to canvas" link.
		await page.locator('[data-test-id="ndv-close-button"]').or(page.getByText('Back to canvas')).first().click();
		state.sim.clearRequests();
		await page.locator('[data-test-id="execute-workflow-button"]').click();
		await node.locator('[data-test-id="canvas-node-status-success"]').waitFor({ timeout: 60_000 });
		assert.equal(state.sim.requests.filter((r) => r.path.endsWith('/units') && r.status === 200).length, 3);
		const shot2 = path.join(os.tmpdir(), `n8n-e2e-rentengine-executed-${Date.now()}.png`);
		await page.screenshot({ path: shot2 });
		console.log(`editor screenshot after execution: ${shot2}`);
	} finally {
		await browser.close();
	}
});
