// RentEngine as its live API behaves (field reports, README "What is confirmed"), through n8n-core's RoutingNode
// against the simulator: prospects paged by creation-time window with the inclusive lower bound's repeated record,
// the `has_more` envelope of calls/messages/reports, reports over any range in ≤ 32-day windows, leasing
// performance, unknown query parameters refused, and pacing from the X-Ratelimit-* headers.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { loadPackage, runNode } from '../harness/routing.mjs';
import { reportRows, startRentEngineSimulator } from '../simulators/rentengine.mjs';

const TOKEN = 'live-test-token-8c2e';
const PROSPECTS = 250;
let sim;
let pkg;

async function run(parameters, { items } = {}) {
	return await runNode(pkg.nodes.rentEngine, {
		parameters,
		items,
		credentials: { rentEngineApi: { apiToken: TOKEN, baseUrl: sim.url, environment: 'production', webhookSecret: '' } },
		credentialTypes: pkg.credentials,
	});
}

const requestsTo = (suffix) => sim.requests.filter((r) => r.path.endsWith(suffix));
const byId = (id) => ({ __rl: true, mode: 'id', value: String(id) });
/** Prospects oldest first, as RentEngine returns them. */
const chronological = () => [...sim.db.prospects].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id);

before(async () => {
	pkg = await loadPackage();
	sim = await startRentEngineSimulator({ token: TOKEN, units: 250, prospects: PROSPECTS, seed: 11 });
});
after(async () => sim?.close());
beforeEach(() => {
	sim.clearRequests();
	sim.clearFaults();
	sim.setRateLimit(null);
});

describe('Prospect → Get Many (creation-time windows)', () => {
	test('Return All crosses several windows: every prospect exactly once, boundary repeats dropped', async () => {
		const items = await run({ resource: 'prospect', operation: 'getAll', returnAll: true });
		const expected = chronological().map((p) => p.id);
		assert.equal(items.length, PROSPECTS);
		assert.deepEqual(items.map((i) => i.json.id), expected, 'every prospect once, oldest first');

		const pages = requestsTo('/prospects');
		assert.ok(pages.length >= 3, `several windows (${pages.length})`);
		assert.equal(pages[0].query.created_after, undefined, 'the first window is open (all time)');
		for (const r of pages) {
			assert.equal(r.query.limit, '100');
			assert.ok(!('page_number' in r.query) && !('offset' in r.query), 'no page parameters');
		}
		// Each later window starts at the previous page's last created_at; the simulator (like RentEngine) returns that
		// record again, so the raw pages hold more records than the output.
		let raw = 0;
		let after;
		for (const r of pages) {
			assert.equal(r.query.created_after, after, 'the window moves to the last record seen');
			const rows = chronological().filter((p) => after === undefined || Date.parse(p.created_at) >= Date.parse(after)).slice(0, Number(r.query.limit));
			raw += rows.length;
			after = rows.at(-1).created_at;
		}
		assert.ok(raw > PROSPECTS, `the boundary records came back (${raw} raw rows for ${PROSPECTS} prospects)`);
	});

	test('Limit is exact, asks for one extra record per later window, and never duplicates', async () => {
		const items = await run({ resource: 'prospect', operation: 'getAll', returnAll: false, limit: 150 });
		assert.deepEqual(items.map((i) => i.json.id), chronological().slice(0, 150).map((p) => p.id));
		// 100, then the 50 still needed + the repeated boundary record; a tie at the boundary may cost one more request.
		const limits = requestsTo('/prospects').map((r) => r.query.limit);
		assert.deepEqual(limits.slice(0, 2), ['100', '51']);
		assert.ok(limits.length <= 3, `${limits}`);
	});

	test('Created From / To bound the outer window', async () => {
		const all = chronological();
		const from = all[40].created_at;
		const to = all[90].created_at;
		const items = await run({ resource: 'prospect', operation: 'getAll', returnAll: true, filters: { createdAfter: from, createdBefore: to } });
		const expected = all.filter((p) => Date.parse(p.created_at) >= Date.parse(from) && Date.parse(p.created_at) < Date.parse(to));
		assert.deepEqual(items.map((i) => i.json.id), expected.map((p) => p.id));
		assert.equal(requestsTo('/prospects')[0].query.created_before, to);
	});

	test('status and source filters are applied to what comes back, and count towards the Limit', async () => {
		const status = 'Contacted';
		const wanted = chronological().filter((p) => p.status === status);
		assert.ok(wanted.length > 5, 'the seed has enough of them');
		const items = await run({ resource: 'prospect', operation: 'getAll', returnAll: false, limit: 5, filters: { statuses: [status] } });
		assert.deepEqual(items.map((i) => i.json.id), wanted.slice(0, 5).map((p) => p.id));
		for (const r of requestsTo('/prospects')) assert.ok(!('statuses' in r.query) && !('status' in r.query), 'nothing RentEngine would refuse is sent');

		// Sources are free text with case variants: "zillow" and "Zillow" are the same source.
		const zillow = chronological().filter((p) => p.source.toLowerCase() === 'zillow');
		assert.ok(zillow.some((p) => p.source === 'zillow') && zillow.some((p) => p.source === 'Zillow'));
		const bySource = await run({ resource: 'prospect', operation: 'getAll', returnAll: true, filters: { sources: ['Zillow'] } });
		assert.deepEqual(bySource.map((i) => i.json.id), zillow.map((p) => p.id));
	});

	test('page parameters are what RentEngine refuses: the simulator says so like the live API', async () => {
		const res = await fetch(`${sim.url}/prospects?page_number=1`, { headers: { authorization: `Bearer ${TOKEN}` } });
		assert.equal(res.status, 400);
		assert.equal((await res.json()).details[0].message, 'must NOT have additional properties');
	});
});

