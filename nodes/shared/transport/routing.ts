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

import type { VendorProfile } from './profile';
import { checkResponse, normalizeTransportError, retryDecider } from './request';
import { withRetry } from './retry';

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
		return body === response.body ? items : [{ json: body as IDataObject }];
	};
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
	credentialsDecrypted: ICredentialsDecrypted,
): Promise<INodeExecutionData[]> {
	const response = (await this.helpers.httpRequestWithAuthentication.call(
		this,
		profile.credentialType,
		// RoutingNode has resolved every expression in these options by now, as it assumes itself.
		{ ...requestData.options, returnFullResponse: true, ignoreHttpStatusErrors: true } as IHttpRequestOptions,
		{ credentialsDecrypted },
	)) as IN8nHttpFullResponse;
	if (!requestData.postReceive.length) {
		const body = response.body as IDataObject | IDataObject[];
		return Array.isArray(body) ? body.map((json) => ({ json })) : [{ json: body }];
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
	return items;
}

async function resolveCredentials(this: IExecutePaginationFunctions, profile: VendorProfile): Promise<ICredentialsDecrypted> {
	const data = await this.getCredentials(profile.credentialType);
	return { id: 'resolved', name: profile.credentialType, type: profile.credentialType, data };
}

/** Sends one routed request, retrying 429/503 (and, for idempotent methods, resets and cut bodies). */
async function sendWithRetry(
	this: IExecutePaginationFunctions,
	profile: VendorProfile,
	requestData: DeclarativeRestApiSettings.ResultOptions,
	credentials: ICredentialsDecrypted,
): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	return await withRetry(node, async () => {
		try {
			return await routedRequest.call(this, profile, requestData, credentials);
		} catch (error) {
			throw normalizeTransportError(node, profile, error);
		}
	}, retryDecider(profile, String(requestData.options.method ?? 'GET')));
}

/** Node-level pagination hook: a single request with retries (operations that do not list). */
export function singleRequest(profile: VendorProfile): PaginationFn {
	return async function (this: IExecutePaginationFunctions, requestData) {
		return await sendWithRetry.call(this, profile, requestData, await resolveCredentials.call(this, profile));
	};
}

/**
 * List operations: Return All walks every page at the vendor's maximum page size; otherwise pages
 * until `limit` records are collected. The page size stays constant across pages, because a
 * page-number API shifts its page boundaries when the size changes. Stops on a short page.
 */
export function pagedRequest(profile: VendorProfile): PaginationFn {
	return async function (this: IExecutePaginationFunctions, requestData) {
		const returnAll = this.getNodeParameter('returnAll', false) as boolean;
		const limit = returnAll ? Number.POSITIVE_INFINITY : (this.getNodeParameter('limit', 50) as number);
		if (!returnAll && (!Number.isInteger(limit) || limit < 1)) {
			throw new NodeOperationError(this.getNode(), `Limit must be a whole number of 1 or more (got ${limit})`);
		}
		const { paging } = profile;
		const pageSize = Math.min(paging.maxPageSize, limit);
		const qs = (requestData.options.qs = { ...(requestData.options.qs ?? {}) });
		const results: INodeExecutionData[] = [];
		const credentials = await resolveCredentials.call(this, profile);
		for (let page = 0; results.length < limit; page++) {
			if (paging.style === 'pageNumber') {
				qs[paging.pageParameter] = paging.firstPage + page;
				qs[paging.sizeParameter] = pageSize;
			} else {
				qs[paging.offsetParameter] = page * pageSize;
				qs[paging.limitParameter] = pageSize;
			}
			const items = await sendWithRetry.call(this, profile, requestData, credentials);
			results.push(...items);
			if (items.length < pageSize) break;
		}
		return results.slice(0, limit);
	};
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
