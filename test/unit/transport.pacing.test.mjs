// The shared transport's pacing (nodes/common/transport/pacing.ts) and date-range windows, as pure functions with
// an explicit clock, plus the envelope pager's `has_more` walk through RoutingNode on a tiny simulator.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { afterEach, test } from 'node:test';

const require = createRequire(import.meta.url);
const { admissionWait, pace, pacingKey, resetPacing, settle, sharingProcesses, splitDateRange } = require('../../dist/nodes/common/transport/index.js');
const { buildiumProfile } = require('../../dist/nodes/Buildium/common/profile.js');
const { rentEngineProfile } = require('../../dist/nodes/RentEngine/common/profile.js');
const { entrataProfile } = require('../../dist/nodes/Entrata/common/profile.js');

const headed = {
	name: 'Headed',
	credentialType: 'headedApi',
	rateLimitHeaders: { limit: 'x-ratelimit-limit', remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset', resetUnit: 'seconds' },
};
const ticket = (key, processes = 1) => ({ key, processes });
const tick = () => new Promise((resolve) => setTimeout(resolve, 20));
/** Whether `promise` has settled within a short while. */
async function settled(promise) {
	return await Promise.race([promise.then(() => true), tick().then(() => false)]);
}

afterEach(() => resetPacing());

test('a fixed budget admits requests one by one: 10 in any window, the rest in order in the windows after', async () => {
	const fast = { name: 'Fixed', credentialType: 'fixedApi', rateLimit: { requests: 10, perMs: 150 } };
	const t0 = Date.now();
	const order = [];
	await Promise.all(
		Array.from({ length: 25 }, async (_, i) => {
			const slot = await pace(fast, ticket('k'));
			order.push([i, Date.now() - t0]);
			settle(fast, ticket('k'), slot, { statusCode: 200 });
		}),
	);
	assert.deepEqual(order.map(([i]) => i), Array.from({ length: 25 }, (_, i) => i), 'in arrival order');
	const at = order.map(([, ms]) => ms);
	assert.ok(at.slice(0, 10).every((ms) => ms < 100), `first 10 at once (${at.slice(0, 10)})`);
	assert.ok(at.slice(10, 20).every((ms) => ms >= 145 && ms < 250), `next 10 a window later (${at.slice(10, 20)})`);
	assert.ok(at.slice(20).every((ms) => ms >= 295), `last 5 two windows later (${at.slice(20)})`);
});

test('pacing keys come from the credential identity: a webhook secret or the process count does not split a budget', () => {
	const base = { environment: 'production', clientId: 'client-a', clientSecret: 'top-secret-a', webhookSecret: 'hook-1', baseUrl: '' };
	const a = pacingKey(buildiumProfile, base);
	assert.equal(a, pacingKey(buildiumProfile, { ...base, webhookSecret: 'hook-2', processesSharingKey: 3 }), 'same client id and host: one budget');
	assert.notEqual(a, pacingKey(buildiumProfile, { ...base, clientId: 'client-b' }), 'another client id');
	assert.notEqual(a, pacingKey(buildiumProfile, { ...base, environment: 'sandbox' }), 'the sandbox has its own limit');
	assert.ok(!a.includes('top-secret') && !a.includes('client-a'), 'hashed');
	const re = { apiToken: 'tok-1', environment: 'production', baseUrl: '', webhookSecret: 'w1' };
	assert.equal(pacingKey(rentEngineProfile, re), pacingKey(rentEngineProfile, { ...re, webhookSecret: 'w2' }));
	assert.notEqual(pacingKey(rentEngineProfile, re), pacingKey(rentEngineProfile, { ...re, apiToken: 'tok-2' }));
	const en = { authMode: 'apiKey', organization: 'acme', apiKey: 'key-1', format: 'json', acceptLanguage: '' };
	assert.equal(pacingKey(entrataProfile, en), pacingKey(entrataProfile, { ...en, format: 'xml', acceptLanguage: 'en-US' }));
	assert.notEqual(pacingKey(entrataProfile, en), pacingKey(entrataProfile, { ...en, organization: 'other' }));
	const legacy = { authMode: 'basic', subdomain: 'acme', username: 'u1', password: 'p1' };
	assert.equal(pacingKey(entrataProfile, legacy), pacingKey(entrataProfile, { ...legacy, password: 'p2' }), 'subdomain + user');
	assert.equal(sharingProcesses({ processesSharingKey: 3 }), 3);
	assert.equal(sharingProcesses({}), 1);
	assert.equal(sharingProcesses({ processesSharingKey: 0 }), 1);
});

test('a reported budget: one request alone until an answer reports it, then what remains, then the reset', async () => {
	const t = ticket('h');
	const first = await pace(headed, t);
	const second = pace(headed, t);
	assert.equal(await settled(second), false, 'the second waits for the first answer');
	settle(headed, t, first, { statusCode: 200, headers: { 'x-ratelimit-limit': '30', 'x-ratelimit-remaining': '3', 'x-ratelimit-reset': '4' } });
	assert.equal(await settled(second), true, 'admitted once the budget is known');
	await pace(headed, t);
	await pace(headed, t);
	const now = Date.now();
	const wait = admissionWait(headed, 'h', 1, now);
	assert.ok(wait > 3500 && wait <= 4000, `3 remained: the 5th waits for the reset (${wait} ms)`);
	assert.equal(admissionWait(headed, 'h', 1, now + 4000), 0, 'the reset refills the limit');
});

test('a wait longer than the cap is not waited: the request goes and the vendor\'s 429 speaks', async () => {
	const t = ticket('cap');
	settle(headed, t, await pace(headed, t), { statusCode: 200, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '600' } });
	const started = Date.now();
	await pace(headed, t, 50);
	assert.ok(Date.now() - started < 500);
});