describe('calls and messages (has_more envelope)', () => {
	const prospect = () => sim.db.prospects[3];

	test('Get Calls returns the prospect\'s calls for the account', async () => {
		const p = prospect();
		const items = await run({ resource: 'prospect', operation: 'getCalls', prospectId: p.id, accountIds: byId(p.account_id), returnAll: true });
		const expected = sim.db.calls.filter((c) => c.prospect_id === p.id);
		assert.ok(expected.length >= 1);
		assert.deepEqual(items.map((i) => i.json.id), expected.map((c) => c.id));
		assert.deepEqual(requestsTo('/calls')[0].query, { prospect_id: String(p.id), account_ids: p.account_id, page_number: '0', limit: '2000' });
	});

	test('Get Messages pages the envelope until has_more is false', async () => {
		const p = prospect();
		const expected = sim.db.messages.filter((m) => m.prospect_id === p.id);
		assert.ok(expected.length >= 2);
		const items = await run({ resource: 'prospect', operation: 'getMessages', prospectId: p.id, accountIds: byId(p.account_id), returnAll: false, limit: expected.length });
		assert.deepEqual(items.map((i) => i.json.id), expected.map((m) => m.id));
		const one = await run({ resource: 'prospect', operation: 'getMessages', prospectId: p.id, accountIds: byId(p.account_id), returnAll: false, limit: 1 });
		assert.equal(one.length, 1);
		assert.equal(requestsTo('/messages').at(-1).query.limit, '1');
	});

	test('a wrong account is RentEngine\'s error, not an empty list', async () => {
		await assert.rejects(
			run({ resource: 'prospect', operation: 'getCalls', prospectId: prospect().id, accountIds: byId('00000000-0000-4000-8000-000000000000'), returnAll: true }),
			(err) => err.constructor.name === 'NodeApiError' && /Account not found/.test(err.message),
		);
	});
});

