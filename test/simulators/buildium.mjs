// Local simulator of the Buildium Open API v1 (https://api.buildium.com/v1), built on base.mjs.
//
// Source of truth: specs/buildium-openapi.json (284 paths, 439 operations), read at startup. Every operation of the
// spec is a route; the behaviour is derived from the spec generically, with a little Buildium knowledge on top:
//
// - Auth: `x-buildium-client-id` + `x-buildium-client-secret` must match `{clientId, clientSecret}`; missing or wrong
//   -> 401. A second, valid key pair (`limitedClient`) lacks permissions -> 403 (access 'none': every request;
//   'read': everything but GET, like Buildium's read-only keys). Errors everywhere are `ApiErrorResponse`
//   `{UserMessage, ErrorCode, Errors: [{Key, Value}]}`.
// - Validation (-> 400, Errors[].Key names each failing field, e.g. `Address.City`, `Lines[0].Amount`, `limit`):
//   path parameters (int32), query parameters (types, enums, required, arrays as *repeated* parameters
//   `?statuses=Active&statuses=Past` - a comma list is one value and fails the item type/enum), JSON bodies (required,
//   type, int32 range, enum, minLength, formats date / date-time, nullable). Bodies on operations that take one need
//   `Content-Type: application/json` (PATCH also `application/json-patch+json`) -> 415 otherwise. `limit` must be
//   1..1000 (`limitOverflow: 'clamp'` clamps instead, as the prose docs claim), `offset` >= 0. The 365-day cap on
//   the date ranges whose description states it -> 422. Unknown id anywhere in the path -> 404
//   (ErrorCode 'EntityNotFound'; an unknown route is 404 ErrorCode 'NotFound').
// - State: every collection of the spec (a list path and/or `<path>/{id}` item paths) is a stateful store: POST
//   creates (201 + Location, the created message), PUT/PATCH update (200), DELETE removes (204), later GETs see it.
//   Rental properties, units, leases, tenants, applicants, owners, vendors, work orders, tasks, bills, associations,
//   bank accounts and GL accounts are seeded eagerly with counts from the options (`{ rentalUnits: 2500 }`) and
//   linked (a unit's PropertyId is a seeded property, a lease's UnitId a seeded unit ...); every other collection is
//   generated lazily, deterministically, from its response schema the first time it is touched. Lists: bare arrays,
//   `limit` (default 50) / `offset`, `X-Total-Count` where the spec declares it, `orderby` ("Prop [asc|desc],...",
//   property names case-insensitive, nested names found one level down), and generic filters (a query parameter
//   matching a property: `propertyids` -> PropertyId, `statuses` -> Status, `lastupdatedfrom/to` -> LastUpdated*).
// - Rate limit: 10 requests per second per client id (`rateLimit: { limit, windowMs }`, `null` = off), 429 with no
//   rate-limit headers at all (Buildium documents none, not even Retry-After).
// - Files: `POST .../uploads` -> 201 `{UploadUrl, PhysicalFileName, Headers}`; the client PUTs the bytes to UploadUrl
//   (served here under /__bucket/uploads/<token>, no Buildium credentials) with every returned header; the file
//   record then appears in the collection next to `uploads`. `POST .../downloadrequest(s)` -> 201 `{DownloadUrl}`
//   served under /__bucket/downloads/<token>. Both URLs expire after 5 minutes.
// - Webhooks: `sim.sendWebhook(url, event, {secret, timestamp, tamper})` posts one signed thin event;
//   `sim.subscribeWebhook({url, secret, events})` registers a subscriber that gets `<Entity>.Created/Updated/Deleted`
//   when stateful entities change. Signature: base64(HMAC-SHA256(secret, `${timestamp}.${rawBody}`)) in
//   `buildium-webhook-signature`, unix seconds in `buildium-webhook-timestamp`. The 98 event names and their id
//   fields are parsed from the spec's own event grid (info.description): WEBHOOK_EVENTS, WEBHOOK_EVENT_CATALOGUE.
//
// ASSUMPTIONS (the spec and docs are silent; change them when the live API says otherwise):
// - Unknown JSON body properties and unknown query parameters are ignored (ASP.NET model binding, which Buildium runs
//   on, does that) but logged in `sim.ignoredFields`; `strict: true` refuses them with 400 instead. Wrong-case
//   `limit`/`offset`/`orderby` answer 404 (the docs say so). Enum values are matched case-sensitively.
// - ErrorCode values ('Unauthorized', 'Forbidden', 'ValidationFailed', 'EntityNotFound', ...) are invented; the spec
//   declares the field but lists no codes. Messages mimic ASP.NET ("The Name field is required.").
// - A non-integer path id is 400 (Key = the parameter name), not 404.
// - Nested collections are seeded with the same ids under every parent (e.g. the notes of every lease have the
//   same seeded ids); created records get ids unique per collection template.
// - Upload URL headers are `x-amz-meta-*` names of our own; a PUT without them (or after 5 min) is 403 like S3.
// - Webhook retries follow the base (4 attempts, fast backoff), not Buildium's 1 min / 10 min / 1 h; deliveries also
//   carry the base's `x-delivery-id` header, which Buildium does not send.
// - Schema violations are 400 (the docs: "often due to missing a required parameter"); 422 is kept for semantic
//   refusals: the 365-day date cap and, on writes to the named collections, a PropertyId/UnitId/LeaseId/... that
//   does not exist.
// - PUT merges the body into the stored record (Buildium's PUT is a full replace; the merge is the lenient reading).
// - Spec paths that declare X-Total-Count on a single object answer X-Total-Count: 1.
// - The limited key's 403 names the operation's "Required permission(s)" from the spec description.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { loadSpec, rawOperations, resolver } from '../../scripts/generator/openapi.mjs';
import { specPath } from '../../scripts/lib/specs.mjs';
import { createSimulator, HttpError } from './base.mjs';

const BASE_PATH = '/v1';
const SPEC_NAME = 'buildium-openapi.json';
const DAY = 86_400_000;
const SEED_EPOCH = Date.UTC(2024, 0, 1);
const INT32_MAX = 2_147_483_647;
const FILE_URL_TTL_MS = 5 * 60_000;
const TEMPLATE_ID_SPACING = 1_000_000;

export const DEFAULT_CLIENT_ID = 'sim-client-id';
export const DEFAULT_CLIENT_SECRET = 'sim-client-secret';
export const DEFAULT_LIMITED_CLIENT = { clientId: 'sim-limited-client-id', clientSecret: 'sim-limited-client-secret', access: 'none' };

// ---- spec ------------------------------------------------------------------------------------------------------

const spec = loadSpec(specPath(SPEC_NAME));
const deref = resolver(spec);

/** The name of the component a raw (not dereferenced) schema points at, looking through allOf / items. */
function refName(raw) {
	if (!raw) return null;
	if (raw.$ref) return raw.$ref.split('/').pop();
	if (raw.allOf?.length === 1) return refName(raw.allOf[0]);
	if (raw.type === 'array') return refName(raw.items);
	return null;
}

const segmentsOf = (path) => path.split('/').slice(2); // '/v1/a/{b}' -> ['a', '{b}']
const isParam = (seg) => seg.startsWith('{');
const paramName = (seg) => seg.slice(1, -1);
const pascal = (name) => name.charAt(0).toUpperCase() + name.slice(1);
const templateOf = (segs) => `/${segs.join('/')}`;

