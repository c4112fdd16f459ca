#!/usr/bin/env node
// Entrata benchmarks. Writes its section of bench/results.md.
//
// (a) Parse: a ~20 MB getLeases answer (JSON and XML, rendered by the Entrata simulator for one large property) →
//     items through our profile (JSON: JSON.parse as n8n's HTTP helper does, then entrataRecords: unwrap
//     response.result, plural/singular wrappers → lists, @attributes flattened, ISO companions of the Mountain Time
//     dates; XML: entrataProfile.parseResponse (fast-xml-parser with our options) then entrataRecords), against a
//     bare JSON.parse / XMLParser.parse (attributes kept, same fast-xml-parser) of the same payload in the same
//     process: alternating rounds, gc between, median. Peak RSS: one child process per case doing a single parse;
//     peak = process.resourceUsage().maxRSS, reported as the rise over the RSS before the payload was read, divided
//     by the payload's size (so the payload text itself counts as 1×).
// (b) Return All of 10 000 leases in real n8n: the Entrata node (Lease → Get Many, Return All: 20 pages of 500, 4 at a time after the first) vs
//     n8n's HTTP Request node building the envelope and paging `page_no` by hand, then Split Out to one item per
//     lease (time = executionTime of HTTP Request + Split Out). Alternating runs via `n8n execute`.
//
//   node bench/entrata.mjs [--runs N] [--leases N] [--mb N] [--only parse|returnAll]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import { arg, fmt, median } from './lib.mjs';

const BENCH_DIR = path.dirname(new URL(import.meta.url).pathname);
const REPO = path.resolve(BENCH_DIR, '..');
const require = createRequire(import.meta.url);

const MB = 1024 * 1024;

// ---- the cases (also run inside the child processes) --------------------------------------------------------------

function cases() {
	const { entrataProfile, entrataRecords } = require(path.join(REPO, 'dist/nodes/Entrata/common/profile.js'));
	const { XMLParser } = require('fast-xml-parser');
	const bareXml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', attributesGroupName: '@attributes' });
	return {
		'json-bare': (text) => JSON.parse(text),
		'json-ours': (text) => entrataRecords(entrataProfile.parseResponse({ body: JSON.parse(text), headers: { 'content-type': 'application/json' } })),
		'xml-bare': (text) => bareXml.parse(text),
		'xml-ours': (text) => entrataRecords(entrataProfile.parseResponse({ body: text, headers: { 'content-type': 'application/xml; charset=utf-8' } })),
	};
}
const count = (name, out) => (name.endsWith('ours') ? out.length : (out.response.result.leases.lease.length));

/** Child: `--child rss <case> <file>` (one parse, prints JSON) or `--child time <format> <file> <rounds>`. */
function child() {
	const [, , , kind, which, file, rounds] = process.argv;
	const all = cases();
	if (kind === 'rss') {
		global.gc?.();
		const before = process.memoryUsage().rss;
		const text = fs.readFileSync(file, 'utf8');
		const started = performance.now();
		const out = all[which](text);
		const ms = performance.now() - started;
		const peak = process.resourceUsage().maxRSS * 1024;
		console.log(JSON.stringify({ which, ms, items: count(which, out), before, peak, bytes: Buffer.byteLength(text) }));
		return;
	}
	const text = fs.readFileSync(file, 'utf8');
	const times = { bare: [], ours: [] };
	for (let r = 0; r < 1 + Number(rounds); r++) {
		for (const side of r % 2 ? ['ours', 'bare'] : ['bare', 'ours']) {
			global.gc();
			const started = performance.now();
			const out = all[`${which}-${side}`](text);
			const ms = performance.now() - started;
			if (r > 0) times[side].push(ms); // round 0 warms up
			if (!count(`${which}-${side}`, out)) throw new Error('no items');
		}
	}
	console.log(JSON.stringify(times));
}

function runChild(args) {
	const res = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', new URL(import.meta.url).pathname, '--child', ...args], { encoding: 'utf8' });
	if (res.status !== 0) throw new Error(`child ${args.join(' ')} failed: ${res.stderr}`);
	return JSON.parse(res.stdout.trim().split('\n').pop());
}

// ---- (a) parse ----------------------------------------------------------------------------------------------------

