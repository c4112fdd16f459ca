// Local simulator of the Entrata API v1, built on base.mjs. Source of truth: specs/entrata-methods.json (every
// service, method, version and param; loaded at startup) and the project's Entrata guide (§2).
//
// Vendor behaviour reproduced:
// - Both hosts, as path prefixes on one origin: the API gateway `POST /ext/orgs/<org>/v1/<service>` with
//   `X-Api-Key` and envelope `auth.type = "apikey"`, and the legacy host `POST /api/v1/<service>` with HTTP Basic and
//   `auth.type = "basic"`. `sim.gatewayUrl` / `sim.legacyUrl` are the base URLs a credential override points at.
// - The envelope `{auth, requestId, method: {name, version, params}}` in JSON or XML (Content-Type says which; the
//   response uses the request's format). Success `{response: {requestId, code: 200, result}}`, errors
//   `{response: {requestId, error: {code, message}}}`: HTTP 401/403 for auth, HTTP 200 for method errors (unknown
//   method or version, missing or unknown params, unknown IDs) — or the status set by `sim.methodErrorStatus`.
// - Every catalogue method answers. Seeded and stateful: applications (getCompanyApplications, sendApplication), leads (getLeads, getLeadEvents, sendLeads, updateLeads),
//   customers (getCustomers, searchCustomers, updateCustomers), leases (getLeases, getLeaseDetails, sendLeases,
//   updateLease), work orders (getWorkOrders, sendWorkOrders, updateWorkOrders); status/getStatus; the reports queue
//   (getReportData r3 answers a queueId; queue/getResponse answers code 310 until the report is ready, after
//   `reportReadyAfter` polls). Every other get* method answers a plural/singular wrapper of two records, every other
//   write method `{status: 'Success'}`.
// - Entities use Entrata's JSON shapes: plural/singular wrappers (`customers.customer[]`, one object when there is
//   one), `@attributes` (XML attributes) on customers, leases and leads, dates as `MM/DD/YYYY` or
//   `MM/DD/YYYYTHH:MM:SS` in America/Denver.
// - Paging on getLeases, getLeads, getLeadEvents, getCustomers, getWorkOrders, getArPayments and
//   getLeaseArTransactions: `page_no` (1-based) / `per_page` (≤ 500) query parameters; `X-Total-Count` on every paged
//   answer, `Link` (first/prev/next/last) when the request sends `X-Send-Pagination-Links: 1`.
// - Rate limits per service and key in Entrata's header format (`sim.setServiceRateLimit({perMinute, windowMs})` or
//   `{windows: [{name, limit, ms}]}`): `X-RateLimit-Limit: 15000/DAY;1000/HOUR;<n>/MINUTE`, `X-RateLimit-Remaining`,
//   `X-RateLimit-Reset: <s>;<s>;<s>`; over any window 429 with Retry-After. Shared fault injection (base.mjs) on top.
//
// ASSUMPTIONS (unverified against the live API; change them when it says otherwise):
// - An app the organisation has not enabled gets HTTP 403 `{code: 403}`; a caller IP outside the whitelist
//   (`sim.ipWhitelist`) gets HTTP 200 with error code 113. Wrong key or password: HTTP 401 `{code: 401}`.
// - Method errors use codes 301 (unknown method / version), 302 (params), 303 (unknown ID); the queue uses 310
//   (not ready) and 311 (unknown queue ID).
// - Without page_no/per_page a paged method returns everything.
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { readFileSync } from 'node:fs';

import { specPath } from '../../scripts/lib/specs.mjs';
import { createSimulator } from './base.mjs';

const catalogue = JSON.parse(readFileSync(specPath('entrata-methods.json'), 'utf8'));
/** service → method → version → [{name, required}] (the catalogue's methods plus queue and reports). */
export const METHODS = (() => {
	const all = { ...catalogue.services, ...catalogue.extra_services_without_params };
	const out = {};
	for (const [service, methods] of Object.entries(all)) {
		out[service] = {};
		for (const [method, versions] of Object.entries(methods)) {
			if (method.startsWith('_')) continue;
			out[service][method] = Object.fromEntries(Object.entries(versions).filter(([v]) => /^r\d+$/.test(v)));
		}
	}
	return out;
})();

export const PAGED = new Set(['getLeases', 'getLeads', 'getLeadEvents', 'getCustomers', 'getWorkOrders', 'getArPayments', 'getLeaseArTransactions']);
const MAX_PER_PAGE = 500;
const ZONE_OFFSET_NOTE = 'America/Denver';

