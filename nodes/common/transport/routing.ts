/**
 * Glue between the shared transport and n8n's declarative RoutingNode.
 *
 * Every generated operation routes with `send.paginate: true`, so RoutingNode hands the request
 * it built (URL, query, body from the node's parameters) to one of the two pagination functions
 * below instead of sending it itself; that is the one hook the declarative engine offers for
 * retrying and paging. Requests are sent with `ignoreHttpStatusErrors`, so vendor errors reach
 * `responseCheck` with their status, headers and body intact.
 */
import {
	NodeApiError,
	NodeOperationError,
	type DeclarativeRestApiSettings,
	type IDataObject,
	type IExecutePaginationFunctions,
	type IExecuteSingleFunctions,
	type ICredentialsDecrypted,
	type IHttpRequestOptions,
	type IN8nHttpFullResponse,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { DateTime } from 'luxon';

import { pacingKey, sharingProcesses, throughBudget, type PacingTicket } from './pacing';
import type { EnvelopePaging, LinkHeaderPaging, OffsetPaging, PageNumberPaging, TimeWindowPaging, VendorProfile } from './profile';
import { checkResponse, isIdempotentRequest, normalizeTransportError, parseVendorBody, retryDecider } from './request';
import { header, resolvePolicy, withRetry } from './retry';

type PostReceiveFn = (
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
) => Promise<INodeExecutionData[]>;

type PaginationFn = (
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
) => Promise<INodeExecutionData[]>;

/** First postReceive of every operation: vendor errors (also inside 2xx) and cut-off bodies. */
export function responseCheck(profile: VendorProfile): PostReceiveFn {
	return async function (this: IExecuteSingleFunctions, items, response) {
		const body = checkResponse(this.getNode(), profile, response);
		// 204 No Content (Buildium's inactivate, delete…): say it worked rather than pass on an empty string.
		if (body === '' || body === undefined || body === null) return [{ json: { success: true } }];
		return body === response.body ? items : [{ json: body as IDataObject }];
	};
}

/**
 * preSend of operations whose request body is required: with no field set, RoutingNode's body is `{}`, which n8n's
 * HTTP layer leaves out entirely; the API then refuses the request (Buildium: "A non-empty request body is
 * required."). Sent as the JSON text `{}` instead.
 */
export async function requiredJsonBody(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const body = requestOptions.body;
	const empty = body === undefined || body === null || (typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body) && !Object.keys(body).length);
	return empty ? { ...requestOptions, body: '{}' } : requestOptions;
}

/** Turns a list response into one item per record (the vendor's envelope is unwrapped). */
export function listItems(profile: VendorProfile): PostReceiveFn {
	return async function (this: IExecuteSingleFunctions, items) {
		const body = items.length === 1 ? items[0].json : items.map((i) => i.json);
		const records = profile.extractItems(body);
		if (!records) {
			// Fail loudly rather than pass on something that is not the list the user asked for.
			throw new NodeApiError(this.getNode(), { message: 'Unexpected list response' } as JsonObject, {
				message: `${profile.name} returned a list response in an unexpected shape`,
				description: `Expected an array or an object with a "data" array, got ${typeof body}.`,
			});
		}
		return records.map((json) => ({ json }));
	};
}

/** Unwraps one property of a single-object response, e.g. `{availability: {...}}`. */
export function unwrapProperty(property: string): PostReceiveFn {
	return async function (this: IExecuteSingleFunctions, items) {
		return items.map((item) => {
			const inner = item.json[property];
			return { json: (inner && typeof inner === 'object' ? inner : item.json) as IDataObject };
		});
	};
}

/**
 * A filter the vendor does not offer, applied to what comes back: keeps records whose `field` equals one of the
 * values of node parameter `parameter` (a list, or comma-separated text from an expression), ignoring case and
 * surrounding spaces. No values: keeps everything. List pagers count only what is kept towards the Limit.
 */
