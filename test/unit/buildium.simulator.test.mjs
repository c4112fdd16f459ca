// Tests of the Buildium simulator itself (test infrastructure: test/simulators/buildium.mjs).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import { after, before, beforeEach, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { COLLECTIONS, OPERATIONS, WEBHOOK_EVENT_CATALOGUE, WEBHOOK_EVENTS, createBuildiumSimulator, sampleRequest, sampleUrl, seedBuildium } from '../simulators/buildium.mjs';
import { validate } from '../simulators/schema.mjs';

let sim;

before(async () => {
	sim = createBuildiumSimulator({ rateLimit: null });
	await sim.start({ port: 0 });
});
after(() => sim.close());
beforeEach(async () => {
	await sim.reset();
	sim.setRateLimit(null);
	sim.setLatency(0);
	sim.ignoredFields.length = 0;
});

async function api(path, { method = 'GET', body, headers = {}, auth = sim.authHeaders(), target = sim, raw, contentType } = {}) {
	const h = { ...auth, ...headers };
	if (body !== undefined || raw !== undefined) h['content-type'] = contentType ?? 'application/json';
	const res = await fetch(target.origin + path, { method, headers: h, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
	const text = await res.text();
	return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : null };
}

const keys = (res) => res.body.Errors.map((e) => e.Key).sort();

/** A local webhook receiver that keeps the raw body. */
async function startReceiver(t, respond = () => 200) {
	const received = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
			res.writeHead(respond(received.length), { 'content-type': 'application/json' }).end('{"ok":true}');
		});
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	t.after(() => new Promise((resolve) => server.close(resolve)));
	return { url: `http://127.0.0.1:${server.address().port}/hook`, received };
}

/** Verification as a Buildium webhook consumer does it (node:crypto only). */
function verify(secret, headers, rawBody) {
	const expected = createHmac('sha256', secret).update(`${headers['buildium-webhook-timestamp']}.${rawBody}`).digest('base64');
	const got = Buffer.from(String(headers['buildium-webhook-signature'] ?? ''));
	return got.length === Buffer.byteLength(expected) && timingSafeEqual(got, Buffer.from(expected));
}

// ---- spec coverage ---------------------------------------------------------------------------------------------

test('the spec is read whole: 439 operations, 284 paths, 98 webhook events in 34 groups', () => {
	assert.equal(OPERATIONS.length, 439);
	assert.equal(new Set(OPERATIONS.map((o) => o.path)).size, 284);
	assert.equal(WEBHOOK_EVENTS.length, 98);
	assert.equal(new Set(WEBHOOK_EVENTS).size, 98);
	assert.equal(WEBHOOK_EVENT_CATALOGUE.length, 34);
	assert.ok(WEBHOOK_EVENTS.includes('Lease.Created') && WEBHOOK_EVENTS.includes('Lease.MoveOut.Created') && WEBHOOK_EVENTS.includes('Bill.Payment.Deleted'));
	const leases = WEBHOOK_EVENT_CATALOGUE.find((r) => r.events.includes('Lease.Created'));
	assert.deepEqual(leases.fields, { EventName: 'string', EventDateTime: 'datetime', AccountId: 'integer', LeaseId: 'integer' });
});

test('every one of the 439 spec operations answers its documented 2xx with a schema-valid body for sampleRequest inputs', async () => {
	const statuses = {};
	const failures = [];
	for (const op of OPERATIONS) {
		const sample = sampleRequest(op, { sim });
		const headers = { ...sim.authHeaders() };
		if (sample.body !== undefined) headers['content-type'] = sample.contentType;
		const res = await fetch(sampleUrl(sim.origin, sample), { method: sample.method, headers, body: sample.body === undefined ? undefined : JSON.stringify(sample.body) });
		const text = await res.text();
		statuses[res.status] = (statuses[res.status] ?? 0) + 1;
		if (res.status !== op.status) {
			failures.push(`${op.method} ${op.path}: ${res.status} ${text.slice(0, 200)}`);
			continue;
		}
		if (op.response) {
			const errors = validate(op.response, JSON.parse(text));
			if (errors.length) failures.push(`${op.method} ${op.path}: response invalid ${JSON.stringify(errors[0])}`);
		} else assert.equal(text, '', `${op.method} ${op.path} has no body`);
		if (op.totalCountHeader) assert.match(res.headers.get('x-total-count') ?? '', /^\d+$/, `${op.path} X-Total-Count`);
		if (op.status === 201 && op.response && !op.path.endsWith('/uploads') && !/downloadrequests?$/.test(op.path) && op.response.type !== 'array') {
			assert.ok(res.headers.get('location')?.startsWith(sim.url), `${op.method} ${op.path} Location`);
		}
	}
	assert.deepEqual(failures, []);
	assert.equal(Object.values(statuses).reduce((a, b) => a + b, 0), 439);
	assert.deepEqual(sim.ignoredFields, [], 'samples only use spec fields');
});

