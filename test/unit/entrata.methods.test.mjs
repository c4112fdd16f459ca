// Every Entrata catalogue method, every version, run through n8n-core's RoutingNode against the Entrata simulator in
// JSON mode (service path, envelope method name / version / params), one method per service in XML mode with output
// identical to JSON, and a coverage check that every method name and version is reachable from the node.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, test } from 'node:test';

import { dateFormat } from '../../scripts/generator/entrata.mjs';
import { specPath } from '../../scripts/lib/specs.mjs';
import { loadPackage, runNode } from '../harness/routing.mjs';
import { startEntrataSimulator } from '../simulators/entrata.mjs';

const catalogue = JSON.parse(readFileSync(specPath('entrata-methods.json'), 'utf8'));
const curated = JSON.parse(readFileSync(new URL('../../scripts/generator/entrata.json', import.meta.url), 'utf8'));
const SERVICES = { ...catalogue.services, ...catalogue.extra_services_without_params };
const versionsOf = (service, method) => Object.keys(SERVICES[service][method]).filter((v) => /^r\d+$/.test(v));
const METHODS = Object.entries(SERVICES).flatMap(([service, methods]) => Object.keys(methods).filter((m) => !m.startsWith('_')).map((method) => ({ service, method })));

let sim;
let pkg;
let description;

export function credentials(s, format = 'json', extra = {}) {
	return { entrataApi: { authMode: 'apiKey', organization: s.org, apiKey: s.apiKey, baseUrl: s.gatewayUrl, format, acceptLanguage: '', ...extra } };
}

async function run(parameters, { format = 'json', items, continueOnFail } = {}) {
	return await runNode(pkg.nodes.entrata, { parameters, items, continueOnFail, credentials: credentials(sim, format), credentialTypes: pkg.credentials });
}

/** Node properties shown for one operation (and version): the top-level ones and the Additional Fields collection. */
function shownFor(resource, operation, version) {
	const shows = (p) => {
		const show = p.displayOptions?.show ?? {};
		if (!show.resource?.includes(resource) || !show.operation?.includes(operation)) return false;
		if (show.version && !show.version.includes(version)) return false;
		return !show.returnAll;
	};
	return description.properties.filter(shows);
}

/** IDs the simulator knows, so that stateful methods find their record. */
const KNOWN = { propertyId: 100, applicationId: 10000000, customerId: 100000, id: 100000, leaseId: 1000000, workOrderId: 100500, reportName: 'pre_lease', search: 'a' };

/** A value for a field, and what the envelope should then carry. */
function sample(prop, paramName, dates) {
	switch (prop.type) {
		case 'number': {
			const v = KNOWN[paramName] ?? 7;
			return [v, v];
		}
		case 'boolean':
			return [true, true];
		case 'dateTime': {
			const format = dates[paramName] ?? 'date';
			return ['2024-03-10T14:05:00', { date: '03/10/2024', dateTime: '03/10/2024T14:05:00', month: '03/2024' }[format]];
		}
		case 'json':
			return [prop.default, undefined];
		case 'options':
			return [prop.default, prop.default];
		default: {
			const v = paramName === 'propertyIds' ? '100' : String(KNOWN[paramName] ?? 'x1');
			// A list field (comma-separated text in the editor) is sent as an array.
			const send = String(prop.routing?.send?.value ?? '');
			if (send.includes('split')) return ['100', send.includes('Number') ? [100] : ['100']];
			return [v, v];
		}
	}
}

const paramOf = (prop) => {
	const property = prop.routing?.send?.property;
	return typeof property === 'string' && property.startsWith('method.params.') ? property.slice('method.params.'.length) : undefined;
};

before(async () => {
	pkg = await loadPackage();
	description = pkg.nodes.entrata.description;
	sim = await startEntrataSimulator({ reportReadyAfter: 1 });
});
after(async () => sim?.close());
beforeEach(() => {
	sim.clearRequests();
	sim.calls.length = 0;
});

describe('every catalogue method and version through RoutingNode (JSON)', () => {
	for (const { service, method } of METHODS) {
		for (const version of versionsOf(service, method)) {
			test(`${service}/${method} ${version}`, async () => {
				const resource = curated.services[service].value;
				const props = shownFor(resource, method, version);
				const dates = Object.fromEntries(SERVICES[service][method][version].filter((p) => p.type === 'date').map((p) => [p.name, dateFormat(p)]));
				const parameters = { resource, operation: method };
				const expected = {};
				if (versionsOf(service, method).length > 1) parameters.version = version;
				for (const prop of props) {
					const name = paramOf(prop);
					if (!name || prop.type === 'collection') continue;
					const [value, sent] = sample(prop, name, dates);
					parameters[prop.name] = value;
					expected[name] = sent;
				}
				// One optional field through Additional Fields, the version's own if it has several.
				const collection = props.find((p) => p.type === 'collection');
				const own = new Set(SERVICES[service][method][version].map((p) => p.name));
				const optional = collection?.options.find((o) => own.has(paramOf(o)) && o.type !== 'json');
				if (optional) {
					const name = paramOf(optional);
					const [value, sent] = sample(optional, name, dates);
					parameters.additionalFields = { [optional.name]: value };
					expected[name] = sent;
				}
				if (method === 'getResponse') {
					// A queue ID from a real report run.
					await run({ resource: 'report', operation: 'getReportData', reportName: 'pre_lease' });
					const queueId = sim.calls.find((c) => c.method === 'getReportData') && sim.db.queue.at(-1).queueId;
					parameters.queueId = queueId;
					expected.queueId = queueId;
					sim.calls.length = 0;
					sim.clearRequests();
				}
				const items = await run(parameters);
				const [call] = sim.calls;
				assert.ok(call, 'the simulator accepted the envelope');
				// getReportData: the call, then queue/getResponse until ready (310 for the first `reportReadyAfter` polls).
				assert.equal(sim.calls.length, method === 'getReportData' ? 2 + sim.reportReadyAfter : 1);
				assert.equal(call.service, service);
				assert.equal(call.method, method);
				assert.equal(call.version, version);
				assert.equal(call.auth, 'apikey');
				assert.match(sim.requests[0].path, new RegExp(`/ext/orgs/${sim.org}/v1/${service}$`));
				for (const [name, value] of Object.entries(expected)) {
					if (value === undefined) assert.equal(typeof call.params[name], 'object', `${name} is sent as structured data`);
					else assert.deepEqual(call.params[name], value, `param ${name}`);
				}
				assert.deepEqual(Object.keys(call.params).sort(), Object.keys(expected).sort(), 'nothing else is sent');
				assert.ok(Array.isArray(items));
				for (const item of items) assert.equal(typeof item.json, 'object');
			});
		}
	}
});