/** Every operation of the spec with what the simulator needs: raw op (rawOperations) + success response. */
export const OPERATIONS = rawOperations(spec).map((op) => {
	const raw = spec.paths[op.path][op.method.toLowerCase()];
	const status = Number(Object.keys(raw.responses).find((c) => /^2\d\d$/.test(c)));
	const response = raw.responses[status];
	const rawSchema = response?.content?.['application/json']?.schema;
	const segs = segmentsOf(op.path);
	return {
		...op,
		status,
		bodyContentTypes: Object.keys(raw.requestBody?.content ?? {}),
		bodyRequired: Boolean(raw.requestBody),
		responseRaw: rawSchema ?? null,
		responseRef: refName(rawSchema),
		response: rawSchema ? deref(rawSchema) : null,
		totalCountHeader: Boolean(response?.headers?.['X-Total-Count']),
		segs,
		template: templateOf(segs),
		routePath: `/${segs.map((s) => (isParam(s) ? `:${paramName(s)}` : s)).join('/')}`,
		permission: /Required permission\(s\):<\/h4>([\s\S]*)$/.exec(raw.description ?? '')?.[1]?.replace(/<[^>]+>/g, '').replace(/`/g, '').replace(/\s+/g, ' ').trim() || null,
	};
});
const opIndex = new Map(OPERATIONS.map((op) => [`${op.method} ${op.path}`, op]));
const findOp = (method, template) => opIndex.get(`${method} ${BASE_PATH}${template}`);

/**
 * Collection templates: every path prefix that ends right before a `{param}` segment, plus every path whose GET
 * returns an array or whose POST creates (201). Each has the schema of its records (list items, else item GET,
 * else the create response) and a base for its ids.
 */
export const COLLECTIONS = (() => {
	const map = new Map();
	const add = (template) => {
		if (!map.has(template)) map.set(template, { template, schema: null, schemaRef: null, idParam: null });
		return map.get(template);
	};
	for (const op of OPERATIONS) {
		op.segs.forEach((seg, i) => {
			if (!isParam(seg)) return;
			const c = add(templateOf(op.segs.slice(0, i)));
			if (i === op.segs.length - 1) c.idParam ??= paramName(seg);
		});
		if ((op.method === 'GET' && op.response?.type === 'array') || (op.method === 'POST' && op.status === 201)) add(op.template);
	}
	for (const c of map.values()) {
		const list = findOp('GET', c.template);
		const item = c.idParam ? findOp('GET', `${c.template}/{${c.idParam}}`) : null;
		const create = findOp('POST', c.template);
		if (list?.response?.type === 'array') [c.schema, c.schemaRef] = [list.response.items, list.responseRef];
		else if (item?.response) [c.schema, c.schemaRef] = [item.response, item.responseRef];
		else if (create?.response?.type === 'object') [c.schema, c.schemaRef] = [create.response, create.responseRef];
		c.parentParams = segmentsOf(`${BASE_PATH}${c.template}`).filter(isParam).map(paramName);
	}
	[...map.values()]
		.sort((a, b) => (a.template < b.template ? -1 : 1))
		.forEach((c, i) => {
			c.idBase = (i + 1) * TEMPLATE_ID_SPACING;
		});
	return map;
})();

/** The eagerly seeded collections: option name -> template (and the webhook entity they emit for). */
export const NAMED_COLLECTIONS = {
	rentals: '/rentals',
	rentalUnits: '/rentals/units',
	owners: '/rentals/owners',
	leases: '/leases',
	tenants: '/leases/tenants',
	applicants: '/applicants',
	vendors: '/vendors',
	workOrders: '/workorders',
	tasks: '/tasks',
	bills: '/bills',
	associations: '/associations',
	bankAccounts: '/bankaccounts',
	glAccounts: '/glaccounts',
};
const DEFAULT_COUNTS = { rentals: 10, rentalUnits: 30, owners: 8, leases: 20, tenants: 30, applicants: 12, vendors: 10, workOrders: 10, tasks: 15, bills: 12, associations: 4, bankAccounts: 4, glAccounts: 12 };
/** Records of other top-level collections and of every nested collection (per parent). */
const DEFAULT_LIST_SIZE = 3;

/** Foreign keys filled with seeded ids of the named collections (field -> option name). */
const LINKS = { PropertyId: 'rentals', UnitId: 'rentalUnits', LeaseId: 'leases', TenantId: 'tenants', VendorId: 'vendors', BankAccountId: 'bankAccounts', GLAccountId: 'glAccounts', ApplicantId: 'applicants', RentalOwnerId: 'owners' };
/** Creating through these paths also puts the task into /tasks (Buildium has no POST /v1/tasks). */
const ALSO_INTO = { '/tasks/todorequests': '/tasks', '/tasks/contactrequests': '/tasks', '/tasks/residentrequests': '/tasks', '/tasks/rentalownerrequests': '/tasks' };

// ---- webhook event catalogue (from the spec's own "Webhook Events" grid) ------------------------------------------

export const WEBHOOK_EVENT_CATALOGUE = (() => {
	const text = spec.info.description;
	const start = text.indexOf('## Webhook Events');
	const grid = text.slice(start, text.indexOf('</table>', start));
	const strip = (s) => s.replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim();
	const rows = [];
	for (const m of grid.matchAll(/<td[^>]*>([\s\S]*?)<\/td>\s*<td[^>]*>([\s\S]*?)<\/td>\s*<td[^>]*>([\s\S]*?)<\/td>/g)) {
		const events = m[2].split(/<br\s*\/?>/).map(strip).filter(Boolean);
		const fields = Object.fromEntries([...strip(m[3]).matchAll(/(\w+(?:\[\])?):\s*\[(\w+)\]/g)].map((f) => [f[1], f[2]]));
		rows.push({ entity: strip(m[1]), events, fields });
	}
	return rows;
})();
export const WEBHOOK_EVENTS = WEBHOOK_EVENT_CATALOGUE.flatMap((r) => r.events);
const EVENT_FIELDS = new Map(WEBHOOK_EVENT_CATALOGUE.flatMap((r) => r.events.map((e) => [e, r.fields])));

/** Collection template -> webhook entity prefix (the id field comes from the catalogue). */
const WEBHOOK_ENTITIES = {
	'/rentals': 'Rental',
	'/rentals/units': 'RentalUnit',
	'/leases': 'Lease',
	'/leases/tenants': 'LeaseTenant',
	'/applicants': 'Applicant',
	'/vendors': 'Vendor',
	'/vendors/categories': 'VendorCategory',
	'/workorders': 'WorkOrder',
	'/tasks': 'Task',
	'/tasks/categories': 'TaskCategory',
	'/bills': 'Bill',
	'/associations': 'Association',
	'/associations/owners': 'AssociationOwner',
	'/associations/units': 'AssociationUnit',
	'/associations/tenants': 'AssociationTenant',
	'/associations/ownershipaccounts': 'OwnershipAccount',
	'/associations/{associationId}/boardmembers': 'AssociationBoardMember',
	'/bankaccounts': 'BankAccount',
	'/glaccounts': 'GLAccount',
	'/budgets': 'Budget',
	'/communications/phonelogs': 'PhoneLog',
	'/rentals/units/{unitId}/listing': 'Listing',
};

// ---- seeded randomness and data generation ------------------------------------------------------------------------

/** mulberry32 (same as the RentEngine simulator). */
function prng(seed) {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (min, max) => min + Math.floor(next() * (max - min + 1));
	const pick = (list) => list[Math.floor(next() * list.length)];
	return { next, int, pick };
}
const streamFor = (seed, name) => prng([...name].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), seed ^ 2166136261));

const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
const isoDateTime = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const FIRST = ['Avery', 'Jordan', 'Taylor', 'Morgan', 'Riley', 'Casey', 'Jamie', 'Quinn', 'Drew', 'Skyler', 'Rowan', 'Emerson'];
const LAST = ['Garcia', 'Nguyen', 'Smith', 'Patel', 'Johnson', 'Kim', 'Lopez', 'Brown', 'Davis', 'Martinez', 'Wilson', 'Clark'];
const STREETS = ['Oak St', 'Maple Ave', 'Cedar Ln', 'Elm Dr', 'Pecan Blvd', 'Willow Way', 'Lamar Blvd', 'Congress Ave', 'Main St', 'Ridge Rd'];
const CITIES = [
	['Austin', 'TX', '78701'],
	['Dallas', 'TX', '75201'],
	['Boston', 'MA', '02108'],
	['Atlanta', 'GA', '30303'],
	['Denver', 'CO', '80202'],
];

/** A plausible string for a property name (falls back to "<Name> <n>"). */
function stringFor(name, r) {
	const n = name.toLowerCase();
	if (n === 'firstname') return r.pick(FIRST);
	if (n === 'lastname') return r.pick(LAST);
	if (n.includes('email')) return `${r.pick(FIRST).toLowerCase()}.${r.pick(LAST).toLowerCase()}${r.int(1, 999)}@example.com`;
	if (n.includes('phone') || n === 'number' || n === 'home' || n === 'work' || n === 'mobile' || n === 'fax') return `(555) ${r.int(200, 999)}-${String(r.int(0, 9999)).padStart(4, '0')}`;
	if (n === 'addressline1') return `${r.int(100, 9999)} ${r.pick(STREETS)}`;
	if (n === 'addressline2') return `Unit ${r.int(1, 40)}`;
	if (n === 'addressline3') return '';
	if (n === 'city') return r.pick(CITIES)[0];
	if (n === 'state') return r.pick(CITIES)[1];
	if (n === 'postalcode') return r.pick(CITIES)[2];
	if (n === 'unitnumber') return String(r.int(100, 999));
	if (n === 'name' || n.endsWith('name')) return `${name.replace(/Name$/, '') || 'Name'} ${r.pick(['Oak', 'Maple', 'Cedar', 'Elm', 'Pecan', 'Willow'])} ${r.int(1, 999)}`;
	if (n.includes('url') || n === 'href') return `https://example.com/${n}/${r.int(1, 99999)}`;
	return `${name || 'Value'} ${r.int(1, 9999)}`;
}

/**
 * Generates a schema-valid value. `opts.required` = only required properties (request samples); depth stops
 * recursion (nullable -> null, arrays -> [], objects -> {} beyond it).
 */
function generate(schema, r, name = '', depth = 0, opts = {}) {
	if (!schema || typeof schema !== 'object') return null;
	const type = schema.type ?? (schema.properties ? 'object' : undefined);
	if (schema.enum) {
		if (schema.enum.includes('UnitedStates')) return 'UnitedStates';
		return opts.firstEnum ? schema.enum[0] : r.pick(schema.enum);
	}
	switch (type) {
		case 'integer': {
			if (/Id$/.test(name)) return r.int(1, 99_999);
			if (/year/i.test(name)) return r.int(1950, 2023);
			return r.int(0, schema.format === 'int64' ? 1_000_000 : 500);
		}
		case 'number':
			return r.int(0, 500_000) / 100;
		case 'boolean':
			return r.next() < 0.5;
		case 'string': {
			if (schema.format === 'date') return isoDate(SEED_EPOCH + r.int(0, 364) * DAY);
			if (schema.format === 'date-time') return isoDateTime(SEED_EPOCH + r.int(0, 364) * DAY + r.int(0, 86_399) * 1000);
			const s = stringFor(name, r);
			return s.length >= (schema.minLength ?? 0) ? s : s.padEnd(schema.minLength, 'x');
		}
		case 'array': {
			if (depth > 3) return schema.nullable ? null : [];
			const count = opts.required ? 1 : r.int(1, 2);
			return Array.from({ length: count }, () => generate(schema.items, r, name.replace(/s$/, ''), depth + 1, opts));
		}
		case 'object': {
			if (depth > 4) return schema.nullable ? null : {};
			const out = {};
			const required = new Set(schema.required ?? []);
			for (const [key, sub] of Object.entries(schema.properties ?? {})) {
				if (opts.required && !required.has(key)) continue;
				out[key] = generate(sub, r, key, depth + 1, opts);
			}
			if (!schema.properties && schema.additionalProperties && typeof schema.additionalProperties === 'object' && !opts.required) {
				out[`key${r.int(1, 9)}`] = generate(schema.additionalProperties, r, name, depth + 1, opts);
			}
			return out;
		}
		default:
			return null; // an empty (recursion-stopped) schema accepts anything
	}
}

/** Does `value` fit `schema` (used to decide which source values to keep)? */
function fits(schema, value) {
	return checkValue(schema, value, '', [], { collectUnknown: null }).length === 0;
}

/**
 * A record of `schema` that takes every value of `source` that fits (recursively, property names matched exactly)
 * and generates the rest - how a PostMessage becomes the stored Message, and a stored record another response shape.
 */
function conform(schema, source, r, name = '', depth = 0) {
	if (!schema || typeof schema !== 'object') return source ?? null;
	const type = schema.type ?? (schema.properties ? 'object' : undefined);
	if (type === 'object' && schema.properties && source && typeof source === 'object' && !Array.isArray(source)) {
		const out = {};
		for (const [key, sub] of Object.entries(schema.properties)) {
			out[key] = source[key] === undefined ? generate(sub, r, key, depth + 1) : conform(sub, source[key], r, key, depth + 1);
		}
		return out;
	}
	if (type === 'array' && Array.isArray(source)) {
		const items = schema.items ?? {};
		if ((items.type ?? (items.properties ? 'object' : undefined)) === 'object' && items.properties) {
			return source.filter((v) => v && typeof v === 'object' && !Array.isArray(v)).map((v) => conform(items, v, r, name, depth + 1));
		}
		return source.filter((v) => fits(items, v)).map((v) => structuredClone(v));
	}
	if (source !== undefined && fits(schema, source)) return structuredClone(source);
	return generate(schema, r, name, depth);
}

// ---- validation -----------------------------------------------------------------------------------------------

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const validDate = (s) => (DATE_RE.test(s) || DATE_TIME_RE.test(s)) && !Number.isNaN(Date.parse(s.replace(' ', 'T')));
const validDateTime = (s) => (DATE_TIME_RE.test(s) || DATE_RE.test(s)) && !Number.isNaN(Date.parse(s.replace(' ', 'T')));
const keyOf = (parent, key) => (parent ? `${parent}.${key}` : key);
const label = (key) => key.split('.').pop().replace(/\[\d+\]$/, '') || 'request';

/**
 * Validates a JSON value against a dereferenced schema; pushes `{Key, Value}` errors (ASP.NET-style messages).
 * Unknown object properties go to `ctx.collectUnknown` (an array of keys) unless it is null.
 */
function checkValue(schema, value, key, errors, ctx = {}) {
	if (!schema || typeof schema !== 'object') return errors;
	const type = schema.type ?? (schema.properties ? 'object' : undefined);
	if (value === null) {
		if (!schema.nullable && type) errors.push({ Key: key, Value: `The ${label(key)} field is required.` });
		return errors;
	}
	const bad = () => errors.push({ Key: key, Value: `The value '${typeof value === 'object' ? JSON.stringify(value) : value}' is not valid for ${label(key)}.` });
	switch (type) {
		case 'integer':
			if (!Number.isInteger(value) || (schema.format === 'int32' && Math.abs(value) > INT32_MAX)) bad();
			break;
		case 'number':
			if (typeof value !== 'number' || !Number.isFinite(value)) bad();
			break;
		case 'boolean':
			if (typeof value !== 'boolean') bad();
			break;
		case 'string':
			if (typeof value !== 'string') bad();
			else if (schema.enum && !schema.enum.includes(value)) errors.push({ Key: key, Value: `The value '${value}' is not valid for ${label(key)}. Allowed values: ${schema.enum.slice(0, 20).join(', ')}${schema.enum.length > 20 ? ', ...' : ''}.` });
			else if (schema.minLength !== undefined && value.length < schema.minLength) errors.push({ Key: key, Value: `The ${label(key)} field is required.` });
			else if (schema.maxLength !== undefined && value.length > schema.maxLength) errors.push({ Key: key, Value: `The field ${label(key)} must be a string with a maximum length of ${schema.maxLength}.` });
			else if (schema.format === 'date' && !validDate(value)) bad();
			else if (schema.format === 'date-time' && !validDateTime(value)) bad();
			break;
		case 'array':
			if (!Array.isArray(value)) bad();
			else value.forEach((item, i) => checkValue(schema.items, item, `${key}[${i}]`, errors, ctx));
			break;
		case 'object': {
			if (typeof value !== 'object' || Array.isArray(value)) {
				bad();
				break;
			}
			const props = schema.properties ?? {};
			for (const name of schema.required ?? []) {
				if (value[name] === undefined || (value[name] === null && !props[name]?.nullable)) errors.push({ Key: keyOf(key, name), Value: `The ${name} field is required.` });
			}
			for (const [name, v] of Object.entries(value)) {
				if (Object.hasOwn(props, name)) {
					if (v !== null || !(schema.required ?? []).includes(name)) checkValue(props[name], v, keyOf(key, name), errors, ctx);
				} else if (schema.properties && ctx.collectUnknown) ctx.collectUnknown.push(keyOf(key, name));
				else if (!schema.properties && typeof schema.additionalProperties === 'object') checkValue(schema.additionalProperties, v, keyOf(key, name), errors, ctx);
			}
			break;
		}
		default:
			if (schema.enum && !schema.enum.includes(value)) bad();
	}
	return errors;
}

/** Query text -> typed value per the parameter schema; returns { value } or { error }. */
function parseQueryValue(schema, text, name) {
	const invalid = { error: { Key: name, Value: `The value '${text}' is not valid for ${name}.` } };
	switch (schema?.type) {
		case 'integer': {
			if (!/^-?\d+$/.test(text)) return invalid;
			const n = Number(text);
			return Math.abs(n) > INT32_MAX && schema.format !== 'int64' ? invalid : { value: n };
		}
		case 'number':
			return text.trim() !== '' && Number.isFinite(Number(text)) ? { value: Number(text) } : invalid;
		case 'boolean':
			return /^(true|false)$/i.test(text) ? { value: text.toLowerCase() === 'true' } : invalid;
		case 'string':
			if (schema.enum && !schema.enum.includes(text)) return { error: { Key: name, Value: `The value '${text}' is not valid for ${name}. Allowed values: ${schema.enum.join(', ')}.` } };
			if (schema.format === 'date' && !validDate(text)) return invalid;
			if (schema.format === 'date-time' && !validDateTime(text)) return invalid;
			return { value: text };
		default:
			return { value: text };
	}
}

// ---- helpers ---------------------------------------------------------------------------------------------------

const clone = (v) => (v === undefined ? undefined : structuredClone(v));
const sha256 = (s) => createHash('sha256').update(String(s)).digest();
const sameSecret = (a, b) => timingSafeEqual(sha256(a), sha256(b));
const nowIso = () => new Date().toISOString().replace('Z', '0000Z'); // Buildium: 7 fraction digits
const ERROR_CODES = { 400: 'ValidationFailed', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 409: 'Conflict', 413: 'PayloadTooLarge', 415: 'UnsupportedMediaType', 422: 'UnprocessableEntity', 429: 'TooManyRequests', 500: 'InternalServerError', 503: 'ServiceUnavailable' };

function apiError(status, message, errors = [], code = ERROR_CODES[status] ?? 'Error') {
	return new HttpError(status, { UserMessage: message, ErrorCode: code, Errors: errors });
}

/** "Prop [asc|desc], ..." -> comparator; null when a property is unknown (caller answers 400). */
function comparatorFor(orderby, schema) {
	const props = schema?.properties ?? {};
	const resolve = (name) => {
		const lower = name.toLowerCase();
		const top = Object.keys(props).find((k) => k.toLowerCase() === lower);
		if (top) return [top];
		if (name.includes('.')) {
			const [a, b] = name.split('.');
			const pa = Object.keys(props).find((k) => k.toLowerCase() === a.toLowerCase());
			const pb = pa && Object.keys(props[pa].properties ?? {}).find((k) => k.toLowerCase() === b.toLowerCase());
			return pb ? [pa, pb] : null;
		}
		const nested = Object.entries(props).flatMap(([k, s]) => Object.keys(s?.properties ?? {}).filter((n) => n.toLowerCase() === lower).map((n) => [k, n]));
		return nested.length === 1 ? nested[0] : null;
	};
	const keys = [];
	for (const part of orderby.split(',').map((s) => s.trim()).filter(Boolean)) {
		const m = /^(\S+)(?:\s+(asc|desc))?$/i.exec(part);
		const path = m && resolve(m[1]);
		if (!path) return null;
		keys.push({ path, dir: m[2]?.toLowerCase() === 'desc' ? -1 : 1 });
	}
	const get = (rec, path) => path.reduce((o, k) => o?.[k], rec);
	return (a, b) => {
		for (const { path, dir } of keys) {
			const x = get(a, path);
			const y = get(b, path);
			if (x === y) continue;
			if (x === null || x === undefined) return -dir;
			if (y === null || y === undefined) return dir;
			return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * dir;
		}
		return 0;
	};
}

/** Generic list filter for one query parameter, or null when no property matches it. */
function filterFor(name, value, schema) {
	const props = schema?.properties ?? {};
	const keys = Object.keys(props);
	const find = (n) => keys.find((k) => k.toLowerCase() === n);
	const lower = name.toLowerCase();
	const range = /^(.*?)(from|to)$/.exec(lower);
	if (range && range[1] && !find(lower)) {
		const prop = keys.find((k) => k.toLowerCase().startsWith(range[1]) && ['date', 'date-time'].includes(props[k]?.format));
		if (!prop) return null;
		const bound = Date.parse(String(value).replace(' ', 'T'));
		return (rec) => {
			const t = Date.parse(rec[prop] ?? '');
			if (Number.isNaN(t)) return false;
			return range[2] === 'from' ? t >= bound : t <= bound;
		};
	}
	const prop = find(lower) ?? find(lower.replace(/ids$/, 'id')) ?? find(lower.replace(/ses$/, 's').replace(/es$/, '')) ?? find(lower.replace(/s$/, ''));
	if (!prop) return null;
	const values = [].concat(value).map((v) => String(v).toLowerCase());
	const s = props[prop];
	if (s?.type === 'string' && !s.enum && !s.format && !Array.isArray(value)) return (rec) => String(rec[prop] ?? '').toLowerCase().includes(values[0]);
	return (rec) => values.includes(String(rec[prop]).toLowerCase());
}

// ---- the store ----------------------------------------------------------------------------------------------------

/**
 * Builds a fresh data store. Top-level array properties are the named collections (counted by /__control/state);
 * the rest (all collections by concrete key, singletons, files) is bookkeeping.
 */
export function seedBuildium(options = {}) {
	const seed = options.seed ?? 42;
	const listSize = options.listSize ?? DEFAULT_LIST_SIZE;
	const counts = { ...DEFAULT_COUNTS };
	for (const k of Object.keys(NAMED_COLLECTIONS)) if (options[k] !== undefined) counts[k] = Number(options[k]);
	const db = { seed, accountId: 100_000 + (seed % 900_000), rng: streamFor(seed, 'runtime'), collections: new Map(), singletons: new Map(), nextIds: new Map(), files: new Map() };
	const named = Object.fromEntries(Object.entries(NAMED_COLLECTIONS).map(([k, t]) => [t, k]));
	db.counts = counts;
	db.listSize = listSize;
	db.namedByTemplate = named;
	for (const [name, template] of Object.entries(NAMED_COLLECTIONS)) db[name] = materialize(db, COLLECTIONS.get(template), {}).items;
	// Link the seeded named collections: foreign keys point at seeded records, leases agree with their unit.
	const ids = Object.fromEntries(Object.keys(NAMED_COLLECTIONS).map((k) => [k, db[k].map((x) => x.Id)]));
	for (const [name, template] of Object.entries(NAMED_COLLECTIONS)) {
		const schemaProps = COLLECTIONS.get(template).schema?.properties ?? {};
		db[name].forEach((rec, i) => {
			for (const [field, target] of Object.entries(LINKS)) {
				if (target === name || !(field in schemaProps) || !ids[target].length || schemaProps[field].type !== 'integer') continue;
				rec[field] = ids[target][(i * 7 + field.length) % ids[target].length];
			}
			if (name === 'rentalUnits') rec.PropertyId = ids.rentals[i % ids.rentals.length] ?? rec.PropertyId;
			if ('UnitId' in rec && 'PropertyId' in rec && name !== 'rentalUnits') {
				const unit = db.rentalUnits.find((u) => u.Id === rec.UnitId);
				if (unit) rec.PropertyId = unit.PropertyId;
			}
		});
	}
	return db;
}

const keyFor = (template, params) => template.replace(/\{(\w+)\}/g, (_, n) => params[n]);

/** The store of one collection under concrete parent ids (created and seeded on first use). */
function materialize(db, meta, params) {
	const key = keyFor(meta.template, params);
	let coll = db.collections.get(key);
	if (coll) return coll;
	const name = db.namedByTemplate[meta.template];
	const n = name ? db.counts[name] : meta.schema ? db.listSize : 0;
	const r = streamFor(db.seed, meta.template);
	coll = { key, meta, items: [], byId: new Map() };
	for (let i = 1; i <= n; i++) {
		const rec = generate(meta.schema, r, '', 0);
		place(meta, rec, meta.idBase + i, params);
		coll.items.push(rec);
		coll.byId.set(meta.idBase + i, rec);
	}
	if (!db.nextIds.has(meta.template)) db.nextIds.set(meta.template, meta.idBase + Math.max(n, db.listSize) + 1);
	db.collections.set(key, coll);
	return coll;
}

/** Puts the id (Id and the id parameter's own name) and the parent ids (LeaseId, ...) into a record. */
function place(meta, rec, id, params) {
	if (!rec || typeof rec !== 'object') return;
	const props = meta.schema?.properties ?? {};
	if ('Id' in props) rec.Id = id;
	if (meta.idParam && pascal(meta.idParam) in props && pascal(meta.idParam) !== 'Id') rec[pascal(meta.idParam)] = id;
	for (const p of meta.parentParams) if (pascal(p) in props && props[pascal(p)].type === 'integer') rec[pascal(p)] = Number(params[p]);
}

// ---- request handling ---------------------------------------------------------------------------------------------

const PAGING = ['limit', 'offset', 'orderby'];

function createHandlers(state) {
	const { options } = state;

	function checkPath(op, params) {
		const errors = [];
		for (const p of op.parameters.filter((x) => x.in === 'path')) {
			const raw = params[p.name];
			if (p.schema?.type === 'integer' && (!/^\d+$/.test(raw) || Number(raw) > INT32_MAX)) errors.push({ Key: p.name, Value: `The value '${raw}' is not valid.` });
		}
		if (errors.length) throw apiError(400, 'The request is invalid.', errors);
		return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, /^\d+$/.test(v) ? Number(v) : v]));
	}

	function checkQuery(sim, op, query, ctx) {
		const defs = new Map(op.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p]));
		const values = {};
		const errors = [];
		const unknown = [];
		for (const [name, raw] of Object.entries(query)) {
			const def = defs.get(name);
			if (!def) {
				if (PAGING.includes(name.toLowerCase()) && defs.has(name.toLowerCase())) throw apiError(404, 'Not Found', [], 'NotFound'); // documented: case-sensitive
				unknown.push(name);
				continue;
			}
			const list = [].concat(raw);
			if (def.schema?.type === 'array') {
				const parsed = list.map((t) => parseQueryValue(def.schema.items, t, name));
				const bad = parsed.find((p) => p.error);
				if (bad) errors.push(bad.error);
				else values[name] = parsed.map((p) => p.value);
			} else if (list.length > 1) {
				errors.push({ Key: name, Value: `The ${name} parameter accepts a single value.` });
			} else {
				const parsed = parseQueryValue(def.schema, list[0], name);
				if (parsed.error) errors.push(parsed.error);
				else values[name] = parsed.value;
			}
		}
		for (const def of defs.values()) if (def.required && values[def.name] === undefined && !errors.some((e) => e.Key === def.name)) errors.push({ Key: def.name, Value: `The ${def.name} field is required.` });
		if (values.limit !== undefined && (values.limit < 1 || (values.limit > 1000 && options.limitOverflow !== 'clamp'))) errors.push({ Key: 'limit', Value: 'The limit must be between 1 and 1000.' });
		if (values.offset !== undefined && values.offset < 0) errors.push({ Key: 'offset', Value: 'The offset must be 0 or greater.' });
		if (unknown.length) {
			if (options.strict) errors.push(...unknown.map((k) => ({ Key: k, Value: `The query parameter ${k} is not supported.` })));
			else sim.ignoredFields.push({ method: ctx.method, path: ctx.path, in: 'query', keys: unknown });
		}
		if (errors.length) throw apiError(400, 'The request is invalid.', errors);
		// 365-day cap where the parameter descriptions state it (-> 422, as the live sandbox answers).
		for (const def of defs.values()) {
			if (!/365 days/.test(def.description ?? '') || !/(from|startdate)$/.test(def.name)) continue;
			const toName = def.name.replace(/from$/, 'to').replace(/startdate$/, 'enddate');
			const [a, b] = [values[def.name], values[toName]];
			if (a === undefined || b === undefined) continue;
			const span = Date.parse(String(b).replace(' ', 'T')) - Date.parse(String(a).replace(' ', 'T'));
			if (span > 365 * DAY) throw apiError(422, 'The maximum date range is 365 days.', [{ Key: def.name, Value: `The date range between ${def.name} and ${toName} cannot exceed 365 days.` }]);
		}
		return values;
	}

	function checkBody(sim, op, ctx) {
		if (!op.body) return undefined;
		const type = String(ctx.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
		if (!op.bodyContentTypes.includes(type)) throw apiError(415, `Unsupported Media Type. Use ${op.bodyContentTypes.join(' or ')}.`);
		const body = ctx.body;
		if (body === null || body === undefined || typeof body === 'string') throw apiError(400, 'A non-empty request body is required.', [{ Key: '', Value: 'A non-empty request body is required.' }]);
		if (type === 'application/json-patch+json') {
			if (!Array.isArray(body)) throw apiError(400, 'The request is invalid.', [{ Key: '', Value: 'A JSON Patch document (an array of operations) is required.' }]);
			const errors = [];
			body.forEach((p, i) => {
				if (!p || typeof p.op !== 'string' || !['add', 'replace', 'remove', 'copy', 'move', 'test'].includes(p.op)) errors.push({ Key: `[${i}].op`, Value: `The op '${p?.op}' is not valid.` });
				if (!p || typeof p.path !== 'string' || !p.path.startsWith('/')) errors.push({ Key: `[${i}].path`, Value: 'The path field is required.' });
			});
			if (errors.length) throw apiError(400, 'The request is invalid.', errors);
			return body;
		}
		const unknown = [];
		const errors = checkValue(op.body, body, '', [], { collectUnknown: unknown });
		if (unknown.length) {
			if (options.strict) errors.push(...unknown.map((k) => ({ Key: k, Value: `Could not find member '${k}'.` })));
			else sim.ignoredFields.push({ method: ctx.method, path: ctx.path, in: 'body', keys: unknown });
		}
		if (errors.length) throw apiError(400, 'The request is invalid.', errors);
		return body;
	}

	/** Walks the path: every `{id}` must exist in its collection (404 otherwise). Returns the last record. */
	function resolveChain(db, op, params, { includeLast = true } = {}) {
		let found = null;
		op.segs.forEach((seg, i) => {
			if (!isParam(seg)) return;
			if (!includeLast && i === op.segs.length - 1) return;
			const meta = COLLECTIONS.get(templateOf(op.segs.slice(0, i)));
			if (!meta?.schema) return;
			const coll = materialize(db, meta, params);
			const id = params[paramName(seg)];
			const rec = coll.byId.get(id);
			if (!rec) throw apiError(404, `${pascal(paramName(seg)).replace(/Id$/, '')} with id ${id} was not found.`, [{ Key: paramName(seg), Value: `No entity with id ${id}.` }], 'EntityNotFound');
			found = { coll, rec, id };
		});
		return found;
	}

	/** Writes to the named collections: top-level PropertyId/UnitId/LeaseId/... must name existing records (422). */
	function checkLinks(db, template, body) {
		if (!db.namedByTemplate[template] || !body || typeof body !== 'object' || Array.isArray(body)) return;
		const errors = [];
		for (const [field, target] of Object.entries(LINKS)) {
			const v = body[field];
			if (v === undefined || v === null || target === db.namedByTemplate[template]) continue;
			if (!materialize(db, COLLECTIONS.get(NAMED_COLLECTIONS[target]), {}).byId.has(v)) errors.push({ Key: field, Value: `The ${field} ${v} does not exist.` });
		}
		if (errors.length) throw apiError(422, 'The request data could not be used to fulfill the request.', errors);
	}

	/** Stored record -> the operation's response shape (the same object when the schema is the collection's). */
	function shape(db, op, meta, rec, schema = op.response) {
		if (!schema || !rec) return rec ?? null;
		if (!meta?.schemaRef || op.responseRef === meta.schemaRef || schema === meta.schema) return rec;
		const r = streamFor(db.seed, `${op.operationId}:${rec.Id ?? ''}`);
		return conform(schema, rec, r);
	}

	function emitChange(sim, meta, verb, rec, params) {
		let entity = WEBHOOK_ENTITIES[meta.template];
		if (!entity && /\/transactions$/.test(meta.template) && meta.template.startsWith('/leases')) entity = 'LeaseTransaction';
		if (!entity || !sim.subscribers.length) return;
		const eventName = `${entity}.${verb}`;
		const fields = EVENT_FIELDS.get(eventName);
		if (!fields) return;
		const event = { EventName: eventName, EventDateTime: nowIso(), AccountId: sim.db.accountId };
		for (const f of Object.keys(fields)) {
			if (f in event) continue;
			if (f === `${entity}Id` || f === pascal(meta.idParam ?? '') || (f.endsWith('Id') && rec?.Id !== undefined && !(f in (rec ?? {})) && Object.keys(fields).filter((k) => k.endsWith('Id') && k !== 'AccountId').length === 1)) event[f] = rec?.Id;
			else if (rec && f in rec) event[f] = rec[f];
			else if (params[f.charAt(0).toLowerCase() + f.slice(1)] !== undefined) event[f] = params[f.charAt(0).toLowerCase() + f.slice(1)];
		}
		sim.emit(event);
	}

	function list(sim, op, params, query) {
		const db = sim.db;
		const meta = COLLECTIONS.get(op.template);
		const coll = materialize(db, meta, params);
		let rows = coll.items;
		for (const [name, value] of Object.entries(query)) {
			if (PAGING.includes(name)) continue;
			const f = filterFor(name, value, meta.schema);
			if (f) rows = rows.filter(f);
		}
		if (query.orderby !== undefined) {
			const cmp = comparatorFor(query.orderby, meta.schema);
			if (!cmp) throw apiError(400, 'The request is invalid.', [{ Key: 'orderby', Value: `The orderby value '${query.orderby}' names an unknown property.` }]);
			rows = [...rows].sort(cmp);
		}
		const total = rows.length;
		const paged = op.parameters.some((p) => p.name === 'limit');
		if (paged) {
			const limit = Math.min(query.limit ?? 50, 1000);
			const offset = query.offset ?? 0;
			rows = rows.slice(offset, offset + limit);
		}
		const body = op.responseRef === meta.schemaRef ? rows : rows.map((rec) => shape(db, op, meta, rec, op.response.items));
		return { status: 200, body, headers: op.totalCountHeader ? { 'x-total-count': String(total) } : {} };
	}

	/**
	 * Write models differ from read models in a few places Buildium documents: phone numbers are posted as
	 * `{Home, Work, Mobile, Fax}` and read back as `[{Number, Type}]` (Mobile → Cell, Work → Office). Translated here
	 * so what a client posts is what it reads back.
	 */
	function toReadModel(body) {
		const out = { ...body };
		const phones = out.PhoneNumbers;
		if (phones && typeof phones === 'object' && !Array.isArray(phones)) {
			const TYPES = { Home: 'Home', Work: 'Office', Mobile: 'Cell', Fax: 'Fax' };
			out.PhoneNumbers = Object.entries(phones)
				.filter(([k, v]) => TYPES[k] && typeof v === 'string' && v)
				.map(([k, v]) => ({ Number: v, Type: TYPES[k] }));
		}
		return out;
	}

	function create(sim, op, params, body, ctx) {
		const db = sim.db;
		const meta = COLLECTIONS.get(op.template);
		const coll = materialize(db, meta, params);
		const makeOne = (src) => {
			const id = db.nextIds.get(meta.template);
			db.nextIds.set(meta.template, id + 1);
			const r = streamFor(db.seed, `${meta.template}#${id}`);
			const stamp = new Date().toISOString();
			const source = toReadModel(src);
			for (const k of ['CreatedDateTime', 'LastUpdatedDateTime', 'CreatedDate']) if (meta.schema?.properties?.[k]?.format === 'date-time') source[k] = stamp;
			const rec = meta.schema ? conform(meta.schema, source, r) : clone(src);
			place(meta, rec, id, params);
			coll.items.push(rec);
			coll.byId.set(id, rec);
			emitChange(sim, meta, 'Created', rec, params);
			return rec;
		};
		let result;
		if (op.response?.type === 'array') {
			const items = Array.isArray(body?.Charges) ? body.Charges : Array.isArray(body?.Lines) ? body.Lines : [body];
			result = items.map((b) => shape(db, op, meta, makeOne(b), op.response.items));
			return { status: op.status, body: result };
		}
		const rec = makeOne(body ?? {});
		const also = ALSO_INTO[meta.template];
		if (also) {
			const target = materialize(db, COLLECTIONS.get(also), {});
			const copy = conform(target.meta.schema, rec, streamFor(db.seed, `${also}#${rec.Id}`));
			place(target.meta, copy, rec.Id, {});
			target.items.push(copy);
			target.byId.set(rec.Id, copy);
			emitChange(sim, target.meta, 'Created', copy, {});
		}
		const headers = {};
		// 201 responses carry Location (the item URL; where the spec has no item path, the would-be one).
		headers.location = `${sim.url}${keyFor(meta.template, params)}/${rec?.Id ?? db.nextIds.get(meta.template) - 1}`;
		// POST /v1/rentals with Units creates the units too; the Link header points at the unit(s).
		if (meta.template === '/rentals' && Array.isArray(body?.Units)) {
			const units = materialize(db, COLLECTIONS.get('/rentals/units'), {});
			const links = [];
			for (const u of body.Units) {
				const id = db.nextIds.get('/rentals/units');
				db.nextIds.set('/rentals/units', id + 1);
				const unit = conform(units.meta.schema, { ...u, PropertyId: rec.Id, Address: u.Address ?? rec.Address }, streamFor(db.seed, `/rentals/units#${id}`));
				place(units.meta, unit, id, {});
				unit.PropertyId = rec.Id;
				units.items.push(unit);
				units.byId.set(id, unit);
				emitChange(sim, units.meta, 'Created', unit, {});
				links.push(`<${sim.url}/rentals/units/${id}>`);
			}
			if (links.length) headers.link = links.join(', ');
		}
		return { status: op.status, body: op.response ? shape(db, op, meta, rec) : null, headers };
	}

	function applyPatch(rec, patch) {
		for (const p of patch) {
			const [top, ...rest] = p.path.split('/').slice(1);
			const keyName = Object.keys(rec).find((k) => k.toLowerCase() === top.toLowerCase()) ?? top;
			if (rest.length) {
				let target = rec[keyName];
				for (const k of rest.slice(0, -1)) target = target?.[k];
				if (target && typeof target === 'object') {
					if (p.op === 'remove') delete target[rest.at(-1)];
					else target[rest.at(-1)] = p.value;
				}
			} else if (p.op === 'remove') rec[keyName] = null;
			else if (p.op === 'add' || p.op === 'replace') rec[keyName] = p.value;
		}
	}

	function update(sim, op, params, body, ctx) {
		const db = sim.db;
		const meta = COLLECTIONS.get(templateOf(op.segs.slice(0, -1)));
		const found = resolveChain(db, op, params);
		if (!found) return generic(sim, op, params);
		const { rec, id } = found;
		const isPatch = Array.isArray(body);
		const merged = { ...rec };
		if (isPatch) applyPatch(merged, body);
		else Object.assign(merged, body);
		if (meta.schema?.properties?.LastUpdatedDateTime) merged.LastUpdatedDateTime = new Date().toISOString();
		const next = conform(meta.schema, merged, streamFor(db.seed, `${meta.template}#${id}:u`));
		place(meta, next, id, params);
		Object.keys(rec).forEach((k) => delete rec[k]);
		Object.assign(rec, next);
		emitChange(sim, meta, 'Updated', rec, params);
		return { status: op.status, body: op.response ? shape(db, op, meta, rec) : null };
	}

	function remove(sim, op, params) {
		const db = sim.db;
		const meta = COLLECTIONS.get(templateOf(op.segs.slice(0, -1)));
		const found = resolveChain(db, op, params);
		if (found) {
			const { coll, rec, id } = found;
			coll.items.splice(coll.items.indexOf(rec), 1);
			coll.byId.delete(id);
			emitChange(sim, meta, 'Deleted', rec, params);
		}
		return { status: op.status, body: null };
	}

	/** Object-returning paths without a trailing id (settings, summaries, a unit's listing): one record per path. */
	function singleton(sim, op, params, body) {
		const db = sim.db;
		resolveChain(db, op, params);
		const key = keyFor(op.template, params);
		const getOp = findOp('GET', op.template);
		const schema = getOp?.response ?? op.response;
		if (!db.singletons.has(key)) db.singletons.set(key, schema ? generate(schema, streamFor(db.seed, op.template), '', 0) : null);
		let rec = db.singletons.get(key);
		const meta = { template: op.template, parentParams: [], schema };
		if (op.method === 'DELETE') {
			if (rec === undefined || rec === null) throw apiError(404, 'The entity was not found.', [], 'EntityNotFound');
			db.singletons.set(key, null);
			emitChange(sim, meta, 'Deleted', rec, params);
			return { status: op.status, body: null };
		}
		if (op.method === 'GET') {
			if (rec === null) throw apiError(404, 'The entity was not found.', [], 'EntityNotFound');
			return { status: op.status, body: rec, headers: op.totalCountHeader ? { 'x-total-count': '1' } : {} };
		}
		// PUT / PATCH
		if (op.response?.type === 'array' || Array.isArray(body) && op.method !== 'PATCH') return generic(sim, op, params, body);
		const merged = { ...(rec ?? {}) };
		if (Array.isArray(body)) applyPatch(merged, body);
		else Object.assign(merged, body);
		const existed = rec !== null && rec !== undefined;
		rec = schema ? conform(schema, merged, streamFor(db.seed, `${op.template}:u`)) : merged;
		db.singletons.set(key, rec);
		emitChange(sim, meta, existed ? 'Updated' : 'Created', rec, params);
		return { status: op.status, body: op.response ? (op.response === schema ? rec : conform(op.response, rec, streamFor(db.seed, op.operationId))) : null };
	}

	/** Actions (204/202) and anything else: validated, answered with generated data of the response schema. */
	function generic(sim, op, params, body) {
		const db = sim.db;
		resolveChain(db, op, params);
		const last = op.segs.at(-1);
		if ((last === 'inactivationrequest' || last === 'reactivationrequest') && op.segs.length >= 2) {
			const parent = resolveChain(db, { ...op, segs: op.segs.slice(0, -1) }, params);
			if (parent?.rec && 'IsActive' in parent.rec) parent.rec.IsActive = last === 'reactivationrequest';
		}
		if (!op.response) return { status: op.status, body: null };
		const r = streamFor(db.seed, `${op.operationId}:${JSON.stringify(params)}`);
		const value = body && typeof body === 'object' && !Array.isArray(body) && op.response.type === 'object' ? conform(op.response, body, r) : generate(op.response, r, '', 0);
		return { status: op.status, body: value };
	}

	// ---- files ----

	function uploadRequest(sim, op, params, body) {
		const db = sim.db;
		resolveChain(db, op, params);
		const token = randomBytes(16).toString('hex');
		const physical = `${token.slice(0, 8)}-${Date.now().toString(36)}-${String(body.FileName ?? 'file').replace(/[^\w.-]/g, '_')}`;
		const headers = { 'x-amz-meta-buildium-file-name': String(body.FileName ?? 'file'), 'x-amz-meta-buildium-physical-file-name': physical, 'x-amz-meta-buildium-upload-token': token };
		state.uploads.set(token, { op, params: { ...params }, body: clone(body), headers, physical, expiresAt: Date.now() + FILE_URL_TTL_MS });
		if (op.responseRef === 'FileUploadTicketMessage') {
			// The older S3 POST-form style (still what the spec gives check files): POST multipart/form-data to
			// BucketUrl with every FormData field first and the bytes as the `file` part.
			const FormData = { key: physical, ...headers, policy: Buffer.from(JSON.stringify({ token })).toString('base64'), 'x-amz-signature': token.slice(0, 16) };
			state.uploads.get(token).form = FormData;
			return { status: op.status, body: { BucketUrl: `${sim.origin}/__bucket/forms/${token}`, FormData, PhysicalFileName: physical } };
		}
		return { status: op.status, body: { UploadUrl: `${sim.origin}/__bucket/uploads/${token}`, PhysicalFileName: physical, Headers: headers } };
	}

	function downloadRequest(sim, op, params) {
		const found = resolveChain(sim.db, op, params);
		const itemKey = keyFor(templateOf(op.segs.slice(0, -1)), params);
		const token = randomBytes(16).toString('hex');
		const stored = sim.db.files.get(itemKey);
		const rec = found?.rec ?? {};
		state.downloads.set(token, {
			expiresAt: Date.now() + FILE_URL_TTL_MS,
			file: stored ?? { bytes: Buffer.from(`Simulated Buildium file ${itemKey}\n`), contentType: rec.ContentType ?? 'text/plain', name: rec.FileName ?? rec.Name ?? `file-${found?.id ?? 'x'}.txt` },
		});
		return { status: op.status, body: { DownloadUrl: `${sim.origin}/__bucket/downloads/${token}` } };
	}

	return {
		async handle(op, ctx) {
			const { sim } = ctx;
			const params = checkPath(op, ctx.params);
			const query = checkQuery(sim, op, ctx.query, ctx);
			const body = checkBody(sim, op, ctx);
			const last = op.segs.at(-1);
			const isItem = isParam(last);
			if (op.method === 'POST' && last === 'uploads') return uploadRequest(sim, op, params, body);
			if (op.method === 'POST' && /^downloadrequests?$/.test(last)) return downloadRequest(sim, op, params);
			if (op.method === 'GET' && op.response?.type === 'array' && COLLECTIONS.get(op.template)?.schema) {
				resolveChain(sim.db, op, params);
				return list(sim, op, params, query);
			}
			if (op.method === 'GET' && isItem) {
				const found = resolveChain(sim.db, op, params);
				const meta = COLLECTIONS.get(templateOf(op.segs.slice(0, -1)));
				return { status: op.status, body: found ? shape(sim.db, op, meta, found.rec) : generic(sim, op, params).body };
			}
			if (op.method === 'POST' && op.status === 201 && COLLECTIONS.get(op.template)?.schema) {
				resolveChain(sim.db, op, params);
				checkLinks(sim.db, op.template, body);
				return create(sim, op, params, body, ctx);
			}
			if ((op.method === 'PUT' || op.method === 'PATCH') && isItem) {
				checkLinks(sim.db, templateOf(op.segs.slice(0, -1)), body);
				return update(sim, op, params, body, ctx);
			}
			if (op.method === 'DELETE' && isItem) return remove(sim, op, params);
			if (!isItem && (op.method === 'GET' || op.method === 'PUT' || op.method === 'PATCH' || op.method === 'DELETE') && op.response?.type !== 'array') return singleton(sim, op, params, body);
			return generic(sim, op, params, body);
		},
	};
}

