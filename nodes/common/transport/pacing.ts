/**
 * Client-side pacing per credential, from the vendor profile: a fixed budget (`rateLimit`: at most N request starts
 * in any window of `perMs`) and/or the vendor's rate-limit headers (`rateLimitHeaders`: once `remaining` hits 0,
 * hold further requests until the reset). Pacing avoids 429 storms across the many requests of a Return All or a
 * many-item execution; a 429 that still happens is retried by the retry policy as before.
 *
 * State is per process and keyed by a hash of the credential (never the secret itself): a rate budget is a property
 * of the running process's traffic, so it is the one thing the transport legitimately keeps in memory.
 */
import { createHash } from 'node:crypto';

import { sleep, type IDataObject } from 'n8n-workflow';

import type { VendorProfile } from './profile';

interface Budget {
	/** Start times (ms) of recent and reserved requests, oldest first. */
	starts: number[];
	/** No request may start before this time (set from rate-limit headers). */
	blockedUntil: number;
	used: number;
}

const MAX_KEYS = 256;
const budgets = new Map<string, Budget>();

/** A stable key for one credential of one vendor: SHA-256 over type and data. */
export function pacingKey(profile: VendorProfile, credentialData: IDataObject | undefined): string {
	const data = credentialData ?? {};
	const canonical = JSON.stringify(Object.keys(data).sort().map((k) => [k, data[k]]));
	return createHash('sha256').update(profile.credentialType).update('\0').update(canonical).digest('hex');
}

function budgetFor(key: string): Budget {
	let budget = budgets.get(key);
	if (!budget) {
		if (budgets.size >= MAX_KEYS) {
			// Forget the least recently used credential (Map keeps insertion order; touched keys are re-inserted).
			budgets.delete(budgets.keys().next().value as string);
		}
		budget = { starts: [], blockedUntil: 0, used: 0 };
	} else {
		budgets.delete(key);
	}
	budgets.set(key, budget);
	return budget;
}

/**
 * How long the next request for `key` must wait, reserving its slot (so concurrent callers queue up instead of all
 * seeing the same free slot). `maxWaitMs` caps a header-imposed wait: beyond it we send anyway and let the
 * vendor's 429 (and the retry policy's fail-fast message) speak.
 */
export function reserveSlot(profile: VendorProfile, key: string, now = Date.now(), maxWaitMs = 60_000): number {
	if (!profile.rateLimit && !profile.rateLimitHeaders) return 0;
	const budget = budgetFor(key);
	let start = now;
	if (budget.blockedUntil > start && budget.blockedUntil - now <= maxWaitMs) start = budget.blockedUntil;
	const limit = profile.rateLimit;
	if (limit) {
		budget.starts = budget.starts.filter((t) => t > now - limit.perMs);
		if (budget.starts.length >= limit.requests) {
			start = Math.max(start, budget.starts[budget.starts.length - limit.requests] + limit.perMs);
		}
		budget.starts.push(start);
		budget.starts.sort((a, b) => a - b);
	}
	budget.used++;
	return start - now;
}

/** Waits for a slot; see reserveSlot. */
export async function pace(profile: VendorProfile, key: string, maxWaitMs?: number): Promise<void> {
	const wait = reserveSlot(profile, key, Date.now(), maxWaitMs);
	if (wait > 0) await sleep(wait);
}

function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const value = headers[name.toLowerCase()] ?? headers[name];
	if (Array.isArray(value)) return String(value[0]);
	return value === undefined || value === null ? undefined : String(value);
}

/**
 * Learns from a response's rate-limit headers: remaining 0 blocks the credential until the reset. A vendor may list
 * several windows in both headers, index for index (Entrata: `X-RateLimit-Remaining: 14996/DAY;999/HOUR;0/MINUTE`,
 * `X-RateLimit-Reset: 36686;686;26`): then the block lasts until every exhausted window has reset.
 */
export function observe(profile: VendorProfile, key: string, headers: Record<string, unknown> | undefined, now = Date.now()): void {
	const spec = profile.rateLimitHeaders;
	if (!spec) return;
	// `149/MINUTE` → 149; a plain `0` → 0.
	const remaining = (header(headers, spec.remaining) ?? '').split(/[;,]/).map((v) => (v.trim() === '' ? Number.NaN : parseFloat(v)));
	const exhausted = remaining.map((n, i) => (Number.isFinite(n) && n <= 0 ? i : -1)).filter((i) => i >= 0);
	if (!exhausted.length) return;
	const resets = (header(headers, spec.reset) ?? '').split(/[;,]/).map((v) => (v.trim() === '' ? Number.NaN : Number(v.trim())));
	const valid = (n: number) => Number.isFinite(n) && n >= 0;
	let value: number;
	if (remaining.length > 1 && resets.length === remaining.length && exhausted.every((i) => valid(resets[i]))) {
		value = Math.max(...exhausted.map((i) => resets[i]));
	} else {
		// One budget and several resets (`10;60`): the first one that lifts is the shortest.
		const values = resets.filter(valid);
		if (!values.length) return;
		value = Math.min(...values);
	}
	const resetAt = spec.resetUnit === 'seconds' ? now + value * 1000 : spec.resetUnit === 'epochSeconds' ? value * 1000 : value;
	const budget = budgetFor(key);
	budget.blockedUntil = Math.max(budget.blockedUntil, resetAt);
}

/** For tests: forget every budget. */
export function resetPacing(): void {
	budgets.clear();
}
