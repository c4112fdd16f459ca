import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { RENTENGINE_PRODUCTION_URL, RENTENGINE_STAGING_URL } from '../../../credentials/RentEngineApi.credentials';

import type { EnvelopePaging, VendorProfile, VendorErrorInfo } from '../../common/transport';

interface AjvDetail {
	dataPath?: string;
	instancePath?: string;
	message?: string;
}

/** Calls, messages and reports: page numbers inside `{data, page: {has_more, next_page_number}}`, limit ≤ 2000. */
const ENVELOPE: EnvelopePaging = {
	style: 'envelope',
	pageParameter: 'page_number',
	sizeParameter: 'limit',
	firstPage: 0,
	maxPageSize: 2000,
	dataPath: 'data',
	hasMorePath: 'page.has_more',
	nextPagePath: 'page.next_page_number',
};
/** Reports refuse a span over 32 days: longer ranges are fetched window by window. */
const REPORT_RANGE = { startParameter: 'start', endParameter: 'end', maxDays: 32 };

/** RentEngine: bearer token, page_number (0-based) + limit ≤ 100, errors `{error, details[]}` (ajv). */
export const rentEngineProfile: VendorProfile = {
	name: 'RentEngine',
	credentialType: 'rentEngineApi',
	paging: { style: 'pageNumber', pageParameter: 'page_number', sizeParameter: 'limit', firstPage: 0, maxPageSize: 100 },
	// Field reports (README, "What is confirmed"): prospects page by creation-time window; calls, messages and the
	// reports by page number inside a `{data, page: {has_more, next_page_number}}` envelope; reports span ≤ 32 days.
	pagingStyles: {
		timeWindow: {
			style: 'timeWindow',
			afterParameter: 'created_after',
			beforeParameter: 'created_before',
			limitParameter: 'limit',
			maxPageSize: 100,
			timestampField: 'created_at',
			idField: 'id',
		},
		envelope: ENVELOPE,
		reportRows: { ...ENVELOPE, dateRange: REPORT_RANGE },
		reportBySource: { ...ENVELOPE, dateRange: REPORT_RANGE, mergeBy: 'source_key' },
	},
	// `X-Ratelimit-Limit: 30` is sent live; the reset header's unit is not reported, seconds-until-reset assumed.
	rateLimitHeaders: { limit: 'x-ratelimit-limit', remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset', resetUnit: 'seconds' },
	// The budget belongs to the API token on its host.
	pacingIdentity: (credentials) => [rentEngineBaseUrl(credentials), String(credentials.apiToken ?? '')],
	extractError(body, statusCode): VendorErrorInfo | undefined {
		const error = (body as IDataObject | undefined)?.error;
		if (statusCode < 400 && typeof error !== 'string') return undefined;
		if (typeof error !== 'string') return statusCode >= 400 ? { message: `HTTP ${statusCode}` } : undefined;
		const details = ((body as IDataObject).details as AjvDetail[] | undefined) ?? [];
		return {
			message: error,
			details: Array.isArray(details)
				? details.map((d) => `${d.dataPath ?? d.instancePath ?? ''} ${d.message ?? ''}`.trim()).filter(Boolean)
				: undefined,
		};
	},
	// The public docs do not show the list envelope (the RentEngine guide §1.2; README "What is confirmed"): accept both.
	extractItems(body) {
		if (Array.isArray(body)) return body as IDataObject[];
		const data = (body as IDataObject | undefined)?.data;
		return Array.isArray(data) ? (data as IDataObject[]) : undefined;
	},
};

/** Same rule as the credential's RENTENGINE_BASE_URL expression, for programmatic requests. */
export function rentEngineBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const base = String(credentials.baseUrl || '') ||
		(credentials.environment === 'staging' ? RENTENGINE_STAGING_URL : RENTENGINE_PRODUCTION_URL);
	return base.replace(/\/+$/, '');
}
