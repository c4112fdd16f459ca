/**
 * Client-side pacing per credential, from the vendor profile. Every request of a budget is admitted one at a time,
 * in arrival order, by `throughBudget` (declarative and programmatic requests alike, retries included), so the many
 * items RoutingNode sends together, and the retries after a Retry-After, never leave all at once.
 *
 * Two kinds of budget:
 * - a fixed one the vendor documents (`rateLimit`: at most N requests in any window of `perMs`; Buildium 10/s),
 *   known before the first response;
 * - one the vendor reports (`rateLimitHeaders`: limit / remaining / reset, one or several windows). Until a response
 *   has reported it, one request at a time is in flight; then as many as remain, until the reset refills the limit.
 *
 * `processes` (the credential's "Processes Sharing This Key") splits a budget between the n8n processes that use
 * one key (queue-mode workers): each paces to limit / processes. A 429 on a fixed budget halves the admitted rate
 * for a while as well (another process, or another app, is using the key).
 *
 * State is per process and keyed by a hash of the credential's identity (never a secret itself).
 */
import { createHash } from 'node:crypto';

import { sleep, type ICredentialDataDecryptedObject, type IDataObject } from 'n8n-workflow';

import type { VendorProfile } from './profile';
import { header } from './retry';

/** One admitted request, until its answer is in. */
export interface PacingSlot {
	start: number;
	/** Latest time the vendor may have counted it: start + arrivalMs, or the answer's time if earlier. */
	counted: number;
	answered: boolean;
	/** Per reported window, the refill it was admitted after (an answer from before a refill says nothing of the new one). */
	epochs: number[];
}

/** One window of a reported budget (Entrata sends DAY, HOUR and MINUTE ones). */
interface Window {
	limit?: number;
	/** Requests this process may still start before the reset. */
	credit: number;
	resetAt: number;
	epoch: number;
}

interface Budget {
	/** Admitted requests still relevant to a fixed window, or still unanswered. */
	slots: PacingSlot[];
	inFlight: number;
	/** Reported windows; undefined until a response reports them. */
	windows?: Window[];
	/** A success without rate-limit headers: the vendor reports no budget for this key, nothing to pace. */
	open: boolean;
	/** No request may start before this time (a 429's Retry-After). */
	blockedUntil: number;
	/** ≥ 1: the fixed budget's rate is divided by it after a 429, and recovers with each success. */
	slowdown: number;
	/** The admission queue: one waiter at a time decides. */
	turn: Promise<void>;
	wake?: () => void;
}

export interface PacingTicket {
	key: string;
	/** How many n8n processes share the key's budget (≥ 1). */
	processes: number;
}

const MAX_KEYS = 256;
const budgets = new Map<string, Budget>();

/**
 * A stable key for one credential: SHA-256 over the credential type and its identity (the profile's
 * `pacingIdentity`: host and client id / token / account), so fields that do not name the key (a webhook secret, a
 * response format) do not split its budget. Without `pacingIdentity`, every field.
 */
export function pacingKey(profile: VendorProfile, credentialData: IDataObject | undefined): string {
	const data = credentialData ?? {};
	const identity = profile.pacingIdentity ? profile.pacingIdentity(data as ICredentialDataDecryptedObject) : Object.keys(data).sort().map((k) => [k, data[k]]);
	return createHash('sha256').update(profile.credentialType).update('\0').update(JSON.stringify(identity)).digest('hex');
}

/** The credential's "Processes Sharing This Key", a whole number ≥ 1 (default 1). */
export function sharingProcesses(credentialData: IDataObject | undefined): number {
	const n = Math.floor(Number(credentialData?.processesSharingKey ?? 1));
	return Number.isFinite(n) && n >= 1 ? n : 1;
}

function budgetFor(key: string): Budget {
	let budget = budgets.get(key);
	if (!budget) {
		if (budgets.size >= MAX_KEYS) {
			// Forget the least recently used credential (Map keeps insertion order; touched keys are re-inserted).
			budgets.delete(budgets.keys().next().value as string);
		}
		budget = { slots: [], inFlight: 0, open: false, blockedUntil: 0, slowdown: 1, turn: Promise.resolve() };
	} else {
		budgets.delete(key);
	}
	budgets.set(key, budget);
	return budget;
}

/** This process's share of a fixed budget: `requests` per `perMs`, divided between processes and by the slowdown. */
function share(profile: VendorProfile, processes: number, slowdown: number): { requests: number; perMs: number } | undefined {
	const limit = profile.rateLimit;
	if (!limit) return undefined;
	const divisor = processes * slowdown;
	const requests = Math.max(1, Math.floor(limit.requests / divisor));
	return { requests, perMs: limit.perMs * Math.max(1, divisor / limit.requests) };
}