const xmlOptions = { ignoreAttributes: false, attributeNamePrefix: '', attributesGroupName: '@attributes' };
const xmlParser = new XMLParser({ ...xmlOptions, parseTagValue: false, parseAttributeValue: false, trimValues: true });
const xmlBuilder = new XMLBuilder({ ...xmlOptions, format: false, suppressEmptyNode: false });

/** Deterministic PRNG (mulberry32). */
function rng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

// ---- Mountain Time text ------------------------------------------------------------------------------------------

const denverParts = new Intl.DateTimeFormat('en-US', {
	timeZone: ZONE_OFFSET_NOTE,
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	hourCycle: 'h23',
});
/** Epoch ms → `MM/DD/YYYYTHH:MM:SS` in Denver. */
export function denverText(ms, withTime = true) {
	const p = Object.fromEntries(denverParts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
	const date = `${p.month}/${p.day}/${p.year}`;
	return withTime ? `${date}T${p.hour}:${p.minute}:${p.second}` : date;
}
/** `MM/DD/YYYY[THH:MM:SS]` (Denver) → a comparable key `YYYYMMDD[HHMMSS]` (wall-clock order is enough here). */
function dateKey(text) {
	const m = /^(\d{2})\/(\d{2})\/(\d{4})(?:T(\d{2}):(\d{2}):(\d{2}))?$/.exec(String(text ?? '').trim());
	return m ? `${m[3]}${m[1]}${m[2]}` : undefined;
}

// ---- seed ------------------------------------------------------------------------------------------------------

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'John', 'Radia', 'Ken', 'Margaret', 'Dennis'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Backus', 'Perlman', 'Thompson', 'Hamilton', 'Ritchie'];
const SEED_EPOCH = Date.UTC(2024, 2, 1, 15, 0, 0); // 03/01/2024 08:00 MST

function seedEntrata({ seed = 42, properties = 2, leasesPerProperty = 30, leadsPerProperty = 12, customersPerProperty = 25, workOrdersPerProperty = 8 } = {}) {
	const rand = rng(seed);
	const pick = (list) => list[Math.floor(rand() * list.length)];
	const db = { properties: [], units: [], customers: [], leases: [], leads: [], leadEvents: [], workOrders: [], applications: [], arPayments: [], arTransactions: [], queue: [], seq: 5000 };
	for (let p = 0; p < properties; p++) {
		const propertyId = 100 + p;
		db.properties.push({ propertyId, marketingName: `Aspen Ridge ${p + 1}`, type: 'Apartment', address: { city: 'Denver', state: 'CO', postalCode: '80202-1234' } });
		for (let u = 0; u < 10; u++) db.units.push({ propertyUnitId: propertyId * 100 + u, propertyId, unitNumber: `B${p + 1}-${String(u).padStart(2, '0')}`, floorplanName: pick(['Studio', 'One Bedroom', 'Two Bedroom']), rent: 1200 + u * 25 });
		for (let c = 0; c < customersPerProperty; c++) {
			const id = propertyId * 1000 + c;
			db.customers.push({ '@attributes': { id }, propertyId, firstName: pick(FIRST), lastName: pick(LAST), email: `resident${id}@example.com`, phone: `303-555-${String(1000 + c).slice(-4)}` });
		}
		// One move-in every 9 days, closer together for a large property so its leases span at most ten years (as a real
		// one's would: 10 000 leases, one every ~9 hours), not centuries.
		const leaseStepMs = Math.min(9 * 86_400_000, Math.floor((3650 * 86_400_000) / Math.max(1, leasesPerProperty)));
		for (let l = 0; l < leasesPerProperty; l++) {
			const id = propertyId * 10000 + l;
			const moveIn = SEED_EPOCH - (l + 1) * leaseStepMs;
			db.leases.push({
				'@attributes': { id },
				propertyId,
				customerId: propertyId * 1000 + (l % customersPerProperty),
				unitNumber: `B${p + 1}-${String(l % 10).padStart(2, '0')}`,
				leaseStatusTypeId: 4 - (l % 3 === 0 ? 1 : 0),
				leaseStatusType: l % 3 === 0 ? 'Future' : 'Current',
				rent: 1200 + (l % 10) * 25,
				moveInDate: denverText(moveIn, false),
				createdOn: denverText(moveIn - 20 * 86_400_000),
				updatedOn: denverText(moveIn - 10 * 86_400_000),
			});
		}
		for (let l = 0; l < leadsPerProperty; l++) {
			const applicationId = propertyId * 100000 + l;
			const created = SEED_EPOCH + l * 3_600_000 * 7;
			db.leads.push({
				'@attributes': { applicationId },
				propertyId,
				status: pick(['New', 'Contacted', 'Tour Scheduled']),
				leadSource: pick(['Zillow', 'Apartments.com', 'Walk-In']),
				desiredUnitNumber: `B${p + 1}-0${l % 10}`,
				createdOn: denverText(created),
				updatedOn: denverText(created + 3_600_000),
				customers: { customer: [{ firstName: pick(FIRST), lastName: pick(LAST), email: `lead${applicationId}@example.com`, phone: { personalPhoneNumber: `720-555-${String(2000 + l).slice(-4)}` } }] },
			});
			db.leadEvents.push({ applicationId, propertyId, eventId: applicationId * 10, type: 'Lead Created', date: denverText(created) });
		}
		for (let w = 0; w < workOrdersPerProperty; w++) {
			const id = propertyId * 1000 + 500 + w;
			const created = SEED_EPOCH + w * 86_400_000;
			db.workOrders.push({ '@attributes': { id }, propertyId, problemDescription: pick(['Leaking faucet', 'Broken blinds', 'No hot water']), status: 'Open', priority: pick(['Low', 'Normal', 'High']), unitNumber: `B${p + 1}-0${w % 10}`, createdOn: denverText(created), updatedOn: denverText(created) });
		}
		for (let a = 0; a < 4; a++) {
			const created = SEED_EPOCH + a * 86_400_000 * 2;
			db.applications.push({ applicationId: propertyId * 100 + a, propertyId, applicantName: `${pick(FIRST)} ${pick(LAST)}`, status: 'Started', createdOn: denverText(created), updatedOn: denverText(created) });
		}
		for (let a = 0; a < 15; a++) {
			db.arPayments.push({ paymentId: propertyId * 100 + a, propertyId, leaseId: propertyId * 10000 + a, amount: 1200 + a, paymentDate: denverText(SEED_EPOCH + a * 86_400_000, false) });
			db.arTransactions.push({ transactionId: propertyId * 1000 + a, propertyId, leaseId: propertyId * 10000 + a, arCodeId: 1, amount: 1200 + a * 10, transactionDate: denverText(SEED_EPOCH + a * 86_400_000, false) });
		}
	}
	return db;
}

// ---- helpers -----------------------------------------------------------------------------------------------------

class MethodError extends Error {
	constructor(code, message) {
		super(message);
		this.code = code;
	}
}
const fail = (code, message) => {
	throw new MethodError(code, message);
};

const asList = (v) => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v]);
const ids = (v) => (v === undefined || v === null || v === '' ? undefined : String(v).split(',').map((s) => s.trim()).filter(Boolean));
const attr = (record, key) => record['@attributes']?.[key] ?? record[key];
const wrap = (plural, singular, rows) => ({ [plural]: { [singular]: rows } });
const inProperty = (params) => (r) => params.propertyId === undefined || String(r.propertyId) === String(params.propertyId);
/** Date-only window on a `MM/DD/YYYY…` field, inclusive at both ends (Entrata filters by Denver date). */
const inWindow = (field, from, to) => (r) => {
	const k = dateKey(r[field]);
	const f = dateKey(from);
	const t = dateKey(to);
	return (!f || k >= f) && (!t || k <= t);
};

