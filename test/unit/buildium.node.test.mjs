// The six Buildium nodes through n8n-core's RoutingNode against the Buildium simulator: description budget and
// names, offset paging with X-Total-Count (request counts, order, concurrency), repeated array filters, vendor
// errors, retries, the 10 requests/s pacing over many items, and the two-step file transfers.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, beforeEach, describe, test } from 'node:test';

import { parseSummary, singular } from '../../scripts/generator/auto.mjs';
import { buildModel, humanize, plural, splitWords, vocabularyOf } from '../../scripts/generator/model.mjs';
import { loadSpec, rawOperations } from '../../scripts/generator/openapi.mjs';
import { specPath } from '../../scripts/lib/specs.mjs';
import { loadPackage, runNode } from '../harness/routing.mjs';
import { startBuildiumSimulator } from '../simulators/buildium.mjs';

const root = new URL('../../', import.meta.url);
const cfg = { id: 'buildium', ...JSON.parse(readFileSync(new URL('scripts/generator/buildium.json', root), 'utf8')) };
const rawOps = rawOperations(loadSpec(specPath(cfg.spec)));
const model = buildModel(cfg, rawOps);
const NODE_NAMES = Object.keys(cfg.nodes);

/** Node, resource and operation values of the spec operation `method path`, from the generator's model. */
function operation(method, path) {
	for (const entry of model) {
		const op = entry.operations.find((o) => o.method === method && o.path === path);
		if (!op) continue;
		const nodeName = NODE_NAMES.find((n) => cfg.nodes[n].resources.some((tag) => cfg.resources[tag].value === entry.resource.value));
		return { nodeName, parameters: { resource: entry.resource.value, operation: op.value } };
	}
	throw new Error(`no model operation for ${method} ${path}`);
}

const UNITS = 2500;
let pkg;
let sim;

// The bundle's one pacing module: budgets are keyed by the credential's identity (host + client id), so a test that
// needs a budget of its own forgets the budgets (and 429 slowdowns) earlier tests left for the simulator's key.
const pacing = createRequire(import.meta.url)(new URL('dist/shared/pacing.js', root).pathname);

/** A credential for the simulator; `fresh` starts it on a fresh pacing budget. */
function credentials(sm = sim, { fresh = false, clientSecret } = {}) {
	if (fresh) pacing.resetPacing();
	return {
		buildiumApi: {
			environment: 'production',
			clientId: sm.clientId,
			clientSecret: clientSecret ?? sm.clientSecret,
			webhookSecret: '',
			baseUrl: sm.origin,
		},
	};
}

async function run(method, path, extra = {}, { sm = sim, items, continueOnFail, fresh, clientSecret, creds } = {}) {
	const { nodeName, parameters } = operation(method, path);
	return await runNode(pkg.nodes[nodeName], {
		parameters: { ...parameters, ...extra },
		items,
		continueOnFail,
		credentials: creds ?? credentials(sm, { fresh, clientSecret }),
		credentialTypes: pkg.credentials,
	});
}

const api = (sm = sim) => sm.requests.filter((r) => r.path.startsWith('/v1/'));
const unitRequests = (sm = sim) => api(sm).filter((r) => r.path === '/v1/rentals/units');

/** The rental units as the simulator lists them (its own order), read directly. */
async function unitIdsFromApi(sm, query = '') {
	const ids = [];
	for (let offset = 0; ; offset += 1000) {
		const res = await fetch(`${sm.url}/rentals/units?limit=1000&offset=${offset}${query}`, { headers: sm.authHeaders() });
		const page = await res.json();
		ids.push(...page.map((u) => u.Id));
		if (page.length < 1000) return ids;
	}
}

before(async () => {
	pkg = await loadPackage();
	// The pacing and rate-limit tests switch the simulator's limit on; elsewhere it would only add retries.
	sim = await startBuildiumSimulator({ rentalUnits: UNITS, rateLimit: null });
});
after(async () => sim?.close());
beforeEach(() => {
	sim.clearRequests();
	sim.clearFaults();
});

