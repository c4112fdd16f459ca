// Every RentEngine operation, run through n8n-core's RoutingNode against the RentEngine simulator:
// request shape (method, path, query, body), auth, paging counts, vendor errors and retries.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { loadPackage, runNode } from '../harness/routing.mjs';
import { startRentEngineSimulator } from '../simulators/rentengine.mjs';

const TOKEN = 'unit-test-token-5b1f';
let sim;
let pkg;

async function run(parameters, { token = TOKEN, items, continueOnFail } = {}) {
	return await runNode(pkg.nodes.rentEngine, {
		parameters,
		items,
		continueOnFail,
		credentials: { rentEngineApi: { apiToken: token, baseUrl: sim.url, environment: 'production', webhookSecret: '' } },
		credentialTypes: pkg.credentials,
	});
}

/** Direct call to the simulator (as a RentEngine user would see the data). */
async function api(path, init = {}) {
	const response = await fetch(`${sim.url}${path}`, {
		...init,
		headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
	});
	return await response.json();
}

const apiRequests = (path) => sim.requests.filter((r) => r.path.endsWith(path));
const lastRequest = () => sim.requests.at(-1);
const byId = (id) => ({ mode: 'id', value: String(id) });

before(async () => {
	pkg = await loadPackage();
	sim = await startRentEngineSimulator({ token: TOKEN, units: 250, seed: 7 });
});
after(async () => sim?.close());
beforeEach(() => {
	sim.clearRequests();
	sim.clearFaults();
});

describe('paging (page_number + limit)', () => {
	test('Return All walks every page at the maximum page size and stops on the short page', async () => {
		const items = await run({ resource: 'unit', operation: 'getAll', returnAll: true, simplify: false });
		assert.equal(items.length, 250);
		const pages = apiRequests('/units').map((r) => [r.query.page_number, r.query.limit]);
		assert.deepEqual(pages, [['0', '100'], ['1', '100'], ['2', '100']]);
		assert.equal(new Set(items.map((i) => i.json.id)).size, 250, 'no duplicates across pages');
	});

	test('Limit returns exactly that many with a constant page size', async () => {
		const items = await run({ resource: 'unit', operation: 'getAll', returnAll: false, limit: 150 });
		assert.equal(items.length, 150);
		assert.deepEqual(apiRequests('/units').map((r) => [r.query.page_number, r.query.limit]), [['0', '100'], ['1', '100']]);
	});

	test('a small Limit asks for only that many', async () => {
		const items = await run({ resource: 'unit', operation: 'getAll', returnAll: false, limit: 7 });
		assert.equal(items.length, 7);
		assert.deepEqual(apiRequests('/units').map((r) => r.query), [{ page_number: '0', limit: '7' }]);
	});

	test('an exact multiple of the page size ends on an empty page', async () => {
		const account = (await api('/units?limit=1'))[0].account_id;
		const all = await api(`/units?accountId=${account}&limit=100`);
		const items = await run({ resource: 'unit', operation: 'getAll', returnAll: true, filters: { accountId: account } });
		assert.equal(items.length, all.length < 100 ? all.length : items.length);
		assert.ok(items.every((i) => i.json.account_id === account));
	});

	test('Simplify keeps at most 10 fields; off returns the raw record', async () => {
		const [simple] = await run({ resource: 'unit', operation: 'getAll', limit: 1, simplify: true });
		const [raw] = await run({ resource: 'unit', operation: 'getAll', limit: 1, simplify: false });
		assert.ok(Object.keys(simple.json).length <= 10);
		assert.ok(Object.keys(raw.json).length > 10);
		assert.equal(simple.json.id, raw.json.id);
	});
});

