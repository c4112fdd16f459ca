import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';

/** What the shared transport needs to know about one vendor API. One object per vendor. */
export interface VendorProfile {
	/** Display name used in error messages, e.g. "RentEngine". */
	name: string;
	/** n8n credential type name, e.g. "rentEngineApi". */
	credentialType: string;
	/** How list endpoints page by default. Return All always uses `maxPageSize`. */
	paging: Paging;
	/**
	 * Other paging styles some endpoints use, by name; an operation picks one (`pagedRequest(profile, name)`).
	 * RentEngine: prospects page by time window, reports and conversations by a `has_more` envelope.
	 */
	pagingStyles?: Record<string, Paging>;
	/** A fixed request budget per credential (Buildium: 10 per second); the transport paces to stay inside it. */
	rateLimit?: RateLimit;
	/**
	 * How array query parameters are written. Buildium wants the name repeated (`?statuses=A&statuses=B`); n8n's
	 * default is `statuses[0]=A`.
	 */
	queryArrayFormat?: 'repeat' | 'brackets' | 'indices' | 'comma';
	/** Rate-limit headers the vendor sends; when `remaining` reaches 0 the transport waits for the reset. */
	rateLimitHeaders?: RateLimitHeaders;
	/**
	 * When the vendor's budgets are per endpoint rather than per credential (Entrata: per service), the part of a
	 * request that names the budget; requests of one credential are then paced per scope.
	 */
	pacingScope?(options: IHttpRequestOptions): string;
	/**
	 * What names the vendor's budget in a credential (host and client id, token or account), hashed into the pacing
	 * key: two credentials with the same identity share one budget whatever their other fields (a webhook secret).
	 */
	pacingIdentity?(credentials: ICredentialDataDecryptedObject): unknown;
	/**
	 * Pulls the vendor's message/code out of an error body. Also called on 2xx bodies, because some
	 * vendors (Entrata) report failures inside HTTP 200; return undefined when the body is not an error.
	 */
	extractError(body: unknown, statusCode: number): VendorErrorInfo | undefined;
	/** Unwraps a list response into its records (bare array, `{data: [...]}`, …); undefined if not a list. */
	extractItems(body: unknown): IDataObject[] | undefined;
	retry?: Partial<RetryPolicy>;
	/** What to check, per HTTP status, shown under the vendor's message (defaults in errors.ts). */
	errorHints?: Partial<Record<number, string>>;
	/**
	 * Last touch on every request, with the decrypted credential, just before it is sent (declarative operations,
	 * list search and triggers alike): RPC envelopes that depend on the credential (Entrata's `auth.type`), or a body
	 * format the user picked in the credential (XML). Must return new options, never mutate the ones it is given.
	 */
	prepareRequest?(options: IHttpRequestOptions, credentials: ICredentialDataDecryptedObject): IHttpRequestOptions;
	/**
	 * Turns the body as it arrived into the parsed shape the rest of the transport reads (errors, items, paging), e.g.
	 * an XML document into the objects the JSON format gives. Throw `BodyParseError` for a body that does not parse.
	 */
	parseResponse?(response: { statusCode: number; headers?: Record<string, unknown>; body: unknown }, credentials: ICredentialDataDecryptedObject): unknown;
	/**
	 * Whether a request may be sent again after a reset or a cut body (default: by HTTP verb). RPC APIs read with POST,
	 * so the vendor says which of its calls are reads.
	 */
	isIdempotent?(options: IHttpRequestOptions): boolean;
}

export interface PageNumberPaging {
	style: 'pageNumber';
	pageParameter: string;
	sizeParameter: string;
	firstPage: number;
	maxPageSize: number;
}

export interface OffsetPaging {
	style: 'offset';
	offsetParameter: string;
	limitParameter: string;
	maxPageSize: number;
	/**
	 * Response header with the size of the whole result set (Buildium: X-Total-Count). When the first page carries
	 * it, the walk makes exactly ⌈total / page size⌉ requests (no empty page at the end) and fetches the remaining
	 * pages `concurrency` at a time (within the profile's rate limit), keeping the vendor's order.
	 */
	totalHeader?: string;
	concurrency?: number;
}

/**
 * Time windows on a creation timestamp (RentEngine prospects): each request asks for up to `maxPageSize` records
 * created in [after, before), oldest first; the next window starts at the last record's timestamp. The lower bound
 * is inclusive, so the boundary record comes back and is dropped by `idField`. A short page ends the walk.
 */
export interface TimeWindowPaging {
	style: 'timeWindow';
	afterParameter: string;
	beforeParameter: string;
	limitParameter: string;
	maxPageSize: number;
	timestampField: string;
	idField: string;
}

/**
 * Page numbers with a `{data, page: {has_more, next_page_number}}` envelope (RentEngine reports). With `dateRange`,
 * the requested [start, end] is split into windows of at most `maxDays` and each window is paged in turn.
 */
export interface EnvelopePaging {
	style: 'envelope';
	pageParameter: string;
	sizeParameter: string;
	firstPage: number;
	maxPageSize: number;
	dataPath: string;
	hasMorePath: string;
	nextPagePath?: string;
	dateRange?: { startParameter: string; endParameter: string; maxDays: number };
	/** Aggregate rows (one per key and window) are added up across windows by this field. */
	mergeBy?: string;
}

/**
 * Page numbers sent as query parameters, the walk led by response headers (Entrata): the request asks for links with
 * `requestHeaders` (e.g. `X-Send-Pagination-Links: 1`); the next page is the one a `Link: <…>; rel="next"` names, else
 * the next number while `totalCountHeader` says more records exist, else the next number while pages come back full.
 */
export interface LinkHeaderPaging {
	style: 'linkHeader';
	pageParameter: string;
	sizeParameter: string;
	firstPage: number;
	maxPageSize: number;
	requestHeaders?: Record<string, string>;
	totalCountHeader?: string;
	/**
	 * When the first page carries `totalCountHeader` and its next page is simply the next number, the remaining
	 * pages are fetched this many at a time (within the profile's pacing), keeping the vendor's order. Default 1.
	 */
	concurrency?: number;
}

export type Paging = PageNumberPaging | OffsetPaging | TimeWindowPaging | EnvelopePaging | LinkHeaderPaging;

export interface RateLimit {
	requests: number;
	perMs: number;
	/**
	 * How long after it starts a request is assumed to reach the vendor at the latest (default perMs / 4): the vendor
	 * counts a request on arrival, which the client never sees. Answered earlier, the answer time bounds it.
	 */
	arrivalMs?: number;
}

export interface RateLimitHeaders {
	limit?: string;
	remaining: string;
	reset: string;
	/** What the reset header holds: seconds until the reset, or the reset time in epoch seconds / ms. */
	resetUnit: 'seconds' | 'epochSeconds' | 'epochMs';
}

export interface VendorErrorInfo {
	message: string;
	code?: string | number;
	details?: string[];
}

export interface RetryPolicy {
	/** Retries after the first attempt (so maxRetries + 1 requests at most). */
	maxRetries: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** A server asking us to wait longer than this fails fast instead of blocking the execution. */
	maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: 5,
	baseDelayMs: 500,
	maxDelayMs: 20_000,
	maxRetryAfterMs: 60_000,
};