export function keepMatching(parameter: string, field: string): PostReceiveFn {
	return async function (this: IExecuteSingleFunctions, items) {
		const raw = this.getNodeParameter(parameter, []) as unknown;
		const values = (Array.isArray(raw) ? raw : String(raw ?? '').split(','))
			.map((v) => String(v).trim().toLowerCase())
			.filter(Boolean);
		if (!values.length) return items;
		const wanted = new Set(values);
		return items.filter((item) => wanted.has(String(item.json[field] ?? '').trim().toLowerCase()));
	};
}

/** When the node's `simplify` parameter is on, keeps only the listed top-level fields. */
export function simplifyOutput(fields: string[]): PostReceiveFn {
	return async function (this: IExecuteSingleFunctions, items) {
		if (!(this.getNodeParameter('simplify', false) as boolean)) return items;
		return items.map((item) => {
			const json: IDataObject = {};
			for (const field of fields) if (item.json[field] !== undefined) json[field] = item.json[field];
			return { ...item, json };
		});
	};
}

/** One page: the items after the operation's postReceive steps, plus the parsed body and the headers (for paging). */
export interface RoutedResult {
	items: INodeExecutionData[];
	body: unknown;
	headers: Record<string, unknown>;
}

/** The credential, resolved once per item, and its pacing key and share. */
interface ResolvedCredential {
	decrypted: ICredentialsDecrypted;
	ticket: PacingTicket;
}

/**
 * One routed request with the credential resolved once per item. RoutingNode's own
 * makeRoutingRequest lets n8n re-read the credential for every request (a database read, a policy
 * check and a decryption in n8n's server), which is most of the cost of a page; here the decrypted
 * credential is handed to n8n's auth helper, which applies the credential's `authenticate` as usual.
 * The operation's postReceive steps then run exactly as RoutingNode runs them.
 */
async function routedRequest(
	this: IExecutePaginationFunctions,
	profile: VendorProfile,
	requestData: DeclarativeRestApiSettings.ResultOptions,
	credential: ResolvedCredential,
): Promise<RoutedResult> {
	// RoutingNode has resolved every expression in these options by now, as it assumes itself.
	let options = {
		...requestData.options,
		...(profile.queryArrayFormat ? { arrayFormat: profile.queryArrayFormat } : {}),
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	} as IHttpRequestOptions;
	const { key, processes } = credential.ticket;
	const ticket = profile.pacingScope ? { key: `${key}|${profile.pacingScope(options)}`, processes } : credential.ticket;
	if (profile.prepareRequest) options = profile.prepareRequest(options, credential.decrypted.data ?? {});
	let response = await throughBudget(profile, ticket, resolvePolicy(profile.retry).maxRetryAfterMs, async () =>
		(await this.helpers.httpRequestWithAuthentication.call(this, profile.credentialType, options, {
			credentialsDecrypted: credential.decrypted,
		})) as IN8nHttpFullResponse,
	);
	if (profile.parseResponse) {
		response = parseVendorBody(this.getNode(), profile, response, credential.decrypted.data ?? {}) as IN8nHttpFullResponse;
	}
	const headers = (response.headers ?? {}) as Record<string, unknown>;
	if (!requestData.postReceive.length) {
		const body = response.body as IDataObject | IDataObject[];
		return { items: paired.call(this, Array.isArray(body) ? body.map((json) => ({ json })) : [{ json: body }]), body, headers };
	}
	let items: INodeExecutionData[] = [{ json: response.body as IDataObject }];
	for (const step of requestData.postReceive) {
		for (const action of step.actions) {
			if (typeof action !== 'function') {
				throw new NodeOperationError(this.getNode(), 'Only function postReceive steps are supported by the shared transport');
			}
			items = await action.call(this, items, response);
		}
	}
	return { items: paired.call(this, items), body: response.body, headers };
}

/**
 * Every output item says which input item it came from. RoutingNode leaves that to the pagination hook, and without
 * it a later node's `$('Trigger').item` fails ("Paired item data … is unavailable") as soon as a list operation runs
 * for more than one input item.
 */
function paired(this: IExecutePaginationFunctions, items: INodeExecutionData[]): INodeExecutionData[] {
	const item = this.getItemIndex();
	// The items are this request's own (just built from the response): marked in place, not copied.
	for (const i of items) i.pairedItem ??= { item };
	return items;
}