test('sampleRequest without a simulator gives ids that exist in a fresh one; required query parameters are present', () => {
	const op = OPERATIONS.find((o) => o.method === 'GET' && o.path === '/v1/bankaccounts/{bankAccountId}/checks');
	const sample = sampleRequest(op);
	assert.equal(sample.path, `/v1/bankaccounts/${sim.db.bankAccounts[0].Id}/checks`);
	assert.deepEqual(Object.keys(sample.query).sort(), ['enddate', 'startdate']);
	const renewals = sampleRequest(OPERATIONS.find((o) => o.path === '/v1/leases/renewals'));
	assert.ok(Array.isArray(renewals.query.esignaturestatuses));
	assert.match(sampleUrl('http://x', renewals), /esignaturestatuses=/);
	const createLease = sampleRequest(OPERATIONS.find((o) => o.method === 'POST' && o.path === '/v1/leases'));
	assert.deepEqual(Object.keys(createLease.body).sort(), ['LeaseFromDate', 'LeaseType', 'SendWelcomeEmail', 'UnitId']);
	assert.equal(createLease.body.UnitId, sim.db.rentalUnits[0].Id);
	assert.ok(Object.keys(sampleRequest(op, { allQuery: true }).query).length > 2);
});

// ---- auth and errors -------------------------------------------------------------------------------------------

test('auth: missing or wrong client id/secret is 401 ApiErrorResponse; the limited key is 403 naming the permission', async () => {
	const cases = [{}, { 'x-buildium-client-id': sim.clientId }, { 'x-buildium-client-id': sim.clientId, 'x-buildium-client-secret': 'wrong' }, { 'x-buildium-client-id': 'other', 'x-buildium-client-secret': sim.clientSecret }];
	for (const auth of cases) {
		const res = await api('/v1/rentals', { auth });
		assert.equal(res.status, 401);
		assert.deepEqual(Object.keys(res.body).sort(), ['ErrorCode', 'Errors', 'UserMessage']);
		assert.equal(res.body.ErrorCode, 'Unauthorized');
	}
	const forbidden = await api('/v1/rentals', { auth: sim.authHeaders({ limited: true }) });
	assert.equal(forbidden.status, 403);
	assert.match(forbidden.body.UserMessage, /Rental properties and units - View/);
	assert.equal((await api('/v1/rentals')).status, 200);

	const readOnly = createBuildiumSimulator({ rateLimit: null, limitedClient: { clientId: 'ro', clientSecret: 'ro-secret', access: 'read' } });
	await readOnly.start();
	try {
		const auth = readOnly.authHeaders({ limited: true });
		assert.equal((await api('/v1/rentals/units?limit=1', { auth, target: readOnly })).status, 200);
		assert.equal((await api('/v1/vendors', { method: 'POST', body: {}, auth, target: readOnly })).status, 403);
	} finally {
		await readOnly.close();
	}
	assert.equal((await api('/rentals')).status, 404, 'a path without /v1 answers nothing');
	assert.equal((await api('/v1/Rentals')).status, 404, 'paths are case-sensitive');
});

test('validation: a create body is checked against the spec and every failing field is named in Errors[].Key', async () => {
	const res = await api('/v1/rentals', { method: 'POST', body: { RentalSubType: 'Castle', OperatingBankAccountId: 'one', Address: { AddressLine1: 5, City: 'Austin', Country: 'UnitedStates' }, Reserve: 'lots' } });
	assert.equal(res.status, 400);
	assert.equal(res.body.ErrorCode, 'ValidationFailed');
	assert.deepEqual(keys(res), ['Address.AddressLine1', 'Address.PostalCode', 'Name', 'OperatingBankAccountId', 'RentalSubType', 'Reserve'].sort());
	assert.ok(res.body.Errors.every((e) => typeof e.Value === 'string' && e.Value.length > 0));
	assert.match(res.body.Errors.find((e) => e.Key === 'Name').Value, /Name field is required/);

	const lines = await api(`/v1/bills`, { method: 'POST', body: { Date: 'yesterday', DueDate: '2024-02-01', VendorId: sim.db.vendors[0].Id, Lines: [{ Amount: 'x' }] } });
	assert.equal(lines.status, 400);
	assert.ok(keys(lines).includes('Date'));
	assert.ok(keys(lines).some((k) => k.startsWith('Lines[0].')), keys(lines).join());

	assert.equal((await api('/v1/rentals', { method: 'POST', raw: '{"Name":' })).status, 400, 'malformed JSON');
	assert.equal((await api('/v1/rentals', { method: 'POST', raw: 'Name=x', contentType: 'text/plain' })).status, 415);
	const empty = await api('/v1/vendors', { method: 'POST', headers: { 'content-type': 'application/json' } });
	assert.equal(empty.status, 400);
});

