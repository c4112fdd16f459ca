// The shared transport's pacing (nodes/common/transport/pacing.ts) and date-range windows, as pure functions with
// an explicit clock, plus the envelope pager's `has_more` walk through RoutingNode on a tiny simulator.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { afterEach, test } from 'node:test';

const require = createRequire(import.meta.url);
const { reserveSlot, observe, pace, pacingKey, resetPacing, settleSlot, splitDateRange } = require('../../dist/nodes/common/transport/index.js');

const fixed = { name: 'Fixed', credentialType: 'fixedApi', rateLimit: { requests: 10, perMs: 1000 } };
const headed = {
	name: 'Headed',
	credentialType: 'headedApi',
	rateLimitHeaders: { remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset', resetUnit: 'seconds' },
};

afterEach(() => resetPacing());

test('a fixed budget lets 10 requests start in any second and queues the rest in order', () => {
	const t0 = 1_000_000;
	const waits = Array.from({ length: 25 }, () => reserveSlot(fixed, 'k', t0));
	assert.deepEqual(waits.slice(0, 10), Array(10).fill(0));
	assert.deepEqual(waits.slice(10, 20), Array(10).fill(1000));
	assert.deepEqual(waits.slice(20), Array(5).fill(2000));
	// 500 requests at 10/s: the last may start 49 s after the first, the limit-imposed minimum.
	resetPacing();
	const last = Array.from({ length: 500 }, () => reserveSlot(fixed, 'k', t0)).at(-1);
	assert.equal(last, 49_000);
});

test('budgets are per credential, and the key never contains the secret', () => {
	const a = pacingKey(fixed, { clientId: 'a', clientSecret: 'top-secret-a' });
	const b = pacingKey(fixed, { clientId: 'b', clientSecret: 'top-secret-b' });
	assert.notEqual(a, b);
	assert.equal(a, pacingKey(fixed, { clientSecret: 'top-secret-a', clientId: 'a' }), 'independent of key order');
	assert.ok(!a.includes('top-secret'));
	for (let i = 0; i < 10; i++) reserveSlot(fixed, a, 0);
	assert.equal(reserveSlot(fixed, a, 0), 1000);
	assert.equal(reserveSlot(fixed, b, 0), 0, 'another credential has its own budget');
});

test('remaining 0 in the headers holds the next request until the reset; capped by the longest wait allowed', () => {
	const now = 5_000_000;
	assert.equal(reserveSlot(headed, 'k', now), 0);
	observe(headed, 'k', { 'x-ratelimit-remaining': '3', 'x-ratelimit-reset': '4' }, now);
	assert.equal(reserveSlot(headed, 'k', now), 0, 'budget left: no wait');
	observe(headed, 'k', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '4' }, now);
	assert.equal(reserveSlot(headed, 'k', now + 1000), 3000, 'waits for the reset');
	observe(headed, 'k', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '600' }, now);
	assert.equal(reserveSlot(headed, 'k', now, 60_000), 0, 'a wait beyond the cap is left to the 429 and the retry policy');
});

test('a queued request re-checks the window before it goes out: requests ahead count until they may have arrived', async () => {
	// 2 requests per 100 ms; a request may reach the vendor up to 30 ms after it starts (arrivalMs).
	const quick = { name: 'Quick', credentialType: 'quickApi', rateLimit: { requests: 2, perMs: 100, arrivalMs: 30 } };
	// Answered after 10 ms: the vendor counted them by then, so the third may go 100 ms after that.
	let t0 = Date.now();
	let [a, b] = await Promise.all([pace(quick, 'q'), pace(quick, 'q')]);
	let third = pace(quick, 'q').then(() => Date.now());
	await new Promise((resolve) => setTimeout(resolve, 10));
	settleSlot(a);
	settleSlot(b);
	let started = (await third) - t0;
	assert.ok(started >= 105 && started < 160, `third after ${started} ms`);
	// Answered after 60 ms: they arrived within 30 ms of their start, so 130 ms is enough.
	resetPacing();
	t0 = Date.now();
	[a, b] = await Promise.all([pace(quick, 'r'), pace(quick, 'r')]);
	third = pace(quick, 'r').then(() => Date.now());
	await new Promise((resolve) => setTimeout(resolve, 60));
	settleSlot(a);
	settleSlot(b);
	started = (await third) - t0;
	assert.ok(started >= 125 && started < 180, `third after ${started} ms`);
	// Never answered (still in flight): the same bound.
	resetPacing();
	t0 = Date.now();
	await Promise.all([pace(quick, 's'), pace(quick, 's')]);
	started = (await pace(quick, 's').then(() => Date.now())) - t0;
	assert.ok(started >= 125 && started < 180, `third after ${started} ms`);
});

test('date ranges split into windows of at most N days: consecutive, no overlap, the last one clipped', () => {
	const w = splitDateRange('2024-07-15T00:00:00Z', '2024-09-23T00:00:00Z', 32);
	assert.deepEqual(w, [
		{ start: '2024-07-15T00:00:00.000Z', end: '2024-08-15T23:59:59.999Z' },
		{ start: '2024-08-16T00:00:00.000Z', end: '2024-09-16T23:59:59.999Z' },
		{ start: '2024-09-17T00:00:00.000Z', end: '2024-09-23T00:00:00.000Z' },
	]);
	assert.deepEqual(splitDateRange('2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', 32), [{ start: '2024-01-01T00:00:00.000Z', end: '2024-01-02T00:00:00.000Z' }]);
	assert.throws(() => splitDateRange('2024-02-01T00:00:00Z', '2024-01-01T00:00:00Z', 32), /before Start/);
	assert.throws(() => splitDateRange('yesterday', '2024-01-01T00:00:00Z', 32), /ISO 8601/);
});
