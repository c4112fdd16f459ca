/** Entrata's instances of the shared routing hooks, and the envelope and report-queue steps the generated descriptions use. */
import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type DeclarativeRestApiSettings,
	type IDataObject,
	type IExecutePaginationFunctions,
	type IExecuteSingleFunctions,
	type IHttpRequestOptions,
	type INodeExecutionData,
} from 'n8n-workflow';

import {
	createSender,
	listItems,
	pagedRequest,
	parseUserDate,
	responseCheck,
	singleRequest,
	toZonedText,
	transportContext,
	type ZonedFormat,
} from '../../common/transport';
import { ENTRATA_ZONE, entrataProfile } from './profile';

export const check = responseCheck(entrataProfile);
export const list = listItems(entrataProfile);
export const paged = pagedRequest(entrataProfile);
export const pagedBy = (style: string) => pagedRequest(entrataProfile, style);
export const single = singleRequest(entrataProfile);

const isObject = (v: unknown): v is IDataObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Dates inside structured params (the sendLeads prospects tree, …): a field named `…Date`/`…DateTime` holding an ISO
 * 8601 value is sent as Entrata text in Mountain Time, with the time when the value has one.
 */
export function zonedNestedDates(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(zonedNestedDates);
	if (!isObject(value)) return value;
	const out: IDataObject = {};
	for (const [key, v] of Object.entries(value)) {
		if (typeof v === 'string' && /date(time)?$/i.test(key) && ISO_DATE.test(v.trim())) {
			out[key] = toZonedText(v, ENTRATA_ZONE, /[T ]\d{2}:\d{2}/.test(v) ? 'dateTime' : 'date') as string;
		} else out[key] = zonedNestedDates(v) as IDataObject;
	}
	return out;
}

/**
 * preSend of every operation: the envelope `{auth, requestId, method: {name, version, params}}` around the params the
 * fields put in `method.params`, the version field's choice (else the method's newest), and date params in Entrata's
 * format and zone. `auth.type` and `requestId` are completed from the credential by the profile's prepareRequest.
 */
export function rpc(
	name: string,
	version: string,
	dates: Record<string, ZonedFormat> = {},
	versions?: Record<string, string[]>,
) {
	return async function (this: IExecuteSingleFunctions, options: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const body = isObject(options.body) ? options.body : {};
		const method = isObject(body.method) ? body.method : {};
		const chosen = (method.version as string) || version;
		const params = zonedNestedDates(isObject(method.params) ? method.params : {}) as IDataObject;
		const accepted = versions?.[chosen];
		const foreign = accepted ? Object.keys(params).filter((p) => !accepted.includes(p)) : [];
		if (foreign.length) {
			throw new NodeOperationError(this.getNode(), `${name} ${chosen} does not take ${foreign.join(', ')}`, {
				description: `Remove ${foreign.length > 1 ? 'these fields' : 'this field'} or pick the version that takes ${foreign.length > 1 ? 'them' : 'it'}.`,
			});
		}
		for (const [param, format] of Object.entries(dates)) {
			const value = params[param];
			if (value === undefined || value === null || value === '') continue;
			if (!parseUserDate(value, ENTRATA_ZONE)) {
				throw new NodeOperationError(this.getNode(), `"${param}" is not a date: ${String(value)}`, {
					description: 'Use an n8n date-time, an ISO 8601 value (2024-03-10 or 2024-03-10T14:05:00-06:00) or Entrata text (03/10/2024).',
				});
			}
			params[param] = toZonedText(value, ENTRATA_ZONE, format) as string;
		}
		return {
			...options,
			body: { auth: { type: 'apikey' }, method: { name, version: chosen, params } },
		};
	};
}

/** First wait between queue polls; doubles up to QUEUE_MAX_DELAY_MS. */
export const QUEUE_FIRST_DELAY_MS = 500;
const QUEUE_MAX_DELAY_MS = 10_000;
/** Entrata's "queued response not ready yet". */
const NOT_READY = 310;

/**
 * Pagination of reports/getReportData: the call answers `{queueId}`; `queue/getResponse` is polled with backoff while
 * Entrata answers code 310, until the rows are there or the Wait Timeout passes.
 */
export async function reportQueue(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const send = await createSender.call(this, entrataProfile);
	const first = await send(requestData);
	const result = (first.body as IDataObject | undefined)?.response as IDataObject | undefined;
	const queueId = isObject(result?.result) ? (result.result as IDataObject).queueId : undefined;
	if (queueId === undefined || queueId === '') return first.items; // answered at once
	const timeoutSeconds = Number(this.getNodeParameter('additionalFields.waitTimeout', 300));
	const deadline = Date.now() + Math.max(0, timeoutSeconds) * 1000;
	const envelope = (requestData.options.body ?? {}) as IDataObject;
	const serviceName = String((envelope.method as IDataObject | undefined)?.name ?? 'getReportData');
	const poll: DeclarativeRestApiSettings.ResultOptions = {
		...requestData,
		options: {
			...requestData.options,
			url: '/queue',
			qs: {},
			body: { auth: { type: 'apikey' }, method: { name: 'getResponse', version: 'r1', params: { queueId, serviceName } } },
		},
	};
	for (let delay = QUEUE_FIRST_DELAY_MS; ; delay = Math.min(delay * 2, QUEUE_MAX_DELAY_MS)) {
		if (Date.now() + delay > deadline) {
			throw new NodeOperationError(this.getNode(), `The Entrata report was not ready within ${timeoutSeconds} s`, {
				description: `Its queue ID is ${String(queueId)}: fetch it later with Queue → Get Response (service name ${serviceName}), or raise the Wait Timeout.`,
			});
		}
		await sleep(delay);
		const outcome = await send(poll).then(
			(page) => ({ items: page.items, error: undefined }),
			(error: unknown) => ({ items: undefined, error }),
		);
		if (outcome.items) return outcome.items;
		if (Number(transportContext(outcome.error)?.vendorCode) !== NOT_READY) {
			throw outcome.error instanceof NodeApiError || outcome.error instanceof NodeOperationError
				? outcome.error
				: new NodeOperationError(this.getNode(), outcome.error as Error);
		}
	}
}
