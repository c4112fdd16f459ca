import { createHash, createHmac } from 'node:crypto';

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

import { buildiumBaseUrl } from '../../credentials/BuildiumApi.credentials';
import { vendorRequest } from '../common/transport';
import { secretsMatch, verifyWithCredential } from '../common/transport/webhookCredentials';
import { buildiumProfile } from './common/profile';
import { BUILDIUM_EVENT_ENTITIES, eventEntity } from './common/events';

const DEFAULT_TOLERANCE_S = 300;
/** Signatures remembered (in the workflow's static data) for replay detection; older than the window are dropped. */
const MAX_SEEN = 2_000;

/** base64(HMAC-SHA256(secret, timestamp + "." + body)), as Buildium's developer guide defines it. */
export function buildiumSignature(secret: string, timestamp: string, rawBody: Buffer | string): string {
	return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('base64');
}

const isRecord = (v: unknown): v is IDataObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Problems with a delivery body (empty when it is a Buildium event). */
export function validateBuildiumEvent(body: unknown): string[] {
	if (!isRecord(body)) return ['the body must be a JSON object'];
	const problems: string[] = [];
	if (typeof body.EventName !== 'string' || !/^[A-Za-z]+(\.[A-Za-z]+)*\.(Created|Updated|Deleted)$/.test(body.EventName)) {
		problems.push('"EventName" must name an event such as "Lease.Created"');
	}
	if (typeof body.EventDateTime !== 'string' || Number.isNaN(Date.parse(body.EventDateTime))) problems.push('"EventDateTime" must be a date-time');
	return problems;
}

/**
 * Records a delivery's signature in the workflow's static data (which n8n stores in its database after the webhook
 * answers, so every main / webhook-processor instance sees it) and says whether it was new. Signatures older than
 * the tolerance window are dropped: a delivery that old is refused by its timestamp anyway.
 */
function rememberSignature(staticData: IDataObject, signature: string, now: number, windowMs: number): boolean {
	const key = createHash('sha256').update(signature).digest('base64').slice(0, 22);
	const seen = Object.entries((staticData.seenSignatures as Record<string, number> | undefined) ?? {})
		.filter(([, at]) => at >= now - windowMs)
		.slice(-MAX_SEEN);
	if (seen.some(([k]) => k === key)) return false;
	seen.push([key, now]);
	staticData.seenSignatures = Object.fromEntries(seen);
	return true;
}