async function resolveCredentials(this: IExecutePaginationFunctions, profile: VendorProfile): Promise<ResolvedCredential> {
	const data = await this.getCredentials(profile.credentialType);
	return {
		decrypted: { id: 'resolved', name: profile.credentialType, type: profile.credentialType, data },
		ticket: { key: pacingKey(profile, data), processes: sharingProcesses(data) },
	};
}

/** Sends one routed request, retrying 429/503 (and, for idempotent methods, resets and cut bodies). */
async function sendWithRetry(
	this: IExecutePaginationFunctions,
	profile: VendorProfile,
	requestData: DeclarativeRestApiSettings.ResultOptions,
	credential: ResolvedCredential,
): Promise<RoutedResult> {
	const node = this.getNode();
	return await withRetry(node, async () => {
		try {
			return await routedRequest.call(this, profile, requestData, credential);
		} catch (error) {
			throw normalizeTransportError(node, profile, error);
		}
	}, retryDecider(profile, String(requestData.options.method ?? 'GET'), isIdempotentRequest(profile, requestData.options as IHttpRequestOptions)));
}

/**
 * For a vendor's own pagination functions (an asynchronous report queue, …): sends any routed request (the one
 * RoutingNode built, or one derived from it) with the credential resolved once, pacing, retries and error mapping,
 * and runs the request's postReceive steps.
 */
export async function createSender(this: IExecutePaginationFunctions, profile: VendorProfile) {
	const credential = await resolveCredentials.call(this, profile);
	return async (requestData: DeclarativeRestApiSettings.ResultOptions) => await sendWithRetry.call(this, profile, requestData, credential);
}

/**
 * With Continue On Fail (or the error output), the failing item becomes `{ json: {}, error }` as RoutingNode would make
 * it, plus the pairedItem RoutingNode leaves out: without it, a node after the error output cannot reach the input item
 * with `$('Trigger').item` (found by the Entrata flow's "free slots" branch).
 */
export function withItemErrors(fn: PaginationFn): PaginationFn {
	return async function (this: IExecutePaginationFunctions, requestData) {
		try {
			return await fn.call(this, requestData);
		} catch (caught) {
			const error = caught instanceof NodeApiError || caught instanceof NodeOperationError ? caught : new NodeOperationError(this.getNode(), caught as Error);
			if (!this.continueOnFail()) throw error;
			return [{ json: {}, error, pairedItem: { item: this.getItemIndex() } }];
		}
	};
}

/** Node-level pagination hook: a single request with retries (operations that do not list). */
export function singleRequest(profile: VendorProfile): PaginationFn {
	return withItemErrors(async function (this: IExecutePaginationFunctions, requestData) {
		return (await sendWithRetry.call(this, profile, requestData, await resolveCredentials.call(this, profile))).items;
	});
}

/** The number of records the node asks for: Infinity for Return All, else the validated Limit. */
function requestedLimit(this: IExecutePaginationFunctions): number {
	const returnAll = this.getNodeParameter('returnAll', false) as boolean;
	if (returnAll) return Number.POSITIVE_INFINITY;
	const limit = this.getNodeParameter('limit', 50) as number;
	if (!Number.isInteger(limit) || limit < 1) {
		throw new NodeOperationError(this.getNode(), `Limit must be a whole number of 1 or more (got ${limit})`);
	}
	return limit;
}

/**
 * List operations: Return All walks every page at the vendor's maximum page size; otherwise pages until `limit`
 * records are collected. `style` names one of the profile's `pagingStyles` (default: `profile.paging`).
 */
