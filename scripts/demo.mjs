#!/usr/bin/env node
// `npm run demo`: a real n8n 2.41.1 with this package installed, wired to the local RentEngine and Buildium simulators,
// with the example workflows imported and the trigger workflows active. Runs until Ctrl-C.
//
//   node scripts/demo.mjs [--fresh]     --fresh wipes the demo's n8n data (.e2e/demo/) first
//
// Ports: simulators 5681 (RentEngine), 5682 (Buildium) and 5683 (Entrata), n8n 5678 when free, otherwise any free port. Everything listens on 127.0.0.1.
import fs from 'node:fs';
import path from 'node:path';

import * as lab from './lib/n8n-lab.mjs';
import { startBuildiumSimulator } from '../test/simulators/buildium.mjs';
import { startEntrataSimulator } from '../test/simulators/entrata.mjs';
import { startRentEngineSimulator } from '../test/simulators/rentengine.mjs';

const DEMO_DIR = path.join(lab.REPO_ROOT, '.e2e/demo');
const LOGIN = { email: 'demo@example.com', password: 'Demo-Passw0rd!', firstName: 'Demo', lastName: 'User' };
const SIM_TOKEN = 'sim-rentengine-token';
const WEBHOOK_SECRET = 'demo-webhook-secret';
const CREDENTIAL = { id: 'rentengine-demo', name: 'RentEngine (simulator)' };
const BUILDIUM = { clientId: 'sim-client-id', clientSecret: 'sim-client-secret', webhookSecret: 'demo-buildium-signing-secret' };
const EXAMPLES = [
	'rentengine-get-all-units.json',
	'rentengine-new-unit-trigger.json',
	'rentengine-available-units-to-showing.json',
	'rentengine-prospect-to-buildium-applicant.json',
	'entrata-lead-to-rentengine-showing.json',
];
const ENTRATA = { org: 'simorg', apiKey: 'sim-entrata-key' };

const log = (msg) => console.log(`[demo] ${msg}`);
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