/** Static segments before `{param}` ones, so /rentals/units wins over /rentals/{propertyId}. */
function routeOrder(a, b) {
	const sa = a.segs;
	const sb = b.segs;
	for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
		const pa = isParam(sa[i]);
		const pb = isParam(sb[i]);
		if (pa !== pb) return pa ? 1 : -1;
		if (!pa && sa[i] !== sb[i]) return sa[i] < sb[i] ? -1 : 1;
	}
	return sa.length - sb.length;
}

// ---- request samples (for coverage tests) ---------------------------------------------------------------------

/** A seeded id that exists in a fresh simulator for the collection at `template` (1 when it is not stateful). */
function seededId(template) {
	const meta = COLLECTIONS.get(template);
	return meta?.schema ? meta.idBase + 1 : 1;
}

function sampleQueryValue(p, r) {
	const s = p.schema ?? { type: 'string' };
	if (/(from|startdate)$/.test(p.name) && /date/.test(s.format ?? '')) return s.format === 'date' ? '2024-01-01' : '2024-01-01T00:00:00Z';
	if (/(to|enddate)$/.test(p.name) && /date/.test(s.format ?? '')) return s.format === 'date' ? '2024-06-30' : '2024-06-30T00:00:00Z';
	if (p.name === 'limit') return 10;
	if (p.name === 'offset') return 0;
	if (p.name === 'orderby') return 'Id asc';
	if (s.type === 'array') return [generate(s.items, r, p.name, 1, { firstEnum: true })];
	if (/date/.test(s.format ?? '')) return s.format === 'date' ? '2024-01-01' : '2024-01-01T00:00:00Z';
	return generate(s, r, p.name, 1, { firstEnum: true });
}