test('validation: query and path parameters (types, enums, repeated arrays, required, limit range, case, 365 days)', async () => {
	const limit = await api('/v1/rentals/units?limit=1001');
	assert.deepEqual([limit.status, keys(limit)], [400, ['limit']]);
	assert.equal((await api('/v1/rentals/units?limit=0')).status, 400);
	assert.equal((await api('/v1/rentals/units?offset=-1')).status, 400);
	assert.deepEqual(keys(await api('/v1/rentals/units?propertyids=abc')), ['propertyids']);
	const comma = await api(`/v1/rentals/units?propertyids=${sim.db.rentals[0].Id},${sim.db.rentals[1].Id}`);
	assert.equal(comma.status, 400, 'arrays are repeated parameters, not comma lists');
	assert.deepEqual(keys(await api('/v1/leases?leasestatuses=Gone')), ['leasestatuses']);
	assert.equal((await api('/v1/leases?leasestatuses=Active&leasestatuses=Past')).status, 200);
	assert.deepEqual(keys(await api('/v1/leases/renewals')), ['esignaturestatuses']);
	const bank = sim.db.bankAccounts[0].Id;
	assert.deepEqual(keys(await api(`/v1/bankaccounts/${bank}/checks`)), ['enddate', 'startdate']);
	assert.deepEqual(keys(await api(`/v1/bankaccounts/${bank}/checks?startdate=2024-13-45&enddate=2024-02-01`)), ['startdate']);
	assert.equal((await api(`/v1/bankaccounts/${bank}/checks?startdate=2024-01-01&enddate=2024-02-01`)).status, 200);
	assert.deepEqual(keys(await api('/v1/rentals/abc')), ['propertyId']);
	assert.equal((await api('/v1/rentals/units?Limit=5')).status, 404, 'limit/offset are case-sensitive (documented 404)');
	const span = await api('/v1/leases/rent?lastupdatedfrom=2023-01-01T00:00:00Z&lastupdatedto=2024-06-01T00:00:00Z');
	assert.deepEqual([span.status, keys(span)], [422, ['lastupdatedfrom']]);
	assert.deepEqual(keys(await api('/v1/rentals/units?orderby=Colour')), ['orderby']);
});

test('unknown properties and query parameters are ignored and logged; strict refuses them', async () => {
	const vendor = sampleRequest(OPERATIONS.find((o) => o.method === 'POST' && o.path === '/v1/vendors'), { sim, fullBody: true }).body;
	const res = await api('/v1/vendors?colour=red', { method: 'POST', body: { ...vendor, Colour: 'red' } });
	assert.equal(res.status, 201);
	assert.equal(res.body.Colour, undefined);
	assert.deepEqual(sim.ignoredFields.map((f) => [f.in, f.keys]), [['query', ['colour']], ['body', ['Colour']]]);

	const strict = createBuildiumSimulator({ rateLimit: null, strict: true });
	await strict.start();
	try {
		const query = await api('/v1/vendors?colour=red', { method: 'POST', body: vendor, auth: strict.authHeaders(), target: strict });
		assert.deepEqual([query.status, keys(query)], [400, ['colour']]);
		const body = await api('/v1/vendors', { method: 'POST', body: { ...vendor, Colour: 'red', Address: { ...vendor.Address, Planet: 'Mars' } }, auth: strict.authHeaders(), target: strict });
		assert.deepEqual([body.status, keys(body)], [400, ['Address.Planet', 'Colour']]);
	} finally {
		await strict.close();
	}
});

test('unknown ids anywhere in the path are 404 EntityNotFound (an unknown route is 404 NotFound)', async () => {
	const gone = await api('/v1/rentals/99');
	assert.deepEqual([gone.status, gone.body.ErrorCode, keys(gone)], [404, 'EntityNotFound', ['propertyId']]);
	assert.equal((await api('/v1/leases/99/notes')).body.ErrorCode, 'EntityNotFound');
	assert.equal((await api(`/v1/leases/${sim.db.leases[0].Id}/notes/99`)).status, 404);
	assert.equal((await api(`/v1/leases/${sim.db.leases[0].Id}/notes`)).status, 200);
	assert.equal((await api('/v1/rentals/units/99', { method: 'PUT', body: sampleRequest(OPERATIONS.find((o) => o.method === 'PUT' && o.path === '/v1/rentals/units/{unitId}')).body })).status, 404);
	const route = await api('/v1/nothing/here');
	assert.deepEqual([route.status, route.body.ErrorCode], [404, 'NotFound']);
});

// ---- lists -----------------------------------------------------------------------------------------------------

