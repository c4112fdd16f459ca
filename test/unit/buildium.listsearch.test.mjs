// The Buildium pickers' list-search methods, called through n8n-core's LoadOptionsContext against the simulator:
// one API page of 200 per call, the next offset as pagination token, the filter applied to the page, labels.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { loadPackage, runListSearch } from '../harness/routing.mjs';
import { startBuildiumSimulator } from '../simulators/buildium.mjs';

let sim;
let pkg;

const search = (method, options = {}) =>
	runListSearch(pkg.nodes.buildiumRentals, method, {
		credentials: { buildiumApi: { environment: 'production', clientId: sim.clientId, clientSecret: sim.clientSecret, webhookSecret: '', baseUrl: sim.origin } },
		credentialTypes: pkg.credentials,
		...options,
	});

/** The records of a Buildium list endpoint as the API returns them. */
async function list(path) {
	const res = await fetch(`${sim.url}${path}`, { headers: sim.authHeaders() });
	assert.equal(res.status, 200);
	return await res.json();
}

before(async () => {
	pkg = await loadPackage();
	sim = await startBuildiumSimulator({ rateLimit: null, rentals: 450, rentalUnits: 260, leases: 30 });
});
after(async () => sim?.close());
beforeEach(() => {
	sim.clearRequests();
	sim.clearFaults();
});

describe('Buildium list search', () => {
	test('every picker of the six nodes has its list-search method, and all ten are used', () => {
		const used = new Set();
		for (const [name, node] of Object.entries(pkg.nodes)) {
			if (!name.startsWith('buildium') || name === 'buildiumTrigger') continue;
			const methods = new Set(node.description.properties.flatMap((p) => [p, ...(p.options ?? [])]).filter((p) => p.type === 'resourceLocator').flatMap((p) => p.modes.map((m) => m.typeOptions?.searchListMethod).filter(Boolean)));
			for (const m of methods) {
				assert.equal(typeof node.methods.listSearch[m], 'function', `${name}.${m}`);
				used.add(m);
			}
		}
		assert.deepEqual([...used].sort(), Object.keys(pkg.nodes.buildiumRentals.methods.listSearch).sort());
		assert.equal(used.size, 10);
	});

	test('rental properties: pages of 200 ordered by name, the next offset as token, until the last page', async () => {
		const expected = await list('/rentals?limit=200&offset=0&orderby=Name');
		sim.clearRequests();
		const first = await search('searchRentalProperties');
		assert.equal(first.results.length, 200);
		assert.equal(first.paginationToken, '200');
		assert.deepEqual(first.results.map((r) => r.value), expected.map((p) => String(p.Id)));
		assert.equal(first.results[0].name, `${expected[0].Name} · ${expected[0].Address.AddressLine1}, ${expected[0].Address.City} (#${expected[0].Id})`);
		const last = await search('searchRentalProperties', { paginationToken: '400' });
		assert.equal(last.results.length, 50);
		assert.equal(last.paginationToken, undefined);
		assert.deepEqual(sim.requests.map((r) => r.query), [
			{ orderby: 'Name', limit: '200', offset: '0' },
			{ orderby: 'Name', limit: '200', offset: '400' },
		]);
		assert.ok(sim.requests.every((r) => r.headers['x-buildium-client-id'] === sim.clientId));
	});

	test('the filter narrows the page by name or ID, case-insensitively', async () => {
		const [property] = await list('/rentals?limit=1&orderby=Name');
		const byName = await search('searchRentalProperties', { filter: property.Name.toUpperCase() });
		assert.ok(byName.results.length >= 1);
		assert.ok(byName.results.every((r) => r.name.toLowerCase().includes(property.Name.toLowerCase())));
		assert.ok(byName.results.some((r) => r.value === String(property.Id)));
		const byId = await search('searchRentalProperties', { filter: `#${property.Id})` });
		assert.deepEqual(byId.results.map((r) => r.value), [String(property.Id)]);
		assert.equal(byId.paginationToken, '200', 'the token still points past the page that was searched');
	});

	test('rental units, leases, tenants, owners, applicants, associations, vendors, GL and bank accounts: IDs and labels from the API', async () => {
		const cases = [
			['searchRentalUnits', '/rentals/units', (r) => r.UnitNumber],
			['searchLeases', '/leases', (r) => r.UnitNumber],
			['searchTenants', '/leases/tenants', (r) => r.FirstName],
			['searchRentalOwners', '/rentals/owners', (r) => r.FirstName || r.CompanyName],
			['searchApplicants', '/applicants', (r) => r.FirstName],
			['searchAssociations', '/associations?orderby=Name', (r) => r.Name],
			['searchVendors', '/vendors', (r) => r.CompanyName || r.FirstName],
			['searchGlAccounts', '/glaccounts', (r) => r.Name],
			['searchBankAccounts', '/bankaccounts', (r) => r.Name],
		];
		for (const [method, path, label] of cases) {
			const records = await list(`${path}${path.includes('?') ? '&' : '?'}limit=200&offset=0`);
			const { results, paginationToken } = await search(method);
			assert.deepEqual(results.map((r) => r.value), records.map((r) => String(r.Id)), method);
			assert.equal(paginationToken, records.length === 200 ? '200' : undefined, method);
			for (const [i, r] of results.entries()) {
				assert.ok(r.name.endsWith(`(#${records[i].Id})`), `${method}: ${r.name}`);
				if (label(records[i])) assert.ok(r.name.includes(String(label(records[i]))), `${method}: ${r.name} names ${label(records[i])}`);
			}
		}
		const units = await search('searchRentalUnits');
		assert.equal(units.results.length, 200);
		assert.equal((await search('searchRentalUnits', { paginationToken: units.paginationToken })).results.length, 60);
	});

	test('a 429 during a search is retried; wrong keys are a clear 401 error', async () => {
		sim.injectFault({ kind: '429', path: '/v1/leases', times: 1 });
		const { results } = await search('searchLeases');
		assert.equal(results.length, 30);
		assert.deepEqual(sim.requests.map((r) => r.status), [429, 200]);
		await assert.rejects(
			runListSearch(pkg.nodes.buildiumLeasing, 'searchLeases', {
				credentials: { buildiumApi: { environment: 'production', clientId: sim.clientId, clientSecret: 'wrong', baseUrl: sim.origin } },
				credentialTypes: pkg.credentials,
			}),
			/\[401\]/,
		);
	});
});
