// The shared transport's parts that RentEngine does not use yet, run through n8n-core's real RoutingNode:
// offset/limit paging (Buildium's style) and errors reported inside HTTP 200 (Entrata's style). The API is a
// small simulator on the same base as the vendor ones; the node is a minimal declarative node wired exactly
// like the generated RentEngine operations.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';

import { runNode } from '../harness/routing.mjs';
import { createSimulator, HttpError } from '../simulators/base.mjs';

const require = createRequire(import.meta.url);
const transport = require('../../dist/nodes/common/transport/index.js');

const KEY = 'offset-api-key-123';
const RECORDS = 120;
const MAX_PAGE = 50;

// ---- the API: offset/limit paging with a hard maximum, RPC errors inside 200 ------------------------------------
const sim = createSimulator({
	name: 'offset-api',
	basePath: '/v1',
	authenticate: ({ headers }) => (headers['x-key'] === KEY ? null : { status: 401, body: { error: 'Bad key' } }),
	errorBody: (status, message) => ({ error: message }),
	seed: () => ({ records: Array.from({ length: RECORDS }, (_, i) => ({ id: i + 1, name: `record ${i + 1}` })) }),
	routes: [
		{
			method: 'GET',
			path: '/records',
			handler({ db, query }) {
				const offset = Number(query.offset ?? 0);
				const limit = Number(query.limit ?? 10);
				if (!(limit >= 1 && limit <= MAX_PAGE)) throw new HttpError(400, { error: `limit must be 1-${MAX_PAGE}`, code: 'limit' });
				return { status: 200, body: db.records.slice(offset, offset + limit) };
			},
		},
		{
			// A `has_more` envelope whose server caps the page below what was asked (RentEngine reports style).
			method: 'GET',
			path: '/envelope',
			handler({ db, query }) {
				const page = Number(query.page_number ?? 0);
				const size = Math.min(Number(query.limit ?? 10), 25);
				const data = db.records.slice(page * size, page * size + size);
				const hasMore = (page + 1) * size < db.records.length;
				return { status: 200, body: { data, page: { has_more: hasMore, next_page_number: hasMore ? page + 1 : null } } };
			},
		},
		{
			method: 'POST',
			path: '/rpc',
			handler: ({ body }) =>
				body?.method === 'ok'
					? { status: 200, body: { response: { result: { done: true } } } }
					: { status: 200, body: { response: { error: { code: 301, message: `Unknown method "${body?.method}"` } } } },
		},
	],
});

const profile = {
	name: 'OffsetAPI',
	credentialType: 'offsetApi',
	paging: { style: 'offset', offsetParameter: 'offset', limitParameter: 'limit', maxPageSize: MAX_PAGE },
	extractError(body, statusCode) {
		const error = body?.response?.error ?? (typeof body?.error === 'string' ? { message: body.error, code: body.code } : undefined);
		if (error) return { message: error.message, code: error.code };
		return statusCode >= 400 ? { message: `HTTP ${statusCode}` } : undefined;
	},
	extractItems: (body) => (Array.isArray(body) ? body : Array.isArray(body?.data) ? body.data : undefined),
	retry: { baseDelayMs: 1, maxDelayMs: 5 },
	pagingStyles: {
		envelope: { style: 'envelope', pageParameter: 'page_number', sizeParameter: 'limit', firstPage: 0, maxPageSize: 2000, dataPath: 'data', hasMorePath: 'page.has_more', nextPagePath: 'page.next_page_number' },
	},
};

const credentialType = {
	name: 'offsetApi',
	displayName: 'Offset API',
	properties: [{ displayName: 'Key', name: 'key', type: 'string', typeOptions: { password: true }, default: '' }],
	authenticate: async (credentials, options) => ({ ...options, headers: { ...options.headers, 'x-key': credentials.key } }),
};

let nodeType;
const run = (parameters, key = KEY) =>
	runNode(nodeType, { parameters, credentials: { offsetApi: { key } }, credentialTypes: { offsetApi: credentialType } });
const apiRequests = () => sim.requests.filter((r) => r.path.startsWith('/v1/'));

