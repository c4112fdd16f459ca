// Runs a compiled declarative node through n8n-core's real RoutingNode, the engine n8n itself uses
// for declarative nodes, with a credentials helper that applies `authenticate` the way n8n's CLI
// does (generic headers/qs/body/auth resolved as expressions against `$credentials`).
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core touches the user folder and wants an encryption key when it loads.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-test-'));
process.env.N8N_ENCRYPTION_KEY ??= 'test-encryption-key';

const require = createRequire(import.meta.url);
// CommonJS builds: n8n-workflow's ESM build uses extensionless imports Node cannot resolve.
const { Workflow, NodeHelpers } = require('n8n-workflow');

const { ExecuteContext, RoutingNode, LoadOptionsContext, PollContext } = require('n8n-core');

const packageRoot = new URL('../../', import.meta.url).pathname;
let loaded;

/**
 * Loads the built package exactly as n8n loads a community package: n8n-core's
 * PackageDirectoryLoader reads package.json's `n8n` section and the dist/ files it lists (and adds
 * the automatic Request Options to declarative nodes).
 */
export async function loadPackage() {
	if (!loaded) {
		const { PackageDirectoryLoader } = require('n8n-core');
		const loader = new PackageDirectoryLoader(packageRoot);
		await loader.loadAll();
		loaded = {
			packageName: loader.packageName,
			nodes: Object.fromEntries(Object.entries(loader.nodeTypes).map(([name, { type }]) => [name, type])),
			credentials: Object.fromEntries(Object.entries(loader.credentialTypes).map(([name, { type }]) => [name, type])),
		};
	}
	return loaded;
}

function resolveExpression(workflow, node, value, credentials) {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	return workflow.expression.getParameterValue(value, null, 0, 0, node.name, [], 'internal', { $credentials: credentials }, undefined, false);
}

/** Port of n8n CLI CredentialsHelper.authenticate for the generic and function forms. */
export function makeCredentialsHelper(credentialTypes, credentialData) {
	return {
		getParentTypes: () => [],
		isCredentialUsableByNode: () => true,
		async getDecrypted(_additionalData, _nodeCredentials, type) {
			if (!credentialData[type]) throw new Error(`No test credential of type ${type}`);
			return structuredClone(credentialData[type]);
		},
		async preAuthentication() {
			return undefined;
		},
		async authenticate(credentials, typeName, requestOptions, workflow, node) {
			const authenticate = credentialTypes[typeName]?.authenticate;
			if (!authenticate) return requestOptions;
			if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
			for (const part of ['headers', 'qs', 'body', 'auth']) {
				const values = authenticate.properties[part];
				if (!values) continue;
				requestOptions[part] ??= {};
				for (const [key, value] of Object.entries(values)) {
					requestOptions[part][resolveExpression(workflow, node, key, credentials)] = resolveExpression(workflow, node, value, credentials);
				}
			}
			return requestOptions;
		},
		getCredentialsProperties: () => [],
		updateCredentials: async () => {},
		updateCredentialsOauthTokenData: async () => {},
	};
}

function makeWorkflow(nodeType, parameters, credentialType, staticData = {}) {
	const typeName = `CUSTOM.${nodeType.description.name}`;
	const nodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const node = {
		id: '00000000-0000-4000-8000-000000000001',
		name: nodeType.description.defaults.name,
		type: typeName,
		typeVersion: 1,
		position: [0, 0],
		// The editor stores every displayed parameter with its default filled in.
		parameters: NodeHelpers.getNodeParameters(nodeType.description.properties, parameters, true, false, null, nodeType.description),
		credentials: credentialType ? { [credentialType]: { id: 'cred-1', name: 'Test credential' } } : undefined,
	};
	const workflow = new Workflow({ id: 'wf-test', name: 'test', nodes: [node], connections: {}, active: false, nodeTypes, staticData, settings: {} });
	return { workflow, node };
}

function makeAdditionalData(credentialsHelper) {
	return {
		credentialsHelper,
		executionId: 'test-execution',
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		variables: {},
		currentNodeParameters: undefined,
		userId: 'test-user',
	};
}

/**
 * Runs one declarative node over `items` and returns its output items; errors propagate as the
 * NodeApiError/NodeOperationError n8n would show.
 */