function requireProperty(db, params) {
	if (params.propertyId === undefined) return;
	if (!db.properties.some((p) => String(p.propertyId) === String(params.propertyId))) fail(303, `Property ${params.propertyId} was not found`);
}

// ---- methods -----------------------------------------------------------------------------------------------------

function singular(plural) {
	if (/ies$/.test(plural)) return `${plural.slice(0, -3)}y`;
	if (/(ses|xes|ches|shes)$/.test(plural)) return plural.slice(0, -2);
	if (/s$/.test(plural)) return plural.slice(0, -1);
	return `${plural}Item`;
}

/** Any get* method without its own handler: two records named after the method. */
function genericList(method, params) {
	let plural = method.replace(/^(get|search|generate)/, '');
	plural = plural[0].toLowerCase() + plural.slice(1);
	if (!/s$/.test(plural)) plural = `${plural}s`;
	const one = singular(plural);
	const rows = [1, 2].map((n) => ({ id: n, name: `${one} ${n}`, ...(params.propertyId !== undefined ? { propertyId: Number(params.propertyId) } : {}) }));
	return wrap(plural, one, rows);
}

function nextId(db) {
	db.seq += 1;
	return db.seq;
}

const HANDLERS = {
	'status.getStatus': () => ({ status: 'Success', message: 'The API is up' }),
	'leads.getLeads': (db, p) => {
		requireProperty(db, p);
		const wanted = ids(p.leadId);
		return wrap('prospects', 'prospect', db.leads
			.filter(inProperty(p))
			.filter((r) => !wanted || wanted.includes(String(attr(r, 'applicationId'))))
			.filter(inWindow('createdOn', p.createdOnDateFrom, p.createdOnDateTo))
			.filter(inWindow('updatedOn', p.fromDate, p.toDate)));
	},
	'leads.getLeadEvents': (db, p) => wrap('events', 'event', db.leadEvents.filter(inProperty(p)).filter((e) => !p.applicationId || String(e.applicationId) === String(p.applicationId))),
	'leads.sendLeads': (db, p, sim) => {
		requireProperty(db, p);
		const prospects = asList(p.prospects?.prospect ?? p.prospects);
		if (!prospects.length) fail(302, 'prospects is required');
		const created = prospects.map((prospect) => {
			const applicationId = nextId(db);
			const customer = asList(prospect.customers?.customer)[0] ?? {};
			const now = denverText(sim.now());
			db.leads.push({
				'@attributes': { applicationId },
				propertyId: Number(p.propertyId),
				status: 'New',
				leadSource: prospect.leadSource ?? 'n8n',
				desiredUnitNumber: prospect.customerPreferences?.desiredUnitNumber ?? '',
				createdOn: now,
				updatedOn: now,
				customers: { customer: [{ firstName: customer.name?.firstName ?? '', lastName: customer.name?.lastName ?? '', email: customer.email ?? '', phone: { personalPhoneNumber: customer.phone?.personalPhoneNumber ?? '' } }] },
				...(prospect.createdDate ? { submittedOn: prospect.createdDate } : {}),
			});
			db.leadEvents.push({ applicationId, propertyId: Number(p.propertyId), eventId: applicationId * 10, type: 'Lead Created', date: now });
			return { applicationId, status: 'Success', message: 'Application created successfully.' };
		});
		return wrap('prospects', 'prospect', created);
	},
	'leads.updateLeads': (db, p, sim) => {
		const lead = db.leads.find((r) => String(attr(r, 'applicationId')) === String(p.applicationId));
		if (!lead) fail(303, `Lead ${p.applicationId} was not found`);
		lead.updatedOn = denverText(sim.now());
		if (p.eventResultId !== undefined) lead.status = `Event ${p.eventResultId}`;
		db.leadEvents.push({ applicationId: Number(p.applicationId), propertyId: lead.propertyId, eventId: nextId(db), type: `Event type ${p.typeId}`, date: lead.updatedOn });
		return { status: 'Success', applicationId: Number(p.applicationId) };
	},
	'customers.getCustomers': (db, p) => {
		requireProperty(db, p);
		const wanted = ids(p.customerIds);
		return wrap('customers', 'customer', db.customers.filter(inProperty(p)).filter((c) => !wanted || wanted.includes(String(attr(c, 'id')))));
	},
	'customers.searchCustomers': (db, p) => {
		const q = String(p.search ?? '').toLowerCase();
		return wrap('customers', 'customer', db.customers.filter(inProperty(p)).filter((c) => `${c.firstName} ${c.lastName} ${c.email}`.toLowerCase().includes(q)));
	},
	'customers.updateCustomers': (db, p) => {
		const customer = db.customers.find((c) => String(attr(c, 'id')) === String(p.id));
		if (!customer) fail(303, `Customer ${p.id} was not found`);
		for (const [k, v] of Object.entries(p)) if (!['propertyId', 'id'].includes(k)) customer[k] = v;
		return { status: 'Success', customerId: Number(p.id) };
	},
	'leases.getLeases': (db, p) => {
		requireProperty(db, p);
		const wanted = ids(p.leaseIds);
		const statuses = ids(p.leaseStatusTypeIds);
		return wrap('leases', 'lease', db.leases
			.filter(inProperty(p))
			.filter((l) => !wanted || wanted.includes(String(attr(l, 'id'))))
			.filter((l) => !statuses || statuses.includes(String(l.leaseStatusTypeId))));
	},
	'leases.getLeaseDetails': (db, p) => {
		if (p.leaseId === undefined) return wrap('leases', 'lease', db.leases.filter(inProperty(p))); // r2: leaseId optional
		const lease = db.leases.find((l) => String(attr(l, 'id')) === String(p.leaseId));
		if (!lease) fail(303, `Lease ${p.leaseId} was not found`);
		return wrap('leases', 'lease', [lease]);
	},
	'leases.sendLeases': (db, p, sim) => {
		const id = nextId(db);
		const now = denverText(sim.now());
		db.leases.push({ '@attributes': { id }, propertyId: Number(p.propertyId), customerId: 0, unitNumber: '', leaseStatusTypeId: 1, leaseStatusType: 'Applicant', rent: 0, moveInDate: now.slice(0, 10), createdOn: now, updatedOn: now });
		return { status: 'Success', leaseId: id };
	},
	'leases.updateLease': (db, p, sim) => {
		const lease = db.leases.find((l) => String(attr(l, 'id')) === String(p.leaseId));
		if (!lease) fail(303, `Lease ${p.leaseId} was not found`);
		lease.updatedOn = denverText(sim.now());
		return { status: 'Success', leaseId: Number(p.leaseId) };
	},
	'maintenance.getWorkOrders': (db, p) => {
		requireProperty(db, p);
		return wrap('workOrders', 'workOrder', db.workOrders
			.filter(inProperty(p))
			.filter((w) => !p.workOrderId || String(attr(w, 'id')) === String(p.workOrderId))
			.filter(inWindow('createdOn', p.createdOnFromDate, p.createdOnToDate))
			.filter(inWindow('updatedOn', p.lastUpdatedOnFromDate, p.lastUpdatedOnToDate)));
	},
	'maintenance.sendWorkOrders': (db, p, sim) => {
		requireProperty(db, p);
		const id = nextId(db);
		const now = denverText(sim.now());
		db.workOrders.push({ '@attributes': { id }, propertyId: Number(p.propertyId), problemDescription: String(p.problemDescription ?? ''), status: 'Open', priority: 'Normal', unitNumber: String(p.unitNumber ?? ''), createdOn: now, updatedOn: now });
		return wrap('workOrders', 'workOrder', [{ id, status: 'Success' }]);
	},
	'maintenance.updateWorkOrders': (db, p, sim) => {
		const order = db.workOrders.find((w) => String(attr(w, 'id')) === String(p.workOrderId));
		if (!order) fail(303, `Work order ${p.workOrderId} was not found`);
		order.updatedOn = denverText(sim.now());
		if (p.statusId !== undefined) order.status = `Status ${p.statusId}`;
		return wrap('workOrders', 'workOrder', [{ id: Number(p.workOrderId), status: 'Success' }]);
	},
	'applications.getCompanyApplications': (db, p) => {
		requireProperty(db, p);
		return wrap('applications', 'application', db.applications.filter(inProperty(p)));
	},
	'applications.sendApplication': (db, p, sim) => {
		requireProperty(db, p);
		const applicationId = nextId(db);
		const now = denverText(sim.now());
		db.applications.push({ applicationId, propertyId: Number(p.propertyId), applicantName: '', status: 'Started', createdOn: now, updatedOn: now });
		return { status: 'Success', applicationId };
	},
	'arpayments.getArPayments': (db, p) => wrap('payments', 'payment', db.arPayments.filter(inProperty(p))),
	'artransactions.getLeaseArTransactions': (db, p) => wrap('transactions', 'transaction', db.arTransactions.filter(inProperty(p))),
	'properties.getProperties': (db, p) => {
		const wanted = ids(p.propertyIds);
		return wrap('properties', 'property', db.properties.filter((x) => !wanted || wanted.includes(String(x.propertyId))));
	},
	'propertyunits.getPropertyUnits': (db, p) => {
		const wanted = ids(p.propertyIds);
		return wrap('units', 'unit', db.units.filter((u) => !wanted || wanted.includes(String(u.propertyId))));
	},
	'reports.getReportList': () => wrap('reports', 'report', [{ reportName: 'pre_lease', reportVersion: 3.2 }, { reportName: 'rent_roll', reportVersion: 3.1 }]),
	'reports.getReportData': (db, p, sim) => {
		if (!['pre_lease', 'rent_roll'].includes(String(p.reportName))) fail(303, `Report ${p.reportName} was not found`);
		const queueId = `Q${nextId(db)}`;
		const rows = db.units.slice(0, 12).map((u) => ({ propertyId: u.propertyId, unitNumber: u.unitNumber, rent: u.rent, report: String(p.reportName) }));
		db.queue.push({ queueId, serviceName: 'getReportData', polls: 0, readyAfter: sim.reportReadyAfter, rows });
		return { queueId };
	},
	'queue.getResponse': (db, p) => {
		const job = db.queue.find((q) => q.queueId === String(p.queueId));
		if (!job) fail(311, `Queue ID ${p.queueId} was not found`);
		job.polls++;
		if (job.polls <= job.readyAfter) fail(310, 'The response is not ready yet; try again later');
		return wrap('rows', 'row', job.rows);
	},
};

