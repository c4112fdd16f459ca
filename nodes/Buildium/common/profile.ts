import type { IDataObject } from 'n8n-workflow';

import { buildiumBaseUrl } from '../../../credentials/BuildiumApi.credentials';

import type { VendorErrorInfo, VendorProfile } from '../../common/transport';

interface ApiError {
	Key?: string | null;
	Value?: string | null;
}

/**
 * Buildium: two client headers, limit/offset ≤ 1000 (X-Total-Count on paged GETs), errors as
 * `ApiErrorResponse {UserMessage, ErrorCode, Errors: [{Key, Value}]}`, 10 requests per second per key.
 */
export const buildiumProfile: VendorProfile = {
	name: 'Buildium',
	credentialType: 'buildiumApi',
	// X-Total-Count tells how many pages there are: Return All asks for exactly those, 10 at a time.
	paging: { style: 'offset', offsetParameter: 'offset', limitParameter: 'limit', maxPageSize: 1000, totalHeader: 'x-total-count', concurrency: 10 },
	// "10 concurrent requests per second" per key; the transport paces every request of a credential to stay inside,
	// with a 5% margin: Buildium's one-second windows are not aligned with ours, and a request that lands a few ms
	// early in a full window costs a 429 and a backoff (measured: 94 of 594 requests refused at exactly 1000 ms).
	rateLimit: { requests: 10, perMs: 1050 },
	// The limit is per API key: the host (production or sandbox) and the client id name it, not the other fields.
	pacingIdentity: (credentials) => [buildiumBaseUrl(credentials), String(credentials.clientId ?? '')],
	queryArrayFormat: 'repeat',
	extractError(body, statusCode): VendorErrorInfo | undefined {
		if (statusCode < 400) return undefined;
		const error = (body ?? {}) as IDataObject;
		const errors = Array.isArray(error.Errors) ? (error.Errors as ApiError[]) : [];
		const details = errors.map((e) => [e.Key, e.Value].filter(Boolean).join(': ')).filter(Boolean);
		const message = typeof error.UserMessage === 'string' && error.UserMessage ? error.UserMessage : `HTTP ${statusCode}`;
		return {
			// The failing fields belong in the message itself: it is what n8n shows first.
			message: details.length ? `${message} (${details.join('; ')})` : message,
			code: typeof error.ErrorCode === 'string' ? error.ErrorCode : undefined,
			details,
		};
	},
	extractItems(body) {
		return Array.isArray(body) ? (body as IDataObject[]) : undefined;
	},
	// Buildium authenticates with a key pair, not a token; a 403 names the permission the key lacks.
	errorHints: {
		401: 'Check the Client ID and Client Secret in the Buildium credential, and that the key belongs to this environment (production or sandbox).',
		403: 'The Buildium API key is valid but lacks the permission this request needs: grant it under Settings → Developer Tools → API Keys.',
	},
	// Buildium sends no rate-limit headers; its docs say retry a 429 after ~200 ms, with exponential backoff.
	retry: { baseDelayMs: 200 },
};