/**
 * A valid request for a raw spec operation (an entry of rawOperations(spec) or OPERATIONS): ids that exist in a
 * freshly seeded simulator (or, with `sim`, the first id currently present), the required query parameters (all of
 * them with `allQuery`), and a body with the required properties (all with `fullBody`).
 * @returns {{ method, path, pathParams, query, body, contentType }} path is the full '/v1/...' path; query values
 *   are scalars or arrays (send arrays as repeated parameters, see sampleUrl).
 */
export function sampleRequest(op, { sim, allQuery = false, fullBody = false, seed = 1 } = {}) {
	const r = streamFor(seed, `${op.method} ${op.path}`);
	const segs = segmentsOf(op.path);
	const pathParams = {};
	segs.forEach((seg, i) => {
		if (!isParam(seg)) return;
		const template = templateOf(segs.slice(0, i));
		let id = seededId(template);
		if (sim) {
			const meta = COLLECTIONS.get(template);
			if (meta?.schema) id = materialize(sim.db, meta, pathParams).items[0]?.Id ?? [...materialize(sim.db, meta, pathParams).byId.keys()][0] ?? id;
		}
		pathParams[paramName(seg)] = id;
	});
	const query = {};
	for (const p of op.parameters.filter((x) => x.in === 'query')) {
		if (p.required || allQuery) query[p.name] = sampleQueryValue(p, r);
	}
	let body;
	if (op.body) {
		body = generate(op.body, r, '', 0, { required: !fullBody, firstEnum: true });
		// Foreign keys (PropertyId, UnitId, ...) name records that exist, so writes pass the existence checks.
		const link = (node) => {
			if (Array.isArray(node)) return node.forEach(link);
			if (!node || typeof node !== 'object') return;
			for (const [k, v] of Object.entries(node)) {
				if (LINKS[k] && Number.isInteger(v)) {
					const template = NAMED_COLLECTIONS[LINKS[k]];
					node[k] = sim ? (materialize(sim.db, COLLECTIONS.get(template), {}).items[0]?.Id ?? seededId(template)) : seededId(template);
				} else link(v);
			}
		};
		link(body);
	}
	const contentType = op.body ? 'application/json' : undefined;
	return { method: op.method, path: op.path.replace(/\{(\w+)\}/g, (_, n) => pathParams[n]), pathParams, query, body, contentType };
}