export function pagedRequest(profile: VendorProfile, style?: string): PaginationFn {
	const paging = style ? profile.pagingStyles?.[style] : profile.paging;
	if (!paging) throw new Error(`${profile.name}: no paging style "${style}"`);
	return withItemErrors(async function (this: IExecutePaginationFunctions, requestData) {
		const limit = requestedLimit.call(this);
		const qs = (requestData.options.qs = { ...(requestData.options.qs ?? {}) });
		const credential = await resolveCredentials.call(this, profile);
		const send = async () => await sendWithRetry.call(this, profile, requestData, credential);
		// A request of its own for one page (pages fetched concurrently must not share one query object).
		const sendPage: SendPage = async (pageQs) =>
			await sendWithRetry.call(this, profile, { ...requestData, options: { ...requestData.options, qs: { ...qs, ...pageQs } } }, credential);
		switch (paging.style) {
			case 'timeWindow':
				return await timeWindowPages.call(this, profile, paging, qs, send, limit);
			case 'envelope':
				return await envelopePages.call(this, paging, qs, send, limit);
			case 'linkHeader':
				requestData.options.headers = { ...(requestData.options.headers ?? {}), ...(paging.requestHeaders ?? {}) };
				return await linkHeaderPages(paging, qs, send, limit, sendPage);
			default:
				return await numberedPages(paging, sendPage, limit);
		}
	});
}

type Send = () => Promise<RoutedResult>;
type SendPage = (pageQs: IDataObject) => Promise<RoutedResult>;

/**
 * When the first page told how many pages there are: pages 1 … pages-1 (0 is the first, already fetched),
 * `concurrency` requests at a time, their items added to `results` in the vendor's order.
 */
async function remainingPages(results: INodeExecutionData[], pages: number, concurrency: number, pageQs: (page: number) => IDataObject, sendPage: SendPage) {
	const rest = Array.from({ length: Math.max(0, pages - 1) }, (_, i) => i + 1);
	for (const { items } of await mapBounded(rest, concurrency, async (page) => await sendPage(pageQs(page)))) results.push(...items);
}

/** Runs `task` over `inputs` with at most `concurrency` at once; results in input order. */
export async function mapBounded<I, O>(inputs: I[], concurrency: number, task: (input: I) => Promise<O>): Promise<O[]> {
	const results = new Array<O>(inputs.length);
	let next = 0;
	const worker = async () => {
		while (next < inputs.length) {
			const index = next++;
			results[index] = await task(inputs[index]);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, inputs.length)) }, worker));
	return results;
}

/**
 * Page number or offset. The page size stays constant across pages, because a page-number API shifts its page
 * boundaries when the size changes. With a total-count header (`totalHeader`), the first page says how many pages
 * there are and the rest are fetched concurrently; without one, pages are walked until a short page.
 */
async function numberedPages(paging: PageNumberPaging | OffsetPaging, sendPage: SendPage, limit: number) {
	const pageSize = Math.min(paging.maxPageSize, limit);
	const pageQs = (page: number): IDataObject =>
		paging.style === 'pageNumber'
			? { [paging.pageParameter]: paging.firstPage + page, [paging.sizeParameter]: pageSize }
			: { [paging.offsetParameter]: page * pageSize, [paging.limitParameter]: pageSize };
	const first = await sendPage(pageQs(0));
	const results: INodeExecutionData[] = [...first.items];
	const totalHeader = paging.style === 'offset' ? paging.totalHeader : undefined;
	const total = totalHeader ? Number(header(first.headers, totalHeader)) : Number.NaN;
	if (Number.isInteger(total) && total >= 0) {
		const pages = Math.ceil(Math.min(total, limit) / pageSize);
		await remainingPages(results, pages, (paging.style === 'offset' && paging.concurrency) || 1, pageQs, sendPage);
		return results.slice(0, limit);
	}
	for (let page = 1, last = first.items.length; last >= pageSize && results.length < limit; page++) {
		const { items } = await sendPage(pageQs(page));
		results.push(...items);
		last = items.length;
	}
	return results.slice(0, limit);
}

/**
 * Time windows (see TimeWindowPaging): the lower bound moves to the last record's timestamp; the boundary record,
 * which the inclusive bound returns again, is dropped by id. The user's own bounds (Created From/To) are kept as
 * the outer window.
 */