describe('descriptions', () => {
	test('each Buildium node description is at most 300 000 bytes and usable as a tool', () => {
		for (const name of NODE_NAMES) {
			const NodeClass = pkg.nodes[name].constructor;
			const size = JSON.stringify(new NodeClass().description).length;
			console.log(`${name}: ${size} bytes`);
			assert.ok(size <= 300_000, `${name} is ${size} bytes`);
			assert.equal(pkg.nodes[name].description.usableAsTool, true, name);
		}
	});

	test('every action reads as English: plural after "Get many", no "propertys", sentence case, unique per resource', () => {
		for (const name of NODE_NAMES) {
			const operationProps = pkg.nodes[name].description.properties.filter((p) => p.name === 'operation');
			// The editor lists actions under their resource: unique within each resource.
			for (const p of operationProps) {
				const own = p.options.map((o) => o.action);
				assert.equal(new Set(own).size, own.length, `${name} ${p.displayOptions.show.resource}: duplicate actions`);
			}
			const actions = operationProps.flatMap((p) => p.options.map((o) => o.action));
			for (const action of actions) {
				assert.doesNotMatch(action, /[^aeiou\s]ys\b/i, action);
				assert.doesNotMatch(action, /\s{2}|\b(\w+) \1\b/i, action);
				assert.match(action, /^[A-Z][^A-Z]*$/, `sentence case: ${action}`);
				if (action.startsWith('Get many ')) {
					// The noun is plural, a mass noun, or "X of/for a Y".
					assert.match(action, /(s|data|history)( (of|for) (a|an|all) .+)?$/, action);
				}
			}
		}
		const rentals = pkg.nodes.buildiumRentals.description.properties.filter((p) => p.name === 'operation').flatMap((p) => p.options);
		assert.ok(rentals.some((o) => o.value === 'getAll' && o.action === 'Get many rental properties'));
		assert.ok(rentals.some((o) => o.value === 'getAll' && o.action === 'Get many rental units'));
	});

	test('auto naming: parseSummary and singular', () => {
		assert.deepEqual(parseSummary('Retrieve all properties'), { verb: 'Get Many', noun: 'properties' });
		assert.deepEqual(parseSummary('Retrieve a property image.'), { verb: 'Get', noun: 'property image' });
		assert.deepEqual(parseSummary('Create a lease'), { verb: 'Create', noun: 'lease' });
		assert.deepEqual(parseSummary('Update an applicant'), { verb: 'Update', noun: 'applicant' });
		assert.deepEqual(parseSummary('Inactivate a property'), { verb: 'Inactivate', noun: 'property' });
		assert.deepEqual(parseSummary('Edit the settings'), { verb: 'Update', noun: 'settings' });
		assert.equal(parseSummary('Download all files').verb, 'Download', '"all" makes Get Many only for Get');
		for (const [word, one] of [['properties', 'property'], ['addresses', 'address'], ['status', 'status'], ['boxes', 'box'], ['branches', 'branch'], ['leases', 'lease'], ['analysis', 'analysis'], ['units', 'unit'], ['unit', 'unit']]) {
			assert.equal(singular(word), one, word);
		}
		for (const [one, many] of [['property', 'properties'], ['lockbox', 'lockboxes'], ['unit', 'units'], ['day', 'days'], ['branch', 'branches']]) assert.equal(plural(one), many);
	});

	test("Buildium's run-together query parameter names get readable display names", () => {
		const vocabulary = vocabularyOf(rawOps);
		for (const [name, label] of [
			['lastupdatedfrom', 'Last Updated From'],
			['propertyids', 'Property IDs'],
			['orderby', 'Order By'],
			['glaccountids', 'GL Account IDs'],
			['leasestatuses', 'Lease Statuses'],
			['titleordescription', 'Title Or Description'],
			['status', 'Status'],
			['xyzzyplugh', 'Xyzzyplugh'],
		]) {
			assert.equal(humanize(splitWords(name, vocabulary)), label, name);
		}
		const filters = pkg.nodes.buildiumRentals.description.properties.find((p) => p.name === 'filters' && p.displayOptions.show.resource[0] === 'rentalUnit' && p.displayOptions.show.operation[0] === 'getAll');
		assert.deepEqual(filters.options.map((o) => [o.name, o.displayName]), [
			['lastupdatedfrom', 'Last Updated From'],
			['lastupdatedto', 'Last Updated To'],
			['orderby', 'Order By'],
			['propertyids', 'Property IDs'],
		]);
	});
});

