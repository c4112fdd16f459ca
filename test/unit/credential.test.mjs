// The credential's own test request really checks the token (and the base URL rules).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { loadPackage, testCredential } from '../harness/routing.mjs';
import { startRentEngineSimulator } from '../simulators/rentengine.mjs';

let sim;
let pkg;
before(async () => {
	pkg = await loadPackage();
	sim = await startRentEngineSimulator({ token: 'cred-test-token', units: 5 });
});
after(async () => sim?.close());

const data = (token, baseUrl = sim.url) => ({ apiToken: token, environment: 'production', baseUrl, webhookSecret: '' });

test('a valid token passes the credential test with one authenticated request', async () => {
	sim.clearRequests();
	const result = await testCredential(pkg.credentials.rentEngineApi, 'rentEngineApi', data('cred-test-token'));
	assert.equal(result.status, 200);
	assert.equal(sim.requests.length, 1);
	assert.deepEqual(sim.requests[0].query, { limit: '1', page_number: '0' });
});

test('a wrong token fails the credential test', async () => {
	const result = await testCredential(pkg.credentials.rentEngineApi, 'rentEngineApi', data('nope'));
	assert.equal(result.status, 401);
});

test('a trailing slash in the base URL override is tolerated', async () => {
	const result = await testCredential(pkg.credentials.rentEngineApi, 'rentEngineApi', data('cred-test-token', `${sim.url}/`));
	assert.equal(result.status, 200);
});

test('without an override the environment picks production or staging', async () => {
	const { createRequire } = await import('node:module');
	const require = createRequire(import.meta.url);
	const { rentEngineBaseUrl } = require('../../dist/nodes/RentEngine/common/profile.js');
	assert.equal(rentEngineBaseUrl({ environment: 'production' }), 'https://app.rentengine.io/api/public/v1');
	assert.equal(rentEngineBaseUrl({ environment: 'staging' }), 'https://staging-app.rentengine.io/api/public/v1');
	assert.equal(rentEngineBaseUrl({ environment: 'staging', baseUrl: 'http://127.0.0.1:9/x/' }), 'http://127.0.0.1:9/x');
});