function dispatch(sim, service, name, params) {
	const handler = HANDLERS[`${service}.${name}`];
	if (handler) return handler(sim.db, params, sim);
	if (/^(get|search|generate)/.test(name)) return genericList(name, params);
	return { status: 'Success', message: `${name} processed` };
}

/** One page of the result's only list (page_no / per_page), and the paging headers. */
function paginate(sim, result, query, headers, url) {
	const [plural] = Object.keys(result);
	const singularKey = Object.keys(result[plural])[0];
	const rows = asList(result[plural][singularKey]);
	const total = rows.length;
	if (query.page_no === undefined && query.per_page === undefined) return { result, headers: {} };
	const perPage = Math.min(MAX_PER_PAGE, Math.max(1, Number(query.per_page ?? 100)));
	const page = Math.max(1, Number(query.page_no ?? 1));
	const slice = rows.slice((page - 1) * perPage, page * perPage);
	const out = { 'x-total-count': String(total) };
	if (String(headers['x-send-pagination-links']) === '1' && sim.paginationLinks) {
		const last = Math.max(1, Math.ceil(total / perPage));
		const link = (n, rel) => `<${url.pathname}?page_no=${n}&per_page=${perPage}>; rel="${rel}"`;
		const links = [link(1, 'first')];
		if (page > 1) links.push(link(page - 1, 'prev'));
		if (page < last) links.push(link(page + 1, 'next'));
		links.push(link(last, 'last'));
		out.link = links.join(', ');
	}
	return { result: { [plural]: { [singularKey]: slice } }, headers: out };
}