export class BuildiumTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Buildium Trigger',
		name: 'buildiumTrigger',
		icon: { light: 'file:../../icons/buildium.svg', dark: 'file:../../icons/buildium.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves exactly like 1: as for the RentEngine Trigger, it spares n8n the legacy Webhook-v1 expression
		// (`options.binaryData`) it evaluates on every delivery to a trigger whose typeVersion is 1.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["events"].length ? $parameter["events"].join(", ") : "all events"}}',
		description: 'Starts the workflow when Buildium sends a signed webhook event',
		defaults: { name: 'Buildium Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'buildiumApi', required: true }],
		// responseData '': n8n answers with the webhookResponse that webhook() returns (a small JSON body).
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'webhook' }],
		properties: [
			{
				displayName:
					'Buildium webhooks are set up in Buildium only (Settings › Developer Tools › Webhooks): paste this node\'s Production URL there, choose the events, and copy the signing secret Buildium shows into the credential\'s Webhook Signing Secret.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: BUILDIUM_EVENT_ENTITIES.flatMap((e) =>
					e.operations.map((op) => ({ name: `${e.entity}: ${op}`, value: `${e.prefix}.${op}` })),
				).sort((a, b) => a.name.localeCompare(b.name)),
				default: [],
				description: 'Which events start the workflow. Leave empty for every event the subscription sends.',
			},
			{
				displayName: 'Fetch Entity',
				name: 'fetchEntity',
				type: 'boolean',
				default: true,
				description:
					'Whether to fetch the record the event points at (e.g. the lease of a Lease.Created event) and output it under "entity". Deleted records and events without a lookup keep only the event.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Timestamp Tolerance (Seconds)',
						name: 'toleranceSeconds',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: DEFAULT_TOLERANCE_S,
						description:
							'Deliveries whose buildium-webhook-timestamp is further than this from now, in either direction, are refused (replay protection)',
					},
				],
			},
		],
	};

	// Buildium has no API for webhook subscriptions: activation only checks the credential can verify deliveries.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const credentials = await this.getCredentials('buildiumApi');
				if (!credentials.webhookSecret) {
					throw new NodeOperationError(this.getNode(), 'The Buildium credential has no Webhook Signing Secret', {
						description: 'Copy the signing secret from Buildium (Settings › Developer Tools › Webhooks) into the credential.',
					});
				}
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const response = this.getResponseObject();
		const headers = this.getHeaderData() as IDataObject;
		const refuse = (status: number, error: string, details?: string[]): IWebhookResponseData => {
			response.status(status).json(details ? { error, details } : { error });
			return { noWebhookResponse: true };
		};

		const timestamp = String(headers['buildium-webhook-timestamp'] ?? '');
		const signature = headers['buildium-webhook-signature'];
		if (!/^\d{9,11}$/.test(timestamp) || typeof signature !== 'string' || !signature) {
			return refuse(401, 'Unauthorized: missing buildium-webhook-timestamp or buildium-webhook-signature header');
		}
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const toleranceMs = Number(options.toleranceSeconds ?? DEFAULT_TOLERANCE_S) * 1000;
		const now = Date.now();
		if (Math.abs(now - Number(timestamp) * 1000) > toleranceMs) {
			return refuse(401, 'Unauthorized: buildium-webhook-timestamp is outside the accepted window');
		}

		// The signature covers the bytes Buildium sent (compact JSON); n8n keeps them as rawBody.
		const rawBody = (this.getRequestObject() as { rawBody?: Buffer }).rawBody;
		const body = this.getBodyData() as unknown;
		const signed = rawBody?.length ? rawBody : Buffer.from(JSON.stringify(body ?? {}));
		// The secret is read through a 10-second cache: n8n's credential read is most of a delivery's cost.
		const { ok, data: credentials } = await verifyWithCredential(this, 'buildiumApi', (c) => {
			const secret = String(c.webhookSecret ?? '');
			return Boolean(secret) && secretsMatch(signature, buildiumSignature(secret, timestamp, signed));
		});
		if (!ok) return refuse(401, 'Unauthorized: invalid buildium-webhook-signature');

		const problems = validateBuildiumEvent(body);
		if (problems.length) return refuse(400, 'Malformed Buildium webhook body', problems);
		const event = body as IDataObject;

		const events = this.getNodeParameter('events', []) as string[];
		if (events.length && !events.includes(String(event.EventName))) {
			return { webhookResponse: { received: true, ignored: true } };
		}
		if (!rememberSignature(this.getWorkflowStaticData('node'), signature, now, toleranceMs)) {
			// A byte-identical delivery already seen in the window: acknowledged, nothing started twice.
			return { webhookResponse: { received: true, duplicate: true } };
		}

		const json: IDataObject = { ...event };
		const entity = eventEntity(String(event.EventName));
		if (this.getNodeParameter('fetchEntity', true) && entity?.fetch && !String(event.EventName).endsWith('.Deleted')) {
			const missing = entity.ids.filter((id) => event[id] === undefined || event[id] === null);
			if (!missing.length) {
				const path = entity.fetch.replace(/\{(\w+)\}/g, (m, id: string) => encodeURIComponent(String(event[id])));
				try {
					// The credential the signature was checked with: n8n does not read it again for the lookup.
					json.entity = (await vendorRequest.call(
						this,
						buildiumProfile,
						{ method: 'GET', url: `${buildiumBaseUrl(credentials)}${path}` },
						credentials,
					)) as IDataObject;
				} catch (error) {
					// The event still starts the workflow (nothing is lost); the failed lookup is said, not hidden.
					json.entity = null;
					json.entityError = (error as Error).message;
				}
			}
		}
		return { workflowData: [this.helpers.returnJsonArray([json])], webhookResponse: { received: true } };
	}
}
