// Entrata as the node meets it: error envelopes (HTTP 200 and 4xx) and Continue On Fail, both hosts, paging by Link /
// X-Total-Count, the asynchronous report queue, rate limits, cut-off bodies, Mountain Time, the credential test.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, beforeEach, describe, test } from 'node:test';

import { loadPackage, runNode, testCredential } from '../harness/routing.mjs';
import { startEntrataSimulator } from '../simulators/entrata.mjs';

const require = createRequire(import.meta.url);
const dates = require('../../dist/nodes/common/transport/zonedDates.js');
const { normalizeEntrata, entrataRecords } = require('../../dist/nodes/Entrata/common/profile.js');
const { nextLinkQuery } = require('../../dist/nodes/common/transport/routing.js');
const { entrataBaseUrl } = require('../../dist/credentials/EntrataApi.credentials.js');
const { createXmlCodec, xmlScalar } = require('../../dist/nodes/common/transport/xml.js');
const pacing = require('../../dist/nodes/common/transport/pacing.js');

const DENVER = 'America/Denver';
let sim;
let pkg;

const gateway = (extra = {}) => ({ authMode: 'apiKey', organization: sim.org, apiKey: sim.apiKey, baseUrl: sim.gatewayUrl, format: 'json', acceptLanguage: '', ...extra });
const legacy = (extra = {}) => ({ authMode: 'basic', subdomain: 'acme', username: sim.username, password: sim.password, baseUrl: sim.legacyUrl, format: 'json', acceptLanguage: '', ...extra });

async function run(parameters, { credential = gateway(), items, continueOnFail } = {}) {
	return await runNode(pkg.nodes.entrata, { parameters, items, continueOnFail, credentials: { entrataApi: credential }, credentialTypes: pkg.credentials });
}

before(async () => {
	pkg = await loadPackage();
	sim = await startEntrataSimulator({ leasesPerProperty: 1100, reportReadyAfter: 2 });
});
after(async () => sim?.close());
beforeEach(async () => {
	await sim.reset();
	sim.calls.length = 0;
	Object.assign(sim, { appEnabled: true, ipWhitelist: null, methodErrorStatus: 200, paginationLinks: true, reportReadyAfter: 2, apiKey: 'sim-entrata-key' });
	sim.setServiceRateLimit(null);
});

describe('errors', () => {
	test('an error envelope inside HTTP 200 becomes a NodeApiError with Entrata code and message', async () => {
		await assert.rejects(run({ resource: 'lead', operation: 'getLeads', propertyId: 999, returnAll: true }), (error) => {
			assert.equal(error.name, 'NodeApiError');
			assert.equal(error.message, 'Entrata rejected the request: Property 999 was not found (code 303)');
			assert.equal(error.httpCode, '200');
			return true;
		});
	});

	test('the same envelope with HTTP 400', async () => {
		sim.methodErrorStatus = 400;
		await assert.rejects(run({ resource: 'lead', operation: 'getLeads', propertyId: 999, returnAll: true }), /rejected the request \[400\]: Property 999 was not found \(code 303\)/);
	});

	test('Continue On Fail: the failing item becomes an error item and the others go on', async () => {
		const items = await run(
			{ resource: 'lead', operation: 'getLeads', propertyId: '={{ $json.p }}', returnAll: true },
			{ items: [{ json: { p: 100 } }, { json: { p: 999 } }, { json: { p: 101 } }], continueOnFail: true },
		);
		const errors = items.filter((i) => i.json.error || i.error);
		assert.equal(errors.length, 1);
		assert.match(String(errors[0].json.error ?? errors[0].error?.message), /Property 999 was not found/);
		const leads = items.filter((i) => !i.json.error && !i.error);
		assert.deepEqual([...new Set(leads.map((i) => i.json.propertyId))].sort(), [100, 101]);
		assert.equal(leads.length, 24);
	});

	test('XML: the same errors as JSON (envelope in 200, and 401)', async () => {
		const xml = gateway({ format: 'xml' });
		await assert.rejects(run({ resource: 'lead', operation: 'getLeads', propertyId: 999, returnAll: true }, { credential: xml }), {
			message: 'Entrata rejected the request: Property 999 was not found (code 303)',
		});
		await assert.rejects(run({ resource: 'status', operation: 'getStatus' }, { credential: { ...xml, apiKey: 'nope' } }), /\[401\]: Unauthorized: invalid API key \(code 401\)/);
		assert.ok(sim.requests.every((r) => /xml/i.test(r.headers['content-type'])));
	});

	test('a wrong API key: 401 with the hint, and the key never appears in the error', async () => {
		await assert.rejects(run({ resource: 'status', operation: 'getStatus' }, { credential: gateway({ apiKey: 'wrong-key-123' }) }), (error) => {
			assert.match(error.message, /\[401\]: Unauthorized: invalid API key/);
			assert.doesNotMatch(JSON.stringify({ message: error.message, description: error.description, context: error.context }), /wrong-key-123/);
			return true;
		});
	});

	test('a cut-off body: a read is retried, a write is not', async () => {
		sim.injectFault({ kind: 'truncate', path: '/ext/orgs/simorg/v1/status' });
		const [status] = await run({ resource: 'status', operation: 'getStatus' }, { credential: gateway({ format: 'xml' }) });
		assert.equal(status.json.status, 'Success');
		assert.equal(sim.requests.filter((r) => r.path.endsWith('/status')).length, 2);
		sim.injectFault({ kind: 'truncate', path: '/ext/orgs/simorg/v1/maintenance' });
		await assert.rejects(
			run({ resource: 'maintenance', operation: 'sendWorkOrders', propertyId: 100, mainPhoneNumber: '303-555-0100', permissionToEnter: 1, maintenanceLocationId: 1, maintenanceCategoryId: 1, maintenanceProblemId: 1, problemDescription: 'Leak' }),
			(error) => /incomplete response/.test(error.message) && /may already have been applied/.test(error.description),
		);
		assert.equal(sim.requests.filter((r) => r.path.endsWith('/maintenance')).length, 1);
	});
});