test('paging 2 500 rental units: limit/offset, X-Total-Count, default 50, orderby, repeated-array filter', async () => {
	await sim.seed({ rentalUnits: 2500 });
	const sizes = [];
	const ids = [];
	for (let offset = 0; offset < 2500; offset += 1000) {
		const res = await api(`/v1/rentals/units?limit=1000&offset=${offset}`);
		assert.equal(res.status, 200);
		assert.ok(Array.isArray(res.body));
		assert.equal(res.headers.get('x-total-count'), '2500');
		sizes.push(res.body.length);
		ids.push(...res.body.map((u) => u.Id));
	}
	assert.deepEqual(sizes, [1000, 1000, 500]);
	assert.equal(new Set(ids).size, 2500);
	assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
	const beyond = await api('/v1/rentals/units?limit=1000&offset=2500');
	assert.deepEqual([beyond.body.length, beyond.headers.get('x-total-count')], [0, '2500']);
	assert.equal((await api('/v1/rentals/units')).body.length, 50);

	const desc = (await api('/v1/rentals/units?limit=3&orderby=id%20desc')).body.map((u) => u.Id);
	assert.deepEqual(desc, ids.slice(-3).reverse());
	const byCity = (await api('/v1/rentals/units?limit=100&orderby=City%20asc,Id%20asc')).body;
	assert.ok(byCity.every((u, i) => i === 0 || byCity[i - 1].Address.City <= u.Address.City));

	const [p1, p2] = sim.db.rentals;
	const filtered = await api(`/v1/rentals/units?propertyids=${p1.Id}&propertyids=${p2.Id}&limit=1000`);
	const expected = sim.db.rentalUnits.filter((u) => u.PropertyId === p1.Id || u.PropertyId === p2.Id).length;
	assert.ok(expected > 0);
	assert.equal(filtered.headers.get('x-total-count'), String(expected));
	assert.ok(filtered.body.every((u) => u.PropertyId === p1.Id || u.PropertyId === p2.Id));
	const clamp = createBuildiumSimulator({ rateLimit: null, limitOverflow: 'clamp', rentalUnits: 1200 });
	await clamp.start();
	try {
		assert.equal((await api('/v1/rentals/units?limit=5000', { auth: clamp.authHeaders(), target: clamp })).body.length, 1000);
	} finally {
		await clamp.close();
	}
});

test('seeded data is linked and deterministic: same seed, same data; the named counts are options', () => {
	const a = seedBuildium({ seed: 7, rentalUnits: 40 });
	const b = seedBuildium({ seed: 7, rentalUnits: 40 });
	assert.deepEqual(a.rentalUnits, b.rentalUnits);
	assert.deepEqual(a.leases, b.leases);
	assert.notDeepEqual(seedBuildium({ seed: 8, rentalUnits: 40 }).rentalUnits, a.rentalUnits);
	assert.equal(a.rentalUnits.length, 40);
	const propertyIds = new Set(a.rentals.map((r) => r.Id));
	assert.ok(a.rentalUnits.every((u) => propertyIds.has(u.PropertyId)));
	const unitIds = new Map(a.rentalUnits.map((u) => [u.Id, u]));
	assert.ok(a.leases.every((l) => unitIds.get(l.UnitId)?.PropertyId === l.PropertyId));
	assert.ok(a.leases.every((l) => /^\d{4}-\d{2}-\d{2}$/.test(l.LeaseFromDate)), 'format: date');
	assert.ok(a.rentalUnits.every((u) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(u.LastUpdatedDateTime ?? '2024-01-01T00:00:00Z')), 'format: date-time');
	assert.equal(COLLECTIONS.get('/rentals/units').schemaRef, 'RentalUnitMessage');
});

// ---- state -----------------------------------------------------------------------------------------------------

