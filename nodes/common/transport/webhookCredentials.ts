/**
 * The credential a webhook trigger checks deliveries against, read through a short-lived cache.
 *
 * Why: for a community trigger n8n already prepares an expression isolate before calling webhook() (its floor for
 * any non-core trigger, ~a third of a rejected delivery's time); reading the credential there costs a second one
 * (n8n resolves credential expressions in a fresh isolate) plus a database read and a decryption, which measured
 * (bench/triggers.mjs) halves the rate at which deliveries, forged ones included, are answered. Cached for `ttlMs`
 * per credential ID, a delivery costs what n8n's floor costs. A signature or token that does not match the cached
 * secret gets one fresh read (at most once per `refreshMs`), so a secret changed in n8n is accepted within a second;
 * while reads keep finding the credential unchanged and deliveries refused (a flood of forged deliveries, valid ones
 * mixed in or not) the wait between them doubles, up to `ttlMs`, so forgeries cannot make every second pay a read.
 * A secret taken out of the credential stops being accepted when its entry expires (`ttlMs`, 10 s); a delivery in
 * an entry's last second refreshes it in the background. Nothing else is kept: the entry is a copy of what n8n
 * stores, not state of the trigger.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IWebhookFunctions } from 'n8n-workflow';

/** Constant-time, case-sensitive comparison that also hides the length (both sides hashed first). */
export function secretsMatch(received: unknown, expected: string): boolean {
	if (typeof received !== 'string' || !received || !expected) return false;
	return timingSafeEqual(createHash('sha256').update(received).digest(), createHash('sha256').update(expected).digest());
}

interface Entry {
	data: ICredentialDataDecryptedObject;
	readAt: number;
	/**
	 * Fresh reads that refused a delivery since the credential last changed: a refused delivery waits
	 * refreshMs × 2^(n-1) (at most the TTL) to read again.
	 */
	refusals: number;
}

const entries = new Map<string, Entry>();
/** Reads under way, per credential: deliveries arriving meanwhile wait for the same read instead of starting their own. */
const reading = new Map<string, Promise<ICredentialDataDecryptedObject>>();
const MAX_ENTRIES = 500;

export interface CachedCredentialOptions {
	ttlMs?: number;
	refreshMs?: number;
}

function keyFor(ctx: IWebhookFunctions, type: string): string | undefined {
	const id = ctx.getNode().credentials?.[type]?.id;
	return id ? `${type}:${id}` : undefined;
}

async function read(ctx: IWebhookFunctions, type: string, key: string | undefined): Promise<ICredentialDataDecryptedObject> {
	if (!key) return await ctx.getCredentials(type);
	const pending = reading.get(key);
	if (pending) return await pending;
	const started = ctx.getCredentials(type).then((data) => {
		// The refusal back-off survives a read that finds the credential as it was (e.g. at expiry, for a valid
		// delivery among forged ones): only a changed credential can make a refused delivery pass.
		const previous = entries.get(key);
		const refusals = previous && JSON.stringify(previous.data) === JSON.stringify(data) ? previous.refusals : 0;
		entries.delete(key); // re-inserted last: the oldest entry is the first one evicted
		if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
		entries.set(key, { data, readAt: Date.now(), refusals });
		return data;
	});
	reading.set(key, started);
	try {
		return await started;
	} finally {
		reading.delete(key);
	}
}

/**
 * The credential, and `verify` run against it: `verify(data)` returns true when the delivery is authentic. When it
 * fails on a cached copy older than `refreshMs`, the credential is read again and `verify` runs once more.
 */
export async function verifyWithCredential(
	ctx: IWebhookFunctions,
	type: string,
	verify: (data: ICredentialDataDecryptedObject) => boolean,
	{ ttlMs = 10_000, refreshMs = 1_000 }: CachedCredentialOptions = {},
): Promise<{ ok: boolean; data: ICredentialDataDecryptedObject }> {
	const key = keyFor(ctx, type);
	const now = Date.now();
	const cached = key ? entries.get(key) : undefined;
	if (cached && now - cached.readAt < ttlMs) {
		// In an entry's last tenth, the next delivery re-reads it in the background: under steady traffic no delivery
		// waits for a read at expiry (those that did were among the slowest of a bench run).
		if (key && now - cached.readAt >= ttlMs * 0.9 && !reading.has(key)) read(ctx, type, key).catch(() => undefined);
		if (verify(cached.data)) return { ok: true, data: cached.data };
		if (now - cached.readAt < Math.min(ttlMs, refreshMs * 2 ** Math.max(0, cached.refusals - 1))) return { ok: false, data: cached.data };
	}
	const data = await read(ctx, type, key);
	const ok = verify(data);
	const entry = key ? entries.get(key) : undefined;
	// A fresh read that still refuses the delivery: the next refused one waits twice as long (up to the TTL). Deliveries
	// that waited for the same read count once.
	if (!ok && entry?.data === data) entry.refusals = Math.min(30, Math.max(entry.refusals, (cached?.refusals ?? 0) + 1));
	return { ok, data };
}

/** For tests: forget every cached credential. */
export function clearWebhookCredentialCache(): void {
	entries.clear();
	reading.clear();
}