// ---- request handling --------------------------------------------------------------------------------------------

function render(format, status, response, headers = {}) {
	if (format === 'xml') {
		return { status, body: `<?xml version="1.0" encoding="UTF-8"?>${xmlBuilder.build({ response })}`, headers: { 'content-type': 'application/xml; charset=utf-8', ...headers } };
	}
	return { status, body: { response }, headers };
}

/** XML params arrive as text: `<params/>` is empty, everything else stays as parsed. */
function parseEnvelope(ctx) {
	const xml = /xml/i.test(ctx.headers['content-type'] ?? '');
	if (!xml) return { format: 'json', envelope: ctx.body && typeof ctx.body === 'object' ? ctx.body : null };
	try {
		const doc = xmlParser.parse(String(ctx.rawBody ?? ''));
		const envelope = doc.request ?? null;
		if (envelope?.method && (envelope.method.params === '' || envelope.method.params === undefined)) envelope.method.params = {};
		return { format: 'xml', envelope };
	} catch {
		return { format: 'xml', envelope: null };
	}
}

function decodeBasic(header) {
	const m = /^Basic\s+(.+)$/i.exec(String(header ?? ''));
	if (!m) return null;
	const text = Buffer.from(m[1], 'base64').toString('utf8');
	const i = text.indexOf(':');
	return i < 0 ? null : { username: text.slice(0, i), password: text.slice(i + 1) };
}

