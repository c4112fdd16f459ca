#!/usr/bin/env node
// `npm run bench`: RentEngine node "Get Many units (Return All)" vs n8n's own HTTP Request node paginating by hand,
// both inside the same real n8n 2.41.1 (Node 24), against the local RentEngine simulator seeded with 10 000 units.
//
// Measured time = the node's own executionTime from the run data (resultData.runData[<node>][0].executionTime, ms)
// of `n8n execute --id=… --rawOutput`, so n8n's process start-up is not part of it. One warm-up run each, then
// RUNS runs alternating A/B. The simulator's request log is cleared before every run to count requests per run.
// Output: a table on stdout and bench/results.md; each run's figures in bench/raw/ (gitignored).
//
//   node bench/run.mjs [--runs N] [--units N]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import * as lab from '../scripts/lib/n8n-lab.mjs';
import { fmt, httpRequestVersion, link, manual, median, numberArg as arg } from './lib.mjs';
import { startRentEngineSimulator } from '../test/simulators/rentengine.mjs';

const RUNS = arg('runs', 5);
const UNITS = arg('units', 10_000);
const PAGE = 100;
const TOKEN = 'bench-rentengine-token';
const CREDENTIAL = { id: 'rentengine-bench', name: 'RentEngine (bench simulator)' };
const BENCH_DIR = path.dirname(new URL(import.meta.url).pathname);
const NODE_A = 'RentEngine: Get Many units';
const NODE_B = 'HTTP Request: GET /units paginated';


function workflowA() {
	return {
		id: 'benchRentEngine1',
		name: 'Bench A: RentEngine Get Many (Return All)',
		nodes: [
			manual('b0000000-0000-4000-8000-00000000a001'),
			{
				id: 'b0000000-0000-4000-8000-00000000a002',
				name: NODE_A,
				type: lab.NODE_TYPES.rentEngine,
				typeVersion: 1,
				position: [240, 0],
				// simplify off: the same full unit records the HTTP Request node returns
				parameters: { resource: 'unit', operation: 'getAll', returnAll: true, filters: {}, simplify: false },
				credentials: { rentEngineApi: CREDENTIAL },
			},
		],
		connections: link('Start', NODE_A),
		settings: { executionOrder: 'v1' },
	};
}