/** Absolute URL of a sample: arrays become repeated parameters (`?statuses=Active&statuses=Past`). */
export function sampleUrl(origin, sample) {
	const url = new URL(sample.path, origin);
	for (const [k, v] of Object.entries(sample.query ?? {})) for (const x of [].concat(v)) url.searchParams.append(k, String(x));
	return url.toString();
}

// ---- webhooks -----------------------------------------------------------------------------------------------------

/** base64(HMAC-SHA256(secret, `${timestamp}.${body}`)), as Buildium signs deliveries. */
export function signWebhook(secret, timestamp, rawBody) {
	return createHmac('sha256', Buffer.from(String(secret), 'utf8')).update(`${timestamp}.${rawBody}`).digest('base64');
}

/** A thin Buildium event for an event name, with sample ids (override any field with `fields`). */
export function buildEvent(eventName, fields = {}, { accountId = 123456 } = {}) {
	const spec = EVENT_FIELDS.get(eventName);
	if (!spec) throw new Error(`unknown Buildium webhook event '${eventName}'`);
	const event = { EventName: eventName, EventDateTime: nowIso(), AccountId: accountId };
	let n = 1;
	for (const [name, type] of Object.entries(spec)) {
		if (name in event) continue;
		if (name.endsWith('[]')) event[name.slice(0, -2)] = [1000 + n++];
		else if (type === 'integer') event[name] = 1000 + n++;
		else if (type === 'date') event[name] = '2024-01-01';
		else if (name === 'MeterType') event[name] = 'Electric';
		else if (name === 'TransactionType') event[name] = 'Charge';
		else if (name === 'TaskType') event[name] = 'Todo';
		else event[name] = `${name}Value`;
	}
	return { ...event, ...fields };
}