test('stateful CRUD: create/update reflected in later GETs for properties, units, leases, tenants, applicants, owners, vendors, work orders, tasks, bills', async () => {
	const sample = (method, path) => sampleRequest(OPERATIONS.find((o) => o.method === method && o.path === path), { sim, fullBody: true }).body;
	const before = sim.state;

	const rentalBody = sample('POST', '/v1/rentals');
	const rental = await api('/v1/rentals', { method: 'POST', body: { ...rentalBody, Name: 'Sim Towers', Units: [{ ...rentalBody.Units[0], UnitNumber: '101' }] } });
	assert.equal(rental.status, 201, rental.text);
	assert.equal(rental.body.Name, 'Sim Towers');
	assert.equal(rental.headers.get('location'), `${sim.url}/rentals/${rental.body.Id}`);
	assert.match(rental.headers.get('link'), /\/v1\/rentals\/units\/\d+/);
	assert.deepEqual((await api(`/v1/rentals/${rental.body.Id}`)).body, rental.body);
	const units = (await api(`/v1/rentals/units?propertyids=${rental.body.Id}`)).body;
	assert.deepEqual(units.map((u) => u.UnitNumber), ['101']);

	const put = await api(`/v1/rentals/${rental.body.Id}`, { method: 'PUT', body: { ...sample('PUT', '/v1/rentals/{propertyId}'), Name: 'Sim Towers II' } });
	assert.equal(put.status, 200);
	assert.equal((await api(`/v1/rentals/${rental.body.Id}`)).body.Name, 'Sim Towers II');

	const unit = await api('/v1/rentals/units', { method: 'POST', body: { ...sample('POST', '/v1/rentals/units'), PropertyId: rental.body.Id, UnitNumber: '202' } });
	assert.equal(unit.status, 201);
	assert.equal(unit.body.PropertyId, rental.body.Id);
	const badUnit = await api('/v1/rentals/units', { method: 'POST', body: { ...sample('POST', '/v1/rentals/units'), PropertyId: 42 } });
	assert.deepEqual([badUnit.status, keys(badUnit)], [422, ['PropertyId']]);

	const lease = await api('/v1/leases', { method: 'POST', body: { ...sample('POST', '/v1/leases'), UnitId: unit.body.Id, LeaseType: 'Fixed' } });
	assert.equal(lease.status, 201);
	assert.equal((await api(`/v1/leases/${lease.body.Id}`)).body.UnitId, unit.body.Id);

	const created = {};
	for (const [path, field, value] of [
		['/v1/leases/tenants', 'FirstName', 'Tess'],
		['/v1/applicants', 'FirstName', 'Ada'],
		['/v1/rentals/owners', 'FirstName', 'Olga'],
		['/v1/vendors', 'FirstName', 'Vic'],
		['/v1/workorders', 'WorkDetails', 'Fix the sink'],
		['/v1/bills', 'Memo', 'Plumbing'],
	]) {
		const res = await api(path, { method: 'POST', body: { ...sample('POST', path), [field]: value } });
		assert.equal(res.status, 201, `${path}: ${res.text}`);
		created[path] = res.body;
		const got = await api(`${path}/${res.body.Id}`);
		assert.equal(got.status, 200, path);
		if (field in got.body) assert.equal(got.body[field], value, path);
	}
	const todo = await api('/v1/tasks/todorequests', { method: 'POST', body: { ...sample('POST', '/v1/tasks/todorequests'), Title: 'Check smoke alarms' } });
	assert.equal(todo.status, 201);
	assert.equal((await api(`/v1/tasks/${todo.body.Id}`)).body.Title, 'Check smoke alarms');

	const bill = created['/v1/bills'];
	const patched = await api(`/v1/bills/${bill.Id}`, { method: 'PATCH', body: [{ op: 'replace', path: '/Memo', value: 'Patched memo' }], contentType: 'application/json-patch+json' });
	assert.equal(patched.status, 200, patched.text);
	assert.equal((await api(`/v1/bills/${bill.Id}`)).body.Memo, 'Patched memo');

	const after = sim.state;
	for (const k of ['rentals', 'leases', 'tenants', 'applicants', 'owners', 'vendors', 'workOrders', 'bills', 'tasks']) assert.equal(after[k], before[k] + 1, k);
	assert.equal(after.rentalUnits, before.rentalUnits + 2);
	assert.equal((await api('/v1/leases?limit=1')).headers.get('x-total-count'), String(after.leases));
});

test('delete and inactivation: DELETE removes (later GET 404), inactivationrequest flips IsActive', async () => {
	const associationId = sim.db.associations[0].Id;
	const members = (await api(`/v1/associations/${associationId}/boardmembers`)).body;
	assert.ok(members.length > 0);
	const del = await api(`/v1/associations/${associationId}/boardmembers/${members[0].Id}`, { method: 'DELETE' });
	assert.deepEqual([del.status, del.text], [204, '']);
	assert.equal((await api(`/v1/associations/${associationId}/boardmembers/${members[0].Id}`)).status, 404);
	assert.equal((await api(`/v1/associations/${associationId}/boardmembers`)).body.length, members.length - 1);

	const unitId = sim.db.rentalUnits[0].Id;
	assert.equal((await api(`/v1/rentals/units/${unitId}/listing`)).status, 200);
	assert.equal((await api(`/v1/rentals/units/${unitId}/listing`, { method: 'DELETE' })).status, 204);
	assert.equal((await api(`/v1/rentals/units/${unitId}/listing`)).status, 404);

	const property = sim.db.rentals[0];
	assert.equal((await api(`/v1/rentals/${property.Id}/inactivationrequest`, { method: 'POST', body: sampleRequest(OPERATIONS.find((o) => o.path === '/v1/rentals/{propertyId}/inactivationrequest')).body ?? {} })).status, 204);
	assert.equal((await api(`/v1/rentals/${property.Id}`)).body.IsActive, false);
});

// ---- rate limit, latency, faults -------------------------------------------------------------------------------