describe('auth and vendor errors', () => {
	test('the token goes in a Bearer header', async () => {
		await run({ resource: 'subteam', operation: 'getAll', limit: 5 });
		assert.equal(lastRequest().status, 200);
		assert.equal(sim.requests.length, 1);
	});

	test('a wrong token gives a NodeApiError with the vendor message and never the token', async () => {
		await assert.rejects(
			run({ resource: 'unit', operation: 'getAll', limit: 5 }, { token: 'wrong-token-123' }),
			(error) => {
				assert.equal(error.constructor.name, 'NodeApiError');
				assert.equal(String(error.httpCode), '401');
				assert.match(error.message, /RentEngine rejected the request \[401\]/);
				assert.match(error.description, /API token/);
				const everything = JSON.stringify({ message: error.message, description: error.description, context: error.context, cause: error.cause });
				assert.ok(!everything.includes('wrong-token-123'), 'token leaked into the error');
				return true;
			},
		);
		assert.equal(sim.requests.length, 1, 'a 401 is not retried');
	});

	test('a validation error carries the ajv details', async () => {
		await assert.rejects(
			run({
				resource: 'unit',
				operation: 'update',
				id: byId(999999),
				updateFields: { bedrooms: 2 },
			}),
			(error) => {
				assert.equal(error.constructor.name, 'NodeApiError');
				assert.equal(String(error.httpCode), '400');
				assert.match(error.message, /Unit not found/i);
				return true;
			},
		);
	});

	test('continue on fail turns the error into an item and keeps going', async () => {
		const items = await run({ resource: 'unit', operation: 'get', unitId: byId(424242) }, { continueOnFail: true });
		assert.equal(items.length, 1);
		assert.match(String(items[0].json.error ?? items[0].error?.message), /No unit with ID "424242"/);
	});
});

describe('retries', () => {
	test('429 with Retry-After is retried and the result is complete', async () => {
		sim.injectFault({ kind: '429', path: '/api/public/v1/units', times: 2, retryAfter: 0 });
		const items = await run({ resource: 'unit', operation: 'getAll', returnAll: true });
		assert.equal(items.length, 250);
		assert.equal(apiRequests('/units').filter((r) => r.status === 429).length, 2);
	});

	test('a 429 storm ends in a clear NodeApiError after the retry budget, not a partial result', async () => {
		sim.injectFault({ kind: '429', path: '/api/public/v1/units', times: 1000, retryAfter: 0 });
		await assert.rejects(run({ resource: 'unit', operation: 'getAll', returnAll: true }), (error) => {
			assert.equal(error.constructor.name, 'NodeApiError');
			assert.equal(String(error.httpCode), '429');
			assert.match(error.description, /Gave up after 6 attempts/);
			return true;
		});
		assert.equal(apiRequests('/units').length, 6);
	});

	test('503 is retried with backoff', async () => {
		sim.injectFault({ kind: '503', path: '/api/public/v1/subteams', times: 1 });
		const started = Date.now();
		const items = await run({ resource: 'subteam', operation: 'getAll', returnAll: true });
		assert.ok(items.length > 0);
		assert.equal(apiRequests('/subteams').length, 2);
		assert.ok(Date.now() - started >= 200, 'waited before retrying');
	});

	test('a Retry-After longer than a minute fails fast with the wait in the message', async () => {
		sim.injectFault({ kind: '429', path: '/api/public/v1/subteams', times: 1, retryAfter: 3600 });
		await assert.rejects(run({ resource: 'subteam', operation: 'getAll', limit: 5 }), /RentEngine rejected the request \[429\]/);
		assert.equal(apiRequests('/subteams').length, 1);
	});

	test('a connection reset on a GET is retried', async () => {
		sim.injectFault({ kind: 'reset', path: '/api/public/v1/lockboxes', times: 1 });
		const items = await run({ resource: 'lockbox', operation: 'getAll', returnAll: true });
		assert.ok(items.length > 0);
	});

	test('a truncated JSON body on a GET is retried, never parsed as a partial page', async () => {
		sim.injectFault({ kind: 'truncate', path: '/api/public/v1/units', times: 1 });
		const items = await run({ resource: 'unit', operation: 'getAll', returnAll: true });
		assert.equal(items.length, 250);
	});

	test('a reset on a POST is not retried (it may have been applied) and says so', async () => {
		sim.injectFault({ kind: 'reset', method: 'POST', path: '/api/public/v1/lockbox_events', times: 1 });
		const [lockbox] = await api('/lockboxes?limit=1');
		await assert.rejects(
			run({ resource: 'lockboxEvent', operation: 'create', lockboxId: lockbox.id, eventType: 'Install', unitId: byId(1001) }),
			(error) => {
				assert.equal(error.constructor.name, 'NodeApiError');
				assert.match(error.message, /Could not reach RentEngine/);
				assert.match(error.description, /may already have been applied/);
				return true;
			},
		);
		assert.equal(apiRequests('/lockbox_events').length, 1);
	});

	test('a truncated body on a POST is reported, not retried', async () => {
		sim.injectFault({ kind: 'truncate', method: 'POST', path: '/api/public/v1/units', times: 1 });
		await assert.rejects(run({ resource: 'unit', operation: 'update', id: byId(1001), updateFields: { bedrooms: 3 } }), (error) => {
			assert.match(error.message, /incomplete response/);
			return true;
		});
		assert.equal(apiRequests('/units').length, 1);
	});
});