describe('hosts and auth modes', () => {
	test('legacy host with HTTP Basic and auth.type basic', async () => {
		const [status] = await run({ resource: 'status', operation: 'getStatus' }, { credential: legacy() });
		assert.equal(status.json.status, 'Success');
		assert.equal(sim.calls.at(-1).auth, 'basic');
		assert.equal(sim.requests.at(-1).path, '/api/v1/status');
		assert.equal(sim.requests.at(-1).headers.authorization, '<redacted>');
		await assert.rejects(run({ resource: 'status', operation: 'getStatus' }, { credential: legacy({ password: 'nope' }) }), /\[401\]/);
	});

	test('Accept-Language is sent when set', async () => {
		await run({ resource: 'status', operation: 'getStatus' }, { credential: gateway({ acceptLanguage: 'es-MX' }) });
		assert.equal(sim.requests.at(-1).headers['accept-language'], 'es-MX');
		assert.equal(sim.requests.at(-1).headers['x-api-key'], sim.apiKey);
	});

	test('without an override the base URL follows the auth mode', () => {
		assert.equal(entrataBaseUrl({ authMode: 'apiKey', organization: 'acme' }), 'https://apis.entrata.com/ext/orgs/acme/v1');
		assert.equal(entrataBaseUrl({ authMode: 'basic', subdomain: 'acme' }), 'https://acme.entrata.com/api/v1');
		assert.equal(entrataBaseUrl({ authMode: 'basic', subdomain: 'acme', baseUrl: 'http://127.0.0.1:9/x/' }), 'http://127.0.0.1:9/x');
	});
});