before(async () => {
	await sim.start({ port: 0 });
	const check = transport.responseCheck(profile);
	nodeType = {
		description: {
			displayName: 'Offset API',
			name: 'offsetApi',
			group: ['transform'],
			version: 1,
			defaults: { name: 'Offset API' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'offsetApi', required: true }],
			requestDefaults: { baseURL: sim.url, headers: { Accept: 'application/json' } },
			requestOperations: { pagination: transport.singleRequest(profile) },
			properties: [
				{
					displayName: 'Operation',
					name: 'operation',
					type: 'options',
					noDataExpression: true,
					default: 'getAll',
					options: [
						{
							name: 'Get Many',
							value: 'getAll',
							routing: {
								request: { method: 'GET', url: '/records' },
								send: { paginate: true },
								operations: { pagination: transport.pagedRequest(profile) },
								output: { postReceive: [check, transport.listItems(profile)] },
							},
						},
						{
							name: 'Get Many (Envelope)',
							value: 'getEnvelope',
							routing: {
								request: { method: 'GET', url: '/envelope' },
								send: { paginate: true },
								operations: { pagination: transport.pagedRequest(profile, 'envelope') },
								output: { postReceive: [check, transport.listItems(profile)] },
							},
						},
						{
							name: 'Call',
							value: 'call',
							routing: {
								request: { method: 'POST', url: '/rpc', body: { method: '={{$parameter.method}}' } },
								send: { paginate: true },
								output: { postReceive: [check] },
							},
						},
					],
				},
				{ displayName: 'Return All', name: 'returnAll', type: 'boolean', default: false, displayOptions: { show: { operation: ['getAll', 'getEnvelope'] } } },
				{ displayName: 'Limit', name: 'limit', type: 'number', default: 50, displayOptions: { show: { operation: ['getAll', 'getEnvelope'], returnAll: [false] } } },
				{ displayName: 'Method', name: 'method', type: 'string', default: 'ok', displayOptions: { show: { operation: ['call'] } } },
			],
		},
	};
});

after(() => sim.close());

describe('shared transport: offset paging', () => {
	test('Return All walks offsets at the maximum page size and stops on the short page', async () => {
		sim.clearRequests();
		const items = await run({ operation: 'getAll', returnAll: true });
		assert.deepEqual(items.map((i) => i.json.id), Array.from({ length: RECORDS }, (_, i) => i + 1));
		assert.deepEqual(
			apiRequests().map((r) => [r.query.offset, r.query.limit]),
			[['0', '50'], ['50', '50'], ['100', '50']],
		);
	});

	test('Limit is exact, across pages, with a constant page size', async () => {
		sim.clearRequests();
		const few = await run({ operation: 'getAll', returnAll: false, limit: 7 });
		assert.deepEqual(few.map((i) => i.json.id), [1, 2, 3, 4, 5, 6, 7]);
		assert.deepEqual(apiRequests().map((r) => r.query), [{ offset: '0', limit: '7' }]);

		sim.clearRequests();
		const many = await run({ operation: 'getAll', returnAll: false, limit: 75 });
		assert.equal(many.length, 75);
		assert.equal(many.at(-1).json.id, 75);
		assert.deepEqual(apiRequests().map((r) => [r.query.offset, r.query.limit]), [['0', '50'], ['50', '50']]);
	});

	test('a 503 mid-walk is retried and the walk resumes at the same offset', async () => {
		sim.clearRequests();
		sim.injectFault({ kind: '503', path: '/v1/records', times: 1, skip: 1 });
		const items = await run({ operation: 'getAll', returnAll: true });
		assert.equal(items.length, RECORDS);
		assert.deepEqual(apiRequests().map((r) => [r.query.offset, r.status]), [['0', 200], ['50', 503], ['50', 200], ['100', 200]]);
	});
});

describe('shared transport: has_more envelope', () => {
	test('Return All follows has_more and next_page_number when the server pages below the size asked for', async () => {
		sim.clearRequests();
		const items = await run({ operation: 'getEnvelope', returnAll: true });
		assert.deepEqual(items.map((i) => i.json.id), Array.from({ length: RECORDS }, (_, i) => i + 1));
		assert.deepEqual(apiRequests().map((r) => [r.query.page_number, r.query.limit]), [0, 1, 2, 3, 4].map((p) => [String(p), '2000']));
	});

	test('Limit stops as soon as enough records arrived', async () => {
		sim.clearRequests();
		const items = await run({ operation: 'getEnvelope', returnAll: false, limit: 30 });
		assert.equal(items.length, 30);
		assert.equal(apiRequests().length, 2);
	});
});

describe('shared transport: errors inside HTTP 200', () => {
	test('a 200 carrying the vendor error becomes a NodeApiError with its message and code', async () => {
		await assert.rejects(run({ operation: 'call', method: 'nope' }), (error) => {
			assert.equal(error.constructor.name, 'NodeApiError');
			assert.match(error.message, /Unknown method "nope"/);
			assert.match(`${error.message} ${error.description} ${error.httpCode}`, /301/);
			return true;
		});
		assert.equal(apiRequests().at(-1).status, 200);
	});

	test('a 200 without an error passes through', async () => {
		const [item] = await run({ operation: 'call', method: 'ok' });
		assert.deepEqual(item.json, { response: { result: { done: true } } });
	});

	test('a rejected key is the vendor message, without the key', async () => {
		await assert.rejects(run({ operation: 'getAll', returnAll: true }, 'wrong-key-xyz'), (error) => {
			assert.equal(error.constructor.name, 'NodeApiError');
			assert.match(error.message, /Bad key/);
			assert.doesNotMatch(JSON.stringify({ ...error, message: error.message, description: error.description }), /wrong-key-xyz/);
			return true;
		});
	});
});