describe('offset paging with X-Total-Count', () => {
	test(`Return All of ${UNITS} rental units: exactly 3 requests, every unit once, in the simulator's order`, async () => {
		const expected = await unitIdsFromApi(sim);
		sim.clearRequests();
		const items = await run('GET', '/v1/rentals/units', { returnAll: true });
		assert.equal(items.length, UNITS);
		assert.deepEqual(items.map((i) => i.json.Id), expected);
		const requests = unitRequests();
		assert.equal(requests.length, 3);
		assert.deepEqual(requests.map((r) => [r.query.offset, r.query.limit]).sort((a, b) => a[0] - b[0]), [['0', '1000'], ['1000', '1000'], ['2000', '1000']]);
	});

	test('a total that is a multiple of 1000 (2000): exactly 2 requests, no empty page', async () => {
		sim.seed({ rentalUnits: 2000 });
		try {
			const items = await run('GET', '/v1/rentals/units', { returnAll: true });
			assert.equal(items.length, 2000);
			assert.equal(unitRequests().length, 2);
		} finally {
			sim.seed({ rentalUnits: UNITS });
		}
	});

	test('no records: 1 request, 0 items', async () => {
		const items = await run('GET', '/v1/rentals/units', { returnAll: true, filters: { propertyids: '2147483000' } });
		assert.equal(items.length, 0);
		assert.equal(unitRequests().length, 1);
	});

	test('Limit 1500: exactly 1500 items from 2 pages of 1000', async () => {
		const expected = (await unitIdsFromApi(sim)).slice(0, 1500);
		sim.clearRequests();
		const items = await run('GET', '/v1/rentals/units', { returnAll: false, limit: 1500 });
		assert.equal(items.length, 1500);
		assert.deepEqual(items.map((i) => i.json.Id), expected);
		assert.deepEqual(unitRequests().map((r) => r.query.limit), ['1000', '1000']);
	});

	test('array filters go out as repeated parameters (?propertyids=A&propertyids=B), not one comma list', async () => {
		const [a, b] = (await (await fetch(`${sim.url}/rentals?limit=2`, { headers: sim.authHeaders() })).json()).map((p) => p.Id);
		sim.clearRequests();
		const items = await run('GET', '/v1/rentals/units', { returnAll: true, filters: { propertyids: `${a}, ${b}` } });
		const [request] = unitRequests();
		assert.deepEqual(request.query.propertyids, [String(a), String(b)]);
		assert.ok(items.length > 0);
		assert.ok(items.every((i) => [a, b].includes(i.json.PropertyId)));
		const direct = await unitIdsFromApi(sim, `&propertyids=${a}&propertyids=${b}`);
		assert.deepEqual(items.map((i) => i.json.Id), direct);
	});

	test('concurrency: Return All of 10 000 units with 50 ms latency fetches pages 2-10 at once', async () => {
		const big = await startBuildiumSimulator({ rentalUnits: 10_000, rateLimit: null });
		try {
			const time = async () => {
				big.clearRequests();
				const t0 = performance.now();
				const items = await run('GET', '/v1/rentals/units', { returnAll: true }, { sm: big, fresh: true });
				const ms = performance.now() - t0;
				assert.equal(items.length, 10_000);
				assert.equal(unitRequests(big).length, 10);
				return ms;
			};
			// Best of three each: the machine is shared, and the point is the latency paid, not the parsing.
			const best = async () => Math.min(await time(), await time(), await time());
			await time(); // warm-up (JIT, sockets)
			const withoutLatency = await best();
			big.setLatency(50);
			const withLatency = await best();
			const latencyCost = withLatency - withoutLatency;
			const sequential = 10 * 50;
			console.log(
				`10 000 units: ${withLatency.toFixed(0)} ms with 50 ms latency, ${withoutLatency.toFixed(0)} ms without; ` +
					`latency cost ${latencyCost.toFixed(0)} ms vs ${sequential} ms sequential (${(latencyCost / sequential).toFixed(2)}×)`,
			);
			// The time is reported, not asserted (a busy machine moves it); what is asserted is the shape: fetched one after
			// another, pages 2-10 would arrive at least 8 × 50 ms apart; fetched together, they arrive within a fraction of that.
			const arrivals = unitRequests(big).slice(1).map((r) => Date.parse(r.at));
			const span = Math.max(...arrivals) - Math.min(...arrivals);
			assert.ok(span < 4 * 50, `pages 2-10 arrived within ${span} ms (sequential: ≥ 400 ms)`);
		} finally {
			await big.close();
		}
	});
});

