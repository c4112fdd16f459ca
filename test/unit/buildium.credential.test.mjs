// The Buildium credential's own test request against the simulator: good keys, wrong keys, a key without
// permission, and the base URL rules.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';

import { loadPackage, testCredential } from '../harness/routing.mjs';
import { startBuildiumSimulator } from '../simulators/buildium.mjs';

let sim;
let pkg;
before(async () => {
	pkg = await loadPackage();
	sim = await startBuildiumSimulator({ rateLimit: null, rentals: 3 });
});
after(async () => sim?.close());

const data = ({ clientId = sim.clientId, clientSecret = sim.clientSecret, baseUrl = sim.origin } = {}) => ({ environment: 'production', clientId, clientSecret, webhookSecret: '', baseUrl });
const check = (d) => testCredential(pkg.credentials.buildiumApi, 'buildiumApi', d);

test('good keys pass with one request for one rental property, sent with both key headers', async () => {
	sim.clearRequests();
	const result = await check(data());
	assert.equal(result.status, 200);
	assert.equal(result.ok, true);
	assert.equal(result.message, undefined);
	assert.equal(sim.requests.length, 1);
	const [request] = sim.requests;
	assert.equal(request.path, '/v1/rentals');
	assert.deepEqual(request.query, { limit: '1' });
	assert.equal(request.headers['x-buildium-client-id'], sim.clientId);
	assert.equal(request.headers['x-buildium-client-secret'], '<redacted>', 'sent (the simulator redacts it in its log)');
	assert.equal(JSON.parse(result.body).length, 1);
});

test('wrong keys fail with 401 and a message naming the Client ID and Secret', async () => {
	for (const d of [data({ clientSecret: 'wrong' }), data({ clientId: 'nobody' }), data({ clientId: '', clientSecret: '' })]) {
		const result = await check(d);
		assert.equal(result.status, 401);
		assert.equal(result.ok, false);
		assert.match(result.message, /Client ID or Client Secret/);
		assert.match(result.body, /client ID and secret/i);
	}
});

test("the simulator's limited key fails with 403 and a message about permissions", async () => {
	const { clientId, clientSecret } = sim.limitedClient;
	const result = await check(data({ clientId, clientSecret }));
	assert.equal(result.status, 403);
	assert.equal(result.ok, false);
	assert.match(result.message, /lacks permission to read rental properties/);
	assert.match(result.body, /Required permission/);
});

test('a trailing slash in the base URL override is tolerated; without one the environment picks the host', async () => {
	assert.equal((await check(data({ baseUrl: `${sim.origin}/` }))).status, 200);
	const require = createRequire(import.meta.url);
	const { buildiumBaseUrl } = require('../../dist/credentials/BuildiumApi.credentials.js');
	assert.equal(buildiumBaseUrl({ environment: 'production' }), 'https://api.buildium.com');
	assert.equal(buildiumBaseUrl({ environment: 'sandbox' }), 'https://apisandbox.buildium.com');
	assert.equal(buildiumBaseUrl({ environment: 'sandbox', baseUrl: 'http://127.0.0.1:9/' }), 'http://127.0.0.1:9');
});
