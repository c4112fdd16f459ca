// Buildium Trigger's webhook() with a fake IWebhookFunctions: signatures (computed by the simulator's signWebhook,
// independently of the node), the timestamp window in both directions, malformed bodies, replays, the event filter
// and Fetch Entity against the Buildium simulator (real HTTP, the credential's own authenticate()).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { loadPackage } from '../harness/routing.mjs';
import { WEBHOOK_EVENTS, buildEvent, signWebhook, startBuildiumSimulator } from '../simulators/buildium.mjs';

const SECRET = 'whsec-buildium-test-42';
let pkg;
let sim;

/** n8n's httpRequestWithAuthentication, reduced to what the trigger uses: authenticate, then a real request. */
function httpHelper(credentials) {
	return async function (type, options) {
		const authenticated = await pkg.credentials[type].authenticate(credentials, { ...options, headers: { ...(options.headers ?? {}) } });
		const url = new URL(authenticated.url);
		for (const [k, v] of Object.entries(authenticated.qs ?? {})) for (const x of [].concat(v)) url.searchParams.append(k, String(x));
		const response = await fetch(url, {
			method: authenticated.method ?? 'GET',
			headers: authenticated.headers,
			body: authenticated.body === undefined ? undefined : JSON.stringify(authenticated.body),
		});
		const text = await response.text();
		let body = text;
		try {
			body = text ? JSON.parse(text) : '';
		} catch {}
		if (!options.returnFullResponse) return body;
		return { statusCode: response.status, headers: Object.fromEntries(response.headers), body };
	};
}

/**
 * A fake IWebhookFunctions for one delivery. `rawBody` is the exact text posted; `headers` default to a valid
 * signature over it at `timestamp` (unix seconds, default now).
 */
/** The workflow's static data, as n8n loads it for each delivery (shared by the calls of one test file). */
const workflowStaticData = {};

function delivery({ rawBody, timestamp = Math.floor(Date.now() / 1000), secret = SECRET, headers, parameters = {}, credentialSecret = SECRET, staticData = workflowStaticData } = {}) {
	const sent = { status: undefined, body: undefined };
	const signed = headers ?? { 'buildium-webhook-timestamp': String(timestamp), 'buildium-webhook-signature': signWebhook(secret, timestamp, rawBody) };
	let body;
	try {
		body = JSON.parse(rawBody);
	} catch {
		body = {};
	}
	const params = { events: [], fetchEntity: false, options: {}, ...parameters };
	const credentials = { environment: 'production', clientId: sim.clientId, clientSecret: sim.clientSecret, webhookSecret: credentialSecret, baseUrl: sim.origin };
	const context = {
		getHeaderData: () => ({ 'content-type': 'application/json', ...signed }),
		getBodyData: () => body,
		getRequestObject: () => ({ rawBody: Buffer.from(rawBody), headers: signed, body }),
		getResponseObject: () => ({
			status(code) {
				sent.status = code;
				return this;
			},
			json(payload) {
				sent.body = payload;
				return this;
			},
			send(payload) {
				sent.body = payload;
				return this;
			},
			end() {
				return this;
			},
		}),
		getCredentials: async () => credentials,
		getNodeParameter: (name, fallback) => params[name] ?? fallback,
		getWorkflowStaticData: (type) => {
			assert.equal(type, 'node');
			return staticData;
		},
		getNode: () => ({ name: 'Buildium Trigger', type: 'CUSTOM.buildiumTrigger', typeVersion: 1, parameters: params }),
		helpers: {
			returnJsonArray: (data) => data.map((json) => ({ json })),
			httpRequestWithAuthentication: httpHelper(credentials),
		},
	};
	return { context, sent };
}

async function call(options) {
	const { context, sent } = delivery(options);
	const result = await pkg.nodes.buildiumTrigger.webhook.call(context);
	return { result, sent };
}

/** A compact JSON event as Buildium posts it; `fields` override the sample ids. Unique per call (EventDateTime). */
let seq = 0;
const eventBody = (name, fields = {}) => JSON.stringify(buildEvent(name, { EventDateTime: new Date(Date.UTC(2026, 0, 1, 0, 0, seq++)).toISOString(), ...fields }));

before(async () => {
	pkg = await loadPackage();
	sim = await startBuildiumSimulator({ rateLimit: null });
});
after(async () => sim?.close());

test("the Events option lists exactly the 98 events of the spec's event grid", () => {
	const events = pkg.nodes.buildiumTrigger.description.properties.find((p) => p.name === 'events').options.map((o) => o.value);
	assert.equal(events.length, 98);
	assert.deepEqual([...events].sort(), [...WEBHOOK_EVENTS].sort());
});

