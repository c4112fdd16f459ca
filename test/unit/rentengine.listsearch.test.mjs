// The pickers' list-search methods, called through n8n-core's LoadOptionsContext against the simulator.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';

import { loadPackage, runListSearch } from '../harness/routing.mjs';
import { startRentEngineSimulator } from '../simulators/rentengine.mjs';

const TOKEN = 'list-search-token';
let sim;
let pkg;

const search = (method, options = {}) =>
	runListSearch(pkg.nodes.rentEngine, method, {
		credentials: { rentEngineApi: { apiToken: TOKEN, baseUrl: sim.url, environment: 'production' } },
		credentialTypes: pkg.credentials,
		...options,
	});

before(async () => {
	pkg = await loadPackage();
	sim = await startRentEngineSimulator({ token: TOKEN, units: 250 });
});
after(async () => sim?.close());
beforeEach(() => {
	sim.clearRequests();
	sim.clearFaults();
});

test('units: one page of 100 per call, with a token for the next page until the last', async () => {
	const first = await search('searchUnits');
	assert.equal(first.results.length, 100);
	assert.equal(first.paginationToken, '1');
	assert.match(first.results[0].name, /#1001\)$/);
	assert.equal(first.results[0].value, '1001');
	const last = await search('searchUnits', { paginationToken: '2' });
	assert.equal(last.results.length, 50);
	assert.equal(last.paginationToken, undefined);
	assert.deepEqual(sim.requests.map((r) => r.query), [
		{ limit: '100', page_number: '0' },
		{ limit: '100', page_number: '2' },
	]);
});

test('units: the filter narrows the page by ID or label', async () => {
	const { results } = await search('searchUnits', { filter: '1042' });
	assert.deepEqual(results.map((r) => r.value), ['1042']);
});

test('accounts: collected from units and lockboxes, deduplicated and sorted', async () => {
	const { results } = await search('searchAccounts');
	const expected = [...new Set(sim.db.units.slice(0, 100).map((u) => u.account_id).concat(sim.db.lockboxes.map((l) => l.account_id)))].sort();
	assert.deepEqual(results.map((r) => r.value), expected);
});

test('prescreening templates: named, searchable', async () => {
	const all = await search('searchPrescreeningTemplates');
	assert.equal(all.results.length, sim.db.prescreening_templates.length);
	const name = sim.db.prescreening_templates[0].name;
	const filtered = await search('searchPrescreeningTemplates', { filter: name.slice(0, 6).toUpperCase() });
	assert.ok(filtered.results.some((r) => r.name === name));
});

test('a 429 during a search is retried; a wrong token is a clear error', async () => {
	sim.injectFault({ kind: '429', path: '/api/public/v1/prescreening_templates', times: 1, retryAfter: 0 });
	const { results } = await search('searchPrescreeningTemplates');
	assert.ok(results.length > 0);
	await assert.rejects(
		runListSearch(pkg.nodes.rentEngine, 'searchUnits', {
			credentials: { rentEngineApi: { apiToken: 'bad-token-xyz', baseUrl: sim.url } },
			credentialTypes: pkg.credentials,
		}),
		(error) => {
			assert.match(error.message, /RentEngine rejected the request \[401\]/);
			assert.ok(!JSON.stringify({ m: error.message, d: error.description }).includes('bad-token-xyz'));
			return true;
		},
	);
});
