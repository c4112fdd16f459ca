// Every output item of our declarative nodes names the input item it came from (pairedItem), so that a later node's
// `$('Trigger').item` works after a list operation that ran for several input items (found in the Entrata flow).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { loadPackage, runNode } from '../harness/routing.mjs';
import { startBuildiumSimulator } from '../simulators/buildium.mjs';
import { startRentEngineSimulator } from '../simulators/rentengine.mjs';

let pkg;
let re;
let bd;
before(async () => {
	pkg = await loadPackage();
	re = await startRentEngineSimulator({ token: 'paired-token', units: 30, seed: 3 });
	bd = await startBuildiumSimulator({ rateLimit: null, rentalUnits: 30 });
});
after(async () => {
	await re?.close();
	await bd?.close();
});

test('RentEngine Get Many over two input items: each output item points at its input item', async () => {
	const out = await runNode(pkg.nodes.rentEngine, {
		parameters: { resource: 'unit', operation: 'getAll', returnAll: false, limit: 3, simplify: false },
		credentials: { rentEngineApi: { apiToken: 'paired-token', baseUrl: re.url, environment: 'production', webhookSecret: '' } },
		credentialTypes: pkg.credentials,
		items: [{ json: { n: 0 } }, { json: { n: 1 } }],
	});
	assert.equal(out.length, 6);
	assert.deepEqual(out.map((i) => i.pairedItem), [0, 0, 0, 1, 1, 1].map((item) => ({ item })));
});

test('Buildium single and list operations pair their output too', async () => {
	const creds = { buildiumApi: { environment: 'production', clientId: 'sim-client-id', clientSecret: 'sim-client-secret', baseUrl: bd.origin } };
	const list = await runNode(pkg.nodes.buildiumRentals, {
		parameters: { resource: 'rentalUnit', operation: 'getAll', returnAll: false, limit: 2 },
		credentials: creds,
		credentialTypes: pkg.credentials,
		items: [{ json: {} }, { json: {} }],
	});
	assert.deepEqual(list.map((i) => i.pairedItem), [0, 0, 1, 1].map((item) => ({ item })));
	const id = String(bd.db.rentalUnits[0].Id);
	const one = await runNode(pkg.nodes.buildiumRentals, {
		parameters: { resource: 'rentalUnit', operation: 'get', unitId: { __rl: true, mode: 'id', value: id } },
		credentials: creds,
		credentialTypes: pkg.credentials,
		items: [{ json: {} }, { json: {} }, { json: {} }],
	});
	assert.deepEqual(one.map((i) => i.pairedItem), [0, 1, 2].map((item) => ({ item })));
});

test('with Continue On Fail the failing item is an error item that still points at its input item', async () => {
	const out = await runNode(pkg.nodes.buildiumRentals, {
		parameters: { resource: 'rentalUnit', operation: 'get', unitId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } },
		credentials: { buildiumApi: { environment: 'production', clientId: 'sim-client-id', clientSecret: 'sim-client-secret', baseUrl: bd.origin } },
		credentialTypes: pkg.credentials,
		items: [{ json: { id: '999999999' } }, { json: { id: String(bd.db.rentalUnits[1].Id) } }],
		continueOnFail: true,
	});
	assert.equal(out.length, 2);
	assert.ok(out[0].error, 'the unknown unit gives an error item');
	assert.deepEqual(out[0].pairedItem, { item: 0 });
	assert.equal(out[1].json.Id, bd.db.rentalUnits[1].Id);
	assert.deepEqual(out[1].pairedItem, { item: 1 });
});
