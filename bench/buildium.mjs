#!/usr/bin/env node
// Buildium Return All of 10 000 rental units: our Buildium Rentals node vs n8n's HTTP Request node paginating
// `offset`/`limit` by hand, in the same real n8n 2.41.1, against the same Buildium simulator (10 requests/s per key
// enforced). Two conditions: the simulator on loopback as is, and with 50 ms added to every request (what a user on
// the internet waits per round trip at least), where our node fetches the pages after the first concurrently.
//
// Time = the node's executionTime in the run data of `n8n execute --id --rawOutput` (no n8n start-up in it). One
// warm-up each, then RUNS alternating A/B runs per condition. Writes its section of bench/results.md.
//
//   node bench/buildium.mjs [--runs N] [--units N] [--latency MS]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import * as lab from '../scripts/lib/n8n-lab.mjs';
import { fmt, httpRequestVersion, link, manual, median, numberArg as arg } from './lib.mjs';
import { startBuildiumSimulator } from '../test/simulators/buildium.mjs';

const RUNS = arg('runs', 5);
const UNITS = arg('units', 10_000);
const LATENCY = arg('latency', 50);
const PAGE = 1000;
const CLIENT = { clientId: 'bench-buildium-client', clientSecret: 'bench-buildium-secret' };
const BENCH_DIR = path.dirname(new URL(import.meta.url).pathname);
const NODE_A = 'Buildium: Get Many rental units';
const NODE_B = 'HTTP Request: GET /v1/rentals/units paginated';
const credential = { id: 'buildium-bench', name: 'Buildium (bench simulator)' };


const workflowA = () => ({
	id: 'benchBuildium001',
	name: 'Bench A: Buildium Get Many rental units (Return All)',
	nodes: [
		manual('b1000000-0000-4000-8000-00000000a001'),
		{
			id: 'b1000000-0000-4000-8000-00000000a002',
			name: NODE_A,
			type: lab.NODE_TYPES.buildiumRentals,
			typeVersion: 1,
			position: [240, 0],
			parameters: { resource: 'rentalUnit', operation: 'getAll', returnAll: true },
			credentials: { buildiumApi: credential },
		},
	],
	connections: link('Start', NODE_A),
	settings: { executionOrder: 'v1' },
});

const workflowB = (origin, typeVersion) => ({
	id: 'benchBuildHttp01',
	name: 'Bench B: HTTP Request offset/limit by hand',
	nodes: [
		manual('b1000000-0000-4000-8000-00000000b001'),
		{
			id: 'b1000000-0000-4000-8000-00000000b002',
			name: NODE_B,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion,
			position: [240, 0],
			parameters: {
				method: 'GET',
				url: `${origin}/v1/rentals/units`,
				sendQuery: true,
				queryParameters: { parameters: [{ name: 'limit', value: String(PAGE) }] },
				sendHeaders: true,
				headerParameters: {
					parameters: [
						{ name: 'x-buildium-client-id', value: CLIENT.clientId },
						{ name: 'x-buildium-client-secret', value: CLIENT.clientSecret },
					],
				},
				options: {
					pagination: {
						pagination: {
							paginationMode: 'updateAParameterInEachRequest',
							parameters: { parameters: [{ type: 'qs', name: 'offset', value: `={{ $pageCount * ${PAGE} }}` }] },
							paginationCompleteWhen: 'responseIsEmpty',
							limitPagesFetched: false,
							requestInterval: 0,
						},
					},
				},
			},
		},
	],
	connections: link('Start', NODE_B),
	settings: { executionOrder: 'v1' },
});