describe('errors', () => {
	test('a 400 is a NodeApiError whose message names the failing field (Errors[].Key)', async () => {
		await assert.rejects(run('GET', '/v1/rentals/{propertyId}', { propertyId: { __rl: true, mode: 'id', value: 'abc' } }), (error) => {
			assert.equal(error.name, 'NodeApiError');
			assert.equal(error.httpCode, '400');
			assert.match(error.message, /propertyId/);
			assert.match(error.message, /\[400\]/);
			return true;
		});
		// A required body field left empty.
		await assert.rejects(run('POST', '/v1/tasks/categories', { name: '' }), (error) => {
			assert.equal(error.name, 'NodeApiError');
			assert.match(error.message, /\[400\].*\bName\b/);
			return true;
		});
		// A nested body field: the key is its path (Address.Country), in the message and the description.
		const property = {
			name: 'Test Property',
			addressAddressLine1: '1 Main St',
			addressPostalCode: '78701',
			addressCountry: 'Narnia',
			rentalSubType: 'SingleFamily',
			operatingBankAccountId: 1,
		};
		await assert.rejects(run('POST', '/v1/rentals', property), (error) => {
			assert.equal(error.httpCode, '400');
			assert.match(error.message, /Address\.Country/);
			assert.match(error.description, /Address\.Country/);
			return true;
		});
	});

	test('Continue On Fail: the failing item becomes an error item naming the field, the others go on', async () => {
		const ids = (await (await fetch(`${sim.url}/rentals?limit=2`, { headers: sim.authHeaders() })).json()).map((p) => p.Id);
		sim.clearRequests();
		const items = await run(
			'GET',
			'/v1/rentals/{propertyId}',
			{ propertyId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } },
			{ items: [{ json: { id: String(ids[0]) } }, { json: { id: 'abc' } }, { json: { id: String(ids[1]) } }], continueOnFail: true },
		);
		assert.equal(items.length, 3);
		assert.equal(items[0].json.Id, ids[0]);
		assert.equal(items[1].error?.name, 'NodeApiError');
		assert.match(items[1].error.message, /\[400\].*propertyId/);
		assert.equal(items[2].json.Id, ids[1]);
		assert.equal(api().length, 3);
	});

	test('401: wrong keys are named in the message and hint, and not retried', async () => {
		await assert.rejects(run('GET', '/v1/rentals', { limit: 1 }, { clientSecret: 'wrong-secret' }), (error) => {
			assert.equal(error.httpCode, '401');
			assert.match(error.message, /\[401\].*client ID and secret/i);
			assert.match(error.description, /Client ID and Client Secret/);
			return true;
		});
		assert.equal(api().length, 1);
	});

	test("403: the limited key's refusal names the missing permission", async () => {
		const { clientId, clientSecret } = sim.limitedClient;
		const creds = { buildiumApi: { environment: 'production', clientId, clientSecret, webhookSecret: '', baseUrl: sim.origin } };
		await assert.rejects(run('GET', '/v1/rentals', { limit: 1 }, { creds }), (error) => {
			assert.equal(error.httpCode, '403');
			assert.match(error.message, /\[403\].*permission/i);
			assert.match(error.message, /Rentals/);
			assert.match(error.description, /lacks the permission/);
			return true;
		});
		assert.equal(api().length, 1);
	});

	test('429 is retried and then succeeds', async () => {
		sim.injectFault({ kind: '429', method: 'GET', path: '/v1/rentals/units', times: 2 });
		const items = await run('GET', '/v1/rentals/units', { returnAll: false, limit: 5 });
		assert.equal(items.length, 5);
		assert.deepEqual(unitRequests().map((r) => r.status), [429, 429, 200]);
	});
});

