import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

import type { VendorProfile } from './profile';
import { isTransientNetworkCode, RETRYABLE_STATUS, serverRequestedDelayMs } from './retry';

/** Extra facts the retry loop reads off a transport error (kept on `error.context`). */
export interface TransportErrorContext {
	transport: true;
	statusCode?: number;
	/** True when the vendor or the network said "try again" (429/503, reset, truncated body). */
	transient: boolean;
	/** Set when a body never arrived or arrived cut: retrying is only safe for idempotent requests. */
	incompleteResponse?: boolean;
	retryAfterMs?: number;
	vendorCode?: string | number;
}

export interface HttpResponseLike {
	statusCode: number;
	headers?: Record<string, unknown>;
	body: unknown;
}

function contextOf(error: NodeApiError): TransportErrorContext | undefined {
	const context = error.context as Partial<TransportErrorContext> | undefined;
	return context?.transport ? (context as TransportErrorContext) : undefined;
}

export function transportContext(error: unknown): TransportErrorContext | undefined {
	return error instanceof NodeApiError ? contextOf(error) : undefined;
}

function attach(error: NodeApiError, context: TransportErrorContext): NodeApiError {
	Object.assign(error.context, context);
	return error;
}

/**
 * Turns a vendor error response into a NodeApiError carrying the vendor's own message and code.
 * Only the status and the vendor's body go in: never request options, so never credentials.
 */
export function vendorResponseError(
	node: INode,
	profile: VendorProfile,
	response: HttpResponseLike,
): NodeApiError {
	const info = profile.extractError(response.body, response.statusCode);
	const status = response.statusCode;
	const vendorMessage = info?.message ?? `HTTP ${status}`;
	const hints: Record<number, string | undefined> = {
		401: `Check the API token in the ${profile.name} credential.`,
		403: `The ${profile.name} credential is valid but not allowed to do this.`,
		404: 'Check the ID or path you used.',
		429: `${profile.name} kept rate-limiting the request after several retries with backoff. Lower the node's batch size or add a Wait node, then try again.`,
		503: `${profile.name} is temporarily unavailable; it kept answering 503 after several retries.`,
		...profile.errorHints,
	};
	const details = info?.details?.length ? ` Details: ${info.details.join('; ')}` : '';
	const code = info?.code !== undefined ? ` (code ${info.code})` : '';
	const error = new NodeApiError(
		node,
		{ message: vendorMessage, code: info?.code ?? status } as JsonObject,
		{
			message: `${profile.name} rejected the request${status >= 300 ? ` [${status}]` : ''}: ${vendorMessage}${code}`,
			description: `${hints[status] ?? ''}${details}`.trim() || undefined,
			httpCode: String(status),
		},
	);
	return attach(error, {
		transport: true,
		statusCode: status,
		transient: RETRYABLE_STATUS.has(status),
		retryAfterMs: serverRequestedDelayMs(response.headers),
		vendorCode: info?.code,
	});
}

/** The body claimed to be JSON but did not parse: the connection was cut mid-body. */
export function truncatedResponseError(node: INode, profile: VendorProfile, statusCode: number) {
	const error = new NodeApiError(node, { message: 'Incomplete response body' } as JsonObject, {
		message: `${profile.name} sent an incomplete response (the JSON body was cut off)`,
		description:
			'The connection was interrupted while the response was being received. Nothing was parsed from it; run the node again.',
		httpCode: String(statusCode),
	});
	return attach(error, { transport: true, statusCode, transient: true, incompleteResponse: true });
}

const NETWORK_MESSAGES: Record<string, string> = {
	ECONNRESET: 'the connection was reset',
	ECONNREFUSED: 'the connection was refused',
	ETIMEDOUT: 'the request timed out',
	ECONNABORTED: 'the request timed out',
	ENOTFOUND: 'the host name could not be resolved',
	EAI_AGAIN: 'the host name could not be resolved (temporary DNS failure)',
	EPIPE: 'the connection was closed while sending',
};

/**
 * Rebuilds a network-level failure from n8n's HTTP helper as a clean NodeApiError. The helper's
 * error keeps the axios request config (with auth headers) as its cause, so it is not passed on.
 */
export function networkError(node: INode, profile: VendorProfile, error: unknown): NodeApiError {
	const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
	const code =
		cause?.code ?? (error as { code?: string })?.code ?? (/socket hang up/i.test(String((error as Error)?.message)) ? 'ECONNRESET' : undefined);
	const what = (code && NETWORK_MESSAGES[code]) ?? 'the request failed before a response arrived';
	const message = `Could not reach ${profile.name}: ${what}${code ? ` (${code})` : ''}`;
	const apiError = new NodeApiError(node, { message: what } as JsonObject, {
		message,
		description: `Check the environment / base URL in the ${profile.name} credential and that the service is reachable from n8n.`,
		httpCode: 'none',
	});
	// NodeApiError swaps messages that mention well-known codes for generic text; keep ours.
	apiError.message = message;
	return attach(apiError, {
		transport: true,
		transient: isTransientNetworkCode(code),
		incompleteResponse: true,
	});
}
