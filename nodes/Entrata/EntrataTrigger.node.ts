import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { entrataBaseUrl } from '../../credentials/EntrataApi.credentials';
import { linkHeaderPages, toZonedText, vendorResponse, zonedTextToMillis } from '../common/transport';
import { ENTRATA_PAGING, ENTRATA_ZONE, entrataProfile, entrataRecords } from './common/profile';

/** What each event polls, how a record is identified, and which timestamp moves the cursor. */
interface EventSource {
	service: string;
	method: string;
	version: string;
	/** Record ID field (after `@attributes` are flattened). */
	id: string;
	/** `MM/DD/YYYY[THH:MM:SS]` field in Mountain Time that orders the records for this event. */
	stamp: string;
	/** Server-side date filter on `stamp`, by Denver date (inclusive), when the method has one. */
	window?: { from: string; to: string };
	/** An update is a new (id, stamp) pair; a creation is a new id. */
	updates: boolean;
	label: string;
}

export const ENTRATA_EVENTS: Record<string, EventSource> = {
	newLead: { service: 'leads', method: 'getLeads', version: 'r1', id: 'applicationId', stamp: 'createdOn', window: { from: 'createdOnDateFrom', to: 'createdOnDateTo' }, updates: false, label: 'lead' },
	leadUpdated: { service: 'leads', method: 'getLeads', version: 'r1', id: 'applicationId', stamp: 'updatedOn', window: { from: 'fromDate', to: 'toDate' }, updates: true, label: 'lead' },
	newWorkOrder: { service: 'maintenance', method: 'getWorkOrders', version: 'r1', id: 'id', stamp: 'createdOn', window: { from: 'createdOnFromDate', to: 'createdOnToDate' }, updates: false, label: 'work order' },
	workOrderUpdated: { service: 'maintenance', method: 'getWorkOrders', version: 'r1', id: 'id', stamp: 'updatedOn', window: { from: 'lastUpdatedOnFromDate', to: 'lastUpdatedOnToDate' }, updates: true, label: 'work order' },
	newLease: { service: 'leases', method: 'getLeases', version: 'r2', id: 'id', stamp: 'createdOn', updates: false, label: 'lease' },
	leaseUpdated: { service: 'leases', method: 'getLeases', version: 'r2', id: 'id', stamp: 'updatedOn', updates: true, label: 'lease' },
	newApplication: { service: 'applications', method: 'getCompanyApplications', version: 'r1', id: 'applicationId', stamp: 'createdOn', updates: false, label: 'application' },
};

/** Per property: the newest timestamp seen, and the keys seen within the overlap before it. */
interface PropertyState {
	cursor: number;
	seen: Record<string, number>;
}

interface TriggerState {
	event?: string;
	properties?: Record<string, PropertyState>;
}

const DAY_MS = 86_400_000;

function propertyIdsOf(raw: unknown): string[] {
	const list = (Array.isArray(raw) ? raw : String(raw ?? '').split(',')).map((v) => String(v).trim()).filter(Boolean);
	return [...new Set(list)];
}

/** Every record of one event source for one property, newest timestamps included, all pages. */
async function fetchRecords(this: IPollFunctions, source: EventSource, propertyId: string, sinceMs: number | undefined): Promise<IDataObject[]> {
	const credentials = await this.getCredentials('entrataApi');
	const params: IDataObject = { propertyId: Number.isNaN(Number(propertyId)) ? propertyId : Number(propertyId) };
	if (source.window && sinceMs !== undefined) {
		params[source.window.from] = toZonedText(sinceMs, ENTRATA_ZONE, 'date') as string;
		// A day ahead: Entrata's clock (or the record's wall time) may run ahead of ours.
		params[source.window.to] = toZonedText(Date.now() + DAY_MS, ENTRATA_ZONE, 'date') as string;
	}
	// The node's own pager (Link rel="next", else X-Total-Count, else a short page), fed by programmatic requests
	// with the credential read once per poll.
	const qs: IDataObject = {};
	const send = async () => {
		const response = await vendorResponse.call(
			this,
			entrataProfile,
			{
				method: 'POST',
				baseURL: entrataBaseUrl(credentials),
				url: `/${source.service}`,
				qs: { ...qs },
				headers: { Accept: 'application/json', 'Content-Type': 'application/json; charset=utf-8', ...ENTRATA_PAGING.requestHeaders },
				body: { auth: { type: 'apikey' }, method: { name: source.method, version: source.version, params } },
			},
			credentials,
		);
		const records = entrataRecords(response.body) ?? [];
		return { items: records.map((json) => ({ json })), body: response.body, headers: (response.headers ?? {}) as Record<string, unknown> };
	};
	return (await linkHeaderPages(ENTRATA_PAGING, qs, send, Number.POSITIVE_INFINITY)).map((item) => item.json);
}