describe('rate limit: 10 requests per second per key', () => {
	test('a Create over 60 items finishes without a failure within 1.2× the limit-imposed minimum', async () => {
		sim.setRateLimit({ limit: 10, windowMs: 1000 });
		try {
			const items = Array.from({ length: 60 }, (_, i) => ({ json: { name: `Category ${i}` } }));
			const started = Date.now();
			const t0 = performance.now();
			const out = await run('POST', '/v1/tasks/categories', { name: '={{ $json.name }}' }, { items, fresh: true });
			const total = performance.now() - t0;
			const minimum = (Math.ceil(60 / 10) - 1) * 1000; // the 60th request may start 5 s after the first
			const arrivals = api().map((r) => Date.parse(r.at));
			const prep = arrivals[0] - started; // RoutingNode builds every item's request before the first goes out
			const span = arrivals.at(-1) - arrivals[0];
			const statuses = api().map((r) => r.status);
			console.log(
				`60 creates at 10/s: ${total.toFixed(0)} ms in all vs ${minimum} ms minimum (${(total / minimum).toFixed(2)}×); ` +
					`first request after ${prep} ms, first to last request ${span} ms (${(span / minimum).toFixed(2)}×); 429s: ${statuses.filter((x) => x === 429).length}`,
			);
			assert.equal(out.length, 60);
			assert.deepEqual(out.map((i) => i.json.Name), items.map((i) => i.json.name));
			assert.deepEqual(statuses, Array(60).fill(201), 'no 429, no retry, no failure');
			assert.ok(span >= minimum - 50, `10/s kept (${span} ms)`);
			assert.ok(span <= 1.2 * minimum, `${span} ms from the first request to the last > 1.2 × ${minimum} ms`);
			assert.ok(total - prep <= 1.2 * minimum, `${(total - prep).toFixed(0)} ms after the first request > 1.2 × ${minimum} ms`);
		} finally {
			sim.setRateLimit(null);
		}
	});
});

describe('files (two-step, presigned)', () => {
	test('upload sends the input binary to the bucket with the returned headers and no Buildium credentials; download returns the same bytes', async () => {
		const bytes = randomBytes(4096);
		const binary = { data: bytes.toString('base64'), mimeType: 'application/pdf', fileName: 'lease.pdf', fileExtension: 'pdf' };
		const category = (await (await fetch(`${sim.url}/files/categories?limit=1`, { headers: sim.authHeaders() })).json())[0].Id;
		sim.clearRequests();
		const [uploaded] = await run(
			'POST',
			'/v1/files/uploads',
			{ entityType: 'Account', fileName: 'lease.pdf', title: 'Lease', categoryId: category, binaryPropertyName: 'data' },
			{ items: [{ json: {}, binary: { data: binary } }] },
		);
		assert.equal(uploaded.json.uploaded, true);
		assert.equal(uploaded.json.bytes, 4096);
		assert.equal(uploaded.json.UploadUrl, undefined, 'the presigned URL is not passed on');
		const put = sim.bucketRequests.at(-1);
		assert.equal(put.method, 'PUT');
		assert.equal(put.size, 4096);
		assert.equal(put.headers['x-buildium-client-id'], undefined);
		assert.equal(put.headers['x-buildium-client-secret'], undefined);
		assert.ok(Object.keys(put.headers).some((h) => h.startsWith('x-amz-meta-buildium')), 'the returned headers were sent');
		const stored = sim.uploadedFiles.at(-1);
		assert.equal(stored.size, 4096);

		const [downloaded] = await run('POST', '/v1/files/{fileId}/downloadrequest', { fileId: stored.id, binaryPropertyName: 'file' });
		assert.ok(downloaded.binary.file, 'binary output in the chosen field');
		assert.deepEqual(Buffer.from(downloaded.binary.file.data, 'base64'), bytes);
		assert.equal(downloaded.binary.file.mimeType, 'application/pdf');
		assert.equal(downloaded.json.bytes, 4096);
	});
});
