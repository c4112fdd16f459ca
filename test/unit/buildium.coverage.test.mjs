// Every Buildium operation of the spec (439), run through n8n-core's RoutingNode against the Buildium simulator.
// Driven by the generator's own model: each model operation gives the node, resource and operation values and its
// fields (path / query / body). The parameters come from the simulator's `sampleRequest` (ids that exist, every
// query parameter, the required body), and the request the simulator received must be exactly that sample: method,
// path, query (arrays as repeated parameters, dates in the format the endpoint asks for) and JSON body.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { DateTime } from 'luxon';

import { buildModel } from '../../scripts/generator/model.mjs';
import { loadSpec, rawOperations } from '../../scripts/generator/openapi.mjs';
import { specPath } from '../../scripts/lib/specs.mjs';
import { loadPackage, runNode } from '../harness/routing.mjs';
import { OPERATIONS, sampleRequest, startBuildiumSimulator } from '../simulators/buildium.mjs';

const root = new URL('../../', import.meta.url);
const cfg = { id: 'buildium', ...JSON.parse(readFileSync(new URL('scripts/generator/buildium.json', root), 'utf8')) };
const spec = loadSpec(specPath(cfg.spec));
const rawOps = rawOperations(spec);
const model = buildModel(cfg, rawOps);

/** node name (buildiumRentals …) of each resource value, from the `nodes` groups of buildium.json. */
const nodeOfResource = new Map();
for (const [nodeName, group] of Object.entries(cfg.nodes)) for (const tag of group.resources) nodeOfResource.set(cfg.resources[tag].value, nodeName);

/**
 * [{ nodeName, resource, op, simOp }] for every model operation. Reads run first and deletes last, so no case
 * meets a record an earlier case removed (every case reads ids from the simulator's current state).
 */
const METHOD_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
export const CASES = model
	.flatMap((entry) =>
		entry.operations.map((op) => ({
			nodeName: nodeOfResource.get(entry.resource.value),
			resource: entry.resource.value,
			op,
			simOp: OPERATIONS.find((s) => s.operationId === op.operationId),
		})),
	)
	.sort((a, b) => METHOD_ORDER.indexOf(a.op.method) - METHOD_ORDER.indexOf(b.op.method));

const getAt = (obj, path) => path.split('.').reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), obj);

/** What a date field sends for a value typed as `text`, computed here with luxon from the field's declared format. */
export function formatDate(text, dateFormat) {
	const utc = dateFormat.startsWith('utc:');
	let dt = DateTime.fromISO(String(text), { setZone: true });
	if (utc) dt = dt.toUTC();
	return dt.toFormat(dateFormat.replace(/^utc:/, ''));
}

const DATE_SHAPES = {
	'yyyy-MM-dd': /^\d{4}-\d{2}-\d{2}$/,
	'yyyy-MM-dd HH:mm:ss': /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/,
	"utc:yyyy-MM-dd'T'HH:mm:ss'Z'": /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/,
};

/** The node parameter value for a field given the sample's value, and the value the API should receive. */
function toParameter(field, value) {
	if (field.dateFormat) return { param: value, sent: formatDate(value, field.dateFormat) };
	switch (field.kind) {
		case 'stringList':
			return { param: [].concat(value).join(','), sent: value };
		case 'json':
			return { param: JSON.stringify(value), sent: value };
		default:
			return { param: value, sent: value };
	}
}

/**
 * The sample request for a case: every query parameter and the full body (so optional fields are exercised too),
 * array query parameters with two values (so repeated parameters are told apart from one comma-separated value),
 * and an `orderby` on a property the endpoint's records have.
 */
export function sampleFor({ op, simOp }, sim, { minimal = false } = {}) {
	const sample = sampleRequest(simOp, { sim, allQuery: !minimal, fullBody: !minimal });
	for (const field of op.fields) {
		const value = sample.query[field.apiPath];
		if (field.in !== 'query' || !Array.isArray(value)) continue;
		const options = field.options ?? [];
		const second = options.length > 1 ? options.find((o) => o !== value[0]) : typeof value[0] === 'number' ? value[0] + 1 : `${value[0]}2`;
		sample.query[field.apiPath] = [value[0], second];
	}
	if (sample.query.orderby) {
		const props = Object.keys(simOp.response?.items?.properties ?? simOp.response?.properties ?? {});
		if (!props.includes('Id') && props.length) sample.query.orderby = `${props[0]} asc`;
	}
	return sample;
}

