// Vendor-agnostic core of the local API simulators (RentEngine today; Buildium REST and Entrata RPC later).
//
// A vendor module describes its API and this file supplies everything else:
//
//   const sim = createSimulator({
//     name: 'rentengine',
//     basePath: '/api/public/v1',            // API routes live under it; /__control lives at the origin root
//     authenticate(ctx) { ... },             // null = allowed, or { status, body, headers? } to refuse
//     errorBody(status, message, details) {} // the vendor's error JSON (used by the core for 400/404/405/5xx/faults)
//     routes: [{ method: 'GET', path: '/units/:id', handler(ctx) { return { status, body, headers? } } }],
//     seed(options) { return db },           // fresh data store; its array-valued properties are the collections
//     seedOptions: { units: 250, seed: 42 }, // what /__control/reset re-seeds with
//     webhookHeaders(subscriber, { deliveryId, body }) { ... } // optional: vendor auth/signature headers
//     rateLimit: { limit: 30, windowMs: 5000, headers: { limit, remaining, reset } } // optional, see below
//     latencyMs: 0,                          // optional: every API request waits this long before it is answered
//     control(ctx) { ... },                  // optional: vendor /__control endpoints, see below
//     endpoints: [{ prefix: '/__bucket', handle(req, res, url) {} }], // optional raw HTTP handlers outside basePath
//     webhookFilter(subscriber, event) {}    // optional: false = do not deliver this event to this subscriber
//     redactHeaders: ['x-api-secret'],       // optional: logged as '<redacted>' (authorization always is)
//   });
//   await sim.start({ port: 0 });
//
// Handlers receive ctx = { sim, db, method, path, params, query, headers, body, rawBody, req } where `path` is
// relative to basePath, `query` maps each name to a string (an array of strings when the name repeats) and `body`
// is the parsed JSON (or the raw text for non-JSON content types, null when empty). Handlers return
// { status, body, headers? } or throw `new HttpError(status, body)` (see `sim.fail`).
//
// Faults (sim.injectFault or POST /__control/faults): { kind: '429'|'503'|any 4xx/5xx|'reset'|'slow'|'truncate',
// method?, path? (prefix), times? (default 1), skip? (matching requests let through first), retryAfter?, delayMs? }.
//
// Rate limit (def.rateLimit or sim.setRateLimit(cfg | null)): at most `limit` API requests per fixed window of
// `windowMs`; beyond it 429 with Retry-After (seconds to the window's end). With `headers` ({limit, remaining,
// reset} header names), every API response reports the budget, reset in seconds until the window ends.
// `key(req)` (optional) gives each key its own window (e.g. per API client id); `retryAfter: false` leaves the
// Retry-After header off the 429 (for vendors that send none). Runtime: GET|POST /__control/ratelimit (null = off).
//
// Latency (def.latencyMs, sim.setLatency(ms), GET|POST /__control/latency {ms}): each API request waits that long
// (after its body is read, before faults and the rate limit) to emulate internet round trips in benchmarks.
//
// Vendor control endpoints: `def.control({ method, path, body, url, sim })` is asked for any /__control path the
// core does not know; it returns { status, body } or undefined (-> 404). It may be async and may throw (-> 400).
// Raw endpoints: `def.endpoints` handle paths outside basePath themselves (no auth, faults or rate limit), e.g. an
// S3-like file bucket the vendor API hands out URLs to. Webhook subscribers keep any extra fields given to
// subscribe() (e.g. `events`), which `def.webhookFilter` can use.
//
// Everything is bound to 127.0.0.1: the simulators are test infrastructure and must never be reachable from outside.
import { randomUUID } from 'node:crypto';
import http from 'node:http';

export class HttpError extends Error {
	constructor(status, body, headers = {}) {
		super(typeof body?.error === 'string' ? body.error : `HTTP ${status}`);
		this.status = status;
		this.body = body;
		this.headers = headers;
	}
}