function workflowB(simUrl, typeVersion) {
	return {
		id: 'benchHttpReqst01',
		name: 'Bench B: HTTP Request paginated by hand',
		nodes: [
			manual('b0000000-0000-4000-8000-00000000b001'),
			{
				id: 'b0000000-0000-4000-8000-00000000b002',
				name: NODE_B,
				type: 'n8n-nodes-base.httpRequest',
				typeVersion,
				position: [240, 0],
				parameters: {
					method: 'GET',
					url: `${simUrl}/units`,
					sendQuery: true,
					queryParameters: { parameters: [{ name: 'limit', value: String(PAGE) }] },
					sendHeaders: true,
					headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${TOKEN}` }] },
					options: {
						pagination: {
							pagination: {
								paginationMode: 'updateAParameterInEachRequest',
								parameters: { parameters: [{ type: 'qs', name: 'page_number', value: '={{ $pageCount }}' }] },
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
	};
}


async function main() {
	const started = Date.now();
	const info = await lab.ensureN8n();
	const typeVersion = httpRequestVersion(info.lab);
	const sim = await startRentEngineSimulator({ port: 0, token: TOKEN, units: UNITS, seed: 42 });
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-bench-rentengine-'));
	console.log(`bench: n8n ${info.n8nVersion} (Node ${info.nodeVersion}), simulator ${sim.url} with ${sim.state.units} units, user folder ${userFolder}`);

	try {
		await lab.installPackage(userFolder);
		await lab.importJson(userFolder, 'credentials', [lab.rentEngineCredential({ ...CREDENTIAL, apiToken: TOKEN, baseUrl: sim.url, webhookSecret: 'unused' })]);
		const wfA = workflowA();
		const wfB = workflowB(sim.url, typeVersion);
		await lab.importJson(userFolder, 'workflow', [wfA, wfB]);

		const rawDir = path.join(BENCH_DIR, 'raw');
		fs.mkdirSync(rawDir, { recursive: true });
		const runs = [];
		const runOnce = async (label, wf, nodeName, warmup) => {
			sim.clearRequests();
			const res = await lab.cli(userFolder, ['execute', `--id=${wf.id}`, '--rawOutput'], {
				// not storing 10 000 items per run keeps the DB small; the CLI still prints the full run data
				extraEnv: { EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none', EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'false' },
			});
			if (!res.json) {
				const dump = path.join(rawDir, `unparsed-${label.replace(/\W+/g, '-')}-${Date.now()}.txt`);
				fs.writeFileSync(dump, `--- stdout (${res.stdout.length} chars) ---\n${res.stdout}\n--- stderr ---\n${res.stderr}`);
				throw new Error(`${label}: no run data in the CLI output (exit ${res.code}); full output in ${dump}`);
			}
			const task = res.json.data.resultData.runData[nodeName]?.[0];
			if (!task) throw new Error(`${label}: node "${nodeName}" did not run`);
			const items = lab.nodeItems(res.json.data.resultData.runData, nodeName);
			const apiRequests = sim.requests.filter((r) => r.path.endsWith('/units'));
			const run = {
				label,
				warmup,
				ms: task.executionTime,
				items: items.length,
				requests: sim.requests.length,
				failedRequests: apiRequests.filter((r) => r.status !== 200).length,
				pages: apiRequests.map((r) => r.query.page_number).join(','),
				cliWallMs: res.ms,
				status: res.json.status,
			};
			runs.push(run);
			console.log(
				`${warmup ? 'warm-up ' : ''}${label}: ${fmt(run.ms)} ms node time, ${run.items} items, ${run.requests} requests (${run.failedRequests} not 200), CLI wall ${fmt(run.cliWallMs)} ms`,
			);
			return run;
		};

		await runOnce('A ours', wfA, NODE_A, true);
		await runOnce('B http', wfB, NODE_B, true);
		for (let i = 0; i < RUNS; i++) {
			await runOnce('A ours', wfA, NODE_A, false);
			await runOnce('B http', wfB, NODE_B, false);
		}
		// Reference only: the same 101 GETs from this (harness) process with plain fetch + JSON.parse, no n8n.
		// It shows how much of either node's time is the simulator and HTTP themselves.
		const floor = [];
		for (let i = 0; i < RUNS; i++) {
			sim.clearRequests();
			const t0 = performance.now();
			let total = 0;
			for (let page = 0; ; page++) {
				const res = await fetch(`${sim.url}/units?limit=${PAGE}&page_number=${page}`, { headers: { authorization: `Bearer ${TOKEN}` } });
				const rows = await res.json();
				if (!res.ok) throw new Error(`reference fetch: HTTP ${res.status}`);
				if (!rows.length) break;
				total += rows.length;
			}
			floor.push({ ms: performance.now() - t0, items: total, requests: sim.requests.length });
		}
		const floorMedian = median(floor.map((f) => f.ms));
		console.log(`reference (plain fetch loop in the harness): median ${fmt(floorMedian)} ms, ${floor[0].requests} requests, ${floor[0].items} items`);
		runs.push(...floor.map((f) => ({ label: 'reference fetch', warmup: false, ...f })));

		fs.writeFileSync(path.join(rawDir, `runs-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify(runs, null, 2));

		const measured = (label) => runs.filter((r) => r.label === label && !r.warmup);
		const summary = (label) => {
			const rs = measured(label);
			const distinct = (k) => [...new Set(rs.map((r) => r[k]))].join('/');
			return { median: median(rs.map((r) => r.ms)), min: Math.min(...rs.map((r) => r.ms)), max: Math.max(...rs.map((r) => r.ms)), requests: distinct('requests'), items: distinct('items'), cli: median(rs.map((r) => r.cliWallMs)) };
		};
		const a = summary('A ours');
		const b = summary('B http');
		const ratio = a.median / b.median;
		const expectedItems = String(UNITS);
		const problems = [];
		if (a.items !== expectedItems) problems.push(`ours returned ${a.items} items, expected ${expectedItems}`);
		if (b.items !== expectedItems) problems.push(`HTTP Request returned ${b.items} items, expected ${expectedItems}`);

		const nodeVersions = `harness ${process.version}, n8n on ${info.nodeVersion}`;
		const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
		const rows = [
			['', 'RentEngine node (ours)', `HTTP Request v${typeVersion} (by hand)`],
			['median node time (ms)', fmt(a.median), fmt(b.median)],
			['min / max (ms)', `${fmt(a.min)} / ${fmt(a.max)}`, `${fmt(b.min)} / ${fmt(b.max)}`],
			['requests per run', a.requests, b.requests],
			['items per run', a.items, b.items],
			['median CLI wall time (ms, incl. n8n start)', fmt(a.cli), fmt(b.cli)],
		];
		const floorLine = `Reference, not part of the comparison: the same ${floor[0].requests} GETs with a plain \`fetch\` loop in the harness process (Node ${process.version}, no n8n) take ${fmt(floorMedian)} ms (median of ${RUNS}), i.e. ${fmt((100 * floorMedian) / a.median)}% of ours and ${fmt((100 * floorMedian) / b.median)}% of HTTP Request's time is the simulator and HTTP round trips themselves.`;
		const goalMet = ratio <= 0.8 && a.requests === String(Math.floor(UNITS / PAGE) + 1);
		const md = [
			'# Benchmark: RentEngine Get Many (Return All) vs HTTP Request pagination',
			'',
			`- date: ${new Date().toISOString()}`,
			`- machine: ${os.cpus().length} CPUs (nproc), ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.platform()} ${os.release()}`,
			`- node versions: ${nodeVersions}`,
			`- n8n: ${info.n8nVersion} (one install, one user folder; both workflows run by \`n8n execute --id --rawOutput\`)`,
			`- data: local RentEngine simulator on 127.0.0.1, ${UNITS} units (seed 42), page size ${PAGE}`,
			`- runs: 1 warm-up each, then ${RUNS} alternating A/B runs; time = the node's \`executionTime\` from the run data`,
			'- A: Manual Trigger → RentEngine node, Unit → Get Many, Return All, Simplify off (full records)',
			`- B: Manual Trigger → HTTP Request v${typeVersion}, GET /units, \`limit=${PAGE}\`, pagination "Update a Parameter in Each Request" \`page_number = {{ $pageCount }}\`, complete when the response is empty`,
			'',
			`| ${rows[0].join(' | ')} |`,
			'| --- | ---: | ---: |',
			...rows.slice(1).map((r) => `| ${r.join(' | ')} |`),
			'',
			`**Ratio ours / HTTP Request (median node time): ${fmt(ratio, 2)}×** — product goal: ≤ 0.80× with ${Math.floor(UNITS / PAGE) + 1} requests: ${goalMet ? 'met' : 'NOT met'}.`,
			...(problems.length ? ['', `Problems: ${problems.join('; ')}`] : []),
			'',
			floorLine,
			'',
			'Per-run figures (ms, node time): ',
			'',
			`- A: ${measured('A ours').map((r) => fmt(r.ms)).join(', ')}`,
			`- B: ${measured('B http').map((r) => fmt(r.ms)).join(', ')}`,
			'',
		].join('\n');
		// Keep the other benchmarks' sections (bench/triggers.mjs writes between its own markers).
		const resultsFile = path.join(BENCH_DIR, 'results.md');
		const previous = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8') : '';
		const others = ['buildium', 'triggers'].map((k) => new RegExp(`<!-- ${k} -->[\\s\\S]*<!-- \\/${k} -->`).exec(previous)?.[0]).filter(Boolean);
		fs.writeFileSync(resultsFile, [md.trimEnd(), ...others].join('\n\n') + '\n');

		console.log('');
		const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => String(r[c]).length)));
		for (const r of rows) console.log(r.map((v, c) => (c === 0 ? String(v).padEnd(widths[c]) : String(v).padStart(widths[c]))).join('  '));
		console.log(`\nratio ours/HTTP Request: ${fmt(ratio, 2)}x (goal <= 0.80x with ${Math.floor(UNITS / PAGE) + 1} requests: ${goalMet ? 'met' : 'NOT met'})`);
		console.log(floorLine);
		if (problems.length) console.log(`problems: ${problems.join('; ')}`);
		console.log(`written: ${path.join(BENCH_DIR, 'results.md')}  (total ${fmt((Date.now() - started) / 1000, 1)} s)`);
		if (problems.length) process.exitCode = 1;
	} finally {
		await sim.close();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

main().catch((err) => {
	console.error(err.stack ?? err);
	process.exit(1);
});