describe('coverage', () => {
	test('all 137 method names and every version are reachable from the node', () => {
		assert.equal(METHODS.length, 137);
		assert.equal(new Set(METHODS.map((m) => m.method)).size, 137);
		let versions = 0;
		for (const { service, method } of METHODS) {
			const resource = curated.services[service]?.value;
			assert.ok(resource, `${service} has a resource`);
			const resourceOption = description.properties.find((p) => p.name === 'resource').options.find((o) => o.value === resource);
			assert.ok(resourceOption, `resource ${resource} is offered`);
			const operation = description.properties.find((p) => p.name === 'operation' && p.displayOptions.show.resource.includes(resource));
			const option = operation.options.find((o) => o.value === method);
			assert.ok(option, `${service}/${method} is an operation of ${resource}`);
			assert.equal(option.routing.request.url, `/${service}`);
			assert.equal(option.routing.send.paginate, true);
			const wanted = versionsOf(service, method);
			versions += wanted.length;
			if (wanted.length > 1) {
				const versionProp = description.properties.find((p) => p.name === 'version' && p.displayOptions.show.resource.includes(resource) && p.displayOptions.show.operation.includes(method));
				assert.ok(versionProp, `${method} has a Version field`);
				assert.deepEqual(versionProp.options.map((o) => o.value).sort(), [...wanted].sort());
				assert.equal(versionProp.default, wanted.sort((a, b) => Number(b.slice(1)) - Number(a.slice(1)))[0], 'the newest version is the default');
			}
		}
		assert.equal(versions, 154, '149 method-versions of the gateway catalogue + 5 of queue/reports');
	});

	test('the node description stays within the 300 kB budget (as n8n loads it, with its added Request Options)', async () => {
		const { createRequire } = await import('node:module');
		const { Entrata } = createRequire(import.meta.url)('../../dist/nodes/Entrata/Entrata.node.js');
		const own = JSON.stringify(new Entrata().description).length;
		const loaded = JSON.stringify(description).length;
		assert.ok(own <= 300_000, `description is ${own} characters`);
		assert.ok(loaded <= 300_000, `description as loaded is ${loaded} characters`);
	});

	test('a param of another version is refused, not silently sent', async () => {
		// getLeases r1 takes eventTypeIds, r2 does not.
		await assert.rejects(
			run({ resource: 'lease', operation: 'getLeases', version: 'r2', propertyId: 100, returnAll: true, additionalFields: { eventTypeIds: '1' } }),
			/getLeases r2 does not take eventTypeIds/,
		);
		assert.equal(sim.calls.length, 0);
	});
});

/** One read method per service, with what it needs. */
const XML_CASES = [
	['appInfo', 'getAccessibleClients', {}],
	['application', 'getCompanyApplications', { propertyId: 100 }],
	['arCode', 'getArCodes', {}],
	['arPayment', 'getArPayments', { propertyId: 100, returnAll: true }],
	['arTransaction', 'getLeaseArTransactions', { propertyId: 100, returnAll: true }],
	['communication', 'getMarketingPreferencePickList', {}],
	['customer', 'getCustomers', { propertyId: 100, returnAll: true }],
	['financial', 'getApCodes', {}],
	['lead', 'getLeads', { propertyId: 100, returnAll: true }],
	['lease', 'getLeases', { propertyId: 100, returnAll: true }],
	['leasingCenter', 'getLeasingCenterPickLists', {}],
	['maintenance', 'getWorkOrders', { propertyId: 100, returnAll: true }],
	['pricing', 'getPricingPicklists', {}],
	['property', 'getProperties', {}],
	['propertyUnit', 'getPropertyUnits', { propertyIds: '100' }],
	['status', 'getStatus', {}],
	['vendor', 'getVendors', {}],
	['report', 'getReportList', {}],
	['report', 'getReportData', { reportName: 'pre_lease' }], // and queue/getResponse behind it
];

describe('XML gives the same items as JSON', () => {
	for (const [resource, operation, params] of XML_CASES) {
		test(`${resource} ${operation}`, async () => {
			const parameters = { resource, operation, ...params };
			const json = await run(parameters, { format: 'json' });
			sim.clearRequests();
			const xml = await run(parameters, { format: 'xml' });
			assert.ok(sim.requests.every((r) => /xml/i.test(r.headers['content-type'])), 'sent as XML');
			assert.ok(sim.calls.some((c) => c.format === 'xml'));
			assert.ok(json.length >= 1);
			assert.deepEqual(xml.map((i) => i.json), json.map((i) => i.json));
		});
	}
});
