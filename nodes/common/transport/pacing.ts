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
import { header } from './retry';

/**
 * One request's place in a budget: `at` is its reserved start until it goes out, then the latest time the vendor
 * can have counted it (see recheck).
 */
export interface PacingSlot {
	at: number;
	start: number;
	/** Reservation order: a request waits only for those reserved before it. */
	seq: number;
	answered: boolean;
	arrivalMs: number;
}

interface Budget {
	/** Recent and reserved requests, ordered by `at`. */
	slots: PacingSlot[];
	seq: number;
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
		budget = { slots: [], seq: 0, blockedUntil: 0, used: 0 };
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
	return reserve(profile, key, now, maxWaitMs).wait;
}

function reserve(profile: VendorProfile, key: string, now: number, maxWaitMs: number): { wait: number; slot?: PacingSlot } {
	if (!profile.rateLimit && !profile.rateLimitHeaders) return { wait: 0 };
	const budget = budgetFor(key);
	let start = now;
	if (budget.blockedUntil > start && budget.blockedUntil - now <= maxWaitMs) start = budget.blockedUntil;
	const limit = profile.rateLimit;
	let slot: PacingSlot | undefined;
	if (limit) {
		// Requests still in flight stay: the vendor may not have counted them yet.
		budget.slots = budget.slots.filter((t) => t.at > now - limit.perMs || !t.answered);
		const times = budget.slots.map((t) => t.at).sort((a, b) => a - b);
		if (times.length >= limit.requests) start = Math.max(start, times[times.length - limit.requests] + limit.perMs);
		slot = { at: start, start, seq: budget.seq++, answered: false, arrivalMs: limit.arrivalMs ?? limit.perMs / 4 };
		budget.slots.push(slot);
	}
	budget.used++;
	return { wait: start - now, slot };
}

/** The latest time the vendor can have counted `slot`'s request, as far as is known at `now`. */
function arrivalBound(slot: PacingSlot, now: number): number {
	if (slot.answered || slot.start > now) return slot.at;
	return Math.min(now, slot.start + slot.arrivalMs);
}

/**
 * Before a request that waited goes out: the requests reserved before it may have gone out later than their
 * reserved starts, and the vendor counted each when it arrived, which may be up to `arrivalMs` after it started
 * (earlier if it has been answered). If `limit` of them may fall within the window before now, wait for the oldest
 * of those to leave it. Counted from the reserved starts alone, the 11th request of a second reached Buildium's
 * (simulated) first window by the network time of the first and drew a 429.
 */
function recheck(profile: VendorProfile, key: string, slot: PacingSlot, now: number): number {
	const limit = profile.rateLimit;
	const budget = budgets.get(key);
	if (!limit || !budget) return 0;
	const ahead = budget.slots
		.filter((t) => t.seq < slot.seq)
		.map((t) => arrivalBound(t, now))
		.filter((at) => at > now - limit.perMs && at <= now)
		.sort((a, b) => a - b);
	if (ahead.length < limit.requests) return 0;
	const start = ahead[ahead.length - limit.requests] + limit.perMs;
	if (start <= now) return 0;
	slot.at = start;
	slot.start = start;
	return start - now;
}

/** The request of `slot` was answered at `now`: the vendor counted it by then, and at most `arrivalMs` after it started. */
export function settleSlot(slot: PacingSlot | undefined, now = Date.now()): void {
	if (!slot || slot.answered) return;
	slot.at = Math.max(slot.start, Math.min(now, slot.start + slot.arrivalMs));
	slot.answered = true;
}

/** Waits for a slot (see reserveSlot, recheck); resolves with the slot, to settle when the answer comes. */
export async function pace(profile: VendorProfile, key: string, maxWaitMs = 60_000): Promise<PacingSlot | undefined> {
	const { wait, slot } = reserve(profile, key, Date.now(), maxWaitMs);
	if (wait <= 0) return slot;
	await sleep(wait);
	for (let round = 0; slot && round < 10; round++) {
		const more = recheck(profile, key, slot, Date.now());
		if (more <= 0) break;
		await sleep(more);
	}
	return slot;
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
