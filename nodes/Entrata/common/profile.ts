import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { entrataAuthType, entrataBaseUrl } from '../../../credentials/EntrataApi.credentials';
import {
	createXmlCodec,
	fromZonedText,
	isoCompanionName,
	type LinkHeaderPaging,
	type VendorErrorInfo,
	type VendorProfile,
} from '../../common/transport';

/** Entrata's dates are wall-clock text in Mountain Time (MST/MDT). */
export const ENTRATA_ZONE = 'America/Denver';

/** `page_no` (1-based) + `per_page` on the service URL; links and the total come back as headers. */
export const ENTRATA_PAGING: LinkHeaderPaging = {
	style: 'linkHeader',
	pageParameter: 'page_no',
	sizeParameter: 'per_page',
	firstPage: 1,
	maxPageSize: 500,
	requestHeaders: { 'X-Send-Pagination-Links': '1' },
	totalCountHeader: 'x-total-count',
	// A Return All of 10 000 leases is 20 pages of 500: after the first, 4 at a time (per-service budgets still paced).
	concurrency: 4,
};

/** XML as Entrata writes it: attributes are what its JSON calls `@attributes`. */
export const entrataXml = createXmlCodec({ attributesGroupName: '@attributes' });

const isObject = (v: unknown): v is IDataObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `customers` wraps `customer`, `properties` wraps `property`, `statuses` wraps `status`. */
export function isPluralOf(plural: string, singular: string): boolean {
	const p = plural.toLowerCase();
	const s = singular.toLowerCase();
	return p === `${s}s` || p === `${s}es` || (s.endsWith('y') && p === `${s.slice(0, -1)}ies`);
}

/**
 * Entrata's JSON and XML alike → plain records: `@attributes` merged into their object (an element's own fields win
 * over an attribute of the same name), and every plural/singular wrapper (`{customers: {customer: X}}`) turned into
 * a list (`{customers: [X…]}`) — a list even when Entrata sends one object, empty when it sends an empty wrapper.
 * With `zone`, every date text also gains its ISO 8601 companion (`createdOn` → `createdOnIso`).
 * One pass, in place: a parsed response is ours to reshape, and a Return All can be tens of megabytes.
 */
export function normalizeEntrata(value: unknown, zone?: string): unknown {
	if (Array.isArray(value)) {
		for (let i = 0; i < value.length; i++) value[i] = normalizeEntrata(value[i], zone);
		return value;
	}
	if (!isObject(value)) return value;
	const attributes = value['@attributes'];
	// Attributes first, then the element's own fields (a new object only for records that have attributes).
	const record: IDataObject = attributes === undefined ? value : isObject(attributes) ? Object.assign({}, attributes) : {};
	for (const key in value) {
		if (key === '@attributes') continue;
		let v = value[key] as unknown;
		if (typeof v === 'object' && v !== null) {
			if (!Array.isArray(v)) {
				let only: string | undefined;
				for (const k in v as IDataObject) {
					if (only !== undefined) {
						only = undefined;
						break;
					}
					only = k;
				}
				if (only !== undefined && key.length > only.length && isPluralOf(key, only)) {
					const inner = (v as IDataObject)[only];
					v = inner === '' || inner === null || inner === undefined ? [] : Array.isArray(inner) ? inner : [inner];
				}
			}
			v = normalizeEntrata(v, zone);
		}
		record[key] = v as IDataObject;
		if (zone && typeof v === 'string' && v.length >= 10 && v.charCodeAt(2) === 47) {
			const iso = fromZonedText(v, zone);
			if (iso !== undefined) {
				const name = isoCompanionName(key);
				if (!(name in record) && !(name in value)) record[name] = iso;
			}
		}
	}
	return record;
}