describe('paging (page_no / per_page)', () => {
	const leaseRequests = () => sim.requests.filter((r) => r.path.endsWith('/leases'));

	test('Return All follows Link rel="next" at 500 per page', async () => {
		const items = await run({ resource: 'lease', operation: 'getLeases', propertyId: 100, returnAll: true });
		assert.equal(items.length, 1100);
		assert.equal(new Set(items.map((i) => i.json.id)).size, 1100);
		assert.deepEqual(leaseRequests().map((r) => [r.query.page_no, r.query.per_page]), [['1', '500'], ['2', '500'], ['3', '500']]);
		assert.ok(leaseRequests().every((r) => r.headers['x-send-pagination-links'] === '1'));
	});

	test('after the first page (X-Total-Count), the rest come 4 at a time, in the vendor order', async () => {
		sim.seed({ leasesPerProperty: 2600 });
		sim.setLatency(150);
		try {
			const started = Date.now();
			const items = await run({ resource: 'lease', operation: 'getLeases', propertyId: 100, returnAll: true });
			const ms = Date.now() - started;
			assert.deepEqual(items.map((i) => i.json.id), sim.db.leases.filter((l) => l.propertyId === 100).map((l) => l['@attributes'].id));
			assert.deepEqual(leaseRequests().map((r) => r.query.page_no).sort(), ['1', '2', '3', '4', '5', '6']);
			// 1 + ⌈5 / 4⌉ rounds of 150 ms, not 6.
			assert.ok(ms < 6 * 150, `${ms} ms`);
		} finally {
			sim.setLatency(0);
		}
	});

	test('without links, X-Total-Count ends the walk (no empty extra page on an exact multiple)', async () => {
		sim.paginationLinks = false;
		sim.seed({ leasesPerProperty: 1000 });
		const items = await run({ resource: 'lease', operation: 'getLeases', propertyId: 100, returnAll: true });
		assert.equal(items.length, 1000);
		assert.equal(leaseRequests().length, 2);
	});

	test('Limit asks for that many', async () => {
		const items = await run({ resource: 'lease', operation: 'getLeases', propertyId: 100, returnAll: false, limit: 7 });
		assert.equal(items.length, 7);
		assert.deepEqual(leaseRequests().map((r) => r.query), [{ page_no: '1', per_page: '7' }]);
	});

	test('Link header parsing', () => {
		const link = '</v1/leases?page_no=1&per_page=5>; rel="first", </v1/leases?page_no=3&per_page=5>; rel="next", </v1/leases?page_no=9&per_page=5>; rel="last"';
		assert.equal(nextLinkQuery(link).get('page_no'), '3');
		assert.equal(nextLinkQuery('</x?page_no=1>; rel="prev"'), undefined);
		assert.equal(nextLinkQuery(undefined), undefined);
	});
});

describe('reports', () => {
	test('getReportData polls queue/getResponse with backoff while 310 and returns the rows', async () => {
		const started = Date.now();
		const rows = await run({ resource: 'report', operation: 'getReportData', reportName: 'pre_lease' });
		assert.equal(rows.length, 12);
		assert.equal(rows[0].json.report, 'pre_lease');
		assert.deepEqual(sim.calls.map((c) => c.method), ['getReportData', 'getResponse', 'getResponse', 'getResponse']);
		const queueId = sim.db.queue[0].queueId;
		assert.ok(sim.calls.slice(1).every((c) => c.params.queueId === queueId && c.params.serviceName === 'getReportData'));
		assert.ok(Date.now() - started >= 500 + 1000 + 2000 - 50, 'waits 0.5 s, 1 s, 2 s');
	});

	test('a report that is not ready within the wait timeout fails with its queue ID', async () => {
		sim.reportReadyAfter = 100;
		await assert.rejects(run({ resource: 'report', operation: 'getReportData', reportName: 'pre_lease', additionalFields: { waitTimeout: 1 } }), (error) => {
			assert.match(error.message, /not ready within 1 s/);
			assert.match(error.description, new RegExp(sim.db.queue[0].queueId));
			return true;
		});
	});
});