test('rate limit: 10 requests per second per client id, 429 beyond it with no rate-limit headers; scalable and switchable', async () => {
	sim.setRateLimit({ limit: 10, windowMs: 1000 });
	const statuses = await Promise.all(Array.from({ length: 15 }, () => api('/v1/rentals?limit=1')));
	const codes = statuses.map((r) => r.status).sort();
	assert.deepEqual(codes, [...Array(10).fill(200), ...Array(5).fill(429)]);
	const refused = statuses.find((r) => r.status === 429);
	assert.equal(refused.body.ErrorCode, 'TooManyRequests');
	assert.equal(refused.headers.get('retry-after'), null);
	assert.ok(![...refused.headers.keys()].some((h) => /ratelimit/i.test(h)));
	assert.equal((await api('/v1/rentals?limit=1', { auth: sim.authHeaders({ limited: true }) })).status, 403, 'another client id has its own budget');
	await new Promise((r) => setTimeout(r, 1000));
	assert.equal((await api('/v1/rentals?limit=1')).status, 200, 'the next second has a new budget');

	const control = await fetch(`${sim.origin}/__control/ratelimit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ limit: 2, windowMs: 200 }) });
	assert.equal(control.status, 200);
	const three = await Promise.all([1, 2, 3].map(() => api('/v1/rentals?limit=1')));
	assert.deepEqual(three.map((r) => r.status).sort(), [200, 200, 429]);
	await fetch(`${sim.origin}/__control/ratelimit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'null' });
	const many = await Promise.all(Array.from({ length: 20 }, () => api('/v1/rentals?limit=1')));
	assert.ok(many.every((r) => r.status === 200));
});

test('latency: every API request waits latencyMs (option, method or /__control/latency)', async () => {
	let started = performance.now();
	await api('/v1/rentals?limit=1');
	const base = performance.now() - started;
	sim.setLatency(120);
	started = performance.now();
	assert.equal((await api('/v1/rentals?limit=1')).status, 200);
	assert.ok(performance.now() - started >= 115, 'method');
	await fetch(`${sim.origin}/__control/latency`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ms: 0 }) });
	assert.equal(sim.latencyMs, 0);
	const slow = createBuildiumSimulator({ rateLimit: null, latencyMs: 80 });
	await slow.start();
	try {
		started = performance.now();
		const concurrent = await Promise.all(Array.from({ length: 5 }, () => api('/v1/rentals?limit=1', { auth: slow.authHeaders(), target: slow })));
		const elapsed = performance.now() - started;
		assert.ok(concurrent.every((r) => r.status === 200));
		assert.ok(elapsed >= 75 && elapsed < 75 + 5 * 80, `concurrent requests overlap their latency (${elapsed.toFixed(0)} ms, base ${base.toFixed(0)} ms)`);
	} finally {
		await slow.close();
	}
});

test('faults: 503, 429, reset and truncate from the shared base, with ApiErrorResponse bodies', async () => {
	sim.injectFault([{ kind: '503' }, { kind: '429', path: '/v1/leases' }]);
	const unavailable = await api('/v1/rentals');
	assert.deepEqual([unavailable.status, unavailable.body.ErrorCode], [503, 'ServiceUnavailable']);
	const limited = await api('/v1/leases');
	assert.deepEqual([limited.status, Object.keys(limited.body).sort()], [429, ['ErrorCode', 'Errors', 'UserMessage']]);
	sim.injectFault({ kind: 'reset' });
	await assert.rejects(() => api('/v1/rentals'));
	sim.injectFault({ kind: 'truncate' });
	const res = await fetch(`${sim.url}/rentals`, { headers: sim.authHeaders() });
	assert.equal(res.status, 200);
	const text = await res.text();
	assert.ok(text.startsWith('[{'));
	assert.throws(() => JSON.parse(text));
	assert.equal((await api('/v1/rentals')).status, 200);
});

// ---- files -----------------------------------------------------------------------------------------------------