/** The records of a response: `response.result`'s one list, else the result itself as one record. */
export function entrataRecords(body: unknown): IDataObject[] | undefined {
	const response = isObject(body) ? body.response : undefined;
	if (!isObject(response)) return undefined;
	const result = normalizeEntrata(response.result, ENTRATA_ZONE);
	let records: unknown[];
	if (result === undefined || result === null || result === '') records = [];
	else if (Array.isArray(result)) records = result;
	else if (isObject(result)) {
		const keys = Object.keys(result);
		const only = keys.length === 1 ? result[keys[0]] : undefined;
		if (Array.isArray(only)) records = only;
		else if (keys.length === 1 && only === '') records = []; // an empty wrapper in XML: <customers/>
		else records = [result];
	} else records = [{ value: result }];
	return records.map((r) => (isObject(r) ? r : { value: r }) as IDataObject);
}

let requestSeq = 0;

/** The method an envelope names (JSON body or XML text), for logs and the idempotency rule. */
export function envelopeMethod(body: unknown): string | undefined {
	if (isObject(body) && isObject(body.method)) return String(body.method.name ?? '') || undefined;
	if (typeof body === 'string') return /<method>\s*<name>([^<]+)<\/name>/.exec(body)?.[1];
	return undefined;
}

/**
 * Entrata (API gateway or legacy host): one POST per service with the envelope `{auth, requestId, method}`; errors
 * `response.error {code, message}` with HTTP 200 or 4xx; `page_no`/`per_page` paging with `Link`/`X-Total-Count`;
 * `X-RateLimit-*` per service with several windows; JSON or XML on the wire (credential), the same items either way.
 */
export const entrataProfile: VendorProfile = {
	name: 'Entrata',
	credentialType: 'entrataApi',
	paging: ENTRATA_PAGING,
	rateLimitHeaders: { limit: 'x-ratelimit-limit', remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset', resetUnit: 'seconds' },
	// "Each API service has its own set of limits": a used-up /leases budget does not hold /leads.
	pacingScope: (options) => String(options.url ?? ''),
	// The gateway counts per organization and API key; the legacy host per subdomain and user.
	pacingIdentity: (credentials) => [
		entrataBaseUrl(credentials),
		entrataAuthType(credentials) === 'basic' ? String(credentials.username ?? '') : String(credentials.apiKey ?? ''),
	],
	extractError(body, statusCode): VendorErrorInfo | undefined {
		const response = isObject(body) ? body.response : undefined;
		const error = isObject(response) ? response.error : undefined;
		if (isObject(error)) {
			const message = typeof error.message === 'string' && error.message ? error.message : `Error ${String(error.code ?? statusCode)}`;
			return { message, code: error.code as string | number | undefined };
		}
		return statusCode >= 400 ? { message: `HTTP ${statusCode}` } : undefined;
	},
	extractItems: entrataRecords,
	prepareRequest(options: IHttpRequestOptions, credentials: ICredentialDataDecryptedObject): IHttpRequestOptions {
		const envelope = isObject(options.body) ? options.body : undefined;
		if (!envelope || !isObject(envelope.method)) return options;
		const body: IDataObject = {
			auth: { type: entrataAuthType(credentials) },
			requestId: envelope.requestId ?? `${Date.now().toString(36)}-${++requestSeq}`,
			method: envelope.method,
		};
		if (credentials.format !== 'xml') return { ...options, body };
		return {
			...options,
			json: false,
			body: entrataXml.encode({ request: body }),
			headers: { ...(options.headers ?? {}), 'Content-Type': 'APPLICATION/XML; CHARSET=UTF-8', Accept: 'application/xml' },
		};
	},
	parseResponse(response) {
		const { body, headers } = response;
		if (typeof body !== 'string' && !Buffer.isBuffer(body)) return body;
		const text = body.toString();
		const type = String(headers?.['content-type'] ?? '');
		// XML, also when a proxy mislabels it; a JSON text the HTTP helper could not parse is checked by checkResponse.
		if (/xml/i.test(type) || /^\s*</.test(text)) return entrataXml.decode(text);
		return text;
	},
	// Entrata reads with POST too: a cut-off read may be repeated, a send/update/… may not.
	isIdempotent(options) {
		return /^(get|search)/.test(envelopeMethod(options.body) ?? '');
	},
};
