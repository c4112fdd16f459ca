// Entrata Trigger (polling): poll() run in n8n-core's PollContext against the Entrata simulator. Each record starts
// exactly one execution across polls and "restarts" (state only in the node's static data), nothing on the first poll
// unless asked, overlapping windows for late Mountain Time stamps, manual mode returns the newest record.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { loadPackage, pollWorkflow, runPoll } from '../harness/routing.mjs';
import { denverText, startEntrataSimulator } from '../simulators/entrata.mjs';

let sim;
let pkg;

const credential = (format = 'json') => ({ entrataApi: { authMode: 'apiKey', organization: sim.org, apiKey: sim.apiKey, baseUrl: sim.gatewayUrl, format, acceptLanguage: '' } });

async function poll(staticData, { event = 'newLead', propertyIds = '100', options = {}, mode = 'trigger', format = 'json', activation = 'update' } = {}) {
	const out = await runPoll(pkg.nodes.entrataTrigger, {
		parameters: { event, propertyIds, options },
		credentials: credential(format),
		credentialTypes: pkg.credentials,
		staticData,
		mode,
		activation,
	});
	return out ? out[0].map((i) => i.json) : [];
}

/** A direct Entrata call, as another system writing to Entrata would make it. */
async function call(service, method, params, version = 'r1') {
	const response = await fetch(`${sim.gatewayUrl}/${service}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-api-key': sim.apiKey },
		body: JSON.stringify({ auth: { type: 'apikey' }, requestId: 't', method: { name: method, version, params } }),
	});
	const body = await response.json();
	assert.equal(body.response.error, undefined, JSON.stringify(body.response.error));
	return body.response.result;
}

const newLead = async (propertyId, firstName) =>
	(await call('leads', 'sendLeads', { propertyId, prospects: { prospect: [{ customers: { customer: [{ name: { firstName, lastName: 'Test' }, email: `${firstName}@example.com` }] } }] } })).prospects.prospect[0].applicationId;

before(async () => {
	pkg = await loadPackage();
	sim = await startEntrataSimulator({});
});
after(async () => sim?.close());
beforeEach(async () => {
	await sim.reset();
	sim.now = () => Date.now();
});

describe('New Lead', () => {
	test("state changes reach n8n's database: what n8n saves after an emitting poll is what a restart reads", async () => {
		// n8n keeps an active workflow's static data behind its observable proxies and writes it to the database only
		// when `__dataChanged` is set: after activation and when a poll emits (never after a poll that emits nothing).
		// A restart builds a new Workflow from what was written.
		const parameters = { event: 'newLead', propertyIds: '100', options: {} };
		let database = {};
		const save = (active) => {
			if (active.workflow.staticData.__dataChanged !== true) return false;
			database = JSON.parse(JSON.stringify(active.workflow.staticData));
			active.workflow.staticData.__dataChanged = false;
			return true;
		};
		const pollActive = async (active) => {
			const out = await runPoll(pkg.nodes.entrataTrigger, { parameters, credentials: credential(), credentialTypes: pkg.credentials, active });
			return out ? out[0].map((i) => i.json.applicationId) : [];
		};

		let active = pollWorkflow(pkg.nodes.entrataTrigger, { parameters, persisted: database });
		assert.deepEqual(await pollActive(active), [], 'activation poll: the baseline');
		assert.equal(save(active), true, 'saved on activation');
		assert.deepEqual(await pollActive(active), []);
		const a = await newLead(100, 'Ada');
		assert.deepEqual(await pollActive(active), [a]);
		assert.equal(save(active), true, 'the emitting poll changed the static data n8n saves');
		assert.deepEqual(await pollActive(active), []);

		// Restart: n8n reads the database again; A must not come back, B (arrived while down) must.
		const b = await newLead(100, 'Grace');
		active = pollWorkflow(pkg.nodes.entrataTrigger, { parameters, persisted: database });
		assert.deepEqual(await pollActive(active), [b], 'start-up poll: only the lead that arrived while n8n was down');
		assert.equal(save(active), true);
		active = pollWorkflow(pkg.nodes.entrataTrigger, { parameters, persisted: database });
		assert.deepEqual(await pollActive(active), [], 'a second restart emits nothing again');
	});

	test('each new lead starts exactly one execution across polls and a restart', async () => {
		const staticData = {};
		assert.deepEqual(await poll(staticData), [], 'the first poll only remembers');
		assert.ok(JSON.stringify(staticData).length > 0 && staticData.properties['100'], 'state lives in static data');
		assert.deepEqual(await poll(staticData), []);
		const a = await newLead(100, 'Ada');
		const b = await newLead(100, 'Grace');
		const found = await poll(staticData);
		assert.deepEqual(found.map((l) => l.applicationId), [a, b]);
		assert.equal(found[0].customers[0].email, 'Ada@example.com');
		assert.match(found[0].createdOnIso, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0[67]:00$/);
		assert.deepEqual(await poll(staticData), [], 'not again');
		// A restart: a fresh workflow and context, the same persisted static data (as n8n stores it, JSON).
		const restored = JSON.parse(JSON.stringify(staticData));
		assert.deepEqual(await poll(restored), []);
		const c = await newLead(100, 'Alan');
		assert.deepEqual((await poll(restored)).map((l) => l.applicationId), [c]);
		assert.deepEqual(await poll(restored), []);
	});

	test('leads of other properties and of unwatched properties', async () => {
		const staticData = {};
		await poll(staticData, { propertyIds: '100, 101' });
		const a = await newLead(101, 'Edsger');
		await newLead(100, 'Barbara');
		const found = await poll(staticData, { propertyIds: '100, 101' });
		assert.deepEqual(found.map((l) => l.propertyId).sort(), [100, 101]);
		assert.ok(found.some((l) => l.applicationId === a));
	});

	test('Emit Existing Records on First Poll', async () => {
		const found = await poll({}, { options: { emitExisting: true } });
		assert.equal(found.length, 12);
		const stamps = found.map((l) => Date.parse(l.createdOnIso));
		assert.deepEqual(stamps, [...stamps].sort((x, y) => x - y), 'oldest first');
	});

	test('a late record inside the overlap is caught once; one older than the overlap is not', async () => {
		const staticData = {};
		await poll(staticData, { options: { overlapMinutes: 60 } });
		const cursor = staticData.properties['100'].cursor;
		const late = (minutes, id) =>
			sim.db.leads.push({ '@attributes': { applicationId: id }, propertyId: 100, status: 'New', leadSource: 'Late', desiredUnitNumber: '', createdOn: denverText(cursor - minutes * 60_000), updatedOn: denverText(cursor), customers: { customer: [] } });
		late(30, 777001); // Entrata's clock behind ours: stamped before the newest record we saw
		late(90, 777002); // before the overlap: assumed seen in an earlier window
		const found = await poll(staticData, { options: { overlapMinutes: 60 } });
		assert.deepEqual(found.map((l) => l.applicationId), [777001]);
		assert.deepEqual(await poll(staticData, { options: { overlapMinutes: 60 } }), []);
		const seen = Object.keys(staticData.properties['100'].seen);
		assert.ok(seen.length < 12, `only the keys inside the overlap are kept (${seen.length})`);
	});

	test('the date window is sent in Mountain Time, from the cursor minus the overlap to tomorrow', async () => {
		const staticData = {};
		await poll(staticData);
		sim.calls.length = 0;
		await poll(staticData);
		const { params } = sim.calls.at(-1);
		const cursor = staticData.properties['100'].cursor;
		assert.equal(params.createdOnDateFrom, denverText(cursor - 120 * 60_000, false));
		assert.equal(params.createdOnDateTo, denverText(Date.now() + 86_400_000, false));
	});

	test('manual mode returns the newest lead and remembers nothing', async () => {
		const staticData = {};
		const a = await newLead(100, 'Newest');
		const found = await poll(staticData, { mode: 'manual' });
		assert.deepEqual(found.map((l) => l.applicationId), [a]);
		assert.deepEqual(staticData, {});
	});

	test('XML on the wire gives the same leads', async () => {
		const staticData = {};
		await poll(staticData, { format: 'xml' });
		const a = await newLead(100, 'Xml');
		const found = await poll(staticData, { format: 'xml' });
		assert.deepEqual(found.map((l) => l.applicationId), [a]);
		assert.ok(sim.calls.filter((c) => c.format === 'xml').length >= 2);
	});
});

describe('other events', () => {
	test('Lead Updated: every update once', async () => {
		const staticData = {};
		let clock = Date.now();
		sim.now = () => clock;
		await poll(staticData, { event: 'leadUpdated' });
		await call('leads', 'updateLeads', { propertyId: 100, applicationId: 10000003, typeId: 1 }, 'r2');
		assert.deepEqual((await poll(staticData, { event: 'leadUpdated' })).map((l) => l.applicationId), [10000003]);
		assert.deepEqual(await poll(staticData, { event: 'leadUpdated' }), []);
		clock += 5000;
		await call('leads', 'updateLeads', { propertyId: 100, applicationId: 10000003, typeId: 2 }, 'r2');
		assert.deepEqual((await poll(staticData, { event: 'leadUpdated' })).map((l) => l.applicationId), [10000003]);
	});

	test('New Work Order and Work Order Updated', async () => {
		const created = {};
		const updated = {};
		await poll(created, { event: 'newWorkOrder' });
		await poll(updated, { event: 'workOrderUpdated' });
		const result = await call('maintenance', 'sendWorkOrders', { propertyId: 100, mainPhoneNumber: '303-555-0100', permissionToEnter: 1, maintenanceLocationId: 1, maintenanceCategoryId: 1, maintenanceProblemId: 1, problemDescription: 'Leak' });
		const id = result.workOrders.workOrder[0].id;
		assert.deepEqual((await poll(created, { event: 'newWorkOrder' })).map((w) => w.id), [id]);
		assert.deepEqual((await poll(updated, { event: 'workOrderUpdated' })).map((w) => w.id), [id]);
		assert.deepEqual(await poll(created, { event: 'newWorkOrder' }), []);
	});

	test('New Lease, Lease Updated and New Application', async () => {
		const leases = {};
		const leaseUpdates = {};
		const applications = {};
		await poll(leases, { event: 'newLease' });
		await poll(leaseUpdates, { event: 'leaseUpdated' });
		await poll(applications, { event: 'newApplication' });
		const { leaseId } = await call('leases', 'sendLeases', { propertyId: 100, leaseStartDate: '04/01/2024', leaseEndDate: '03/31/2025', moveInDate: '04/01/2024', leaseTermId: 12, floorplanId: 1, unitSpaceId: 1, firstName: 'Ken', lastName: 'Thompson', customerRelationshipTypeId: 1, phoneNumberTypeId: 1, phoneNumber: '303-555-0101', addressTypeId: 1, streetLine1: '1 Main St', city: 'Denver', stateCode: 'CO', postalCode: '80202-1234' });
		const { applicationId } = await call('applications', 'sendApplication', { propertyId: 100, originatingLeadSourceId: 1 });
		assert.deepEqual((await poll(leases, { event: 'newLease' })).map((l) => l.id), [leaseId]);
		assert.deepEqual((await poll(leaseUpdates, { event: 'leaseUpdated' })).map((l) => l.id), [leaseId]);
		assert.deepEqual((await poll(applications, { event: 'newApplication' })).map((a) => a.applicationId), [applicationId]);
	});

	test('switching the event starts afresh', async () => {
		const staticData = {};
		await poll(staticData, { event: 'newLead' });
		await newLead(100, 'Switch');
		assert.deepEqual(await poll(staticData, { event: 'newWorkOrder' }), [], 'first poll of the new event');
		assert.equal(staticData.event, 'newWorkOrder');
	});
});