test('version 1.1 is the default and behaves as 1 (it only spares n8n a legacy per-delivery expression)', () => {
	const { description } = pkg.nodes.buildiumTrigger;
	assert.deepEqual(description.version, [1, 1.1]);
	assert.equal(description.defaultVersion, 1.1);
});

describe('signature and timestamp', () => {
	test('a valid signed delivery gives one item (the event) and acknowledges with {received: true}', async () => {
		const rawBody = eventBody('Lease.Created');
		const { result, sent } = await call({ rawBody });
		assert.equal(sent.status, undefined, 'no refusal');
		assert.deepEqual(result.webhookResponse, { received: true });
		assert.equal(result.workflowData.length, 1);
		assert.equal(result.workflowData[0].length, 1);
		assert.deepEqual(result.workflowData[0][0].json, JSON.parse(rawBody));
	});

	const refused = (result, sent, pattern) => {
		assert.equal(sent.status, 401);
		assert.match(sent.body.error, pattern);
		assert.equal(result.workflowData, undefined);
		assert.equal(result.noWebhookResponse, true);
	};

	test('a signature made with another secret is refused with 401', async () => {
		const { result, sent } = await call({ rawBody: eventBody('Lease.Created'), secret: 'someone-elses-secret' });
		refused(result, sent, /invalid buildium-webhook-signature/);
	});

	test('a body changed after signing is refused with 401', async () => {
		const rawBody = eventBody('Lease.Created');
		const ts = Math.floor(Date.now() / 1000);
		const headers = { 'buildium-webhook-timestamp': String(ts), 'buildium-webhook-signature': signWebhook(SECRET, ts, rawBody) };
		const { result, sent } = await call({ rawBody: rawBody.replace(/"LeaseId":\d+/, '"LeaseId":1'), headers });
		refused(result, sent, /invalid buildium-webhook-signature/);
	});

	test('a timestamp other than the signed one is refused with 401', async () => {
		const rawBody = eventBody('Lease.Created');
		const ts = Math.floor(Date.now() / 1000);
		const headers = { 'buildium-webhook-timestamp': String(ts + 1), 'buildium-webhook-signature': signWebhook(SECRET, ts, rawBody) };
		const { result, sent } = await call({ rawBody, headers });
		refused(result, sent, /invalid buildium-webhook-signature/);
	});

	test('missing signature or timestamp headers are refused with 401', async () => {
		const rawBody = eventBody('Lease.Created');
		const ts = Math.floor(Date.now() / 1000);
		const signature = signWebhook(SECRET, ts, rawBody);
		for (const headers of [{ 'buildium-webhook-timestamp': String(ts) }, { 'buildium-webhook-signature': signature }, {}]) {
			const { result, sent } = await call({ rawBody, headers });
			refused(result, sent, /missing buildium-webhook-timestamp or buildium-webhook-signature/);
		}
	});

	test('an empty signing secret in the credential refuses every delivery', async () => {
		const { result, sent } = await call({ rawBody: eventBody('Lease.Created'), credentialSecret: '' });
		refused(result, sent, /invalid buildium-webhook-signature/);
	});

	test('stale timestamps are refused in both directions (default 300 s); the Tolerance option widens the window', async () => {
		const now = Math.floor(Date.now() / 1000);
		for (const timestamp of [now - 301, now + 301]) {
			const { result, sent } = await call({ rawBody: eventBody('Lease.Created'), timestamp });
			refused(result, sent, /outside the accepted window/);
		}
		for (const timestamp of [now - 290, now + 290]) {
			const { result } = await call({ rawBody: eventBody('Lease.Created'), timestamp });
			assert.equal(result.workflowData?.length, 1, `accepted at ${timestamp - now} s`);
		}
		const options = { toleranceSeconds: 600 };
		for (const timestamp of [now - 500, now + 500]) {
			const { result } = await call({ rawBody: eventBody('Lease.Created'), timestamp, parameters: { options } });
			assert.equal(result.workflowData?.length, 1, `accepted at ${timestamp - now} s with 600 s tolerance`);
		}
		const { result, sent } = await call({ rawBody: eventBody('Lease.Created'), timestamp: now - 601, parameters: { options } });
		refused(result, sent, /outside the accepted window/);
	});
});