export async function runNode(nodeType, { parameters, credentials = {}, credentialTypes = {}, items = [{ json: {} }], continueOnFail = false }) {
	const credentialType = nodeType.description.credentials?.[0]?.name;
	const { workflow, node } = makeWorkflow(nodeType, parameters, credentialType);
	if (continueOnFail) node.continueOnFail = true;
	const additionalData = makeAdditionalData(makeCredentialsHelper(credentialTypes, credentials));
	const runExecutionData = { resultData: { runData: {} }, executionData: { contextData: {}, nodeExecutionStack: [], waitingExecution: {}, waitingExecutionSource: {} } };
	const inputData = { main: [items] };
	const executeData = { node, data: inputData, source: null };
	const context = new ExecuteContext(workflow, node, additionalData, 'manual', runExecutionData, 0, items, inputData, executeData, []);
	const output = await new RoutingNode(context, nodeType).runNode();
	return output?.[0] ?? [];
}

/** Calls one of the node's listSearch methods the way the editor does. */
export async function runListSearch(nodeType, method, { parameters = {}, credentials = {}, credentialTypes = {}, filter, paginationToken } = {}) {
	const credentialType = nodeType.description.credentials?.[0]?.name;
	const { workflow, node } = makeWorkflow(nodeType, parameters, credentialType);
	const additionalData = makeAdditionalData(makeCredentialsHelper(credentialTypes, credentials));
	const context = new LoadOptionsContext(workflow, node, additionalData, '', undefined);
	return await nodeType.methods.listSearch[method].call(context, filter, paginationToken);
}

/** Sends a credential's `test.request` the way n8n's credential test does (expressions, auth). */
export async function testCredential(credentialType, typeName, data) {
	const nodeType = { description: { name: 'credentialTest', defaults: { name: 'Credential Test' }, properties: [], credentials: [{ name: typeName }] } };
	const { workflow, node } = makeWorkflow(nodeType, {}, typeName);
	const helper = makeCredentialsHelper({ [typeName]: credentialType }, { [typeName]: data });
	const request = {};
	for (const [key, value] of Object.entries(credentialType.test.request)) request[key] = resolveExpression(workflow, node, value, data);
	const authenticated = await helper.authenticate(data, typeName, { ...request, headers: { ...(request.headers ?? {}) } }, workflow, node);
	const url = new URL(`${authenticated.baseURL}${authenticated.url}`);
	for (const [k, v] of Object.entries(authenticated.qs ?? {})) url.searchParams.set(k, String(v));
	// A test request may carry a body (Entrata's envelope); n8n sends objects as JSON.
	const body = authenticated.body === undefined ? undefined : typeof authenticated.body === 'string' ? authenticated.body : JSON.stringify(authenticated.body);
	const response = await fetch(url, { method: authenticated.method ?? 'GET', headers: authenticated.headers, body });
	// n8n fails the test with the message of a `responseCode` rule that matches the status.
	const rule = (credentialType.test.rules ?? []).find((r) => r.type === 'responseCode' && r.properties.value === response.status);
	return { ok: response.ok && !rule, status: response.status, body: await response.text(), message: rule?.properties.message, request: authenticated };
}

/**
 * Runs a polling trigger's poll() once in n8n-core's PollContext, the way n8n's poller does. `staticData` is the
 * node's static data; pass the same object to the next call to carry state over "restarts" (a new workflow object).
 * `activation`: 'update' is what n8n 2.x's scheduler gives its scheduled polls; 'activate' / 'init' are the test poll
 * it runs when a workflow is activated or n8n starts.
 */
/**
 * A workflow holding a poll node the way n8n holds an active one: static data as n8n's Workflow wraps it (observable;
 * `workflow.staticData.__dataChanged` tells whether n8n would save it), built from what the database would hold.
 */
export function pollWorkflow(nodeType, { parameters, persisted = {} }) {
	const credentialType = nodeType.description.credentials?.[0]?.name;
	return makeWorkflow(nodeType, parameters, credentialType, JSON.parse(JSON.stringify(persisted)));
}

/**
 * One poll. `staticData`: a plain object standing for the node's static data; or `active` (from pollWorkflow): the
 * node's static data read through n8n's Workflow, as in an active workflow.
 */
export async function runPoll(nodeType, { parameters, credentials = {}, credentialTypes = {}, staticData = {}, mode = 'trigger', activation = 'update', active }) {
	const credentialType = nodeType.description.credentials?.[0]?.name;
	const { workflow, node } = active ?? makeWorkflow(nodeType, parameters, credentialType);
	const additionalData = makeAdditionalData(makeCredentialsHelper(credentialTypes, credentials));
	const nodeStaticData = active ? () => workflow.getStaticData('node', node) : () => staticData;
	const context = new PollContext(workflow, node, additionalData, mode, activation, undefined, undefined, undefined, undefined, nodeStaticData);
	return await nodeType.poll.call(context);
}