export class EntrataTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Entrata Trigger',
		name: 'entrataTrigger',
		icon: { light: 'file:../../icons/entrata.svg', dark: 'file:../../icons/entrata.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description: 'Starts the workflow when Entrata has a new or updated lead, work order, lease or application (polling)',
		defaults: { name: 'Entrata Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'entrataApi', required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Lead Updated', value: 'leadUpdated' },
					{ name: 'Lease Updated', value: 'leaseUpdated' },
					{ name: 'New Application', value: 'newApplication' },
					{ name: 'New Lead', value: 'newLead' },
					{ name: 'New Lease', value: 'newLease' },
					{ name: 'New Work Order', value: 'newWorkOrder' },
					{ name: 'Work Order Updated', value: 'workOrderUpdated' },
				],
				default: 'newLead',
			},
			{
				displayName: 'Property IDs',
				name: 'propertyIds',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. 100,101',
				description: 'Comma-separated Entrata property IDs to watch',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Emit Existing Records on First Poll',
						name: 'emitExisting',
						type: 'boolean',
						default: false,
						description: 'Whether the first poll after activation emits the records already there (by default it only remembers them)',
					},
					{
						displayName: 'Overlap (Minutes)',
						name: 'overlapMinutes',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 120,
						description:
							'How far back each poll looks again before the newest record seen, to catch records whose Mountain Time timestamps arrive late or out of order (clock skew). Records seen before are not emitted again.',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const eventName = this.getNodeParameter('event') as string;
		const source = ENTRATA_EVENTS[eventName];
		if (!source) throw new NodeOperationError(this.getNode(), `Unknown event "${eventName}"`);
		const propertyIds = propertyIdsOf(this.getNodeParameter('propertyIds'));
		if (!propertyIds.length) throw new NodeOperationError(this.getNode(), 'Enter at least one property ID');
		const options = this.getNodeParameter('options', {}) as { emitExisting?: boolean; overlapMinutes?: number };
		const overlapMs = Math.max(0, Number(options.overlapMinutes ?? 120)) * 60_000;
		const stampOf = (record: IDataObject) => zonedTextToMillis(record[source.stamp], ENTRATA_ZONE);
		const keyOf = (record: IDataObject) => `${String(record[source.id])}${source.updates ? `|${String(record[source.stamp])}` : ''}`;

		if (this.getMode() === 'manual') {
			// "Fetch test event": the newest record, and nothing remembered.
			let newest: IDataObject | undefined;
			for (const propertyId of propertyIds) {
				for (const record of await fetchRecords.call(this, source, propertyId, undefined)) {
					if (!newest || stampOf(record) > stampOf(newest)) newest = record;
				}
			}
			return newest ? [[{ json: newest }]] : null;
		}

		// Static data, never process memory: the state survives restarts and moves between queue-mode workers.
		const state = this.getWorkflowStaticData('node') as TriggerState;
		// A new object, assigned to the static data at the end: n8n notices changes only through its own proxies, and an
		// object added during this process's life is not one, so mutating it in place would not be saved (a restart
		// then emitted the last records again).
		const properties: Record<string, PropertyState> = state.event === eventName ? { ...(state.properties ?? {}) } : {};
		const out: INodeExecutionData[] = [];
		for (const propertyId of propertyIds) {
			const known = properties[propertyId];
			const floor = known ? known.cursor - overlapMs : undefined;
			const records = await fetchRecords.call(this, source, propertyId, floor);
			const next: PropertyState = { cursor: known?.cursor ?? Number.NEGATIVE_INFINITY, seen: { ...(known?.seen ?? {}) } };
			const fresh: Array<{ record: IDataObject; stamp: number }> = [];
			for (const record of records) {
				const stamp = stampOf(record);
				if (!Number.isFinite(stamp) || record[source.id] === undefined) continue;
				if (floor !== undefined && stamp < floor) continue; // seen long ago, or outside the window
				const key = keyOf(record);
				if (next.seen[key] !== undefined) continue;
				next.seen[key] = stamp;
				next.cursor = Math.max(next.cursor, stamp);
				if (known || options.emitExisting) fresh.push({ record, stamp });
			}
			if (!Number.isFinite(next.cursor)) next.cursor = Date.now();
			// Forget keys that fell out of the overlap: the window filter above keeps them out from now on.
			for (const [key, stamp] of Object.entries(next.seen)) if (stamp < next.cursor - overlapMs) delete next.seen[key];
			properties[propertyId] = next;
			fresh.sort((a, b) => a.stamp - b.stamp);
			out.push(...fresh.map(({ record }) => ({ json: record })));
		}
		state.event = eventName;
		state.properties = properties;
		return out.length ? [out] : null;
	}
}