async function parseBench(lines, notes) {
	const { startEntrataSimulator } = await import('../test/simulators/entrata.mjs');
	const targetMb = Number(arg('mb', 20));
	// ~260 bytes of JSON per lease
	const leases = Math.round((targetMb * MB) / 265);
	const sim = await startEntrataSimulator({ port: 0, properties: 1, leasesPerProperty: leases, leadsPerProperty: 1 });
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entrata-bench-'));
	try {
		const files = {};
		for (const format of ['json', 'xml']) {
			const envelope = { auth: { type: 'apikey' }, requestId: 'bench', method: { name: 'getLeases', version: 'r2', params: { propertyId: 100 } } };
			const xml = format === 'xml';
			const { XMLBuilder } = require('fast-xml-parser');
			const body = xml ? `<?xml version="1.0" encoding="UTF-8"?>${new XMLBuilder({}).build({ request: envelope })}` : JSON.stringify(envelope);
			const res = await fetch(`${sim.gatewayUrl}/leases`, {
				method: 'POST',
				headers: { 'x-api-key': sim.apiKey, 'content-type': xml ? 'application/xml' : 'application/json' },
				body,
			});
			const text = await res.text();
			if (res.status !== 200) throw new Error(`${format}: HTTP ${res.status} ${text.slice(0, 300)}`);
			files[format] = path.join(dir, `leases.${format}`);
			fs.writeFileSync(files[format], text);
		}
		const rounds = Number(arg('runs', 5));
		for (const format of ['json', 'xml']) {
			const bytes = fs.statSync(files[format]).size;
			const t = runChild(['time', format, files[format], String(rounds)]);
			const rss = {};
			for (const side of ['bare', 'ours']) rss[side] = runChild(['rss', `${format}-${side}`, files[format]]);
			const ratio = median(t.ours) / median(t.bare);
			const rssX = (side) => (rss[side].peak - rss[side].before) / bytes;
			const timeGoal = ratio <= 1.3;
			const rssGoal = rssX('ours') <= 4;
			if (!timeGoal) notes.push(`${format.toUpperCase()} parse: ${fmt(ratio, 2)}× the bare parser (goal ≤ 1.3×) — NOT met`);
			if (!rssGoal) notes.push(`${format.toUpperCase()} peak RSS: ${fmt(rssX('ours'), 2)}× the payload (goal ≤ 4×) — NOT met`);
			lines.push(
				`| ${format.toUpperCase()} | ${fmt(bytes / MB, 1)} MB, ${rss.ours.items} leases | ${fmt(median(t.bare))} | ${fmt(median(t.ours))} | **${fmt(ratio, 2)}×** (${timeGoal ? 'met' : 'NOT met'}) | ${fmt(rssX('bare'), 2)}× | **${fmt(rssX('ours'), 2)}×** (${rssGoal ? 'met' : 'NOT met'}) |`,
			);
			console.log(
				`${format}: ${fmt(bytes / MB, 1)} MB; bare ${fmt(median(t.bare))} ms [${t.bare.map((x) => fmt(x)).join(', ')}] vs ours ${fmt(median(t.ours))} ms [${t.ours.map((x) => fmt(x)).join(', ')}] → ${fmt(ratio, 2)}x (goal ≤ 1.3x); peak RSS rise bare ${fmt(rssX('bare'), 2)}x, ours ${fmt(rssX('ours'), 2)}x the payload (goal ≤ 4x)`,
			);
		}
		return leases;
	} finally {
		await sim.close();
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

// ---- (b) Return All in real n8n ---------------------------------------------------------------------------------------

async function returnAllBench(lines, notes, info) {
	const lab = await import('../scripts/lib/n8n-lab.mjs');
	const { startEntrataSimulator } = await import('../test/simulators/entrata.mjs');
	const RUNS = Number(arg('runs', 5));
	const LEASES = Number(arg('leases', 10_000));
	const PAGE = 500;
	const NODE_A = 'Entrata: Get Many leases';
	const NODE_B = 'HTTP Request: POST /leases paginated';
	const NODE_B2 = 'Split Out leases';
	const credential = { id: 'entrata-bench', name: 'Entrata (bench simulator)' };
	const src = fs.readFileSync(path.join(info.lab, 'n8n/node_modules/n8n-nodes-base/dist/nodes/HttpRequest/V3/HttpRequestV3.node.js'), 'utf8');
	const typeVersion = Math.max(...JSON.parse(/version:\s*(\[[^\]]*\])/.exec(src)[1]).filter((v) => Math.floor(v) === 4));
	const sim = await startEntrataSimulator({ port: 0, properties: 1, leasesPerProperty: LEASES, leadsPerProperty: 1 });
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-bench-entrata-'));
	const manual = (id) => ({ id, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} });
	const link = (from, to) => ({ [from]: { main: [[{ node: to, type: 'main', index: 0 }]] } });
	const wfA = {
		id: 'benchEntrata0001',
		name: 'Bench A: Entrata Lease Get Many (Return All)',
		nodes: [
			manual('e1000000-0000-4000-8000-00000000a001'),
			{
				id: 'e1000000-0000-4000-8000-00000000a002',
				name: NODE_A,
				type: lab.NODE_TYPES.entrata,
				typeVersion: 1,
				position: [240, 0],
				parameters: { resource: 'lease', operation: 'getLeases', propertyId: 100, returnAll: true, additionalFields: {} },
				credentials: { entrataApi: credential },
			},
		],
		connections: link('Start', NODE_A),
		settings: { executionOrder: 'v1' },
	};
	const envelope = { auth: { type: 'apikey' }, requestId: 'bench', method: { name: 'getLeases', version: 'r2', params: { propertyId: 100 } } };
	const wfB = {
		id: 'benchEntrataHttp',
		name: 'Bench B: HTTP Request envelope + page_no by hand',
		nodes: [
			manual('e1000000-0000-4000-8000-00000000b001'),
			{
				id: 'e1000000-0000-4000-8000-00000000b002',
				name: NODE_B,
				type: 'n8n-nodes-base.httpRequest',
				typeVersion,
				position: [240, 0],
				parameters: {
					method: 'POST',
					url: `${sim.gatewayUrl}/leases`,
					sendQuery: true,
					queryParameters: { parameters: [{ name: 'per_page', value: String(PAGE) }] },
					sendHeaders: true,
					headerParameters: { parameters: [{ name: 'X-Api-Key', value: sim.apiKey }] },
					sendBody: true,
					specifyBody: 'json',
					jsonBody: JSON.stringify(envelope),
					options: {
						pagination: {
							pagination: {
								paginationMode: 'updateAParameterInEachRequest',
								parameters: { parameters: [{ type: 'qs', name: 'page_no', value: '={{ $pageCount + 1 }}' }] },
								paginationCompleteWhen: 'other',
								// $pageCount is the number of pages received so far when this is evaluated (n8n counts the page first).
								completeExpression: `={{ $pageCount * ${PAGE} >= Number($response.headers['x-total-count']) }}`,
								limitPagesFetched: false,
								requestInterval: 0,
							},
						},
					},
				},
			},
			{
				id: 'e1000000-0000-4000-8000-00000000b003',
				name: NODE_B2,
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [480, 0],
				parameters: { fieldToSplitOut: 'response.result.leases.lease', options: {} },
			},
		],
		connections: { ...link('Start', NODE_B), ...link(NODE_B, NODE_B2) },
		settings: { executionOrder: 'v1' },
	};
	try {
		await lab.installPackage(userFolder);
		await lab.importJson(userFolder, 'credentials', [lab.entrataCredential({ ...credential, apiKey: sim.apiKey, organization: sim.org, baseUrl: sim.gatewayUrl })]);
		await lab.importJson(userFolder, 'workflow', [wfA, wfB]);
		const runs = [];
		const runOnce = async (label, wf, nodes, warmup) => {
			const before = sim.calls.length;
			const res = await lab.cli(userFolder, ['execute', `--id=${wf.id}`, '--rawOutput'], {
				extraEnv: { EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none', EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'false' },
			});
			const runData = res.json?.data?.resultData?.runData;
			if (!runData?.[nodes.at(-1)]) throw new Error(`${label}: no run data (exit ${res.code}): ${res.stdout.slice(0, 800)} ${res.stderr.slice(-800)}`);
			const run = {
				label,
				warmup,
				ms: nodes.reduce((sum, n) => sum + runData[n][0].executionTime, 0),
				items: lab.nodeItems(runData, nodes.at(-1)).length,
				requests: sim.calls.length - before,
			};
			runs.push(run);
			console.log(`${warmup ? 'warm-up ' : ''}${label}: ${fmt(run.ms)} ms, ${run.items} items, ${run.requests} requests`);
		};
		await runOnce('A ours', wfA, [NODE_A], true);
		await runOnce('B http', wfB, [NODE_B, NODE_B2], true);
		for (let i = 0; i < RUNS; i++) {
			await runOnce('A ours', wfA, [NODE_A], false);
			await runOnce('B http', wfB, [NODE_B, NODE_B2], false);
		}
		const stats = (label) => {
			const rs = runs.filter((r) => r.label === label && !r.warmup);
			const distinct = (k) => [...new Set(rs.map((r) => r[k]))].join('/');
			return { median: median(rs.map((r) => r.ms)), all: rs.map((r) => fmt(r.ms)).join(', '), requests: distinct('requests'), items: distinct('items') };
		};
		const a = stats('A ours');
		const b = stats('B http');
		const ratio = a.median / b.median;
		if (a.items !== String(LEASES) || b.items !== String(LEASES)) notes.push(`items: ours ${a.items}, HTTP Request ${b.items} (expected ${LEASES})`);
		if (ratio > 0.8) notes.push(`Return All: ${fmt(ratio, 2)}× the HTTP Request node (goal ≤ 0.8×) — NOT met`);
		lines.push(`| Return All of ${LEASES} leases | ${fmt(a.median)} (${a.requests} requests) | ${fmt(b.median)} (${b.requests} requests) | **${fmt(ratio, 2)}×** | ≤ 0.8×: ${ratio <= 0.8 ? 'met' : 'NOT met'} |`);
		console.log(`Return All: ours ${fmt(a.median)} ms [${a.all}] vs HTTP Request + Split Out ${fmt(b.median)} ms [${b.all}] → ${fmt(ratio, 2)}x (goal ≤ 0.8x)`);
		return { typeVersion, leases: LEASES, runs: RUNS };
	} finally {
		await sim.close();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

async function main() {
	const only = arg('only');
	const loadBefore = os.loadavg()[0];
	const parseLines = [];
	const raLines = [];
	const notes = [];
	let leases;
	let ra;
	let info;
	if (!only || only === 'parse') leases = await parseBench(parseLines, notes);
	if (!only || only === 'returnAll') {
		const lab = await import('../scripts/lib/n8n-lab.mjs');
		info = await lab.ensureN8n();
		ra = await returnAllBench(raLines, notes, info);
	}
	const md = [
		'<!-- entrata -->',
		'## Benchmark: Entrata (`npm run bench -- --only entrata`)',
		'',
		`- date: ${new Date().toISOString()}; ${os.cpus().length} CPUs (shared); load average (1 min) ${fmt(loadBefore, 2)} before, ${fmt(os.loadavg()[0], 2)} after; parse on Node ${process.version}${info ? `; n8n ${info.n8nVersion} on ${info.nodeVersion}` : ''}`,
		...(parseLines.length
			? [
					'',
					`### Parse: one getLeases answer of ~${arg('mb', 20)} MB (${leases} leases) → items`,
					'',
					'Ours = the profile\'s path (JSON.parse / our fast-xml-parser codec, then `entrataRecords`: unwrap, wrappers → lists, `@attributes` flattened, ISO 8601 companions of every Mountain Time date). Bare = `JSON.parse` / `new XMLParser({ignoreAttributes: false}).parse` of the same text, in the same process, alternating, gc between, median of the rounds. Peak RSS: one child per case, one parse, rise of the peak RSS over the RSS before the payload was read ÷ payload size.',
					'',
					'| format | payload | bare (ms) | ours (ms) | time ratio (goal ≤ 1.3×) | bare peak RSS | ours peak RSS (goal ≤ 4×) |',
					'| --- | --- | ---: | ---: | ---: | ---: | ---: |',
					...parseLines,
				]
			: []),
		...(raLines.length
			? [
					'',
					`### Return All of ${ra.leases} leases in real n8n`,
					'',
					`A: Entrata → Lease → Get Many (getLeases r2), Return All (page_no/per_page 500; after page 1 gives X-Total-Count, pages 2–20 four at a time). B: HTTP Request v${ra.typeVersion} POSTing the envelope with X-Api-Key, pagination \`page_no = {{ $pageCount + 1 }}\` complete when \`$pageCount × 500 ≥ X-Total-Count\` ($pageCount = pages received so far), then Split Out \`response.result.leases.lease\` (one item per lease; B's time = both nodes). 1 warm-up each, then ${ra.runs} alternating runs; time = executionTime (median, ms).`,
					'',
					'| case | ours | HTTP Request + Split Out | ratio | goal |',
					'| --- | ---: | ---: | ---: | --- |',
					...raLines,
				]
			: []),
		...(notes.length ? ['', `Goals missed / problems: ${notes.join('; ')}`] : ['', 'All goals met.']),
		'<!-- /entrata -->',
	].join('\n');
	const resultsFile = path.join(BENCH_DIR, 'results.md');
	const previous = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8') : '';
	const section = /<!-- entrata -->[\s\S]*<!-- \/entrata -->/;
	fs.writeFileSync(resultsFile, section.test(previous) ? previous.replace(section, md) : `${previous.trimEnd()}\n\n${md}\n`);
	console.log(`written: ${resultsFile}`);
	if (notes.length) console.log(`goals missed / problems: ${notes.join('; ')}`);
}

if (process.argv[2] === '--child') child();
else
	main().catch((err) => {
		console.error(err.stack ?? err);
		process.exit(1);
	});