const CONTROL_PREFIX = '/__control';
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const REDACTED_HEADERS = ['authorization'];
const ERROR_STATUS_KIND = /^[45]\d\d$/; // '429', '503', '500' and any other 4xx/5xx status as a fault kind
const FAULT_KINDS = ['reset', 'slow', 'truncate'];

/** Compiles '/units/:id' into a matcher returning the params object or null. */
function compilePath(pattern) {
	const names = [];
	const source = pattern
		.split('/')
		.map((seg) => {
			if (!seg.startsWith(':')) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
			names.push(seg.slice(1));
			return '([^/]+)';
		})
		.join('/');
	const re = new RegExp(`^${source}/?$`);
	return (path) => {
		const m = re.exec(path);
		if (!m) return null;
		return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
	};
}

/** Query string -> plain object; a repeated name becomes an array (Object.fromEntries keeps '__proto__' inert). */
function parseQuery(searchParams) {
	const map = new Map();
	for (const [k, v] of searchParams) {
		if (!map.has(k)) map.set(k, v);
		else map.set(k, [].concat(map.get(k), v));
	}
	return Object.fromEntries(map);
}

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		req.on('data', (c) => {
			size += c.length;
			if (size > MAX_BODY_BYTES) {
				reject(new HttpError(413, null));
				req.destroy();
			} else chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/** Empties a log in place (other holders keep the same array) and says how many entries it had. */
const drain = (list) => list.splice(0).length;

/** Normalises a fault from the JS API or /__control/faults; throws on a shape we would silently ignore. */
function normalizeFault(input, nextId) {
	if (!input || typeof input !== 'object') throw new Error('fault must be an object');
	const kind = String(input.kind ?? '');
	if (!ERROR_STATUS_KIND.test(kind) && !FAULT_KINDS.includes(kind)) {
		throw new Error(`unknown fault kind '${kind}' (use 429, 503, 500 or another 4xx/5xx status, reset, slow, truncate)`);
	}
	const times = input.times === undefined ? 1 : Number(input.times);
	if (!Number.isInteger(times) || times < 1) throw new Error('fault.times must be a positive integer');
	const skip = input.skip === undefined ? 0 : Number(input.skip);
	if (!Number.isInteger(skip) || skip < 0) throw new Error('fault.skip must be a non-negative integer');
	const fault = { id: nextId, kind, times, skip };
	if (input.method) fault.method = String(input.method).toUpperCase();
	if (input.path) fault.path = String(input.path);
	if (kind === '429') fault.retryAfter = Number(input.retryAfter ?? 1);
	else if (input.retryAfter !== undefined) fault.retryAfter = Number(input.retryAfter);
	if (kind === 'slow') fault.delayMs = Number(input.delayMs ?? 1000);
	return fault;
}

/**
 * @param {object} def vendor definition (see the header comment)
 * @returns the simulator object; call `await sim.start({ port })` before use.
 */
export function createSimulator(def) {
	const basePath = (def.basePath ?? '').replace(/\/$/, '');
	const errorBody = def.errorBody ?? ((status, message, details) => ({ error: message, ...(details ? { details } : {}) }));
	const retry = { attempts: 4, baseDelayMs: 100, timeoutMs: 5000, ...def.webhookRetry };
	const webhookHeaders = def.webhookHeaders ?? ((sub) => (sub.token ? { 'x-api-token': sub.token } : {}));
	const routes = def.routes.map((r) => ({ ...r, method: r.method.toUpperCase(), match: compilePath(r.path) }));
	const endpoints = def.endpoints ?? [];
	const redacted = [...REDACTED_HEADERS, ...(def.redactHeaders ?? []).map((h) => h.toLowerCase())];
	let latencyMs = Number(def.latencyMs ?? 0);

	const requests = [];
	const faults = [];
	const subscribers = [];
	const deliveries = [];
	const pending = new Set(); // in-flight webhook deliveries (promises)
	const timers = new Set(); // sleeps we can cut short on close
	const outgoing = new Set(); // webhook client requests we can abort on close
	let faultSeq = 0;
	let closed = false;
	let server;
	let db;

	/** Timer-backed sleep that close() resolves early, so no test waits on a pending backoff. */
	function sleep(ms) {
		return new Promise((resolve) => {
			const entry = { resolve };
			entry.timer = setTimeout(() => {
				timers.delete(entry);
				resolve();
			}, ms);
			timers.add(entry);
		});
	}

	function send(res, status, body, headers = {}) {
		if (res.destroyed || res.headersSent) return;
		const text = body === undefined || body === null ? '' : typeof body === 'string' ? body : JSON.stringify(body);
		res.writeHead(status, {
			...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
			'content-length': Buffer.byteLength(text),
			...headers,
		});
		res.end(text);
	}

	function takeFault(method, fullPath, apiPath) {
		const matches = (p) => fullPath.startsWith(p) || (apiPath !== null && apiPath.startsWith(p));
		const i = faults.findIndex((f) => (!f.method || f.method === method) && (!f.path || matches(f.path)));
		if (i < 0) return null;
		const fault = faults[i];
		if (fault.skip > 0) {
			fault.skip--; // let this matching request through untouched ("fail the second page")
			return null;
		}
		if (--fault.times <= 0) faults.splice(i, 1);
		return fault;
	}

	function runRoute(ctx) {
		let allowed = [];
		for (const route of routes) {
			const params = route.match(ctx.path);
			if (!params) continue;
			if (route.method !== ctx.method) {
				allowed.push(route.method);
				continue;
			}
			ctx.params = params;
			return route.handler(ctx);
		}
		if (allowed.length) throw new HttpError(405, errorBody(405, 'Method Not Allowed'), { allow: allowed.join(', ') });
		throw new HttpError(404, errorBody(404, 'Not Found'));
	}

	async function handleApi(req, res, url) {
		const method = req.method.toUpperCase();
		const fullPath = url.pathname;
		const apiPath = fullPath === basePath || fullPath.startsWith(`${basePath}/`) ? fullPath.slice(basePath.length) || '/' : null;
		const headers = {};
		for (const [k, v] of Object.entries(req.headers)) headers[k] = redacted.includes(k) ? '<redacted>' : v;
		const entry = { method, path: fullPath, query: parseQuery(url.searchParams), headers, body: null, status: null, at: new Date().toISOString() };
		requests.push(entry);
		const reply = (status, body, extra) => {
			entry.status = status;
			send(res, status, body, extra);
		};

		let rawBody;
		try {
			rawBody = await readBody(req);
		} catch (err) {
			return reply(err.status ?? 400, errorBody(err.status ?? 400, 'Could not read request body'));
		}
		const isJson = /json/i.test(req.headers['content-type'] ?? '');
		let body = rawBody === '' ? null : rawBody;
		let jsonError = false;
		if (isJson && rawBody.trim() !== '') {
			try {
				body = JSON.parse(rawBody);
			} catch {
				jsonError = true;
			}
		}
		entry.body = body;

		if (latencyMs > 0) {
			await sleep(latencyMs);
			if (closed) return;
		}

		const fault = takeFault(method, fullPath, apiPath);
		if (fault) entry.fault = fault.kind;
		if (fault?.kind === 'reset') {
			entry.status = 0;
			req.socket.destroy();
			return;
		}
		if (fault?.kind === 'slow') {
			await sleep(fault.delayMs);
			if (closed) return;
		}
		if (fault && ERROR_STATUS_KIND.test(fault.kind)) {
			const status = Number(fault.kind);
			const message = http.STATUS_CODES[status] ?? 'Error';
			const extra = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
			return reply(status, errorBody(status, message), extra);
		}

		const budget = takeRateBudget(req);
		if (budget?.refused) return reply(429, errorBody(429, 'Too Many Requests'), budget.headers);

		let result;
		try {
			if (apiPath === null) throw new HttpError(404, errorBody(404, 'Not Found'));
			const ctx = { sim, db, req, method, path: apiPath, params: {}, query: entry.query, headers: req.headers, body, rawBody };
			const refusal = def.authenticate ? def.authenticate(ctx) : null;
			if (refusal) throw new HttpError(refusal.status, refusal.body, refusal.headers);
			if (jsonError) throw new HttpError(400, errorBody(400, 'Invalid JSON in request body'));
			result = await runRoute(ctx);
		} catch (err) {
			if (!(err instanceof HttpError)) {
				console.error(`[${def.name} simulator] handler error:`, err);
				err = new HttpError(500, errorBody(500, 'Internal simulator error', [{ message: String(err?.message ?? err) }]));
			}
			result = { status: err.status, body: err.body, headers: err.headers };
		}

		if (fault?.kind === 'truncate') {
			// A "successful" response whose JSON stops halfway: Content-Length matches what is sent, so the
			// client sees a clean 200 and fails only when it parses the body.
			const text = JSON.stringify(result.body ?? null);
			return reply(200, text.slice(0, Math.floor(text.length / 2)));
		}
		reply(result.status, result.body, { ...budget?.headers, ...result.headers });
	}

	// ---- rate limit ------------------------------------------------------------------------------------------------

	let rateLimit = def.rateLimit ?? null;
	let rateWindows = new Map(); // rate-limit key ('' without def.rateLimit.key) -> { start, count }
	/** Counts one API request against the fixed window (of its key); null when no limit is set. */
	function takeRateBudget(req) {
		if (!rateLimit) return null;
		const now = Date.now();
		const key = rateLimit.key ? String(rateLimit.key(req) ?? '') : '';
		let rateWindow = rateWindows.get(key);
		if (!rateWindow || now - rateWindow.start >= rateLimit.windowMs) rateWindows.set(key, (rateWindow = { start: now, count: 0 }));
		rateWindow.count++;
		const resetSeconds = Math.max(1, Math.ceil((rateWindow.start + rateLimit.windowMs - now) / 1000));
		const refused = rateWindow.count > rateLimit.limit;
		const names = rateLimit.headers;
		const headers = names
			? {
					[names.limit]: String(rateLimit.limit),
					[names.remaining]: String(Math.max(0, rateLimit.limit - rateWindow.count)),
					[names.reset]: String(resetSeconds),
				}
			: {};
		if (refused && rateLimit.retryAfter !== false) headers['retry-after'] = String(resetSeconds);
		return { refused, headers };
	}

	// ---- webhooks ------------------------------------------------------------------------------------------------

	function postOnce(url, body, headers) {
		return new Promise((resolve) => {
			let target;
			try {
				target = new URL(url);
			} catch {
				return resolve({ error: 'EINVALIDURL' });
			}
			const req = http.request(target, { method: 'POST', agent: false, headers: { ...headers, 'content-length': Buffer.byteLength(body) }, timeout: retry.timeoutMs });
			outgoing.add(req);
			const done = (r) => {
				outgoing.delete(req);
				resolve(r);
			};
			req.on('response', (res) => {
				res.resume();
				res.on('end', () => done({ status: res.statusCode }));
				res.on('error', (e) => done({ error: e.code ?? e.message }));
			});
			req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
			req.on('error', (e) => done({ error: e.code ?? e.message }));
			req.end(body);
		});
	}

	/** Same body and same x-delivery-id on every attempt; backoff baseDelayMs * 2^(attempt-1). */
	async function deliver(sub, deliveryId, bodyText) {
		const logged = JSON.parse(bodyText); // a snapshot: later mutations of the record must not show up in the log
		const headers = { 'content-type': 'application/json', 'x-delivery-id': deliveryId, ...webhookHeaders(sub, { deliveryId, body: bodyText }) };
		for (let attempt = 1; attempt <= retry.attempts && !closed; attempt++) {
			const result = await postOnce(sub.url, bodyText, headers);
			if (closed) return;
			deliveries.push({ deliveryId, subscriptionId: sub.id, url: sub.url, attempt, ...result, body: logged, at: new Date().toISOString() });
			if (result.status >= 200 && result.status < 300) return;
			if (attempt < retry.attempts) await sleep(retry.baseDelayMs * 2 ** (attempt - 1));
		}
	}

	function emit(event) {
		const bodyText = JSON.stringify(event);
		const targets = def.webhookFilter ? subscribers.filter((sub) => def.webhookFilter(sub, event)) : subscribers;
		return targets.map((sub) => {
			const deliveryId = randomUUID();
			const p = deliver(sub, deliveryId, bodyText).finally(() => pending.delete(p));
			pending.add(p);
			return deliveryId;
		});
	}

	async function flushWebhooks() {
		while (pending.size) await Promise.allSettled([...pending]);
	}

	function subscribe({ url, token, ...extra } = {}) {
		if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw new Error('subscribe needs an http(s) url');
		const sub = { ...extra, id: randomUUID(), url, token: token ?? null };
		subscribers.push(sub);
		return sub;
	}

	// ---- state ---------------------------------------------------------------------------------------------------

	let seedOptions = { ...def.seedOptions };
	function reseed(options = seedOptions) {
		db = def.seed({ ...options });
		return counts();
	}
	function counts() {
		return Object.fromEntries(Object.entries(db).filter(([, v]) => Array.isArray(v)).map(([k, v]) => [k, v.length]));
	}

	// ---- control API ---------------------------------------------------------------------------------------------

	async function handleControl(req, res, url) {
		const method = req.method.toUpperCase();
		const path = url.pathname.slice(CONTROL_PREFIX.length).replace(/\/$/, '') || '/';
		let body = null;
		try {
			const raw = await readBody(req);
			body = raw.trim() ? JSON.parse(raw) : null;
		} catch {
			return send(res, 400, { error: 'Invalid JSON' });
		}
		const key = `${method} ${path}`;
		try {
			switch (key) {
				case 'POST /faults':
					return send(res, 201, { faults: sim.injectFault(body) });
				case 'GET /faults':
					return send(res, 200, faults);
				case 'DELETE /faults':
					return send(res, 200, { cleared: sim.clearFaults() });
				case 'GET /requests': {
					const p = url.searchParams.get('path');
					const list = p ? requests.filter((r) => r.path.startsWith(p) || r.path.startsWith(basePath + p)) : requests;
					return send(res, 200, list);
				}
				case 'DELETE /requests':
					return send(res, 200, { cleared: sim.clearRequests() });
				case 'POST /webhooks':
					return send(res, 201, subscribe(body ?? {}));
				case 'GET /webhooks':
					return send(res, 200, subscribers);
				case 'DELETE /webhooks':
					return send(res, 200, { cleared: sim.unsubscribeAll() });
				case 'GET /deliveries':
					if (['1', 'true'].includes(url.searchParams.get('flush'))) await flushWebhooks();
					return send(res, 200, deliveries);
				case 'DELETE /deliveries':
					return send(res, 200, { cleared: sim.clearDeliveries() });
				case 'POST /emit':
					if (!body || typeof body !== 'object') throw new Error('emit needs a JSON event body');
					return send(res, 202, { deliveryIds: emit(body) });
				case 'POST /reset':
					return send(res, 200, await sim.reset());
				case 'POST /seed':
					return send(res, 200, sim.seed(body ?? {}));
				case 'GET /state':
					return send(res, 200, counts());
				case 'GET /latency':
					return send(res, 200, { ms: latencyMs });
				case 'POST /latency':
					sim.setLatency(body?.ms ?? 0);
					return send(res, 200, { ms: latencyMs });
				case 'GET /ratelimit':
					return send(res, 200, rateLimit);
				case 'POST /ratelimit':
					if (body !== null && !(Number(body.limit) > 0 && Number(body.windowMs) > 0)) throw new Error('ratelimit needs {limit, windowMs} or null');
					sim.setRateLimit(body && { ...rateLimit, limit: Number(body.limit), windowMs: Number(body.windowMs) });
					return send(res, 200, rateLimit);
				default: {
					const result = def.control ? await def.control({ method, path, body, url, sim }) : undefined;
					if (result) return send(res, result.status ?? 200, result.body, result.headers);
					return send(res, 404, { error: `Unknown control endpoint ${key}` });
				}
			}
		} catch (err) {
			return send(res, 400, { error: String(err?.message ?? err) });
		}
	}

	// ---- public object -------------------------------------------------------------------------------------------

	const sim = {
		name: def.name,
		basePath,
		url: null,
		origin: null,
		port: null,
		HttpError,
		/** Throws the vendor-shaped error; handlers use it as `sim.fail(400, 'Unit not found', details)`. */
		fail(status, message, details) {
			throw new HttpError(status, errorBody(status, message, details));
		},
		errorBody,
		get db() {
			return db;
		},
		/** Counts per collection, same as GET /__control/state. */
		get state() {
			return counts();
		},
		get requests() {
			return requests;
		},
		clearRequests: () => drain(requests),
		get faults() {
			return faults;
		},
		injectFault(input) {
			const list = (Array.isArray(input) ? input : [input]).map((f) => normalizeFault(f, ++faultSeq));
			faults.push(...list);
			return list;
		},
		clearFaults: () => drain(faults),
		/** Sets (or with null lifts) the API rate limit; the window starts afresh. */
		setRateLimit(cfg) {
			rateLimit = cfg;
			rateWindows = new Map();
		},
		get rateLimit() {
			return rateLimit;
		},
		/** Sets the per-request latency in ms (0 = none). */
		setLatency(ms) {
			const n = Number(ms);
			if (!Number.isFinite(n) || n < 0) throw new Error('latency must be a non-negative number of ms');
			latencyMs = n;
		},
		get latencyMs() {
			return latencyMs;
		},
		subscribe,
		get subscribers() {
			return subscribers;
		},
		unsubscribeAll: () => drain(subscribers),
		emit,
		flushWebhooks,
		get deliveries() {
			return deliveries;
		},
		clearDeliveries: () => drain(deliveries),
		/** Back to the just-started state: original seed, no faults, empty logs, no webhook subscribers. */
		async reset() {
			sim.clearFaults();
			sim.unsubscribeAll();
			await flushWebhooks(); // let in-flight deliveries land before the logs are cleared
			sim.clearRequests();
			sim.clearDeliveries();
			return reseed(seedOptions);
		},
		/** Replaces the data only (logs, faults and subscribers stay); options are merged over the start options. */
		seed(options = {}) {
			return reseed({ ...seedOptions, ...options });
		},
		async start({ port = 0, host = '127.0.0.1' } = {}) {
			reseed(seedOptions);
			server = http.createServer((req, res) => {
				const url = new URL(req.url, 'http://localhost');
				const endpoint = endpoints.find((e) => url.pathname === e.prefix || url.pathname.startsWith(`${e.prefix}/`));
				const handler = endpoint
					? (rq, rs, u) => Promise.resolve(endpoint.handle(rq, rs, u, sim))
					: url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`)
						? handleControl
						: handleApi;
				handler(req, res, url).catch((err) => {
					console.error(`[${def.name} simulator] unexpected error:`, err);
					send(res, 500, errorBody(500, 'Internal simulator error'));
				});
			});
			await new Promise((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, host, () => {
					server.off('error', reject);
					resolve();
				});
			});
			sim.port = server.address().port;
			sim.origin = `http://${host}:${sim.port}`;
			sim.url = sim.origin + basePath;
			return sim;
		},
		/** Stops listening, drops keep-alive sockets and abandons webhook retries so the test process can exit. */
		async close() {
			if (closed || !server) return;
			closed = true;
			for (const t of timers) {
				clearTimeout(t.timer);
				t.resolve();
			}
			timers.clear();
			for (const r of outgoing) r.destroy();
			await Promise.allSettled([...pending]);
			await new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
	return sim;
}