async function timeWindowPages(
	this: IExecutePaginationFunctions,
	profile: VendorProfile,
	paging: TimeWindowPaging,
	qs: IDataObject,
	send: Send,
	limit: number,
) {
	const seen = new Set<string>();
	const results: INodeExecutionData[] = [];
	let minPageSize = 1;
	for (;;) {
		// One more than still needed: the first record of every later window is the repeated boundary record.
		const pageSize = Math.min(paging.maxPageSize, Math.max(minPageSize, limit - results.length + (seen.size ? 1 : 0)));
		qs[paging.limitParameter] = pageSize;
		const { items, body } = await send();
		// Paging follows the raw records; the output is what the operation's postReceive steps kept of them.
		const records = profile.extractItems(body) ?? [];
		const fresh = new Set<string>();
		for (const record of records) {
			const id = String(record[paging.idField]);
			if (!seen.has(id)) fresh.add(id);
			seen.add(id);
		}
		results.push(...items.filter((item) => fresh.has(String(item.json[paging.idField]))));
		if (records.length < pageSize || results.length >= limit) break;
		const last = records[records.length - 1]?.[paging.timestampField];
		if (typeof last === 'string' && last !== qs[paging.afterParameter]) {
			qs[paging.afterParameter] = last;
			continue;
		}
		// The whole page shares the window's lower bound (records created at the same instant): ask for more at once.
		if (pageSize < paging.maxPageSize) {
			minPageSize = Math.min(paging.maxPageSize, pageSize * 2);
			continue;
		}
		throw new NodeOperationError(this.getNode(), `${profile.name} returned a full page that does not move the time window forward`, {
			description: `More than ${pageSize} records share the ${paging.timestampField} ${String(last)}, so paging by time cannot get past them. Narrow the date range.`,
		});
	}
	return results.slice(0, limit);
}

/** The query of the `rel="next"` target of an RFC 8288 Link header, or undefined. */
export function nextLinkQuery(link: string | undefined): URLSearchParams | undefined {
	if (!link) return undefined;
	for (const part of link.split(/,(?=\s*<)/)) {
		const m = /<([^>]*)>(.*)/.exec(part.trim());
		if (!m || !/;\s*rel="?([^";]*\s)?next(\s[^";]*)?"?/i.test(m[2])) continue;
		try {
			return new URL(m[1], 'http://link.invalid/').searchParams;
		} catch {
			return undefined;
		}
	}
	return undefined;
}

/**
 * Page numbers led by response headers (see LinkHeaderPaging): `Link rel="next"`, else `X-Total-Count`, else a full
 * page. The page size stays constant across pages.
 */
export async function linkHeaderPages(paging: LinkHeaderPaging, qs: IDataObject, send: Send, limit: number, sendPage?: SendPage) {
	const pageSize = Math.min(paging.maxPageSize, limit);
	const results: INodeExecutionData[] = [];
	let page = paging.firstPage;
	for (let guard = 0; results.length < limit && guard < 100_000; guard++) {
		qs[paging.pageParameter] = page;
		qs[paging.sizeParameter] = pageSize;
		const { items, headers } = await send();
		results.push(...items);
		const link = header(headers, 'link', true);
		const next = nextLinkQuery(link);
		if (link !== undefined && !next) break; // links were sent and none says "next": the last page
		const total = paging.totalCountHeader ? Number(header(headers, paging.totalCountHeader)) : Number.NaN;
		const nextPage = next ? Number(next.get(paging.pageParameter)) : page + 1;
		// The first page told how many there are, and the next one is simply the next number: the rest at once.
		const pages = Math.ceil(Math.min(total, limit) / pageSize);
		if (sendPage && (paging.concurrency ?? 1) > 1 && guard === 0 && nextPage === page + 1 && Number.isInteger(total) && pages > 1 && items.length) {
			const pageQs = (i: number): IDataObject => ({ [paging.pageParameter]: page + i, [paging.sizeParameter]: pageSize });
			await remainingPages(results, pages, paging.concurrency ?? 1, pageQs, sendPage);
			break;
		}
		if (next) {
			if (!Number.isInteger(nextPage) || nextPage <= page) break;
			page = nextPage;
			continue;
		}
		const fetched = (page - paging.firstPage + 1) * pageSize;
		if (Number.isFinite(total)) {
			if (fetched >= total || !items.length) break;
		} else if (items.length < pageSize) break;
		page++;
	}
	return results.slice(0, limit);
}

