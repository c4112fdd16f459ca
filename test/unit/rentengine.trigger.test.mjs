// RentEngine Trigger's webhook(): secret check (401, no workflow data), body validation (400),
// table/event filters, the two output shapes and the delivery identifiers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { loadPackage } from '../harness/routing.mjs';

const SECRET = 'whsec-test-7d1e';

function fakeWebhookContext({ headers = {}, body, parameters = {}, secret = SECRET }) {
	const sent = { status: undefined, body: undefined };
	const params = { tables: [], events: ['INSERT', 'UPDATE', 'DELETE'], output: 'record', ...parameters };
	const raw = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
	return {
		sent,
		context: {
			getHeaderData: () => headers,
			getBodyData: () => body,
			getRequestObject: () => ({ rawBody: raw, headers, body }),
			getResponseObject: () => ({
				status(code) {
					sent.status = code;
					return this;
				},
				json(payload) {
					sent.body = payload;
					return this;
				},
				send(payload) {
					sent.body = payload;
					return this;
				},
				end() {
					return this;
				},
			}),
			getCredentials: async () => ({ apiToken: 'x', webhookSecret: secret }),
			getNodeParameter: (name, fallback) => params[name] ?? fallback,
			getNode: () => ({ name: 'RentEngine Trigger' }),
			helpers: { returnJsonArray: (data) => data.map((json) => ({ json })) },
		},
	};
}

const unitInsert = {
	type: 'INSERT',
	table: 'units',
	record: { id: 1201, status: 'Available', target_rental_rate: '1850' },
	old_record: null,
};
const unitUpdate = {
	type: 'UPDATE',
	table: 'units',
	record: { id: 1201, status: 'Leased', target_rental_rate: '1850', tags: ['a'] },
	old_record: { id: 1201, status: 'Available', target_rental_rate: '1850', tags: ['a'] },
};

async function call(options) {
	const { nodes } = await loadPackage();
	const { context, sent } = fakeWebhookContext(options);
	const result = await nodes.rentEngineTrigger.webhook.call(context);
	return { result, sent };
}

describe('authentication', () => {
	test('the right x-api-token starts the workflow with the record', async () => {
		const { result, sent } = await call({ headers: { 'x-api-token': SECRET }, body: unitInsert });
		assert.equal(sent.status, undefined);
		assert.deepEqual(result.workflowData, [[{ json: unitInsert.record }]]);
		assert.deepEqual(result.webhookResponse, { received: true }, 'acknowledged with a small JSON body');
	});

	test('version 1.1 is the default and behaves as 1 (it only spares n8n a legacy per-delivery expression)', async () => {
		const { nodes } = await loadPackage();
		const { description } = nodes.rentEngineTrigger;
		assert.deepEqual(description.version, [1, 1.1]);
		assert.equal(description.defaultVersion, 1.1);
	});

	for (const [label, headers] of [
		['missing', {}],
		['wrong', { 'x-api-token': 'whsec-test-7d1f' }],
		['a prefix of the secret', { 'x-api-token': SECRET.slice(0, -1) }],
		['empty', { 'x-api-token': '' }],
	]) {
		test(`a ${label} token gets 401 and starts nothing`, async () => {
			const { result, sent } = await call({ headers, body: unitInsert });
			assert.equal(sent.status, 401);
			assert.equal(result.workflowData, undefined);
			assert.equal(result.noWebhookResponse, true);
			assert.ok(!JSON.stringify(sent.body).includes(SECRET));
		});
	}

	test('without a configured secret every delivery is refused', async () => {
		const { result, sent } = await call({ headers: { 'x-api-token': '' }, body: unitInsert, secret: '' });
		assert.equal(sent.status, 401);
		assert.equal(result.workflowData, undefined);
	});
});