test('Processes Sharing This Key: each process paces to its share of a fixed or a reported budget', async () => {
	const fixed = { name: 'Fixed', credentialType: 'fixedApi', rateLimit: { requests: 10, perMs: 1000 } };
	for (let i = 0; i < 5; i++) await pace(fixed, ticket('f', 2));
	assert.ok(admissionWait(fixed, 'f', 2) > 0, 'half of 10 per second');
	assert.equal(admissionWait(fixed, 'f', 1), 0, 'alone it could go on');
	const t = ticket('r', 2);
	settle(headed, t, await pace(headed, t), { statusCode: 200, headers: { 'x-ratelimit-limit': '30', 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': '5' } });
	for (let i = 0; i < 5; i++) await pace(headed, t);
	assert.ok(admissionWait(headed, 'r', 2) > 0, 'half of the 10 that remain');
});

test('a 429 halves a fixed budget\'s rate; successes bring it back', async () => {
	const fixed = { name: 'Fixed', credentialType: 'fixedApi', rateLimit: { requests: 4, perMs: 60 } };
	const t = ticket('s');
	const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
	settle(fixed, t, await pace(fixed, t), { statusCode: 429 });
	settle(fixed, t, await pace(fixed, t), { statusCode: 200 });
	assert.ok(admissionWait(fixed, 's') > 0, 'half of 4 per window after a 429');
	for (let i = 0; i < 20; i++) settle(fixed, t, await pace(fixed, t), { statusCode: 200 });
	await pause(70);
	for (let i = 0; i < 3; i++) settle(fixed, t, await pace(fixed, t), { statusCode: 200 });
	assert.equal(admissionWait(fixed, 's'), 0, '4 per window again after 20 successes');
});

test('a queued request waits while the requests ahead may still be counted: until they may have arrived, or their answers', async () => {
	// 2 requests per 100 ms; a request may reach the vendor up to 30 ms after it starts (arrivalMs).
	const quick = { name: 'Quick', credentialType: 'quickApi', rateLimit: { requests: 2, perMs: 100, arrivalMs: 30 } };
	const answer = (key, slot) => settle(quick, ticket(key), slot, { statusCode: 200 });
	// Answered after 10 ms: the vendor counted them by then, so the third may go 100 ms after that.
	let t0 = Date.now();
	let [a, b] = await Promise.all([pace(quick, ticket('q')), pace(quick, ticket('q'))]);
	let third = pace(quick, ticket('q')).then(() => Date.now());
	await new Promise((resolve) => setTimeout(resolve, 10));
	answer('q', a);
	answer('q', b);
	let started = (await third) - t0;
	assert.ok(started >= 105 && started < 160, `third after ${started} ms`);
	// Answered after 60 ms: they arrived within 30 ms of their start, so 130 ms is enough.
	t0 = Date.now();
	[a, b] = await Promise.all([pace(quick, ticket('r')), pace(quick, ticket('r'))]);
	third = pace(quick, ticket('r')).then(() => Date.now());
	await new Promise((resolve) => setTimeout(resolve, 60));
	answer('r', a);
	answer('r', b);
	started = (await third) - t0;
	assert.ok(started >= 125 && started < 180, `third after ${started} ms`);
	// Never answered (still in flight): the same bound.
	t0 = Date.now();
	await Promise.all([pace(quick, ticket('s')), pace(quick, ticket('s'))]);
	started = (await pace(quick, ticket('s')).then(() => Date.now())) - t0;
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