// ---- entry point --------------------------------------------------------------------------------------------------

/**
 * Creates (does not start) the Buildium simulator.
 * @param {object} [options]
 * @param {string} [options.clientId] / clientSecret   the valid key pair (defaults sim-client-id / sim-client-secret)
 * @param {object|null} [options.limitedClient] a valid key pair without permissions: {clientId, clientSecret, access: 'none'|'read'}
 * @param {object|null} [options.rateLimit] {limit, windowMs} per client id (default 10 per 1000 ms); null = off
 * @param {number} [options.latencyMs] added to every API request (runtime: sim.setLatency / POST /__control/latency)
 * @param {boolean} [options.strict] refuse unknown body properties and query parameters (default: ignore + log)
 * @param {'reject'|'clamp'} [options.limitOverflow] limit > 1000: 400 (default) or clamp to 1000
 * @param {number} [options.seed] PRNG seed (42); [options.listSize] records of non-named collections (3);
 *   counts of the named collections: rentals, rentalUnits, owners, leases, tenants, applicants, vendors, workOrders,
 *   tasks, bills, associations, bankAccounts, glAccounts.
 */
export function createBuildiumSimulator(options = {}) {
	const clientId = options.clientId ?? DEFAULT_CLIENT_ID;
	const clientSecret = options.clientSecret ?? DEFAULT_CLIENT_SECRET;
	const limited = options.limitedClient === null ? null : { ...DEFAULT_LIMITED_CLIENT, ...options.limitedClient };
	const state = { options, uploads: new Map(), downloads: new Map() };
	const handlers = createHandlers(state);

	const seedOptions = { seed: options.seed ?? 42, listSize: options.listSize ?? DEFAULT_LIST_SIZE };
	for (const k of Object.keys(NAMED_COLLECTIONS)) if (options[k] !== undefined) seedOptions[k] = options[k];

	const routes = [...OPERATIONS].sort(routeOrder).map((op) => ({ method: op.method, path: op.routePath, handler: (ctx) => handlers.handle(op, ctx) }));

	function authenticate(ctx) {
		const id = ctx.headers['x-buildium-client-id'];
		const secret = ctx.headers['x-buildium-client-secret'];
		const unauthorized = { status: 401, body: { UserMessage: "The API client ID and secret weren't provided or are no longer valid.", ErrorCode: 'Unauthorized', Errors: [] } };
		if (typeof id !== 'string' || typeof secret !== 'string') return unauthorized;
		if (sameSecret(id, clientId) && sameSecret(secret, clientSecret)) return null;
		if (limited && sameSecret(id, limited.clientId) && sameSecret(secret, limited.clientSecret)) {
			if (limited.access === 'read' && ctx.method === 'GET') return null;
			const route = OPERATIONS.filter((op) => op.method === ctx.method).sort(routeOrder).find((op) => new RegExp(`^${op.routePath.replace(/:\w+/g, '[^/]+')}/?$`).test(ctx.path));
			const need = route?.permission ? ` Required permission(s): ${route.permission}.` : '';
			return { status: 403, body: { UserMessage: `The API key doesn't have permission to perform the request.${need}`, ErrorCode: 'Forbidden', Errors: [] } };
		}
		return unauthorized;
	}

	// ---- bucket (presigned-URL stand-in) ----
	function readRaw(req) {
		return new Promise((resolve, reject) => {
			const chunks = [];
			req.on('data', (c) => chunks.push(c));
			req.on('end', () => resolve(Buffer.concat(chunks)));
			req.on('error', reject);
		});
	}
	/** Minimal multipart/form-data parser: [{name, filename?, contentType?, data: Buffer}] or null. */
	function parseMultipart(buf, type) {
		const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type ?? '');
		if (!/^multipart\/form-data/i.test(type ?? '') || !m) return null;
		const delimiter = Buffer.from(`--${m[1] ?? m[2]}`);
		const parts = [];
		let pos = buf.indexOf(delimiter);
		while (pos >= 0) {
			const start = pos + delimiter.length;
			if (buf.slice(start, start + 2).toString() === '--') break;
			const next = buf.indexOf(delimiter, start);
			if (next < 0) return null;
			const part = buf.slice(start + 2, next - 2); // skip CRLF after the delimiter and before the next one
			const split = part.indexOf('\r\n\r\n');
			if (split < 0) return null;
			const head = part.slice(0, split).toString('utf8');
			const disp = /content-disposition:([^\r\n]*)/i.exec(head)?.[1] ?? '';
			const name = /;\s*name="([^"]*)"/i.exec(disp)?.[1];
			if (name === undefined) return null;
			parts.push({ name, filename: /;\s*filename="([^"]*)"/i.exec(disp)?.[1], contentType: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim(), data: part.slice(split + 4) });
			pos = next;
		}
		return parts;
	}
	const s3Error = (res, status, code, message) => {
		const xml = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
		res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
		res.end(xml);
	};
	async function bucket(req, res, url, sim) {
		const [, , kind, token] = url.pathname.split('/');
		const bytes = await readRaw(req);
		sim.bucketRequests.push({ method: req.method, path: url.pathname, headers: { ...req.headers }, size: bytes.length, at: new Date().toISOString() });
		const up = (kind === 'uploads' || kind === 'forms') && state.uploads.get(token);
		if ((kind === 'uploads' && req.method === 'PUT') || (kind === 'forms' && req.method === 'POST')) {
			if (!up || (kind === 'forms') !== Boolean(up.form)) return s3Error(res, 404, 'NoSuchUpload', 'The upload URL is unknown.');
			if (Date.now() > up.expiresAt) return s3Error(res, 403, 'AccessDenied', 'Request has expired');
			if (req.headers['x-buildium-client-secret']) return s3Error(res, 400, 'InvalidArgument', 'Do not send Buildium credentials to the upload URL.');
			let content = bytes;
			let contentType = req.headers['content-type'] ?? 'application/octet-stream';
			if (kind === 'uploads') {
				const missing = Object.entries(up.headers).filter(([k, v]) => req.headers[k.toLowerCase()] !== v);
				if (missing.length) return s3Error(res, 403, 'SignatureDoesNotMatch', `Missing or different headers: ${missing.map(([k]) => k).join(', ')}`);
			} else {
				const parts = parseMultipart(bytes, req.headers['content-type']);
				if (!parts) return s3Error(res, 400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.');
				const fields = Object.fromEntries(parts.filter((x) => x.filename === undefined).map((x) => [x.name, x.data.toString('utf8')]));
				const missing = Object.entries(up.form).filter(([k, v]) => fields[k] !== v);
				if (missing.length) return s3Error(res, 403, 'AccessDenied', `Missing or different form fields: ${missing.map(([k]) => k).join(', ')}`);
				const file = parts.find((x) => x.name === 'file');
				if (!file) return s3Error(res, 400, 'InvalidArgument', 'POST requires exactly one file upload per request.');
				content = file.data;
				contentType = file.contentType ?? 'application/octet-stream';
			}
			state.uploads.delete(token);
			// The file record appears in the collection next to `uploads` (e.g. /files, /bills/{billId}/files).
			const collTemplate = templateOf(up.op.segs.slice(0, -1));
			const meta = COLLECTIONS.get(collTemplate);
			let id = null;
			if (meta?.schema) {
				const coll = materialize(sim.db, meta, up.params);
				id = sim.db.nextIds.get(collTemplate);
				sim.db.nextIds.set(collTemplate, id + 1);
				const source = { ...up.body, PhysicalFileName: up.physical, Size: content.length, ContentType: contentType, UploadedDateTime: new Date().toISOString() };
				const rec = conform(meta.schema, source, streamFor(sim.db.seed, `${collTemplate}#${id}`));
				place(meta, rec, id, up.params);
				coll.items.push(rec);
				coll.byId.set(id, rec);
				sim.db.files.set(`${keyFor(collTemplate, up.params)}/${id}`, { bytes: content, contentType, name: up.body.FileName ?? `file-${id}` });
			}
			sim.uploadedFiles.push({ id, collection: keyFor(collTemplate, up.params), physicalFileName: up.physical, size: content.length, contentType, fileName: up.body.FileName ?? null });
			res.writeHead(kind === 'forms' ? 204 : 200, { etag: `"${createHash('md5').update(content).digest('hex')}"`, 'content-length': 0 });
			return res.end();
		}
		if (kind === 'downloads' && (req.method === 'GET' || req.method === 'HEAD')) {
			const down = state.downloads.get(token);
			if (!down) return s3Error(res, 404, 'NoSuchKey', 'The download URL is unknown.');
			if (Date.now() > down.expiresAt) return s3Error(res, 403, 'AccessDenied', 'Request has expired');
			const { bytes, contentType, name } = down.file;
			res.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length, 'content-disposition': `attachment; filename="${name}"` });
			return res.end(req.method === 'HEAD' ? undefined : bytes);
		}
		return s3Error(res, 405, 'MethodNotAllowed', 'Use PUT on an upload URL and GET on a download URL.');
	}

	async function control({ method, path, body }) {
		if (method === 'POST' && path === '/webhook-send') {
			if (!body?.url || !body?.event) throw new Error('webhook-send needs {url, event, secret}');
			return { status: 200, body: await sim.sendWebhook(body.url, body.event, body) };
		}
		if (method === 'POST' && path === '/subscribe') return { status: 201, body: sim.subscribeWebhook(body ?? {}) };
		if (method === 'GET' && path === '/files') return { status: 200, body: sim.uploadedFiles };
		if (method === 'GET' && path === '/ignored') return { status: 200, body: sim.ignoredFields };
		if (method === 'GET' && path === '/events') return { status: 200, body: WEBHOOK_EVENTS };
		return undefined;
	}

	const sim = createSimulator({
		name: 'buildium',
		basePath: BASE_PATH,
		authenticate,
		errorBody: (status, message, details) => ({ UserMessage: message, ErrorCode: ERROR_CODES[status] ?? 'Error', Errors: Array.isArray(details) ? details.map((d) => (d && 'Key' in d ? d : { Key: '', Value: String(d?.message ?? d) })) : [] }),
		routes,
		seed: seedBuildium,
		seedOptions,
		rateLimit: options.rateLimit === null ? null : { limit: 10, windowMs: 1000, ...options.rateLimit, key: (req) => req.headers['x-buildium-client-id'] ?? '', retryAfter: false },
		latencyMs: options.latencyMs ?? 0,
		redactHeaders: ['x-buildium-client-secret'],
		control,
		endpoints: [{ prefix: '/__bucket', handle: (req, res, url, s) => bucket(req, res, url, s) }],
		webhookFilter: (sub, event) => !sub.events || sub.events.includes(event.EventName),
		webhookHeaders: (sub, { body }) => {
			const ts = Math.floor(Date.now() / 1000);
			const secret = sub.secret ?? sub.token ?? '';
			return { 'buildium-webhook-timestamp': String(ts), 'buildium-webhook-signature': signWebhook(secret, ts, body) };
		},
	});

	const setRateLimit = sim.setRateLimit;
	const baseReset = sim.reset;
	Object.assign(sim, {
		/** Base reset (seed, faults, logs, subscribers) + file/ignored logs, pending URLs, start latency and rate limit. */
		async reset() {
			const counts = await baseReset();
			for (const list of [sim.ignoredFields, sim.uploadedFiles, sim.bucketRequests]) list.length = 0;
			state.uploads.clear();
			state.downloads.clear();
			sim.setLatency(options.latencyMs ?? 0);
			sim.setRateLimit(options.rateLimit === null ? null : { ...options.rateLimit });
			return counts;
		},
		clientId,
		clientSecret,
		limitedClient: limited,
		/** Unknown query parameters / body properties that were ignored: [{method, path, in, keys}]. */
		ignoredFields: [],
		/** Files PUT to upload URLs: [{id, collection, physicalFileName, size, contentType, fileName}]. */
		uploadedFiles: [],
		/** Requests to the bucket (/__bucket/...), which are not API requests. */
		bucketRequests: [],
		/** The two auth headers for the valid key (or the limited one with `{ limited: true }`). */
		authHeaders({ limited: useLimited = false } = {}) {
			const pair = useLimited ? limited : { clientId, clientSecret };
			return { 'x-buildium-client-id': pair.clientId, 'x-buildium-client-secret': pair.clientSecret };
		},
		/** Per client id; `null` lifts it. Buildium sends no rate-limit headers, so none are configured. */
		setRateLimit(cfg) {
			setRateLimit(cfg && { limit: 10, windowMs: 1000, ...cfg, key: (req) => req.headers['x-buildium-client-id'] ?? '', retryAfter: false });
		},
		/** Registers a signed-webhook subscriber; `events` (names) filters, default all. */
		subscribeWebhook({ url, secret, events } = {}) {
			if (typeof secret !== 'string' || !secret) throw new Error('subscribeWebhook needs a secret');
			if (events && events.some((e) => !EVENT_FIELDS.has(e))) throw new Error(`unknown event in ${events}`);
			return sim.subscribe({ url, token: null, secret, ...(events ? { events: [...events] } : {}) });
		},
		/**
		 * POSTs one signed Buildium event to `url`. `event`: an event object or an event name (sample ids filled in,
		 * `fields` overrides). `timestamp` (unix seconds) defaults to now. `tamper`: 'body' (alter the body after
		 * signing), 'signature' (corrupt the signature), 'timestamp' (send another timestamp than the one signed),
		 * 'missing' (no signature header). Resolves { status, body (response text), rawBody, headers (sent) }.
		 */
		async sendWebhook(url, event, { secret, timestamp, tamper, fields } = {}) {
			if (typeof secret !== 'string') throw new Error('sendWebhook needs the subscription secret');
			const payload = typeof event === 'string' ? buildEvent(event, fields, { accountId: sim.db.accountId }) : event;
			const ts = timestamp ?? Math.floor(Date.now() / 1000);
			let rawBody = typeof payload === 'string' ? payload : JSON.stringify(payload);
			let signature = signWebhook(secret, ts, rawBody);
			const headers = { 'content-type': 'application/json', 'buildium-webhook-timestamp': String(ts), 'buildium-webhook-signature': signature };
			if (tamper === 'body') rawBody = rawBody.replace(/"AccountId":\d+/, (m) => `${m}1`) + (/"AccountId":\d+/.test(rawBody) ? '' : ' ');
			if (tamper === 'signature') headers['buildium-webhook-signature'] = signature = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
			if (tamper === 'timestamp') headers['buildium-webhook-timestamp'] = String(ts + 1);
			if (tamper === 'missing') delete headers['buildium-webhook-signature'];
			const res = await fetch(url, { method: 'POST', headers, body: rawBody });
			return { status: res.status, body: await res.text(), rawBody, headers };
		},
	});
	return sim;
}

/** Creates and starts the simulator on 127.0.0.1 (`port` 0 = any free port). */
export async function startBuildiumSimulator({ port = 0, ...options } = {}) {
	return createBuildiumSimulator(options).start({ port });
}