describe('malformed bodies get 400', () => {
	for (const [label, body] of [
		['not an object', 'hello'],
		['an array', [unitInsert]],
		['an unknown type', { ...unitInsert, type: 'UPSERT' }],
		['no table', { ...unitInsert, table: '' }],
		['INSERT without record', { ...unitInsert, record: null }],
		['DELETE without old_record', { type: 'DELETE', table: 'units', record: null, old_record: null }],
		['record not an object', { ...unitInsert, record: 'x' }],
	]) {
		test(label, async () => {
			const { result, sent } = await call({ headers: { 'x-api-token': SECRET }, body });
			assert.equal(sent.status, 400);
			assert.equal(result.workflowData, undefined);
			assert.ok(Array.isArray(sent.body.details) && sent.body.details.length > 0);
		});
	}
});

describe('filters and output', () => {
	test('an unselected table is acknowledged without starting the workflow', async () => {
		const { result, sent } = await call({ headers: { 'x-api-token': SECRET }, body: unitInsert, parameters: { tables: ['prospects'] } });
		assert.equal(sent.status, undefined);
		assert.equal(result.workflowData, undefined);
		assert.deepEqual(result.webhookResponse, { received: true, ignored: true });
	});

	test('an unselected event type is ignored', async () => {
		const { result } = await call({ headers: { 'x-api-token': SECRET }, body: unitUpdate, parameters: { events: ['INSERT'] } });
		assert.equal(result.workflowData, undefined);
	});

	test('DELETE outputs the old record in Record mode', async () => {
		const body = { type: 'DELETE', table: 'units', record: null, old_record: { id: 9 } };
		const { result } = await call({ headers: { 'x-api-token': SECRET }, body });
		assert.deepEqual(result.workflowData[0][0].json, { id: 9 });
	});

	test('Record With Changes lists changed fields and the delivery ID', async () => {
		const { result } = await call({
			headers: { 'x-api-token': SECRET, 'x-delivery-id': 'dlv-123' },
			body: unitUpdate,
			parameters: { output: 'recordWithChanges' },
		});
		const json = result.workflowData[0][0].json;
		assert.deepEqual(json.changedFields, ['status']);
		assert.equal(json.deliveryId, 'dlv-123');
		assert.equal(json.type, 'UPDATE');
		assert.deepEqual(json.old_record, unitUpdate.old_record);
		assert.match(json.payloadHash, /^[0-9a-f]{64}$/);
	});

	test('a retried delivery has the same delivery ID and payload hash', async () => {
		const options = { headers: { 'x-api-token': SECRET, 'x-delivery-id': 'dlv-9' }, body: unitUpdate, parameters: { output: 'recordWithChanges' } };
		const first = (await call(options)).result.workflowData[0][0].json;
		const second = (await call(options)).result.workflowData[0][0].json;
		assert.equal(first.deliveryId, second.deliveryId);
		assert.equal(first.payloadHash, second.payloadHash);
		const other = (await call({ ...options, body: unitInsert })).result.workflowData[0][0].json;
		assert.notEqual(other.payloadHash, first.payloadHash);
	});
});

describe('lifecycle is honest about the portal setup', () => {
	test('activation fails clearly without a webhook secret, succeeds with one', async () => {
		const { nodes } = await loadPackage();
		const methods = nodes.rentEngineTrigger.webhookMethods.default;
		const staticData = {};
		const hook = (secret) => ({
			getCredentials: async () => ({ webhookSecret: secret }),
			getNode: () => ({ name: 'RentEngine Trigger', type: 'rentEngineTrigger' }),
			getNodeWebhookUrl: () => 'http://127.0.0.1:5678/webhook/abc/webhook',
			getWorkflowStaticData: () => staticData,
		});
		assert.equal(await methods.checkExists.call(hook('s')), false);
		await assert.rejects(methods.create.call(hook('')), /no Webhook Secret/);
		assert.equal(await methods.create.call(hook('s')), true);
		assert.equal(staticData.webhookUrl, 'http://127.0.0.1:5678/webhook/abc/webhook');
		assert.equal(await methods.delete.call(hook('s')), true);
		assert.equal(staticData.webhookUrl, undefined);
	});
});
