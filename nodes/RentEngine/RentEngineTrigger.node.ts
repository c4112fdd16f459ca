import { createHash } from 'node:crypto';

import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { secretsMatch, verifyWithCredential } from '../common/transport/webhookCredentials';

/** Tables RentEngine's database webhooks can report on (the docs confirm `units`; the rest follow the brief). */
const TABLES = [
	'floorplans',
	'leasing_events',
	'lockbox_events',
	'lockboxes',
	'multifamily_properties',
	'prospects',
	'showings',
	'units',
];
const EVENT_TYPES = ['INSERT', 'UPDATE', 'DELETE'];
/** Headers that may carry a delivery ID (RentEngine's is undocumented; a retry repeats the same one). */
const DELIVERY_ID_HEADERS = ['x-delivery-id', 'webhook-id', 'x-webhook-id', 'x-request-id'];

interface RentEngineEvent {
	type: string;
	table: string;
	record: IDataObject | null;
	old_record: IDataObject | null;
}

const isRecord = (v: unknown): v is IDataObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Returns the problems with a webhook body (empty when it is a valid `{type, table, record, old_record}`). */
export function validateEvent(body: unknown): string[] {
	if (!isRecord(body)) return ['the body must be a JSON object'];
	const problems: string[] = [];
	if (!EVENT_TYPES.includes(String(body.type))) problems.push(`"type" must be one of ${EVENT_TYPES.join(', ')}`);
	if (typeof body.table !== 'string' || !body.table) problems.push('"table" must be a non-empty string');
	for (const key of ['record', 'old_record']) {
		if (body[key] !== null && body[key] !== undefined && !isRecord(body[key])) problems.push(`"${key}" must be an object or null`);
	}
	if ((body.type === 'INSERT' || body.type === 'UPDATE') && !isRecord(body.record)) problems.push(`${String(body.type)} events need a "record" object`);
	if (body.type === 'DELETE' && !isRecord(body.old_record)) problems.push('DELETE events need an "old_record" object');
	return problems;
}

/** Top-level fields whose value differs between old_record and record (deep compare via JSON). */
export function changedFields(event: RentEngineEvent): string[] {
	const before = event.old_record ?? {};
	const after = event.record ?? {};
	const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
	return keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

export class RentEngineTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RentEngine Trigger',
		name: 'rentEngineTrigger',
		icon: { light: 'file:../../icons/rentengine.svg', dark: 'file:../../icons/rentengine.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves exactly like 1. It exists because n8n 2.41 evaluates a legacy Webhook-v1 expression
		// (`options.binaryData`) on every delivery to any trigger whose typeVersion is 1; from 1.1 on it does not,
		// which roughly doubles the rate at which deliveries (forged ones included) are answered.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{($parameter["tables"].length ? $parameter["tables"].join(", ") : "all tables") + ": " + $parameter["events"].join(", ")}}',
		description: 'Starts the workflow when RentEngine sends a webhook for a created, updated or deleted record',
		defaults: { name: 'RentEngine Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'rentEngineApi', required: true }],
		// responseData '' (not n8n's default 'firstEntryJson', which it would send as literal text): n8n then answers
		// with the webhookResponse that webhook() returns.
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'webhook' }],
		properties: [
			{
				displayName:
					'RentEngine webhooks are set up in its developer portal, not through the API: paste this node\'s Production URL there and set the x-api-token value to the Webhook Secret stored in the credential.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Tables',
				name: 'tables',
				type: 'multiOptions',
				options: TABLES.map((t) => ({ name: t.replace(/_/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase()), value: t })),
				default: [],
				description: 'Which tables start the workflow. Leave empty for all tables.',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{ name: 'Delete', value: 'DELETE' },
					{ name: 'Insert', value: 'INSERT' },
					{ name: 'Update', value: 'UPDATE' },
				],
				default: ['INSERT', 'UPDATE', 'DELETE'],
				description: 'Which kinds of change start the workflow',
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				options: [
					{
						name: 'Record',
						value: 'record',
						description: 'The record as it is now (as it was, for deletions)',
					},
					{
						name: 'Record With Changes',
						value: 'recordWithChanges',
						description: 'Event type, table, record, old record, changed fields and delivery ID',
					},
				],
				default: 'record',
			},
		],
	};

	// RentEngine has no API for webhook subscriptions, so there is nothing to create remotely:
	// activation only checks that the credential can authenticate deliveries.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const credentials = await this.getCredentials('rentEngineApi');
				if (!credentials.webhookSecret) {
					throw new NodeOperationError(
						this.getNode(),
						'The RentEngine credential has no Webhook Secret',
						{ description: 'Set Webhook Secret in the credential to the x-api-token value configured in RentEngine, so deliveries can be verified.' },
					);
				}
				this.getWorkflowStaticData('node').webhookUrl = this.getNodeWebhookUrl('default');
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				delete this.getWorkflowStaticData('node').webhookUrl;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const response = this.getResponseObject();
		const headers = this.getHeaderData() as IDataObject;
		// The secret is read through a 10-second cache: n8n's credential read is most of a delivery's cost.
		const token = headers['x-api-token'];
		const verified = typeof token === 'string' && token
			? await verifyWithCredential(this, 'rentEngineApi', (c) => secretsMatch(token, String(c.webhookSecret ?? '')))
			: { ok: false };
		if (!verified.ok) {
			response.status(401).json({ error: 'Unauthorized: missing or invalid x-api-token header' });
			return { noWebhookResponse: true };
		}

		const body = this.getBodyData() as unknown;
		const problems = validateEvent(body);
		if (problems.length) {
			response.status(400).json({ error: 'Malformed RentEngine webhook body', details: problems });
			return { noWebhookResponse: true };
		}
		const event = body as RentEngineEvent;

		const tables = this.getNodeParameter('tables', []) as string[];
		const events = this.getNodeParameter('events', []) as string[];
		if ((tables.length && !tables.includes(event.table)) || !events.includes(event.type)) {
			// Acknowledged so RentEngine does not retry, but no execution starts.
			return { webhookResponse: { received: true, ignored: true } };
		}

		const headerId = DELIVERY_ID_HEADERS.map((h) => headers[h]).find((v) => typeof v === 'string' && v);
		const rawBody = (this.getRequestObject() as { rawBody?: Buffer }).rawBody;
		const payloadHash = createHash('sha256')
			.update(rawBody?.length ? rawBody : Buffer.from(JSON.stringify(body)))
			.digest('hex');

		const output = this.getNodeParameter('output', 'record') as string;
		const json: IDataObject =
			output === 'record'
				? ((event.record ?? event.old_record) as IDataObject)
				: {
						type: event.type,
						table: event.table,
						record: event.record,
						old_record: event.old_record,
						changedFields: changedFields(event),
						deliveryId: (headerId as string | undefined) ?? null,
						payloadHash,
					};
		// Acknowledged with a small JSON body (n8n would otherwise answer with the text of its response-data setting).
		return { workflowData: [this.helpers.returnJsonArray([json])], webhookResponse: { received: true } };
	}
}