describe('rate limits', () => {
	test('X-RateLimit-Remaining 0 in a window holds the next request until its reset (no 429)', async () => {
		sim.apiKey = 'pacing-key-1';
		sim.setServiceRateLimit({ perMinute: 2, windowMs: 1000 });
		const started = Date.now();
		for (let n = 0; n < 3; n++) {
			const [status] = await run({ resource: 'status', operation: 'getStatus' }, { credential: gateway({ apiKey: 'pacing-key-1' }) });
			assert.equal(status.json.status, 'Success');
		}
		assert.deepEqual(sim.requests.map((r) => r.status), [200, 200, 200]);
		assert.match(sim.requests[1].headers['x-api-key'] ?? '', /pacing-key-1/);
		assert.ok(Date.now() - started >= 900, 'the third request waited for the minute window to reset');
	});

	test('budgets are per service: a used-up status budget does not hold another service', async () => {
		sim.apiKey = 'pacing-key-3';
		sim.setServiceRateLimit({ perMinute: 1, windowMs: 5000 });
		const credential = gateway({ apiKey: 'pacing-key-3' });
		const started = Date.now();
		await run({ resource: 'status', operation: 'getStatus' }, { credential });
		await run({ resource: 'property', operation: 'getProperties' }, { credential });
		assert.ok(Date.now() - started < 2000, 'properties was not held by the status budget');
		assert.deepEqual(sim.requests.map((r) => r.status), [200, 200]);
	});

	test('items sent at once over the budget all succeed: 429s are retried after the reset', async () => {
		sim.apiKey = 'pacing-key-2';
		sim.setServiceRateLimit({ perMinute: 2, windowMs: 1000 });
		const items = await run({ resource: 'status', operation: 'getStatus' }, { credential: gateway({ apiKey: 'pacing-key-2' }), items: [1, 2, 3, 4, 5].map((n) => ({ json: { n } })) });
		assert.equal(items.length, 5);
		assert.ok(items.every((i) => i.json.status === 'Success'));
		assert.equal(sim.requests.filter((r) => r.status === 200).length, 5);
	});

	test('a 429 is retried after Retry-After', async () => {
		sim.injectFault({ kind: '429', retryAfter: 1 });
		const [status] = await run({ resource: 'status', operation: 'getStatus' });
		assert.equal(status.json.status, 'Success');
		assert.deepEqual(sim.requests.map((r) => r.status), [429, 200]);
	});

	test('a wait that is too long fails and says how long', async () => {
		sim.injectFault({ kind: '429', retryAfter: 3600 });
		await assert.rejects(run({ resource: 'status', operation: 'getStatus' }), (error) => /asked to wait 3600 s/.test(error.description));
	});
});