/**
 * Node parameters for one case from a sample request, and the request the simulator should then receive.
 * Required fields go top level (pickers as resource locators by ID), optional ones into the operation's
 * collection (filters / updateFields / additionalFields, as emit.mjs names them).
 */
export function buildCase({ resource, op, simOp }, sample) {
	const parameters = { resource, operation: op.value };
	const collectionName = op.kind === 'list' ? 'filters' : op.value === 'update' ? 'updateFields' : 'additionalFields';
	const collection = {};
	const expectedQuery = {};
	const expectedBody = sample.body === undefined ? undefined : structuredClone(sample.body);
	const dateChecks = [];
	for (const field of op.fields) {
		let value;
		if (field.in === 'path') value = sample.pathParams[field.apiPath];
		else if (field.in === 'query') value = sample.query[field.apiPath];
		else if (field.in === 'body') value = getAt(sample.body, field.apiPath);
		else continue;
		if (value === undefined || value === null) continue;
		const { param, sent } = toParameter(field, value);
		if (field.dateFormat) dateChecks.push({ field, sent });
		if (field.in === 'query') expectedQuery[field.apiPath] = Array.isArray(sent) ? sent.map(String) : String(sent);
		if (field.in === 'body' && field.dateFormat) setAt(expectedBody, field.apiPath, sent);
		if (field.required) parameters[field.key] = field.picker ? { __rl: true, mode: 'id', value: String(param) } : param;
		else collection[field.key] = param;
	}
	if (Object.keys(collection).length) parameters[collectionName] = collection;
	if (op.kind === 'list') {
		parameters.returnAll = false;
		parameters.limit = 5;
		expectedQuery.limit = '5';
		expectedQuery.offset = '0';
	}
	if (op.file) parameters.binaryPropertyName = 'data';
	return { parameters, expected: { method: simOp.method, path: sample.path, query: expectedQuery, body: expectedBody }, dateChecks };
}

function setAt(obj, path, value) {
	const keys = path.split('.');
	let o = obj;
	for (const k of keys.slice(0, -1)) o = o[k];
	o[keys.at(-1)] = value;
}

const FILE_BYTES = Buffer.from('%PDF-1.4 buildium coverage test file\n');
const binaryItem = () => ({ json: {}, binary: { data: { data: FILE_BYTES.toString('base64'), mimeType: 'application/pdf', fileName: 'lease.pdf', fileExtension: 'pdf' } } });

/** What the node hands on: list pages, 204 → {success: true}, upload facts, download binary data. */
function assertOutput({ op, simOp }, items, got) {
	if (op.kind === 'list') assert.ok(items.length <= 5, `Limit 5 (got ${items.length})`);
	else if (simOp.response?.type !== 'array') assert.equal(items.length, 1);
	if (simOp.status === 204) assert.deepEqual(items[0].json, { success: true });
	if (op.file === 'upload') {
		assert.equal(items[0].json.uploaded, true);
		assert.equal(items[0].json.bytes, FILE_BYTES.length);
		const put = sim.bucketRequests.at(-1);
		assert.equal(put.size > FILE_BYTES.length - 1, true, 'the bytes reached the bucket');
		assert.equal(put.headers['x-buildium-client-secret'], undefined, 'no Buildium credentials to the bucket');
		assert.equal(put.headers['x-buildium-client-id'], undefined);
		assert.equal(sim.uploadedFiles.at(-1).size, FILE_BYTES.length, 'the stored file is the input binary');
	}
	if (op.file === 'download') {
		const binary = items[0].binary?.data;
		assert.ok(binary, 'binary output in field "data"');
		const bytes = Buffer.from(binary.data, 'base64');
		assert.ok(bytes.length > 0);
		assert.equal(bytes.length, items[0].json.bytes);
		assert.equal(sim.bucketRequests.at(-1).method, 'GET');
	}
	assert.ok(got.status >= 200 && got.status < 300);
}

