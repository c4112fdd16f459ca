// Pure parts of the shared transport: server-requested waits, backoff bounds, retry loop.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import '../harness/routing.mjs'; // sets N8N_USER_FOLDER before n8n-workflow loads

const require = createRequire(import.meta.url);
const { serverRequestedDelayMs, backoffDelayMs, resolvePolicy, withRetry } = require('../../dist/nodes/common/transport/retry.js');
const { DateTime } = require('luxon');

test('Retry-After in seconds', () => {
	assert.equal(serverRequestedDelayMs({ 'retry-after': '3' }), 3000);
	assert.equal(serverRequestedDelayMs({ 'retry-after': '0' }), 0);
});

test('Retry-After as an HTTP date', () => {
	const now = DateTime.fromISO('2026-11-22T12:00:00Z');
	assert.equal(serverRequestedDelayMs({ 'retry-after': 'Sun, 22 Nov 2026 12:00:05 GMT' }, now), 5000);
	assert.equal(serverRequestedDelayMs({ 'retry-after': 'Sun, 22 Nov 2026 11:59:00 GMT' }, now), 0);
});

test('X-RateLimit-Reset, including Entrata-style multi-window values (shortest wins)', () => {
	assert.equal(serverRequestedDelayMs({ 'x-ratelimit-reset': '7' }), 7000);
	assert.equal(serverRequestedDelayMs({ 'x-ratelimit-reset': '36686;686;26' }), 26000);
});

test('no header, garbage header', () => {
	assert.equal(serverRequestedDelayMs({}), undefined);
	assert.equal(serverRequestedDelayMs({ 'retry-after': 'soon' }), undefined);
});

test('exponential backoff stays within [ceiling/2, ceiling] and is capped', () => {
	const policy = resolvePolicy({ baseDelayMs: 100, maxDelayMs: 1000 });
	assert.equal(backoffDelayMs(0, policy, () => 0), 50);
	assert.equal(backoffDelayMs(0, policy, () => 1), 100);
	assert.equal(backoffDelayMs(3, policy, () => 1), 800);
	assert.equal(backoffDelayMs(10, policy, () => 1), 1000);
});

test('withRetry retries while told to and wraps a foreign error in NodeApiError', async () => {
	let calls = 0;
	const node = { name: 'x', type: 'x', typeVersion: 1, parameters: {}, position: [0, 0], id: '1' };
	const value = await withRetry(node, async () => {
		calls++;
		if (calls < 3) throw new Error('flaky');
		return 'ok';
	}, () => ({ retry: true, delayMs: 0 }));
	assert.equal(value, 'ok');
	assert.equal(calls, 3);
	await assert.rejects(
		withRetry(node, async () => {
			throw new Error('boom');
		}, () => ({ retry: false, delayMs: 0 })),
		(error) => error.constructor.name === 'NodeApiError',
	);
});