/**
 * How long the next request must wait before it may start at `now` (0: admit it now). Used by throughBudget for the
 * head of the queue; exported for tests with an explicit clock.
 */
export function admissionWait(profile: VendorProfile, key: string, processes = 1, now = Date.now()): number {
	const budget = budgetFor(key);
	let until = budget.blockedUntil;
	const fixed = share(profile, processes, budget.slowdown);
	if (fixed) {
		budget.slots = budget.slots.filter((s) => !s.answered || s.counted > now - fixed.perMs);
		const counted = budget.slots.map((s) => s.counted).filter((t) => t > now - fixed.perMs).sort((a, b) => a - b);
		if (counted.length >= fixed.requests) until = Math.max(until, counted[counted.length - fixed.requests] + fixed.perMs);
	}
	if (profile.rateLimitHeaders && !budget.open) {
		if (!budget.windows) {
			// Nothing reported yet: one request alone learns the budget.
			if (budget.inFlight > 0) return Number.POSITIVE_INFINITY;
		} else {
			for (const w of budget.windows) {
				if (w.resetAt <= now) refill(w, processes);
				if (w.credit >= 1) continue;
				// No reset known: one at a time, each answer tells what remains.
				if (!Number.isFinite(w.resetAt)) {
					if (budget.inFlight > 0) return Number.POSITIVE_INFINITY;
					continue;
				}
				until = Math.max(until, w.resetAt);
			}
		}
	}
	return Math.max(0, until - now);
}

function refill(w: Window, processes: number): void {
	w.epoch++;
	w.resetAt = Number.POSITIVE_INFINITY;
	// A limit the vendor did not state: probe again, one request at a time.
	w.credit = w.limit === undefined ? 0 : Math.max(1, Math.floor(w.limit / processes));
}

function admit(profile: VendorProfile, budget: Budget, now: number): PacingSlot {
	const arrivalMs = profile.rateLimit ? profile.rateLimit.arrivalMs ?? profile.rateLimit.perMs / 4 : 0;
	const slot: PacingSlot = { start: now, counted: now + arrivalMs, answered: false, epochs: budget.windows?.map((w) => w.epoch) ?? [] };
	for (const w of budget.windows ?? []) w.credit--;
	budget.inFlight++;
	if (profile.rateLimit) budget.slots.push(slot);
	return slot;
}

/**
 * Resolves after `ms` or as soon as an answer comes in (which may shorten the wait). n8n's `sleep` (community nodes
 * may not use timers directly) cannot be cancelled: a wake leaves it to run out, which resolves nothing twice.
 */
function waitOrWake(budget: Budget, ms: number): Promise<void> {
	return new Promise((resolve) => {
		let settled = false;
		function done() {
			if (settled) return;
			settled = true;
			if (budget.wake === done) budget.wake = undefined;
			resolve();
		}
		budget.wake = done;
		if (Number.isFinite(ms)) void sleep(ms).then(done);
	});
}

/** Waits for this request's turn and its admission; `maxWaitMs` caps a wait, beyond which it goes (the 429 speaks). */
export async function pace(profile: VendorProfile, ticket: PacingTicket, maxWaitMs = 60_000): Promise<PacingSlot | undefined> {
	if (!profile.rateLimit && !profile.rateLimitHeaders) return undefined;
	const budget = budgetFor(ticket.key);
	const previous = budget.turn;
	let release!: () => void;
	budget.turn = new Promise((resolve) => (release = resolve));
	await previous;
	try {
		const deadline = Date.now() + maxWaitMs;
		for (;;) {
			const now = Date.now();
			const wait = admissionWait(profile, ticket.key, ticket.processes, now);
			if (wait <= 0 || (Number.isFinite(wait) && now + wait > deadline)) return admit(profile, budget, now);
			// Unbounded waits (one in flight) end with its answer; a stuck answer still lets the next go by the deadline.
			await waitOrWake(budget, Math.min(wait, deadline - now));
			if (Date.now() >= deadline) return admit(profile, budget, Date.now());
		}
	} finally {
		release();
	}
}

/**
 * The request of `slot` was answered at `now` (headers: the response's, none for a network failure): the vendor
 * counted it by then; its rate-limit headers update the reported windows; a 429 slows the fixed budget down.
 */
