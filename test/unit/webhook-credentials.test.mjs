// The webhook triggers read their credential through a short cache (nodes/common/transport/webhookCredentials.ts):
// repeated deliveries do not each pay n8n's credential read, a changed secret is picked up at once, a removed one
// stops working when its entry expires.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { beforeEach, test } from 'node:test';

const require = createRequire(import.meta.url);
const { verifyWithCredential, clearWebhookCredentialCache } = require('../../dist/nodes/common/transport/webhookCredentials.js');

function context(store, id = 'cred-1') {
	const ctx = {
		reads: 0,
		getNode: () => ({ name: 'Trigger', credentials: id ? { demoApi: { id, name: 'demo' } } : {} }),
		getCredentials: async () => {
			ctx.reads++;
			return { ...store };
		},
	};
	return ctx;
}
const matches = (token) => (c) => c.webhookSecret === token;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

beforeEach(() => clearWebhookCredentialCache());

test('valid deliveries within the TTL read the credential once', async () => {
	const ctx = context({ webhookSecret: 's1' });
	for (let i = 0; i < 5; i++) assert.equal((await verifyWithCredential(ctx, 'demoApi', matches('s1'))).ok, true);
	assert.equal(ctx.reads, 1);
});

test('forged deliveries cost at most one fresh read per refresh interval', async () => {
	const ctx = context({ webhookSecret: 's1' });
	await verifyWithCredential(ctx, 'demoApi', matches('s1'));
	for (let i = 0; i < 20; i++) assert.equal((await verifyWithCredential(ctx, 'demoApi', matches('forged'), { refreshMs: 200 })).ok, false);
	assert.equal(ctx.reads, 1, 'no read inside the refresh interval');
	await sleep(220);
	assert.equal((await verifyWithCredential(ctx, 'demoApi', matches('forged'), { refreshMs: 200 })).ok, false);
	assert.equal(ctx.reads, 2, 'one re-read once the interval passed');
});

test('a secret changed in n8n is accepted on the first delivery after the refresh interval', async () => {
	const store = { webhookSecret: 'old' };
	const ctx = context(store);
	await verifyWithCredential(ctx, 'demoApi', matches('old'));
	store.webhookSecret = 'new';
	await sleep(30);
	assert.equal((await verifyWithCredential(ctx, 'demoApi', matches('new'), { refreshMs: 20 })).ok, true, 'the new secret works');
	assert.equal((await verifyWithCredential(ctx, 'demoApi', matches('old'), { refreshMs: 20 })).ok, false, 'the old one no longer does');
});

test('entries expire after the TTL; without a credential ID nothing is cached', async () => {
	const store = { webhookSecret: 's1' };
	const ctx = context(store);
	await verifyWithCredential(ctx, 'demoApi', matches('s1'), { ttlMs: 50 });
	store.webhookSecret = 's2';
	assert.equal((await verifyWithCredential(ctx, 'demoApi', matches('s1'), { ttlMs: 50 })).ok, true, 'cached within the TTL');
	await sleep(60);
	assert.equal((await verifyWithCredential(ctx, 'demoApi', matches('s1'), { ttlMs: 50 })).ok, false, 'read again after it');
	const anonymous = context({ webhookSecret: 's1' }, null);
	await verifyWithCredential(anonymous, 'demoApi', matches('s1'));
	await verifyWithCredential(anonymous, 'demoApi', matches('s1'));
	assert.equal(anonymous.reads, 2);
});

test('deliveries arriving together share one read; a failed read is not kept', async () => {
	const ctx = context({ webhookSecret: 's1' });
	const slow = ctx.getCredentials;
	ctx.getCredentials = async () => {
		await sleep(30);
		return await slow();
	};
	const results = await Promise.all(Array.from({ length: 10 }, () => verifyWithCredential(ctx, 'demoApi', matches('s1'))));
	assert.deepEqual(results.map((r) => r.ok), Array(10).fill(true));
	assert.equal(ctx.reads, 1, 'ten concurrent cold deliveries, one credential read');

	// A burst of forged deliveries after the refresh interval: one re-read between them, not one each.
	await sleep(40);
	const forged = await Promise.all(Array.from({ length: 10 }, () => verifyWithCredential(ctx, 'demoApi', matches('forged'), { refreshMs: 20 })));
	assert.deepEqual(forged.map((r) => r.ok), Array(10).fill(false));
	assert.equal(ctx.reads, 2);

	const broken = context({ webhookSecret: 's1' }, 'cred-2');
	let fail = true;
	broken.getCredentials = async () => {
		broken.reads++;
		if (fail) throw new Error('credential could not be decrypted');
		return { webhookSecret: 's1' };
	};
	const failed = await Promise.allSettled([verifyWithCredential(broken, 'demoApi', matches('s1')), verifyWithCredential(broken, 'demoApi', matches('s1'))]);
	assert.deepEqual(failed.map((r) => r.status), ['rejected', 'rejected']);
	assert.equal(broken.reads, 1, 'both waited for the same failing read');
	fail = false;
	assert.equal((await verifyWithCredential(broken, 'demoApi', matches('s1'))).ok, true, 'the next delivery reads again');
});