function handle(sim, ctx, mode) {
	const { format, envelope } = parseEnvelope(ctx);
	const requestId = envelope?.requestId ?? '';
	const error = (status, code, message) => render(format, status, { requestId, error: { code, message } });
	// Authentication first, as a gateway does.
	if (mode === 'apikey') {
		if (ctx.params.org !== sim.org) return error(401, 401, 'Unauthorized: unknown organization');
		if (String(ctx.headers['x-api-key'] ?? '') !== sim.apiKey) return error(401, 401, 'Unauthorized: invalid API key');
	} else {
		const basic = decodeBasic(ctx.req.headers.authorization);
		if (!basic || basic.username !== sim.username || basic.password !== sim.password) return error(401, 401, 'Unauthorized: invalid username or password');
	}
	if (!sim.appEnabled) return error(403, 403, 'Forbidden: API access for this application is not enabled for the organization');
	const ip = ctx.req.socket.remoteAddress;
	if (sim.ipWhitelist && !sim.ipWhitelist.includes(ip)) return error(200, 113, `IP address ${ip} is not whitelisted`);

	const service = ctx.params.service;
	const limited = takeServiceBudget(sim, service, ctx);
	if (limited.refused) return { ...error(429, 429, 'Too Many Requests'), headers: { ...limited.headers, ...(format === 'xml' ? { 'content-type': 'application/xml; charset=utf-8' } : {}) } };
	const withLimits = (r) => ({ ...r, headers: { ...limited.headers, ...r.headers } });

	const methodError = (code, message) => withLimits(error(sim.methodErrorStatus, code, message));
	if (!envelope || typeof envelope !== 'object' || !envelope.method || typeof envelope.method !== 'object') return methodError(301, 'The request body is not an Entrata envelope');
	const expectedAuth = mode === 'apikey' ? 'apikey' : 'basic';
	if (envelope.auth?.type !== expectedAuth) return methodError(301, `auth.type must be "${expectedAuth}" on this host`);
	const name = String(envelope.method.name ?? '');
	const methods = METHODS[service];
	if (!methods) return withLimits(error(404, 404, `Unknown service ${service}`));
	if (!methods[name]) return methodError(301, `Method ${name} is not available on the ${service} service`);
	const versions = Object.keys(methods[name]);
	const version = String(envelope.method.version ?? 'r1');
	if (!versions.includes(version)) return methodError(301, `Version ${version} of ${name} does not exist (available: ${versions.join(', ')})`);
	const params = envelope.method.params && typeof envelope.method.params === 'object' ? envelope.method.params : {};
	const declared = methods[name][version];
	if (declared.length || (service !== 'reports' && service !== 'queue')) {
		const names = new Set(declared.map((p) => p.name));
		// sendLeads' prospects tree is missing from the catalogue (its caveat); the simulator knows it.
		if (name === 'sendLeads') names.add('prospects');
		const unknown = Object.keys(params).filter((k) => !names.has(k));
		if (unknown.length) return methodError(302, `Unknown parameter(s) for ${name} ${version}: ${unknown.join(', ')}`);
		const missing = declared.filter((p) => p.required && (params[p.name] === undefined || params[p.name] === ''));
		if (missing.length) return methodError(302, `Missing required parameter(s): ${missing.map((p) => p.name).join(', ')}`);
	}
	sim.calls.push({ service, method: name, version, params, format, requestId, auth: envelope.auth.type });
	let result;
	try {
		result = dispatch(sim, service, name, params);
	} catch (e) {
		if (e instanceof MethodError) return methodError(e.code, e.message);
		throw e;
	}
	let pageHeaders = {};
	if (PAGED.has(name)) ({ result, headers: pageHeaders } = paginate(sim, result, ctx.query, ctx.headers, new URL(ctx.req.url, 'http://sim')));
	const ok = render(format, 200, { requestId, code: 200, result });
	return withLimits({ ...ok, headers: { ...ok.headers, ...pageHeaders } });
}