async function main() {
	const info = await lab.ensureN8n();
	const typeVersion = httpRequestVersion(info.lab);
	// The rate limit is off for the timing: with Buildium's 10 requests per second enforced, the HTTP Request node's 11
	// back-to-back pages draw a 429 on the 11th and the run fails (checked below), while ours paces itself.
	const sim = await startBuildiumSimulator({ port: 0, ...CLIENT, rentalUnits: UNITS, seed: 7, rateLimit: null });
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-bench-buildium-'));
	console.log(`bench buildium: n8n ${info.n8nVersion}, simulator ${sim.url} with ${sim.db.rentalUnits.length} rental units`);
	try {
		await lab.installPackage(userFolder);
		await lab.importJson(userFolder, 'credentials', [lab.buildiumCredential({ ...credential, ...CLIENT, baseUrl: sim.origin, webhookSecret: 'unused' })]);
		const wfA = workflowA();
		const wfB = workflowB(sim.origin, typeVersion);
		await lab.importJson(userFolder, 'workflow', [wfA, wfB]);

		const runs = [];
		const runOnce = async (label, wf, nodeName, latencyMs, warmup) => {
			sim.setLatency(latencyMs);
			sim.clearRequests();
			// Start each run in a fresh rate-limit window: the previous run's requests must not count against this one.
			await new Promise((r) => setTimeout(r, 1100));
			const res = await lab.cli(userFolder, ['execute', `--id=${wf.id}`, '--rawOutput'], {
				extraEnv: { EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none', EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'false' },
			});
			const task = res.json?.data?.resultData?.runData?.[nodeName]?.[0];
			if (!task) throw new Error(`${label}: no run data (exit ${res.code}): ${res.stdout.slice(0, 500)} ${res.stderr.slice(-500)}`);
			const api = sim.requests.filter((r) => r.path === '/v1/rentals/units');
			const run = {
				label,
				latencyMs,
				warmup,
				ms: task.executionTime,
				items: lab.nodeItems(res.json.data.resultData.runData, nodeName).length,
				requests: api.length,
				refused: api.filter((r) => r.status !== 200).length,
			};
			runs.push(run);
			console.log(`${warmup ? 'warm-up ' : ''}${label} (+${latencyMs} ms/request): ${fmt(run.ms)} ms, ${run.items} items, ${run.requests} requests (${run.refused} not 200)`);
		};
		for (const latency of [0, LATENCY]) {
			await runOnce('A ours', wfA, NODE_A, latency, true);
			await runOnce('B http', wfB, NODE_B, latency, true);
			for (let i = 0; i < RUNS; i++) {
				await runOnce('A ours', wfA, NODE_A, latency, false);
				await runOnce('B http', wfB, NODE_B, latency, false);
			}
		}
		// With the limit enforced: ours stays inside it; the HTTP Request node paginating by hand gets a 429.
		sim.setRateLimit({ limit: 10, windowMs: 1000 });
		sim.setLatency(0);
		const limited = {};
		for (const [label, wf] of [
			['A ours', wfA],
			['B http', wfB],
		]) {
			sim.clearRequests();
			await new Promise((r) => setTimeout(r, 1100));
			const res = await lab.cli(userFolder, ['execute', `--id=${wf.id}`, '--rawOutput'], { allowFailure: true });
			limited[label] = { status: res.json?.status ?? `exit ${res.code}`, refused: sim.requests.filter((r) => r.status === 429).length };
			console.log(`with 10 requests/s enforced: ${label}: ${limited[label].status}, ${limited[label].refused} answered 429`);
		}
		const stats = (label, latency) => {
			const rs = runs.filter((r) => r.label === label && r.latencyMs === latency && !r.warmup);
			const distinct = (k) => [...new Set(rs.map((r) => r[k]))].join('/');
			return { median: median(rs.map((r) => r.ms)), all: rs.map((r) => fmt(r.ms)).join(', '), requests: distinct('requests'), items: distinct('items'), refused: distinct('refused') };
		};
		const lines = [];
		const problems = [];
		for (const [latency, goal] of [
			[0, 0.8],
			[LATENCY, 0.3],
		]) {
			const a = stats('A ours', latency);
			const b = stats('B http', latency);
			const ratio = a.median / b.median;
			if (a.items !== String(UNITS) || b.items !== String(UNITS)) problems.push(`items at +${latency} ms: ours ${a.items}, HTTP Request ${b.items}`);
			lines.push(
				`| +${latency} ms per request | ${fmt(a.median)} (${a.requests} requests) | ${fmt(b.median)} (${b.requests} requests) | **${fmt(ratio, 2)}×** | ≤ ${goal}×: ${ratio <= goal ? 'met' : 'NOT met'} |`,
			);
			console.log(`+${latency} ms: ours ${fmt(a.median)} ms [${a.all}] vs HTTP Request ${fmt(b.median)} ms [${b.all}] → ${fmt(ratio, 2)}x (goal ≤ ${goal}x)`);
		}
		const md = [
			'<!-- buildium -->',
			'## Benchmark: Buildium Return All (10 000 rental units) vs HTTP Request offset/limit by hand',
			'',
			`- date: ${new Date().toISOString()}; ${os.cpus().length} CPUs; n8n ${info.n8nVersion} on ${info.nodeVersion}; HTTP Request v${typeVersion}`,
			`- data: Buildium simulator on 127.0.0.1, ${UNITS} rental units, page size ${PAGE}; rate limit off for the timing`,
			`- A: Buildium Rentals → Rental Unit → Get Many, Return All (X-Total-Count: ⌈N/1000⌉ requests, pages after the first 10 at a time)`,
			`- B: HTTP Request, \`limit=${PAGE}\`, pagination \`offset = {{ $pageCount * ${PAGE} }}\`, complete when the response is empty`,
			`- runs: 1 warm-up each, then ${RUNS} alternating A/B per condition; time = the node's executionTime (median, ms)`,
			'',
			'| condition | ours | HTTP Request | ratio | goal |',
			'| --- | ---: | ---: | ---: | --- |',
			...lines,
			'',
			`With Buildium's 10 requests per second enforced by the simulator: ours ${limited['A ours'].status} (${limited['A ours'].refused} answered 429); the HTTP Request node ${limited['B http'].status} (${limited['B http'].refused} answered 429: its 11 pages go out back to back).`,
			...(problems.length ? ['', `Problems: ${problems.join('; ')}`] : []),
			'<!-- /buildium -->',
		].join('\n');
		const resultsFile = path.join(BENCH_DIR, 'results.md');
		const previous = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8') : '';
		const section = /<!-- buildium -->[\s\S]*<!-- \/buildium -->/;
		fs.writeFileSync(resultsFile, section.test(previous) ? previous.replace(section, md) : `${previous.trimEnd()}\n\n${md}\n`);
		console.log(`written: ${resultsFile}`);
		if (problems.length) {
			console.log(`problems: ${problems.join('; ')}`);
			process.exitCode = 1;
		}
	} finally {
		await sim.close();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

main().catch((err) => {
	console.error(err.stack ?? err);
	process.exit(1);
});