/** Dot-path lookup into a response body (`page.has_more`). */
function at(body: unknown, path: string): unknown {
	return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as IDataObject)[k] : undefined), body);
}

/**
 * Splits [start, end] into consecutive windows of at most `maxDays` (each ends 1 ms before the next starts, so no
 * instant is asked for twice or skipped). Values are ISO 8601; a value without an offset is taken as UTC.
 */
export function splitDateRange(start: string, end: string, maxDays: number): Array<{ start: string; end: string }> {
	const from = DateTime.fromISO(start, { zone: 'utc' });
	const to = DateTime.fromISO(end, { zone: 'utc' });
	if (!from.isValid || !to.isValid) throw new Error(`Start and End must be ISO 8601 date-times (got "${start}" and "${end}")`);
	if (to < from) throw new Error(`End (${end}) is before Start (${start})`);
	const windows: Array<{ start: string; end: string }> = [];
	for (let s = from; s <= to; s = s.plus({ days: maxDays })) {
		const e = DateTime.min(s.plus({ days: maxDays }).minus({ milliseconds: 1 }), to);
		windows.push({ start: s.toUTC().toISO()!, end: e.toUTC().toISO()! });
		if (e >= to) break;
	}
	return windows;
}

/**
 * Page numbers with a `has_more` envelope; with `dateRange`, over consecutive windows of at most `maxDays`
 * (RentEngine refuses a span over 32 days). Rows of aggregate reports that share `mergeBy` are added up.
 */
async function envelopePages(this: IExecutePaginationFunctions, paging: EnvelopePaging, qs: IDataObject, send: Send, limit: number) {
	let windows: Array<{ start: string; end: string } | undefined> = [undefined];
	if (paging.dateRange) {
		const { startParameter, endParameter, maxDays } = paging.dateRange;
		try {
			windows = splitDateRange(String(qs[startParameter] ?? ''), String(qs[endParameter] ?? ''), maxDays);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), (error as Error).message);
		}
	}
	const pageSize = Math.min(paging.maxPageSize, limit);
	const results: INodeExecutionData[] = [];
	for (const window of windows) {
		if (window && paging.dateRange) {
			qs[paging.dateRange.startParameter] = window.start;
			qs[paging.dateRange.endParameter] = window.end;
		}
		let page = paging.firstPage;
		while (results.length < limit) {
			qs[paging.pageParameter] = page;
			qs[paging.sizeParameter] = pageSize;
			const { items, body } = await send();
			results.push(...items);
			if (at(body, paging.hasMorePath) !== true) break;
			const next = paging.nextPagePath ? at(body, paging.nextPagePath) : undefined;
			page = typeof next === 'number' ? next : page + 1;
		}
		if (results.length >= limit) break;
	}
	return (paging.mergeBy ? mergeRows(results, paging.mergeBy) : results).slice(0, limit);
}

/** Adds up the numeric fields of rows that share `key` (an aggregate report fetched window by window). */
function mergeRows(items: INodeExecutionData[], key: string): INodeExecutionData[] {
	const byKey = new Map<string, INodeExecutionData>();
	for (const item of items) {
		const k = String(item.json[key]);
		const seen = byKey.get(k);
		if (!seen) {
			byKey.set(k, { ...item, json: { ...item.json } });
			continue;
		}
		for (const [field, value] of Object.entries(item.json)) {
			if (typeof value === 'number' && typeof seen.json[field] === 'number') seen.json[field] = (seen.json[field] as number) + value;
		}
	}
	return [...byKey.values()];
}

/** "Get" through a filtered list endpoint: exactly one record, or a 404-style error naming the ID. */
export function expectOne(resource: string, idParameter: string): PostReceiveFn {
	return async function (this: IExecuteSingleFunctions, items) {
		if (items.length) return items.slice(0, 1);
		const id = this.getNodeParameter(idParameter, '', { extractValue: true }) as string;
		throw new NodeApiError(this.getNode(), { message: 'Not found' } as JsonObject, {
			message: `No ${resource} with ID "${id}" was found`,
			description: 'Check the ID, and that the credential can see the account that owns it.',
			httpCode: '404',
		});
	};
}