test('files: upload request -> PUT bytes with the returned headers -> file listed -> download request -> same bytes', async () => {
	const unitId = sim.db.rentalUnits[0].Id;
	const ticket = await api('/v1/files/uploads', { method: 'POST', body: { EntityType: 'RentalUnit', EntityId: unitId, FileName: 'lease.pdf', Title: 'Signed lease', CategoryId: 1 } });
	assert.equal(ticket.status, 201);
	assert.deepEqual(Object.keys(ticket.body).sort(), ['Headers', 'PhysicalFileName', 'UploadUrl']);
	assert.ok(ticket.body.UploadUrl.startsWith(`${sim.origin}/__bucket/`));
	const bytes = Buffer.from('%PDF-1.4 simulated \x00\x01\x02 bytes');

	const noHeaders = await fetch(ticket.body.UploadUrl, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
	assert.equal(noHeaders.status, 403, 'the returned headers are part of the signature');
	const put = await fetch(ticket.body.UploadUrl, { method: 'PUT', headers: { ...ticket.body.Headers, 'content-type': 'application/pdf' }, body: bytes });
	assert.equal(put.status, 200);
	assert.equal((await fetch(ticket.body.UploadUrl, { method: 'PUT', headers: ticket.body.Headers, body: bytes })).status, 404, 'an upload URL is used once');

	const files = (await api('/v1/files?limit=1000')).body;
	const file = files.find((f) => f.PhysicalFileName === ticket.body.PhysicalFileName);
	assert.ok(file, 'the file record appears');
	assert.deepEqual([file.Title, file.Size], ['Signed lease', bytes.length]);
	const link = await api(`/v1/files/${file.Id}/downloadrequest`, { method: 'POST' });
	assert.equal(link.status, 201);
	const download = await fetch(link.body.DownloadUrl);
	assert.equal(download.status, 200);
	assert.equal(download.headers.get('content-type'), 'application/pdf');
	assert.deepEqual(Buffer.from(await download.arrayBuffer()), bytes);
	assert.equal((await api('/v1/files/99/downloadrequest', { method: 'POST' })).status, 404);
	assert.equal(sim.uploadedFiles.length, 1);
});

test('files: check files use the S3 POST form ({BucketUrl, FormData}); bill files the PUT style', async () => {
	const bankId = sim.db.bankAccounts[0].Id;
	const checks = (await api(`/v1/bankaccounts/${bankId}/checks?startdate=2024-01-01&enddate=2024-12-31`)).body;
	const ticket = await api(`/v1/bankaccounts/${bankId}/checks/${checks[0].Id}/files/uploads`, { method: 'POST', body: { FileName: 'check.png' } });
	assert.equal(ticket.status, 201);
	assert.deepEqual(Object.keys(ticket.body).sort(), ['BucketUrl', 'FormData', 'PhysicalFileName']);
	const form = new FormData();
	for (const [k, v] of Object.entries(ticket.body.FormData)) form.append(k, v);
	form.append('file', new Blob([Buffer.from('PNG!')], { type: 'image/png' }), 'check.png');
	const post = await fetch(ticket.body.BucketUrl, { method: 'POST', body: form });
	assert.equal(post.status, 204);
	const listed = (await api(`/v1/bankaccounts/${bankId}/checks/${checks[0].Id}/files`)).body;
	const file = listed.find((f) => f.PhysicalFileName === ticket.body.PhysicalFileName);
	assert.ok(file);
	const link = await api(`/v1/bankaccounts/${bankId}/checks/${checks[0].Id}/files/${file.Id}/downloadrequests`, { method: 'POST' });
	assert.equal(await (await fetch(link.body.DownloadUrl)).text(), 'PNG!');

	const billId = sim.db.bills[0].Id;
	const billTicket = await api(`/v1/bills/${billId}/files/uploads`, { method: 'POST', body: { FileName: 'invoice.txt' } });
	assert.equal((await fetch(billTicket.body.UploadUrl, { method: 'PUT', headers: billTicket.body.Headers, body: 'invoice' })).status, 200);
	assert.ok((await api(`/v1/bills/${billId}/files`)).body.some((f) => f.PhysicalFileName === billTicket.body.PhysicalFileName));
});

// ---- webhooks --------------------------------------------------------------------------------------------------

test('sendWebhook: a signed thin event that verifies with node:crypto; tampered variants do not', async (t) => {
	const hook = await startReceiver(t);
	const secret = 'whsec-buildium-test';
	const sent = await sim.sendWebhook(hook.url, 'Lease.Created', { secret, fields: { LeaseId: 4242 } });
	assert.equal(sent.status, 200);
	const [delivery] = hook.received;
	assert.equal(delivery.body, sent.rawBody);
	const event = JSON.parse(delivery.body);
	assert.deepEqual(Object.keys(event), ['EventName', 'EventDateTime', 'AccountId', 'LeaseId']);
	assert.equal(event.EventName, 'Lease.Created');
	assert.equal(event.LeaseId, 4242);
	assert.match(event.EventDateTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
	assert.ok(!/\n|": /.test(delivery.body), 'compact JSON');
	assert.match(delivery.headers['buildium-webhook-timestamp'], /^\d{10}$/);
	assert.ok(Math.abs(Number(delivery.headers['buildium-webhook-timestamp']) - Date.now() / 1000) < 5);
	assert.ok(verify(secret, delivery.headers, delivery.body));
	assert.ok(!verify('other-secret', delivery.headers, delivery.body));

	for (const tamper of ['body', 'signature', 'timestamp', 'missing']) {
		await sim.sendWebhook(hook.url, 'Rental.Updated', { secret, tamper });
		const d = hook.received.at(-1);
		assert.ok(!verify(secret, d.headers, d.body), tamper);
	}
	await sim.sendWebhook(hook.url, { EventName: 'Custom.Thing', AccountId: 1 }, { secret, timestamp: 1_700_000_000 });
	const custom = hook.received.at(-1);
	assert.equal(custom.headers['buildium-webhook-timestamp'], '1700000000');
	assert.ok(verify(secret, custom.headers, custom.body));
	const viaControl = await fetch(`${sim.origin}/__control/webhook-send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: hook.url, event: 'Task.Created', secret }) });
	assert.equal((await viaControl.json()).status, 200);
	assert.equal(JSON.parse(hook.received.at(-1).body).TaskType, 'Todo');
});

test('auto-delivery: creating and updating entities sends signed <Entity>.Created/Updated events to subscribers (event filter)', async (t) => {
	const all = await startReceiver(t);
	const onlyApplicants = await startReceiver(t);
	const secret = 'sub-secret';
	sim.subscribeWebhook({ url: all.url, secret });
	sim.subscribeWebhook({ url: onlyApplicants.url, secret: 'other', events: ['Applicant.Created'] });
	const sample = (path) => sampleRequest(OPERATIONS.find((o) => o.method === 'POST' && o.path === path), { sim }).body;
	const lease = await api('/v1/leases', { method: 'POST', body: sample('/v1/leases') });
	const applicant = await api('/v1/applicants', { method: 'POST', body: sample('/v1/applicants') });
	await api(`/v1/leases/${lease.body.Id}`, { method: 'PUT', body: sampleRequest(OPERATIONS.find((o) => o.method === 'PUT' && o.path === '/v1/leases/{leaseId}'), { sim }).body });
	await sim.flushWebhooks();
	const events = all.received.map((d) => JSON.parse(d.body));
	assert.deepEqual(events.map((e) => e.EventName), ['Lease.Created', 'Applicant.Created', 'Lease.Updated']);
	assert.equal(events[0].LeaseId, lease.body.Id);
	assert.equal(events[1].ApplicantId, applicant.body.Id);
	assert.equal(events[0].AccountId, sim.db.accountId);
	assert.ok(all.received.every((d) => verify(secret, d.headers, d.body)));
	assert.deepEqual(onlyApplicants.received.map((d) => JSON.parse(d.body).EventName), ['Applicant.Created']);
	assert.ok(verify('other', onlyApplicants.received[0].headers, onlyApplicants.received[0].body));
	assert.throws(() => sim.subscribeWebhook({ url: all.url, secret, events: ['Lease.Exploded'] }));
});

// ---- control API and CLI ---------------------------------------------------------------------------------------

test('control API: state, seed, reset, requests log, files, events', async () => {
	const control = async (method, path, body) => {
		const res = await fetch(`${sim.origin}/__control${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
		return { status: res.status, body: await res.json() };
	};
	assert.equal((await control('POST', '/seed', { rentalUnits: 123 })).body.rentalUnits, 123);
	assert.equal((await control('GET', '/state')).body.rentalUnits, 123);
	assert.equal((await api('/v1/rentals/units?limit=1')).headers.get('x-total-count'), '123');
	const logged = (await control('GET', '/requests?path=/rentals/units')).body.at(-1);
	assert.deepEqual([logged.headers['x-buildium-client-id'], logged.headers['x-buildium-client-secret']], [sim.clientId, '<redacted>']);
	assert.equal((await control('GET', '/events')).body.length, 98);
	assert.deepEqual((await control('GET', '/files')).body, []);
	assert.equal((await control('POST', '/reset')).body.rentalUnits, 30);
	assert.equal((await control('GET', '/nope')).status, 404);
});

test('cli: buildium prints one JSON line, serves /v1 with the given key and exits cleanly on SIGTERM', async (t) => {
	const cli = fileURLToPath(new URL('../simulators/cli.mjs', import.meta.url));
	const child = spawn(process.execPath, [cli, 'buildium', '--port', '0', '--units', '12', '--client-id', 'cli-id', '--client-secret', 'cli-secret', '--rate-limit', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
	t.after(() => child.exitCode === null && child.kill('SIGKILL'));
	let out = '';
	for await (const chunk of child.stdout) {
		out += chunk;
		if (out.includes('\n')) break;
	}
	const info = JSON.parse(out.trim());
	assert.equal(info.vendor, 'buildium');
	assert.equal(info.url, `http://127.0.0.1:${info.port}/v1`);
	const res = await fetch(`${info.url}/rentals/units?limit=100`, { headers: { 'x-buildium-client-id': 'cli-id', 'x-buildium-client-secret': 'cli-secret' } });
	assert.equal((await res.json()).length, 12);
	child.kill('SIGTERM');
	const [code] = await once(child, 'exit');
	assert.equal(code, 0);
});