describe('reports over any date range (≤ 32-day windows)', () => {
	const account = () => sim.db.accounts[0].id;
	const START = '2024-07-15T00:00:00Z';
	const END = '2024-09-23T00:00:00Z'; // 70 days

	function windowsSent(path) {
		return requestsTo(path).map((r) => [r.query.start, r.query.end]);
	}

	test('a 70-day marketing-sources report is fetched in 3 windows and added up per source', async () => {
		const items = await run({ resource: 'report', operation: 'getMarketingSources', accountIds: byId(account()), start: START, end: END, returnAll: true });
		const windows = windowsSent('/reporting/marketing-sources');
		assert.equal(windows.length, 3);
		for (const [s, e] of windows) assert.ok(Date.parse(e) - Date.parse(s) <= 32 * 86_400_000, `${s}..${e} spans at most 32 days`);
		assert.equal(windows[0][0], '2024-07-15T00:00:00.000Z');
		assert.equal(windows[2][1], '2024-09-23T00:00:00.000Z');
		for (let i = 1; i < windows.length; i++) assert.equal(Date.parse(windows[i][0]) - Date.parse(windows[i - 1][1]), 1, 'consecutive, no overlap, no gap');

		// The reference: the same report over the whole range at once (which RentEngine itself would refuse).
		const whole = reportRows(sim.db, 'marketing-sources', [account()], (t) => Date.parse(t) >= Date.parse(START) && Date.parse(t) <= Date.parse(END));
		const got = Object.fromEntries(items.map((i) => [i.json.source_key, i.json]));
		assert.deepEqual(Object.keys(got).sort(), whole.map((r) => r.source_key).sort());
		for (const row of whole) {
			for (const field of ['leads', 'showings_scheduled', 'showings_completed', 'upcoming_showings', 'applications_requested', 'applications_submitted', 'apps_approved', 'rejected_prescreens']) {
				assert.equal(got[row.source_key][field], row[field], `${row.source_key}.${field}`);
			}
		}
		assert.ok(whole.reduce((n, r) => n + r.leads, 0) > 10, 'the range holds real data');
	});

	test('showings and calls reports concatenate the windows\' rows', async () => {
		const inRange = (t) => Date.parse(t) >= Date.parse(START) && Date.parse(t) <= Date.parse(END);
		const showings = await run({ resource: 'report', operation: 'getShowings', accountIds: byId(account()), start: START, end: END, returnAll: true });
		assert.deepEqual(showings.map((i) => i.json.showing_id), reportRows(sim.db, 'showings', [account()], inRange).map((r) => r.showing_id));
		const calls = await run({ resource: 'report', operation: 'getCalls', accountIds: byId(account()), start: START, end: END, returnAll: false, limit: 3 });
		assert.equal(calls.length, 3);
		assert.deepEqual(calls.map((i) => i.json.created_at), reportRows(sim.db, 'calls', [account()], inRange).slice(0, 3).map((r) => r.created_at));
	});

	test('a range ending before it starts is a clear error, sent nowhere', async () => {
		await assert.rejects(
			run({ resource: 'report', operation: 'getShowings', accountIds: byId(account()), start: END, end: START, returnAll: true }),
			/End .* is before Start/,
		);
		assert.equal(requestsTo('/reporting/showings').length, 0);
	});
});

describe('Unit → Get Leasing Performance', () => {
	test('returns the unit\'s funnel for the period', async () => {
		const unit = sim.db.units[0];
		const [item] = await run({ resource: 'unit', operation: 'getLeasingPerformance', unitId: byId(unit.id), start: '2024-01-01T00:00:00Z', end: '2025-06-30T00:00:00Z' });
		assert.equal(item.json.unit_id, unit.id);
		assert.ok(['Healthy', 'At-risk', 'Waitlist', 'On Hold', 'Off-Market', 'Commercial', 'Unknown'].includes(item.json.property_health));
		const [req] = requestsTo(`/reporting/leasing-performance/units/${unit.id}`);
		assert.deepEqual(req.query, { start: '2024-01-01T00:00:00Z', end: '2025-06-30T00:00:00Z' });
	});

	test('a bare date is refused by RentEngine with its validation message', async () => {
		await assert.rejects(
			run({ resource: 'unit', operation: 'getLeasingPerformance', unitId: byId(sim.db.units[0].id), start: '2024-01-01', end: '2024-02-01T00:00:00Z' }),
			(err) => err.constructor.name === 'NodeApiError' && /Validation error/.test(err.message),
		);
	});
});

describe('pacing from X-Ratelimit-* headers', () => {
	test('a Return All under a tight limit meets no 429: it waits for the reset instead', async () => {
		sim.setRateLimit({ limit: 2, windowMs: 1000, headers: { limit: 'x-ratelimit-limit', remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset' } });
		const started = Date.now();
		const items = await run({ resource: 'unit', operation: 'getAll', returnAll: true, simplify: false });
		const elapsed = Date.now() - started;
		assert.equal(items.length, 250);
		const units = requestsTo('/units');
		assert.equal(units.length, 3, 'no retried request');
		assert.deepEqual(units.map((r) => r.status), [200, 200, 200], 'no 429');
		assert.ok(elapsed >= 500, `the third request waited for the window to reset (${elapsed} ms)`);
	});

	test('without pacing headers a 429 with Retry-After is still retried', async () => {
		sim.injectFault({ kind: '429', path: '/api/public/v1/units', retryAfter: 0 });
		const items = await run({ resource: 'unit', operation: 'getAll', returnAll: false, limit: 5 });
		assert.equal(items.length, 5);
		assert.deepEqual(requestsTo('/units').map((r) => r.status), [429, 200]);
	});
});