export function settle(
	profile: VendorProfile,
	ticket: PacingTicket,
	slot: PacingSlot | undefined,
	response?: { statusCode?: number; headers?: Record<string, unknown> },
	now = Date.now(),
): void {
	if (!slot || slot.answered) return;
	const budget = budgetFor(ticket.key);
	slot.counted = Math.max(slot.start, Math.min(now, slot.counted));
	slot.answered = true;
	budget.inFlight = Math.max(0, budget.inFlight - 1);
	if (response) {
		const status = response.statusCode ?? 0;
		if (profile.rateLimit) {
			if (status === 429) budget.slowdown = Math.min(8, budget.slowdown * 2);
			else if (status < 400 && budget.slowdown > 1) budget.slowdown = Math.max(1, budget.slowdown * 0.95);
		}
		observe(profile, ticket, slot, response.headers, status, now);
	}
	budget.wake?.();
}

/** Numbers of a rate-limit header, window by window: `14996/DAY;999/HOUR;149/MINUTE` → [14996, 999, 149]. */
function numbers(value: string | undefined): number[] {
	if (value === undefined || value.trim() === '') return [];
	return value.split(/[;,]/).map((v) => (v.trim() === '' ? Number.NaN : parseFloat(v)));
}

/**
 * Learns from a response's rate-limit headers. Windows are matched index for index across the three headers
 * (Entrata: `X-RateLimit-Limit: 15000/DAY;1000/HOUR;150/MINUTE`, `X-RateLimit-Remaining: 14996/DAY;999/HOUR;149/MINUTE`,
 * `X-RateLimit-Reset: 36686;686;26`). What remains is this process's share, less the requests still in flight; the
 * reset is the earliest any answer of the window gave (the vendor rounds it up to whole seconds).
 */
function observe(
	profile: VendorProfile,
	ticket: PacingTicket,
	slot: PacingSlot,
	headers: Record<string, unknown> | undefined,
	status: number,
	now: number,
): void {
	const spec = profile.rateLimitHeaders;
	if (!spec) return;
	const budget = budgetFor(ticket.key);
	const remaining = numbers(header(headers, spec.remaining));
	const retryAfterMs = retryAfter(headers, now);
	if (!remaining.length) {
		if (status === 429) {
			budget.open = false;
			if (retryAfterMs !== undefined) budget.blockedUntil = Math.max(budget.blockedUntil, now + retryAfterMs);
		} else if (status > 0 && status < 400 && !budget.windows) budget.open = true;
		return;
	}
	budget.open = false;
	const limits = spec.limit ? numbers(header(headers, spec.limit)) : [];
	let resets = numbers(header(headers, spec.reset));
	// One budget and several resets (`10;60`): the first one that lifts is the shortest.
	if (remaining.length === 1 && resets.length > 1) resets = [Math.min(...resets.filter((r) => r >= 0))];
	if (!budget.windows || budget.windows.length !== remaining.length) {
		// The first report: each window's credit starts from what remains (the min below).
		budget.windows = remaining.map(() => ({ credit: Number.POSITIVE_INFINITY, resetAt: Number.POSITIVE_INFINITY, epoch: 0 }));
		slot.epochs = [];
	}
	budget.windows.forEach((w, i) => {
		if (Number.isFinite(limits[i])) w.limit = limits[i];
		if ((slot.epochs[i] ?? 0) !== w.epoch) return;
		const left = remaining[i];
		w.credit = Number.isFinite(left) ? Math.min(w.credit, Math.floor(Math.max(0, left) / ticket.processes) - budget.inFlight) : Math.min(w.credit, 0);
		const reset = resets[i];
		if (Number.isFinite(reset) && reset >= 0) {
			const at = spec.resetUnit === 'seconds' ? now + reset * 1000 : spec.resetUnit === 'epochSeconds' ? reset * 1000 : reset;
			w.resetAt = Math.min(w.resetAt, at);
		}
		if (status === 429) {
			w.credit = Math.min(w.credit, 0);
			if (retryAfterMs !== undefined && !Number.isFinite(w.resetAt)) w.resetAt = now + retryAfterMs;
		}
	});
}

function retryAfter(headers: Record<string, unknown> | undefined, now: number): number | undefined {
	const value = header(headers, 'retry-after');
	if (value === undefined || value.trim() === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/**
 * Sends one request through the key's budget: waits for its admission, sends, and settles the budget with the
 * answer (or the failure). The one way requests are paced, declarative and programmatic.
 */
export async function throughBudget<R extends { statusCode?: number; headers?: unknown }>(
	profile: VendorProfile,
	ticket: PacingTicket,
	maxWaitMs: number,
	send: () => Promise<R>,
): Promise<R> {
	const slot = await pace(profile, ticket, maxWaitMs);
	let response: R | undefined;
	try {
		response = await send();
		return response;
	} finally {
		settle(profile, ticket, slot, response && { statusCode: response.statusCode, headers: response.headers as Record<string, unknown> });
	}
}

/** For tests: forget every budget. */
export function resetPacing(): void {
	budgets.clear();
}