describe('Mountain Time (America/Denver)', () => {
	test('March gap: 02:30 on 2024-03-10 does not exist and moves forward to 03:30 MDT', () => {
		assert.equal(dates.toZonedText('2024-03-10T02:30:00', DENVER, 'dateTime'), '03/10/2024T03:30:00');
		assert.equal(dates.fromZonedText('03/10/2024T02:30:00', DENVER), '2024-03-10T03:30:00-06:00');
		assert.equal(dates.fromZonedText('03/10/2024T01:59:59', DENVER), '2024-03-10T01:59:59-07:00');
	});

	test('November overlap: 01:30 on 2024-11-03 happens twice; Entrata text reads as the first (MDT)', () => {
		// Both instants show as the same wall time in Denver...
		assert.equal(dates.toZonedText('2024-11-03T07:30:00Z', DENVER, 'dateTime'), '11/03/2024T01:30:00');
		assert.equal(dates.toZonedText('2024-11-03T08:30:00Z', DENVER, 'dateTime'), '11/03/2024T01:30:00');
		// ...and the text is read back as the first of them.
		assert.equal(dates.fromZonedText('11/03/2024T01:30:00', DENVER), '2024-11-03T01:30:00-06:00');
		assert.equal(dates.fromZonedText('11/03/2024T02:30:00', DENVER), '2024-11-03T02:30:00-07:00');
	});

	test('a UTC instant whose Denver date is the previous day', async () => {
		assert.equal(dates.toZonedText('2024-01-15T03:00:00Z', DENVER, 'date'), '01/14/2024');
		assert.equal(dates.toZonedText('2024-07-15T05:59:59Z', DENVER, 'date'), '07/14/2024');
		assert.equal(dates.toZonedText('2024-07-15T06:00:00Z', DENVER, 'date'), '07/15/2024');
		await run({ resource: 'lead', operation: 'getLeads', propertyId: 100, returnAll: true, additionalFields: { createdOnDateFrom: '2024-01-15T03:00:00Z' } });
		assert.equal(sim.calls.at(-1).params.createdOnDateFrom, '01/14/2024');
	});

	test('wall times without an offset, Entrata text and month fields', () => {
		assert.equal(dates.toZonedText('2024-03-10T23:30:00', DENVER, 'date'), '03/10/2024');
		assert.equal(dates.toZonedText('03/10/2024', DENVER, 'date'), '03/10/2024');
		assert.equal(dates.toZonedText('2024-03-31', DENVER, 'month'), '03/2024');
		assert.equal(dates.toZonedText('not a date', DENVER, 'date'), 'not a date');
	});

	test('output dates gain ISO 8601 companions with the offset of their moment', async () => {
		const [lease] = await run({ resource: 'lease', operation: 'getLeases', propertyId: 100, returnAll: false, limit: 1 });
		assert.match(lease.json.moveInDate, /^\d{2}\/\d{2}\/\d{4}$/);
		assert.match(lease.json.moveInDateIso, /^\d{4}-\d{2}-\d{2}T00:00:00-0[67]:00$/);
		const out = dates.withIsoCompanions({ a: '11/03/2024T01:30:00', b: { c: '07/04/2024' }, d: 'x' }, DENVER);
		assert.deepEqual(out, { a: '11/03/2024T01:30:00', aIso: '2024-11-03T01:30:00-06:00', b: { c: '07/04/2024', cIso: '2024-07-04T00:00:00-06:00' }, d: 'x' });
	});

	test('nested dates in structured params are sent in Entrata format (sendLeads prospects)', async () => {
		const prospects = { prospect: [{ createdDate: '2024-03-10T20:05:00Z', customers: { customer: [{ name: { firstName: 'Ada', lastName: 'Lovelace' }, email: 'ada@example.com' }] }, customerPreferences: { desiredMoveInDate: '2024-04-01' } }] };
		await run({ resource: 'lead', operation: 'sendLeads', propertyId: 100, prospects: JSON.stringify(prospects) });
		const sent = sim.calls.at(-1).params.prospects.prospect[0];
		assert.equal(sent.createdDate, '03/10/2024T14:05:00');
		assert.equal(sent.customerPreferences.desiredMoveInDate, '04/01/2024');
	});

	test('the cached fast path agrees with luxon on every hour of 2024 and 2025 (both DST changes included)', () => {
		const { DateTime } = require('luxon');
		const p = (n) => String(n).padStart(2, '0');
		let checked = 0;
		for (let day = DateTime.fromObject({ year: 2024, month: 1, day: 1 }, { zone: 'utc' }); day.year < 2026; day = day.plus({ days: 1 })) {
			for (const hour of [0, 1, 2, 3, 12, 23]) {
				const text = `${p(day.month)}/${p(day.day)}/${day.year}T${p(hour)}:30:00`;
				const local = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour, minute: 30 }, { zone: DENVER });
				const earliest = local.getPossibleOffsets().reduce((a, b) => (b.toMillis() < a.toMillis() ? b : a), local);
				assert.equal(dates.fromZonedText(text, DENVER), earliest.toISO({ suppressMilliseconds: true }), text);
				checked++;
			}
			assert.equal(dates.fromZonedText(`${p(day.month)}/${p(day.day)}/${day.year}`, DENVER), DateTime.fromObject({ year: day.year, month: day.month, day: day.day }, { zone: DENVER }).toISO({ suppressMilliseconds: true }));
		}
		assert.equal(checked, 731 * 6);
		assert.equal(dates.fromZonedText('02/30/2024', DENVER), undefined);
		assert.equal(dates.fromZonedText('02/29/2023', DENVER), undefined);
		assert.equal(dates.fromZonedText('13/01/2024', DENVER), undefined);
		assert.equal(dates.fromZonedText('02/29/2024', DENVER), '2024-02-29T00:00:00-07:00');
	});

	test('on the days around each change the fast path agrees with the wall-time reading, minute by minute, also in zones that change at midnight', () => {
		// Days with a change have their hours cached one by one; zones whose clocks skip or repeat midnight (Santiago,
		// Havana) used to get the whole day's offset for 00:xx.
		const { DateTime } = require('luxon');
		const p = (n) => String(n).padStart(2, '0');
		let checked = 0;
		for (const zone of [DENVER, 'America/Santiago', 'America/Havana', 'Europe/London']) {
			let previous;
			for (let day = DateTime.utc(2018, 1, 1); day.year < 2027; day = day.plus({ days: 1 })) {
				const noon = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: 12 }, { zone }).offset;
				if (previous !== undefined && noon !== previous) {
					for (const d of [day.minus({ days: 1 }), day]) {
						for (let hour = 0; hour < 24; hour++) {
							for (const minute of [0, 29, 30, 59]) {
								const reference = dates.wallTime({ year: d.year, month: d.month, day: d.day, hour, minute, second: 59 }, zone).toISO({ suppressMilliseconds: true });
								assert.equal(dates.fromZonedText(`${p(d.month)}/${p(d.day)}/${d.year}T${p(hour)}:${p(minute)}:59`, zone), reference, `${zone} ${d.toISODate()} ${hour}:${minute}`);
								checked++;
							}
						}
						const midnight = dates.wallTime({ year: d.year, month: d.month, day: d.day }, zone).toISO({ suppressMilliseconds: true });
						assert.equal(dates.fromZonedText(`${p(d.month)}/${p(d.day)}/${d.year}`, zone), midnight, `${zone} ${d.toISODate()}`);
					}
				}
				previous = noon;
			}
		}
		assert.ok(checked > 4 * 9 * 2 * 2 * 96 * 0.9, `checked ${checked}`);
		assert.equal(dates.fromZonedText('09/08/2024', 'America/Santiago'), '2024-09-08T01:00:00-03:00', 'a skipped midnight moves forward');
		assert.equal(dates.fromZonedText('04/06/2024T00:30:00', 'America/Santiago'), '2024-04-06T00:30:00-03:00');
	});

	test('a date field that is not a date is refused before anything is sent', async () => {
		await assert.rejects(run({ resource: 'lead', operation: 'getLeads', propertyId: 100, returnAll: true, additionalFields: { createdOnDateFrom: 'yesterday-ish' } }), /"createdOnDateFrom" is not a date/);
		assert.equal(sim.calls.length, 0);
	});
});