let sim;
let pkg;
const LANES = 8;
let lane = 0;
// The nodes pace each credential at Buildium's 10 requests/s (tested in buildium.node.test.mjs). Coverage is about
// request shapes, so it rotates over credentials that differ only in an unused field (separate pacing budgets) and
// runs the simulator without its rate limit.
const credentialsFor = () => ({
	buildiumApi: { environment: 'production', clientId: sim.clientId, clientSecret: sim.clientSecret, webhookSecret: `coverage-lane-${lane++ % LANES}`, baseUrl: sim.origin },
});

before(async () => {
	pkg = await loadPackage();
	sim = await startBuildiumSimulator({ rateLimit: null });
});
after(async () => sim?.close());

describe('Buildium coverage', () => {
	test('model operations ↔ spec operations: 439/439, each in exactly one node description', () => {
		assert.equal(rawOps.length, 439);
		assert.equal(CASES.length, 439);
		assert.deepEqual(new Set(CASES.map((c) => c.op.operationId)), new Set(rawOps.map((o) => o.operationId)));
		for (const c of CASES) assert.ok(c.simOp, `${c.op.operationId} is a simulator route`);
		const nodes = Object.keys(cfg.nodes);
		for (const c of CASES) {
			const holders = nodes.filter((n) => {
				const props = new pkg.nodes[n].constructor().description?.properties ?? pkg.nodes[n].description.properties;
				return props.some((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(c.resource) && p.options.some((o) => o.value === c.op.value));
			});
			assert.deepEqual(holders, [c.nodeName], `${c.op.operationId} (${c.resource}.${c.op.value})`);
		}
	});

	const dateFormatsSeen = new Map();

	for (const c of CASES) {
		test(`${c.nodeName} ${c.resource}.${c.op.value}: ${c.op.method} ${c.op.path}`, async () => {
			const sample = sampleFor(c, sim);
			const { parameters, expected, dateChecks } = buildCase(c, sample);
			sim.clearRequests();
			const items = await runNode(pkg.nodes[c.nodeName], {
				parameters,
				credentials: credentialsFor(),
				credentialTypes: pkg.credentials,
				items: c.op.file === 'upload' ? [binaryItem()] : undefined,
			});
			const api = sim.requests.filter((r) => r.path.startsWith('/v1/'));
			assert.equal(api.length, 1, `one API request (got ${api.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ')})`);
			const [got] = api;
			assert.equal(got.status, c.simOp.status, `status (${JSON.stringify(got.status)})`);
			assert.equal(got.method, expected.method);
			assert.equal(got.path, expected.path);
			assert.deepEqual(got.query, expected.query);
			assert.deepEqual(got.body ?? undefined, expected.body);
			for (const { field, sent } of dateChecks) {
				assert.match(String(sent), DATE_SHAPES[field.dateFormat], `${field.key} in ${field.dateFormat}`);
				dateFormatsSeen.set(field.dateFormat, (dateFormatsSeen.get(field.dateFormat) ?? 0) + 1);
			}
			assertOutput(c, items, got);
		});
	}

	// The same operations with only what they require: nothing else may be sent (no defaults of untouched fields).
	for (const c of CASES.filter((x) => x.simOp.body && x.op.method !== 'DELETE')) {
		test(`required only: ${c.nodeName} ${c.resource}.${c.op.value}: ${c.op.method} ${c.op.path}`, async () => {
			const sample = sampleFor(c, sim, { minimal: true });
			const { parameters, expected } = buildCase(c, sample);
			sim.clearRequests();
			const items = await runNode(pkg.nodes[c.nodeName], {
				parameters,
				credentials: credentialsFor(),
				credentialTypes: pkg.credentials,
				items: c.op.file === 'upload' ? [binaryItem()] : undefined,
			});
			const api = sim.requests.filter((r) => r.path.startsWith('/v1/'));
			assert.equal(api.length, 1);
			const [got] = api;
			assert.equal(got.status, c.simOp.status);
			assert.equal(got.path, expected.path);
			assert.deepEqual(got.query, expected.query);
			assert.deepEqual(got.body ?? undefined, expected.body);
			assertOutput(c, items, got);
		});
	}

	test('all three date formats were exercised, and no request carried a field the spec does not define', () => {
		console.log(`date fields sent: ${JSON.stringify(Object.fromEntries(dateFormatsSeen))}`);
		assert.deepEqual([...dateFormatsSeen.keys()].sort(), Object.keys(DATE_SHAPES).sort());
		assert.deepEqual(sim.ignoredFields, []);
	});
});