test('a flood of forged deliveries backs the re-reads off (doubling up to the TTL); a changed secret is still picked up', async () => {
	const store = { webhookSecret: 's1' };
	const ctx = context(store);
	const opts = { refreshMs: 40, ttlMs: 1000 };
	assert.equal((await verifyWithCredential(ctx, 'demoApi', matches('s1'), opts)).ok, true);
	assert.equal(ctx.reads, 1);
	const forgeFor = async (ms) => {
		for (const end = Date.now() + ms; Date.now() < end; ) {
			assert.equal((await verifyWithCredential(ctx, 'demoApi', matches('forged'), opts)).ok, false);
			await sleep(5);
		}
	};
	// Re-reads at ~40, ~120 (40 + 80), ~280 (+160), ~600 (+320) ms: 4 in 700 ms, not one per 40 ms (17).
	await forgeFor(700);
	assert.ok(ctx.reads - 1 >= 3 && ctx.reads - 1 <= 5, `re-reads during 700 ms of forgeries: ${ctx.reads - 1}`);
	// The secret changes in n8n meanwhile: accepted once the current wait has passed, and the wait starts over.
	store.webhookSecret = 's2';
	let acceptedAfter;
	for (const started = Date.now(); Date.now() - started < 1200; await sleep(10)) {
		if ((await verifyWithCredential(ctx, 'demoApi', matches('s2'), opts)).ok) {
			acceptedAfter = Date.now() - started;
			break;
		}
	}
	assert.ok(acceptedAfter !== undefined && acceptedAfter <= 1000 + 50, `the new secret accepted within the TTL (${acceptedAfter} ms)`);
	const before = ctx.reads;
	await sleep(50);
	assert.equal((await verifyWithCredential(ctx, 'demoApi', matches('forged'), opts)).ok, false);
	assert.equal(ctx.reads, before + 1, 'after a read that found the secret changed, a refusal re-reads after refreshMs again');
});

test('valid deliveries mixed into a flood of forged ones keep the back-off: an expiry read that finds the credential unchanged does not restart it', async () => {
	const ctx = context({ webhookSecret: 's1' });
	const opts = { refreshMs: 10, ttlMs: 100 };
	// For 1.2 s, a valid delivery and a forged one every ~6 ms. Reads: the back-off's first few, then one per expiry:
	// ~15 here. Restarting the back-off at each expiry read (the valid delivery's read accepts) gave ~29.
	for (const end = Date.now() + 1200; Date.now() < end; await sleep(5)) {
		assert.equal((await verifyWithCredential(ctx, 'demoApi', matches('s1'), opts)).ok, true);
		assert.equal((await verifyWithCredential(ctx, 'demoApi', matches('forged'), opts)).ok, false);
	}
	assert.ok(ctx.reads <= 20, `credential reads in 1.2 s of mixed deliveries: ${ctx.reads}`);
});

test('under steady traffic an entry is refreshed in the background before it expires: no delivery waits for a read', async () => {
	const store = { webhookSecret: 's1' };
	const ctx = context(store);
	const slow = ctx.getCredentials;
	ctx.getCredentials = async () => {
		await sleep(30);
		return await slow();
	};
	// The refresh starts in the entry's last tenth (40 ms here, 1 s in use), longer than a read (30 ms here).
	const opts = { ttlMs: 400 };
	await verifyWithCredential(ctx, 'demoApi', matches('s1'), opts); // the first read is waited for
	const waits = [];
	for (const end = Date.now() + 1500; Date.now() < end; await sleep(5)) {
		const started = Date.now();
		assert.equal((await verifyWithCredential(ctx, 'demoApi', matches('s1'), opts)).ok, true);
		waits.push(Date.now() - started);
	}
	assert.ok(ctx.reads >= 4, `re-read about every 360 ms in the background (${ctx.reads} reads in 1.5 s)`);
	assert.ok(Math.max(...waits) < 25, `no delivery waited for a 30 ms read (longest wait ${Math.max(...waits)} ms)`);
	// A secret removed from the credential still stops being accepted within the TTL.
	store.webhookSecret = 's2';
	await sleep(420);
	await verifyWithCredential(ctx, 'demoApi', matches('s1'), opts);
	assert.equal((await verifyWithCredential(ctx, 'demoApi', matches('s1'), opts)).ok, false);
});