describe('XML codec and pacing (shared transport)', () => {
	test('XML text becomes a number only when it writes back the same; attributes are grouped', () => {
		assert.equal(xmlScalar('a', '42'), 42);
		assert.equal(xmlScalar('a', '-0.5'), -0.5);
		for (const text of ['007', '1.50', '+13035550100', '1e5', '12.', '80202-1234', '9007199254740993']) assert.equal(xmlScalar('a', text), text);
		assert.equal(xmlScalar('a', 'true'), true);
		const codec = createXmlCodec({ attributesGroupName: '@attributes' });
		const doc = { response: { code: 200, result: { leases: { lease: [{ '@attributes': { id: 1 }, unit: 'B1-01' }, { '@attributes': { id: 2 }, unit: '' }] } } } };
		const text = codec.encode(doc);
		assert.match(text, /^<\?xml version="1\.0" encoding="UTF-8"\?><response><code>200<\/code><result><leases><lease id="1">/);
		assert.deepEqual(codec.decode(text), doc);
		assert.throws(() => codec.decode('<response><code>200</code>'), /Invalid XML/);
	});

	test('several rate-limit windows: the exhausted one decides how long to hold', async () => {
		const profile = { name: 'E', credentialType: 'e', rateLimitHeaders: { remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset', resetUnit: 'seconds' } };
		const now = Date.now();
		const report = async (key, headers) => {
			const ticket = { key, processes: 1 };
			pacing.settle(profile, ticket, await pacing.pace(profile, ticket), { statusCode: 200, headers }, now);
		};
		await report('w1', { 'x-ratelimit-remaining': '14996/DAY;999/HOUR;0/MINUTE', 'x-ratelimit-reset': '36686;686;26' });
		assert.equal(pacing.admissionWait(profile, 'w1', 1, now), 26_000);
		await report('w2', { 'x-ratelimit-remaining': '14996/DAY;999/HOUR;149/MINUTE', 'x-ratelimit-reset': '36686;686;26' });
		assert.equal(pacing.admissionWait(profile, 'w2', 1, now), 0);
		await report('w3', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '10;60' });
		assert.equal(pacing.admissionWait(profile, 'w3', 1, now), 10_000, 'one budget, several resets: the shortest (as before)');
	});
});

describe('packaging', () => {
	test('the Entrata entries use the vendored luxon and fast-xml-parser, not copies of their own', () => {
		const { readFileSync } = require('node:fs');
		for (const entry of ['Entrata.node.js', 'EntrataTrigger.node.js']) {
			const text = readFileSync(new URL(`../../dist/nodes/Entrata/${entry}`, import.meta.url), 'utf8');
			assert.match(text, /require\("\.\.\/\.\.\/vendor\/fast-xml-parser\.js"\)/, entry);
			assert.match(text, /require\("\.\.\/\.\.\/vendor\/luxon\.js"\)/, entry);
			assert.doesNotMatch(text, /class XMLParser|XMLValidator\s*=\s*\{|Invalid unit|DateTime\.fromObject = /, `${entry} inlines no library`);
		}
	});
});

describe('responses', () => {
	test('wrappers become lists, also for one record; @attributes are flattened', () => {
		assert.deepEqual(normalizeEntrata({ customers: { customer: { '@attributes': { id: 7 }, name: 'A' } } }), { customers: [{ id: 7, name: 'A' }] });
		assert.deepEqual(normalizeEntrata({ properties: { property: [{ a: 1 }, { a: 2 }] } }), { properties: [{ a: 1 }, { a: 2 }] });
		assert.deepEqual(entrataRecords({ response: { code: 200, result: { leases: { lease: { '@attributes': { id: 1 } } } } } }), [{ id: 1 }]);
		assert.deepEqual(entrataRecords({ response: { code: 200, result: { customers: '' } } }), []);
		assert.deepEqual(entrataRecords({ response: { code: 200, result: { status: 'Success', message: 'ok' } } }), [{ status: 'Success', message: 'ok' }]);
	});

	test('a single record from the API is still a list of one item', async () => {
		const items = await run({ resource: 'lease', operation: 'getLeaseDetails', version: 'r1', propertyId: 100, leaseId: 1000000 });
		assert.equal(items.length, 1);
		assert.equal(items[0].json.id, 1000000);
	});

	test('sendLeads creates a lead that getLeads then returns (stateful simulator)', async () => {
		const prospects = { prospect: [{ customers: { customer: [{ name: { firstName: 'Grace', lastName: 'Hopper' }, email: 'grace@example.com' }] } }] };
		const [created] = await run({ resource: 'lead', operation: 'sendLeads', propertyId: 101, prospects: JSON.stringify(prospects) });
		assert.equal(created.json.status, 'Success');
		const leads = await run({ resource: 'lead', operation: 'getLeads', propertyId: 101, returnAll: true, additionalFields: { leadId: String(created.json.applicationId) } });
		assert.equal(leads.length, 1);
		assert.equal(leads[0].json.customers[0].email, 'grace@example.com');
	});
});

describe('credential test (status/getStatus)', () => {
	const rules = () => pkg.credentials.entrataApi.test.rules;
	const ruleFor = (status) => rules().find((r) => r.type === 'responseCode' && r.properties.value === status);
	const get = (o, path) => path.split('.').reduce((v, k) => v?.[k], o);

	test('a valid key passes with one getStatus call', async () => {
		const result = await testCredential(pkg.credentials.entrataApi, 'entrataApi', gateway());
		assert.equal(result.status, 200);
		assert.equal(JSON.parse(result.body).response.code, 200);
		assert.deepEqual(sim.calls.map((c) => [c.service, c.method, c.auth]), [['status', 'getStatus', 'apikey']]);
	});

	test('legacy username and password pass too (auth.type basic)', async () => {
		const result = await testCredential(pkg.credentials.entrataApi, 'entrataApi', legacy());
		assert.equal(result.status, 200);
		assert.equal(sim.calls.at(-1).auth, 'basic');
	});

	test('a wrong key gets the 401 message', async () => {
		const result = await testCredential(pkg.credentials.entrataApi, 'entrataApi', gateway({ apiKey: 'nope' }));
		assert.equal(result.status, 401);
		assert.match(ruleFor(401).properties.message, /API key/);
	});

	test('an app the organization has not enabled gets the 403 message', async () => {
		sim.appEnabled = false;
		const result = await testCredential(pkg.credentials.entrataApi, 'entrataApi', gateway());
		assert.equal(result.status, 403);
		assert.match(ruleFor(403).properties.message, /API Access/);
	});

	test('a caller IP outside the whitelist is recognised in the body', async () => {
		sim.ipWhitelist = ['10.9.8.7'];
		const result = await testCredential(pkg.credentials.entrataApi, 'entrataApi', gateway());
		assert.equal(result.status, 200);
		const body = JSON.parse(result.body);
		const rule = rules().find((r) => r.type === 'responseSuccessBody' && get(body, r.properties.key) === r.properties.value);
		assert.ok(rule, 'a body rule matches');
		assert.match(rule.properties.message, /whitelist/);
	});
});
