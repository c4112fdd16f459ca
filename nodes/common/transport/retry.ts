import { DateTime } from 'luxon';
import { NodeApiError, NodeOperationError, sleep, type INode, type JsonObject } from 'n8n-workflow';

import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './profile';

/** Status codes a vendor uses to say "not now": always safe to retry, the request was not processed. */
export const RETRYABLE_STATUS = new Set([429, 503]);

/** Socket-level failures that are worth another try when the request is idempotent. */
const TRANSIENT_NETWORK_CODES = new Set([
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'ECONNABORTED',
	'ESOCKETTIMEDOUT',
	'EAI_AGAIN',
	'ERR_BAD_RESPONSE',
]);

export function isTransientNetworkCode(code: unknown): boolean {
	return typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code);
}

/**
 * A response header by name, whatever its case in the headers object. A header sent several times (an array) gives
 * its first value, or with `all` every value joined by ", " as HTTP would fold them (several `Link` headers).
 */
export function header(headers: Record<string, unknown> | undefined, name: string, all = false): string | undefined {
	if (!headers) return undefined;
	const value = headers[name] ?? headers[name.toLowerCase()];
	if (Array.isArray(value)) return all ? value.map(String).join(', ') : String(value[0]);
	return value === undefined || value === null ? undefined : String(value);
}

/**
 * How long the server asked us to wait, in ms: `Retry-After` (seconds or an HTTP date) or
 * `X-RateLimit-Reset` (seconds until reset; Entrata sends several `;`-separated windows, the
 * shortest one is the one that lifts the block). Undefined when no header says.
 */
export function serverRequestedDelayMs(
	headers: Record<string, unknown> | undefined,
	now: DateTime = DateTime.utc(),
): number | undefined {
	const retryAfter = header(headers, 'retry-after');
	if (retryAfter !== undefined && retryAfter.trim() !== '') {
		const seconds = Number(retryAfter);
		if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
		const date = DateTime.fromHTTP(retryAfter.trim());
		if (date.isValid) return Math.max(0, date.diff(now).as('milliseconds'));
	}
	const reset = header(headers, 'x-ratelimit-reset');
	if (reset !== undefined) {
		const windows = reset
			.split(';')
			.map((part) => Number(part.trim()))
			.filter((n) => Number.isFinite(n) && n >= 0);
		if (windows.length) return Math.min(...windows) * 1000;
	}
	return undefined;
}

/** Exponential backoff with full jitter, capped; used when the server gives no hint. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random = Math.random): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function resolvePolicy(overrides?: Partial<RetryPolicy>): RetryPolicy {
	return { ...DEFAULT_RETRY_POLICY, ...overrides };
}

export interface RetryDecision {
	retry: boolean;
	delayMs: number;
	/** Why we gave up, for the final error message. */
	reason?: string;
}

/**
 * Runs `attemptFn` until it succeeds or `decide` says stop. `decide` sees the error and the
 * attempt number (0-based) and returns whether and how long to wait.
 */
export async function withRetry<T>(
	node: INode,
	attemptFn: (attempt: number) => Promise<T>,
	decide: (error: unknown, attempt: number) => RetryDecision,
): Promise<T> {
	for (let attempt = 0; ; attempt++) {
		let failure: unknown;
		try {
			return await attemptFn(attempt);
		} catch (error) {
			failure = error;
		}
		const decision = decide(failure, attempt);
		if (!decision.retry) {
			throw failure instanceof NodeApiError || failure instanceof NodeOperationError
				? failure
				: new NodeApiError(node, failure as JsonObject);
		}
		await sleep(decision.delayMs);
	}
}