describe('body, replays, filter', () => {
	test('a signed body that is not a Buildium event is refused with 400 and says why', async () => {
		for (const rawBody of ['{"EventName":"Lease","AccountId":1}', '[]', '{"EventName":"Lease.Created","EventDateTime":"not a date"}']) {
			const { result, sent } = await call({ rawBody });
			assert.equal(sent.status, 400, rawBody);
			assert.equal(sent.body.error, 'Malformed Buildium webhook body');
			assert.ok(sent.body.details.length >= 1);
			assert.equal(result.workflowData, undefined);
		}
	});

	test('a replay of an identical delivery within the window starts nothing', async () => {
		const rawBody = eventBody('Vendor.Updated');
		const timestamp = Math.floor(Date.now() / 1000);
		const first = await call({ rawBody, timestamp });
		assert.equal(first.result.workflowData.length, 1);
		const replay = await call({ rawBody, timestamp });
		assert.equal(replay.result.workflowData, undefined);
		assert.deepEqual(replay.result.webhookResponse, { received: true, duplicate: true });
		// The same event delivered again later (a retry, new timestamp, new signature) is a new delivery.
		const retry = await call({ rawBody, timestamp: timestamp - 1 });
		assert.equal(retry.result.workflowData.length, 1);
	});

	test('what a replay is recognised by lives in the workflow static data, not in the process', async () => {
		const rawBody = eventBody('Bill.Updated');
		const timestamp = Math.floor(Date.now() / 1000);
		const staticData = {};
		assert.equal((await call({ rawBody, timestamp, staticData })).result.workflowData.length, 1);
		assert.equal(Object.keys(staticData.seenSignatures).length, 1, 'one signature remembered');
		assert.ok(!JSON.stringify(staticData).includes(signWebhook(SECRET, timestamp, rawBody)), 'a hash is kept, not the signature');
		// Another instance (webhook processor) with the stored static data sees the replay…
		assert.deepEqual((await call({ rawBody, timestamp, staticData: structuredClone(staticData) })).result.webhookResponse, { received: true, duplicate: true });
		// …and a fresh workflow (no static data) does not: nothing was kept in process memory.
		assert.equal((await call({ rawBody, timestamp, staticData: {} })).result.workflowData.length, 1);
		// Signatures older than the window are dropped when the next delivery is recorded.
		staticData.seenSignatures = { old: Date.now() - 3_600_000, ...staticData.seenSignatures };
		await call({ rawBody: eventBody('Bill.Updated'), staticData });
		assert.ok(!('old' in staticData.seenSignatures));
	});

	test('events outside the Events filter are acknowledged and ignored', async () => {
		const parameters = { events: ['Lease.Updated', 'Lease.Deleted'] };
		const ignored = await call({ rawBody: eventBody('Lease.Created'), parameters });
		assert.equal(ignored.result.workflowData, undefined);
		assert.deepEqual(ignored.result.webhookResponse, { received: true, ignored: true });
		assert.equal(ignored.sent.status, undefined);
		const kept = await call({ rawBody: eventBody('Lease.Updated'), parameters });
		assert.equal(kept.result.workflowData.length, 1);
	});
});

describe('Fetch Entity', () => {
	test('Lease.Created outputs the lease from Buildium under "entity", fetched with the credential', async () => {
		const lease = (await (await fetch(`${sim.url}/leases?limit=1`, { headers: sim.authHeaders() })).json())[0];
		const direct = await (await fetch(`${sim.url}/leases/${lease.Id}`, { headers: sim.authHeaders() })).json();
		sim.clearRequests();
		const rawBody = eventBody('Lease.Created', { LeaseId: lease.Id });
		const { result } = await call({ rawBody, parameters: { fetchEntity: true } });
		const [item] = result.workflowData[0];
		assert.equal(item.json.EventName, 'Lease.Created');
		assert.equal(item.json.LeaseId, lease.Id);
		assert.deepEqual(item.json.entity, direct);
		assert.equal(item.json.entityError, undefined);
		const [request] = sim.requests;
		assert.equal(request.path, `/v1/leases/${lease.Id}`);
		assert.equal(request.headers['x-buildium-client-id'], sim.clientId);
		assert.equal(request.status, 200);
	});

	test('a failed lookup keeps the event, with entity null and the error in entityError', async () => {
		const { result } = await call({ rawBody: eventBody('Lease.Created', { LeaseId: 2_000_000_000 }), parameters: { fetchEntity: true } });
		const [item] = result.workflowData[0];
		assert.equal(item.json.LeaseId, 2_000_000_000);
		assert.equal(item.json.entity, null);
		assert.match(item.json.entityError, /404/);
		assert.deepEqual(result.webhookResponse, { received: true });
	});

	test('Deleted events are not looked up', async () => {
		sim.clearRequests();
		const { result } = await call({ rawBody: eventBody('Lease.Deleted'), parameters: { fetchEntity: true } });
		assert.equal(result.workflowData[0][0].json.entity, undefined);
		assert.equal(sim.requests.length, 0);
	});
});