describe('every operation', () => {
	test('lockbox: get many with filters sends comma-separated lists', async () => {
		const boxes = await api('/lockboxes?limit=3');
		const ids = boxes.map((b) => b.id).join(',');
		const items = await run({ resource: 'lockbox', operation: 'getAll', returnAll: true, filters: { lockboxIds: ids, lockboxType: 'Sentrilock' } });
		assert.deepEqual(items.map((i) => i.json.id).sort(), boxes.map((b) => b.id).sort());
		assert.equal(lastRequest().query.lockbox_ids, ids);
		assert.equal(lastRequest().query.lockbox_type, 'Sentrilock');
	});

	test('lockbox: create', async () => {
		const [unit] = await api('/units?limit=1');
		const [item] = await run({ resource: 'lockbox', operation: 'create', serialNumber: 'SL-TEST-0001', lockboxType: 'Sentrilock', accountId: byId(unit.account_id) });
		assert.equal(item.json.serial_number, 'SL-TEST-0001');
		assert.deepEqual(lastRequest().body, { serial_number: 'SL-TEST-0001', lockbox_type: 'Sentrilock', account_id: unit.account_id });
	});

	test('lockbox: transfer accounts sends an array of IDs', async () => {
		const boxes = await api('/lockboxes?limit=2');
		const units = await api('/units?limit=100');
		const target = units.map((u) => u.account_id).find((a) => a !== boxes[0].account_id) ?? boxes[0].account_id;
		const [item] = await run({ resource: 'lockbox', operation: 'transferAccounts', lockboxIds: `${boxes[0].id}, ${boxes[1].id}`, accountId: byId(target) });
		assert.deepEqual(lastRequest().body, { lockbox_ids: [boxes[0].id, boxes[1].id], account_id: target });
		assert.equal(item.json.transferred, 2);
	});

	test('lockbox: generate code', async () => {
		const [box] = await api('/lockboxes?limit=1');
		const [item] = await run({ resource: 'lockbox', operation: 'generateCode', lockboxId: box.id, additionalFields: { unitId: 1001 } });
		assert.match(String(item.json.code), /^\d{6}$/);
		assert.deepEqual(lastRequest().body, { lockbox_id: box.id, unit_id: 1001 });
	});

	test('lockbox event: get many with event type and date filters', async () => {
		const items = await run({
			resource: 'lockboxEvent',
			operation: 'getAll',
			returnAll: true,
			filters: { eventTypes: ['Install', 'Uninstall'], createdAtFrom: '2000-01-01T00:00:00.000Z' },
		});
		assert.ok(items.length > 0);
		assert.ok(items.every((i) => ['Install', 'Uninstall'].includes(i.json.event_type)));
		assert.equal(lastRequest().query.event_types, 'Install,Uninstall');
		assert.equal(lastRequest().query.created_at_from, '2000-01-01T00:00:00.000Z');
	});

	test('lockbox event: create wraps the record in events[]', async () => {
		const [box] = await api('/lockboxes?limit=1');
		const [item] = await run({ resource: 'lockboxEvent', operation: 'create', lockboxId: box.id, eventType: 'Install', unitId: byId(1002) });
		assert.deepEqual(lastRequest().body, { events: [{ lockbox_id: box.id, event_type: 'Install', unit_id: 1002 }] });
		assert.equal(item.json.event_type, 'Install');
	});

	test('lockbox installation: get many', async () => {
		const items = await run({ resource: 'lockboxInstallation', operation: 'getAll', returnAll: true });
		assert.ok(items.length > 0);
		assert.ok(items[0].json.lockbox_id);
	});

	test('unit: get through the list endpoint with the picker value', async () => {
		const [item] = await run({ resource: 'unit', operation: 'get', unitId: byId(1005) });
		assert.equal(item.json.id, 1005);
		assert.equal(lastRequest().query.unitIds, '1005');
	});

	test('unit: get many with status filter', async () => {
		const items = await run({ resource: 'unit', operation: 'getAll', returnAll: true, filters: { statuses: ['Available', 'On Hold'] } });
		assert.ok(items.length > 0);
		assert.ok(items.every((i) => ['Available', 'On Hold'].includes(i.json.status)));
		assert.equal(lastRequest().query.statuses, 'Available,On Hold');
	});

	test('unit: create sends the nested address and numbers', async () => {
		const [unit] = await api('/units?limit=1');
		const [item] = await run({
			resource: 'unit',
			operation: 'create',
			accountId: byId(unit.account_id),
			addressStreetNumber: '12',
			addressStreetName: 'Main St',
			addressZipCode: '78701',
			addressState: 'TX',
			addressCity: 'Austin',
			propertyType: 'CONDO',
			targetRentalRate: 1850,
			additionalFields: { bedrooms: 2, furnished: true, addressUnit: '4B' },
		});
		assert.ok(Number.isInteger(item.json.id));
		assert.deepEqual(lastRequest().body, {
			account_id: unit.account_id,
			address: { street_number: '12', street_name: 'Main St', zip_code: '78701', state: 'TX', city: 'Austin', unit: '4B' },
			property_type: 'CONDO',
			target_rental_rate: 1850,
			bedrooms: 2,
			furnished: true,
		});
		const [fetched] = await api(`/units?unitIds=${item.json.id}`);
		assert.equal(fetched.property_type, 'CONDO');
	});

	test('unit: update sends only the id and the changed fields', async () => {
		const [item] = await run({ resource: 'unit', operation: 'update', id: byId(1003), updateFields: { targetRentalRate: 2100 } });
		assert.deepEqual(lastRequest().body, { id: 1003, target_rental_rate: 2100 });
		assert.equal(item.json.id, 1003);
	});

	test('prospect: get many', async () => {
		const items = await run({ resource: 'prospect', operation: 'getAll', returnAll: true });
		assert.ok(items.length > 0);
	});

	test('multifamily property: get many, create, update', async () => {
		const before = await run({ resource: 'multifamilyProperty', operation: 'getAll', returnAll: true });
		const account = before[0].json.account_id;
		const [created] = await run({
			resource: 'multifamilyProperty',
			operation: 'create',
			communityName: 'Test Commons',
			buildingCount: 2,
			unitCount: 40,
			structureType: 'Garden Style',
			yearBuilt: 2001,
			photos: '[{"path":"https://example.com/a.jpg","hidden":false}]',
			textAddress: '1 Test Way, Austin, TX',
			accountId: byId(account),
			additionalFields: { externalIds: '{"yardi_id":"p-9"}' },
		});
		assert.equal(created.json.community_name, 'Test Commons');
		assert.deepEqual(lastRequest().body.photos, [{ path: 'https://example.com/a.jpg', hidden: false }]);
		assert.deepEqual(lastRequest().body.external_ids, { yardi_id: 'p-9' });
		const [updated] = await run({ resource: 'multifamilyProperty', operation: 'update', id: created.json.id, updateFields: { unitCount: 41 } });
		assert.equal(updated.json.unit_count, 41);
		assert.deepEqual(lastRequest().body, { id: created.json.id, unit_count: 41 });
		const after = await run({ resource: 'multifamilyProperty', operation: 'getAll', returnAll: true });
		assert.equal(after.length, before.length + 1);
	});

	test('floorplan: get many, create, update', async () => {
		const [property] = await api('/multifamily_properties?limit=1');
		const [created] = await run({
			resource: 'floorplan',
			operation: 'create',
			multifamilyPropertyId: property.id,
			additionalFields: { name: '2B2B', bedroomCount: 2, bathroomCount: 2.5, marketRent: 1900 },
		});
		assert.equal(created.json.name, '2B2B');
		assert.equal(lastRequest().body.bathroom_count, 2.5);
		const [updated] = await run({ resource: 'floorplan', operation: 'update', id: created.json.id, multifamilyPropertyId: property.id, updateFields: { unitsAvailable: 3 } });
		assert.equal(updated.json.units_available, 3);
		const all = await run({ resource: 'floorplan', operation: 'getAll', returnAll: true });
		assert.ok(all.some((i) => i.json.id === created.json.id));
	});

	test('leasing event: create (one event per call) and get many', async () => {
		const [prospect] = await api('/prospects?limit=1');
		const [item] = await run({
			resource: 'leasingEvent',
			operation: 'create',
			prospectId: prospect.id,
			eventType: 'Assign to User',
			additionalFields: {
				source: 'Phone Call',
				assignedToUserIds: '6f1c2d3e-0000-4000-8000-000000000001',
			},
		});
		assert.deepEqual(lastRequest().body, {
			events: [
				{
					prospect_id: prospect.id,
					event_type: 'Assign to User',
					source: 'Phone Call',
					context: { assignedToUserIds: ['6f1c2d3e-0000-4000-8000-000000000001'] },
				},
			],
		});
		assert.ok(item.json.id);
		const all = await run({ resource: 'leasingEvent', operation: 'getAll', returnAll: true });
		assert.ok(all.some((i) => i.json.id === item.json.id));
	});

	test('subteam: get many', async () => {
		const items = await run({ resource: 'subteam', operation: 'getAll', returnAll: true });
		assert.ok(items.length > 0);
	});

	test('prescreening template: get many and get by picker', async () => {
		const all = await run({ resource: 'prescreeningTemplate', operation: 'getAll', returnAll: true, filters: { isDefault: true } });
		assert.ok(all.length >= 1);
		assert.equal(lastRequest().query.isDefault, 'true');
		const [one] = await run({ resource: 'prescreeningTemplate', operation: 'get', prescreeningTemplateId: byId(all[0].json.id) });
		assert.equal(one.json.id, all[0].json.id);
	});

	test('showing: availability unwraps {availability}', async () => {
		const [item] = await run({ resource: 'showing', operation: 'getAvailability', unitId: byId(1001) });
		assert.equal(Number(item.json.unitId), 1001);
		assert.ok(Array.isArray(item.json.availableShowingWindows));
		assert.equal(lastRequest().query.unitId, '1001');
	});

	test('showing: create sends prospectData and parsed answers', async () => {
		const [item] = await run({
			resource: 'showing',
			operation: 'create',
			unitId: byId(1001),
			plannedForTime: '2030-01-15T17:00:00.000Z',
			prospectDataFirstName: 'Ada',
			prospectDataLastName: 'Lovelace',
			prospectDataEmail: 'ada@example.com',
			prospectDataPhone: '5125550100',
			prospectDataCreditScore: '700+',
			prospectDataIncome: '$5000-$6000/month',
			prospectDataQuestionAnswers: '[{"question":"Pets?","answer":"No"}]',
			additionalFields: { prospectType: 'self', showingMethod: 'Self Guided' },
		});
		const body = lastRequest().body;
		assert.equal(body.unitId, 1001);
		assert.equal(body.prospectData.firstName, 'Ada');
		assert.deepEqual(body.prospectData.questionAnswers, [{ question: 'Pets?', answer: 'No' }]);
		assert.ok(item.json.showing || item.json.id);
	});

	test('one request per input item, each with its own values', async () => {
		const items = await run(
			{ resource: 'unit', operation: 'get', unitId: { mode: 'id', value: '={{ $json.id }}' } },
			{ items: [{ json: { id: 1010 } }, { json: { id: 1011 } }] },
		);
		assert.deepEqual(items.map((i) => i.json.id).sort(), [1010, 1011]);
	});
});