let sim;
let buildium;
let entrata;
let n8n;
let stopping = false;
async function shutdown(code = 0) {
	if (stopping) return;
	stopping = true;
	log('stopping n8n and the simulator…');
	await n8n?.stop().catch((e) => console.error(e));
	await sim?.close().catch((e) => console.error(e));
	await buildium?.close().catch((e) => console.error(e));
	await entrata?.close().catch((e) => console.error(e));
	log('stopped.');
	process.exit(code);
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

async function main() {
	if (process.argv.includes('--fresh')) fs.rmSync(DEMO_DIR, { recursive: true, force: true });
	const firstRun = !fs.existsSync(path.join(DEMO_DIR, '.n8n/database.sqlite'));
	fs.mkdirSync(DEMO_DIR, { recursive: true });

	log('checking the n8n install (first time: ~4 min)…');
	const info = await lab.ensureN8n();
	log(`n8n ${info.n8nVersion} on Node ${info.nodeVersion} (${info.lab})`);

	const simPort = await lab.portOr(5681);
	sim = await startRentEngineSimulator({ port: simPort, token: SIM_TOKEN, units: 250, seed: 42 });
	log(`RentEngine simulator: ${sim.url} (${sim.state.units} units)`);
	buildium = await startBuildiumSimulator({ port: await lab.portOr(5682), clientId: BUILDIUM.clientId, clientSecret: BUILDIUM.clientSecret, rentalUnits: 250, seed: 7 });
	log(`Buildium simulator: ${buildium.url} (${buildium.db.rentalUnits.length} rental units, 10 requests/s per key)`);
	// RentEngine units synced from Buildium carry its unit ID: the card's flow maps the prospect's desired unit with it.
	sim.db.units.forEach((u, i) => (u.external_ids = { ...(u.external_ids ?? {}), buildium_unit_id: buildium.db.rentalUnits[i % buildium.db.rentalUnits.length].Id }));

	entrata = await startEntrataSimulator({ port: await lab.portOr(5683), ...ENTRATA });
	log(`Entrata simulator: ${entrata.gatewayUrl} (properties ${entrata.db.properties.map((p) => p.propertyId).join(', ')})`);
	// RentEngine units synced from Entrata carry the Entrata unit number: the Entrata flow maps the lead's desired unit with it.
	const entrataUnits = entrata.db.units.filter((u) => u.propertyId === 100);
	sim.db.units.slice(0, entrataUnits.length).forEach((u, i) => (u.external_ids = { ...(u.external_ids ?? {}), entrata_unit_number: entrataUnits[i].unitNumber }));

	let t = Date.now();
	await lab.installPackage(DEMO_DIR); // every run, so the current build is what n8n loads
	log(`package installed into ${path.join(DEMO_DIR, '.n8n/nodes')} (${secs(Date.now() - t)})`);

	// Every run: the simulator's port may differ from last time.
	t = Date.now();
	await lab.importJson(DEMO_DIR, 'credentials', [
		lab.rentEngineCredential({ ...CREDENTIAL, apiToken: SIM_TOKEN, baseUrl: sim.url, webhookSecret: WEBHOOK_SECRET }),
		lab.buildiumCredential({ ...BUILDIUM, baseUrl: buildium.origin }),
		lab.entrataCredential({ apiKey: ENTRATA.apiKey, organization: ENTRATA.org, baseUrl: entrata.gatewayUrl }),
	]);
	log(`credentials "${CREDENTIAL.name}" → ${sim.url}, "Buildium (simulator)" → ${buildium.origin} (${secs(Date.now() - t)})`);

	const workflows = EXAMPLES.map((f) => lab.loadExample(f));
	const trigger = workflows.find((wf) => wf.id === 'reNewUnitTrig001');
	const triggerNode = trigger.nodes.find((n) => n.type === lab.NODE_TYPES.rentEngineTrigger);
	const card = workflows.find((wf) => wf.id === 'reProspectToBdAp');
	const cardTrigger = card.nodes.find((n) => n.type === lab.NODE_TYPES.rentEngineTrigger);
	const entrataFlow = workflows.find((wf) => wf.id === 'enLeadToReShow01');
	const imported = fs.existsSync(path.join(DEMO_DIR, '.entrata-flow-imported'));
	if (firstRun || !imported) {
		t = Date.now();
		const toImport = firstRun ? workflows : [entrataFlow];
		await lab.importJson(DEMO_DIR, 'workflow', toImport);
		for (const wf of firstRun ? [trigger, card, entrataFlow] : [entrataFlow]) await lab.cli(DEMO_DIR, ['publish:workflow', `--id=${wf.id}`]);
		fs.writeFileSync(path.join(DEMO_DIR, '.entrata-flow-imported'), '');
		log(`imported ${toImport.length} example workflow(s), published ${firstRun ? `"${trigger.name}", "${card.name}" and ` : ''}"${entrataFlow.name}" (${secs(Date.now() - t)})`);
	}

	const n8nPort = await lab.portOr(5678);
	t = Date.now();
	n8n = await lab.startN8n({ userFolder: DEMO_DIR, port: n8nPort });
	log(`n8n ready at ${n8n.baseUrl} (${secs(n8n.readyMs)}; log: ${n8n.logFile})`);

	const owner = await lab.setupOwner(n8n.baseUrl, LOGIN);
	for (const { id } of [trigger, card, entrataFlow]) {
		const wf = await lab.publicApi(n8n.baseUrl, owner.apiKey, 'GET', `/workflows/${id}`);
		if (!wf.active) await lab.activateWorkflow(n8n.baseUrl, owner.apiKey, id);
	}

	const webhookUrl = `${n8n.baseUrl}/webhook/${triggerNode.webhookId}/webhook`;
	const probe = await lab.waitForWebhook(webhookUrl); // no x-api-token: the trigger must answer 401
	if (probe.status !== 401) log(`warning: unauthenticated probe of the webhook returned ${probe.status} (expected 401)`);
	sim.subscribe({ url: webhookUrl, token: WEBHOOK_SECRET });
	const cardUrl = `${n8n.baseUrl}/webhook/${cardTrigger.webhookId}/webhook`;
	await lab.waitForWebhook(cardUrl);
	sim.subscribe({ url: cardUrl, token: WEBHOOK_SECRET });
	const prospect = JSON.stringify({ first_name: 'Avery', last_name: 'Quinn', email: 'avery.quinn@example.test', phone: '5125550123', unit_of_interest: sim.db.units[2].id });

	const account = sim.db.accounts[0].id;
	const newUnit = JSON.stringify({
		account_id: account,
		address: { street_number: '742', street_name: 'Evergreen Ter', zip_code: '78701', state: 'TX', city: 'Austin' },
		property_type: 'SINGLE FAMILY RESIDENCE',
		target_rental_rate: 2150,
	});
	const event = JSON.stringify({ type: 'INSERT', table: 'units', record: { id: 9001, status: 'Incomplete' }, old_record: null });
	console.log(`
================================================================================
 n8n editor      ${n8n.baseUrl}/
 login           ${LOGIN.email}  /  ${LOGIN.password}
 workflows       ${workflows.map((w) => `${n8n.baseUrl}/workflow/${w.id}  (${w.name})`).join('\n                 ')}

 simulator       ${sim.url}
 API token       ${SIM_TOKEN}        (credential "${CREDENTIAL.name}" uses it)
 webhook URL     ${webhookUrl}
 webhook secret  ${WEBHOOK_SECRET}   (sent as x-api-token; the simulator is subscribed)

 Fire the trigger by creating a unit through the simulator's API (it sends an INSERT webhook):
   curl -s -X POST ${sim.url}/units \\
     -H 'Authorization: Bearer ${SIM_TOKEN}' -H 'Content-Type: application/json' \\
     -d '${newUnit}'
 or emit an event as-is:
   curl -s -X POST ${sim.origin}/__control/emit -H 'Content-Type: application/json' \\
     -d '${event}'
 then open "Executions" of "${trigger.name}" in the editor.
 Simulator log: curl -s ${sim.origin}/__control/requests   deliveries: ${sim.origin}/__control/deliveries

 Buildium simulator ${buildium.url}   (client id ${BUILDIUM.clientId}, credential "Buildium (simulator)")
 The card's flow "${card.name}" is active. Fire it with a new RentEngine prospect:
   curl -s -X POST ${sim.origin}/__control/prospects -H 'Content-Type: application/json' \\
     -d '${prospect}'
 then see the applicant in Buildium:
   curl -s '${buildium.url}/applicants?limit=1&orderby=Id%20desc' -H 'x-buildium-client-id: ${BUILDIUM.clientId}' -H 'x-buildium-client-secret: ${BUILDIUM.clientSecret}'

 Entrata simulator ${entrata.gatewayUrl}   (API key ${ENTRATA.apiKey}, credential "Entrata (simulator)")
 The flow "${entrataFlow.name}" is active (polls property 100 every minute). Fire it with a new Entrata lead
 whose desired unit is synced to RentEngine (unit ${sim.db.units[0].id} carries Entrata unit ${entrataUnits[0].unitNumber}):
   curl -s -X POST ${entrata.origin}/__control/leads -H 'Content-Type: application/json' \\
     -d '${JSON.stringify({ propertyId: 100, firstName: 'Avery', lastName: 'Quinn', email: 'avery.quinn@example.test', phone: '303-555-0142', desiredUnitNumber: entrataUnits[0].unitNumber })}'
 within a minute the showing is in RentEngine:  curl -s ${sim.origin}/__control/state

 Ctrl-C stops n8n and the simulators.
================================================================================
`);

	// n8n stopping on its own ends the demo too.
	for (;;) {
		await new Promise((r) => setTimeout(r, 1000));
		if (n8n.exited() && !stopping) {
			console.error(`[demo] n8n exited unexpectedly:\n${n8n.logTail(40)}`);
			await shutdown(1);
		}
	}
}

main().catch(async (err) => {
	console.error(`[demo] failed: ${err.stack ?? err}`);
	await shutdown(1);
});