/**
 * Entrata-style budgets per service and key (org + API key, or the legacy user): fixed windows, each counting every
 * request, the ones refused included. `cfg.windows` = [{name, limit, ms}] (default a day of 15000, an hour of 1000 and
 * a minute of `perMinute` lasting `windowMs`), reported as `X-RateLimit-Limit: 15000/DAY;1000/HOUR;150/MINUTE`,
 * `X-RateLimit-Remaining: 14996/DAY;999/HOUR;149/MINUTE`, `X-RateLimit-Reset: <s>;<s>;<s>` (whole seconds, rounded up).
 * Over any window: 429 with Retry-After (the longest exhausted window's reset).
 */
function takeServiceBudget(sim, service, ctx) {
	const cfg = sim.serviceRateLimit;
	if (!cfg) return { refused: false, headers: {} };
	const windows = cfg.windows ?? [
		{ name: 'DAY', limit: 15000, ms: 86_400_000 },
		{ name: 'HOUR', limit: 1000, ms: 3_600_000 },
		{ name: 'MINUTE', limit: cfg.perMinute, ms: cfg.windowMs ?? 60_000 },
	];
	const who = String(ctx.headers['x-api-key'] ?? decodeBasic(ctx.req.headers.authorization)?.username ?? '');
	const now = Date.now();
	const states = windows.map((w) => {
		const id = `${service}|${who}|${w.name}`;
		let state = sim.rateWindows[id];
		if (!state || now - state.start >= w.ms) state = sim.rateWindows[id] = { start: now, count: 0 };
		state.count++;
		return { ...w, count: state.count, reset: Math.max(1, Math.ceil((state.start + w.ms - now) / 1000)) };
	});
	const headers = {
		'x-ratelimit-limit': states.map((w) => `${w.limit}/${w.name}`).join(';'),
		'x-ratelimit-remaining': states.map((w) => `${Math.max(0, w.limit - w.count)}/${w.name}`).join(';'),
		'x-ratelimit-reset': states.map((w) => w.reset).join(';'),
	};
	const over = states.filter((w) => w.count > w.limit);
	if (over.length) return { refused: true, headers: { ...headers, 'retry-after': String(Math.max(...over.map((w) => w.reset))) } };
	return { refused: false, headers };
}

/**
 * A new lead as Entrata records one from `leads/sendLeads` (same record, same lead event), for tests and the demo.
 * Also served as `POST /__control/leads {propertyId, firstName, lastName, email, phone, desiredUnitNumber}`.
 * Returns the stored lead record (Entrata's JSON shape).
 */
export function insertLead(sim, fields = {}) {
	const propertyId = fields.propertyId ?? sim.db.properties[0].propertyId;
	const firstName = fields.firstName ?? 'Jordan';
	const lastName = fields.lastName ?? 'Rivera';
	const prospect = {
		leadSource: fields.leadSource ?? 'Website',
		customerPreferences: { desiredUnitNumber: fields.desiredUnitNumber ?? '' },
		customers: {
			customer: [
				{
					name: { firstName, lastName },
					email: fields.email ?? `${firstName}.${lastName}.${sim.db.seq + 1}@example.test`.toLowerCase(),
					phone: { personalPhoneNumber: fields.phone ?? '303-555-0100' },
				},
			],
		},
	};
	const created = HANDLERS['leads.sendLeads'](sim.db, { propertyId, prospects: { prospect: [prospect] } }, sim);
	const { applicationId } = created.prospects.prospect[0];
	return sim.db.leads.find((l) => attr(l, 'applicationId') === applicationId);
}

export async function startEntrataSimulator({
	port = 0,
	org = 'simorg',
	apiKey = 'sim-entrata-key',
	username = 'sim-user',
	password = 'sim-password',
	seed = 42,
	properties = 2,
	leasesPerProperty = 30,
	leadsPerProperty = 12,
	reportReadyAfter = 2,
} = {}) {
	const sim = createSimulator({
		name: 'entrata',
		basePath: '',
		errorBody: (status, message) => ({ response: { error: { code: status, message } } }),
		routes: [
			{ method: 'POST', path: '/ext/orgs/:org/v1/:service', handler: (ctx) => handle(sim, ctx, 'apikey') },
			{ method: 'POST', path: '/api/v1/:service', handler: (ctx) => handle(sim, ctx, 'basic') },
		],
		seed: seedEntrata,
		seedOptions: { seed, properties, leasesPerProperty, leadsPerProperty },
		control: ({ method, path, body, sim: s }) =>
			method === 'POST' && path === '/leads' ? { status: 201, body: insertLead(s, body ?? {}) } : undefined,
	});
	Object.assign(sim, {
		org,
		apiKey,
		username,
		password,
		appEnabled: true,
		ipWhitelist: null,
		methodErrorStatus: 200,
		/** Off: paged answers carry only X-Total-Count (as when the gateway ignores X-Send-Pagination-Links). */
		paginationLinks: true,
		reportReadyAfter,
		serviceRateLimit: null,
		rateWindows: {},
		calls: [],
		now: () => Date.now(),
		/** Per-service budget in Entrata's header format, or null to lift it. */
		setServiceRateLimit(cfg) {
			sim.serviceRateLimit = cfg;
			sim.rateWindows = {};
		},
	});
	await sim.start({ port });
	sim.gatewayUrl = `${sim.origin}/ext/orgs/${org}/v1`;
	sim.legacyUrl = `${sim.origin}/api/v1`;
	sim.url = sim.gatewayUrl;
	return sim;
}
