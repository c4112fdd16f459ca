// Local simulator of the RentEngine Public API v1.1.1 (https://app.rentengine.io/api/public/v1), built on base.mjs.
//
// Source of truth: specs/rentengine-openapi.reconstructed.yaml (loaded at startup; parameters, enums and
// request schemas are validated against it directly) and the project's RentEngine guide §1 (field reports: §1.6).
//
// Vendor behaviour reproduced: `Authorization: Bearer <token>` on every route (401 `{error, details: []}`);
// lists are bare JSON arrays ordered by id, paged with `limit` (default 50, max 100) and 0-indexed `page_number`;
// multi-value filters are comma-separated; unknown query parameters, unknown top-level body fields, wrong types
// and enum values are 400 `{error, details: [ajv-style]}`; webhooks are `{type, table, record, old_record}` with an
// `x-api-token` header (record: null on DELETE, old_record: null on INSERT).
// From the field reports (spec `x-source`): /prospects pages by creation-time window (`created_after` inclusive,
// `created_before` exclusive, oldest first, page parameters refused); /calls, /messages and /reporting/* answer
// `{data, page: {limit, page_number, has_more, next_page_number}}`; reports refuse a span over 32 days; leasing
// performance refuses a bare date; the ajv messages read "must …" (ajv 8); with `rateLimit` every response carries
// X-Ratelimit-Limit/Remaining/Reset and a request over the budget gets 429 with Retry-After.
//
// ASSUMPTIONS (the docs are truncated or silent here; change them when the live API says otherwise):
// - `limit` must also be >= 1 (the spec only states the maximum); a non-integer limit/page_number is a type error.
// - Brief-only list endpoints (not in the public docs) accept `limit`, `page_number` and: /subteams and
//   /multifamily_properties `account_id`; /floorplans `multifamily_property_id`; /leasing_events `prospect_id`.
//   /lockbox_installations takes paging only and is derived from lockbox events: one row per lockbox whose latest
//   Install/Uninstall event is an Install: {id (the Install event id), lockbox_id, serial_number, unit_id, account_id,
//   installed_at}.
// - POST /units accepts, besides the UnitUpsert fields, every field of the Unit / webhook-record schemas (laundry,
//   pets_allowed, ...) and `extracted_from`; anything else is rejected. Numbers are stored as strings, as GET returns.
//   New units get status 'Incomplete'. `state` must be 2 letters, `phone` (showings) 10 digits.
// - Not-found ids are 400 `{error: '<Thing> not found'}` (the spec documents no 404 for these operations).
// - ASSUMED endpoints (named by the product brief, absent from the docs): POST /lockboxes,
//   POST /lockboxes/transfer_accounts, POST /lockboxes/generate_code (shapes in their handlers below).
// - POST /showings/create uses the guessed field names prospectType ('self' default | 'agent'), agentToken (any
//   6 characters) and showingMethod (default: the unit's). Prescreening compares the lower bound of the creditScore
//   range with the template's minimumCreditScore and the lower bound of the monthly income range with
//   rent x minimumIncomeRentMultiplier. A second call for the same unit and prospect email reschedules the showing.
//   Response: {showing: {id, unitId, plannedForTime, showingMethod, status: 'Scheduled', prospect: {...}}}.
// - Webhooks fire for units, multifamily_properties, floorplans, leasing_events, lockboxes, lockbox_events and
//   prospects; the docs confirm only `units`. Unit records carry every unit field.
// - Availability windows cover the next 7 days (UTC dates from today), 14:00-23:00Z each day, with three one-hour
//   preferred windows whose day/hour depend only on (seed, unitId); timezone America/Chicago.
import { createHash, timingSafeEqual } from 'node:crypto';
import { loadSpec, resolver } from '../../scripts/generator/openapi.mjs';
import { specPath } from '../../scripts/lib/specs.mjs';
import { createSimulator } from './base.mjs';
import { validate, validateQuery } from './schema.mjs';

const BASE_PATH = '/api/public/v1';
const RATE_LIMIT_HEADERS = { limit: 'x-ratelimit-limit', remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset' };
const SPEC_NAME = 'rentengine-openapi.reconstructed.yaml';
const VALIDATION_ERROR = 'Validation error';
const DAY = 86_400_000;
const SEED_EPOCH = Date.UTC(2024, 0, 1); // seeded timestamps are fixed so the same seed gives byte-identical data

// ---- spec ------------------------------------------------------------------------------------------------------

const spec = loadSpec(specPath(SPEC_NAME));
const deref = resolver(spec); // returns fresh copies, so the tweaks below never touch `spec`
const schemas = deref(spec.components.schemas);
const queryParams = (path) => deref(spec.paths[path].get.parameters ?? []);
const requestSchema = (path) => deref(spec.paths[path].post.requestBody).content['application/json'].schema;

const ENUMS = {
	propertyType: schemas.Unit.properties.property_type.enum,
	unitStatus: deref(spec.paths['/units'].get.parameters).find((p) => p.name === 'statuses').schema.items.enum,
	showingMethod: schemas.ShowingWindow.properties.showingMethodsAvailable.items.enum,
	structureType: schemas.MultifamilyPropertyUpsert.properties.structure_type.enum,
	leasingSource: requestSchema('/leasing_events').properties.events.items.properties.source.enum,
	laundry: ['In Unit', 'Shared', 'Coin-op', 'Hookups but no machines'], // the spec's description, cut off after these
	prospectStatus: schemas.Prospect.properties.status['x-known-values'],
	prospectSource: ['Zillow', 'Realtor.com', 'Apartments.com', 'Zumper', 'Website Widget', 'Phone Call', 'Walk-In', 'zillow'],
	propertyHealth: schemas.UnitLeasingPerformance.properties.property_health.enum,
};
/** Reports refuse a span over this (field reports: longer ranges get 400). */
const REPORT_MAX_DAYS = 32;

/** The request schema with unknown top-level fields forbidden (and optional extra properties/required names). */
function strict(schema, { properties = {}, required } = {}) {
	return { ...schema, properties: { ...schema.properties, ...properties }, ...(required ? { required } : {}), additionalProperties: false };
}

const BODY = (() => {
	const lockboxEvents = strict(requestSchema('/lockbox_events'));
	lockboxEvents.properties.events.minItems = 1;

	const leasingEvents = strict(requestSchema('/leasing_events'));
	leasingEvents.properties.events.minItems = 1;

	const upsert = requestSchema('/units');
	upsert.properties.address.properties.state = { ...upsert.properties.address.properties.state, pattern: '^[A-Za-z]{2}$' };
	const readOnly = ['id', 'created_at', 'updated_at', 'address'];
	const recordFields = Object.fromEntries(
		[...Object.entries(schemas.UnitWebhookRecord.properties), ...Object.entries(schemas.Unit.properties)].filter(([k]) => !readOnly.includes(k)),
	);
	const unitUpdate = strict(upsert, { properties: { ...recordFields, extracted_from: { type: 'string' }, ...upsert.properties } });
	const unitCreate = { ...unitUpdate, required: ['address', 'property_type', 'target_rental_rate', 'account_id'] };

	const mf = requestSchema('/multifamily_properties');
	const floorplan = requestSchema('/floorplans');

	const showing = requestSchema('/showings/create');
	const guessed = showing.properties['x-unverified-fields']; // guessed field names -> real properties
	delete guessed.description;
	delete showing.properties['x-unverified-fields'];
	guessed.prospectType.type = 'string';
	guessed.showingMethod.type = 'string';
	showing.properties.prospectData.properties.phone.pattern = '^\\d{10}$';

	return {
		lockboxEvents,
		leasingEvents,
		unitCreate,
		unitUpdate,
		mfCreate: strict(mf),
		mfUpdate: strict(mf, { required: ['id'] }),
		floorplan: strict(floorplan),
		showing: strict(showing, { properties: guessed }),
		// ASSUMED endpoints: the same shapes the node generator uses (scripts/generator/rentengine.json).
		lockboxCreate: strict({
			type: 'object',
			required: ['serial_number', 'lockbox_type', 'account_id'],
			properties: { serial_number: { type: 'string', minLength: 1 }, lockbox_type: schemas.Lockbox.properties.lockbox_type, account_id: { type: 'string' } },
		}),
		lockboxTransfer: strict({
			type: 'object',
			required: ['lockbox_ids', 'account_id'],
			properties: { lockbox_ids: { type: 'array', minItems: 1, items: { type: 'string' } }, account_id: { type: 'string' } },
		}),
		generateCode: strict({ type: 'object', required: ['lockbox_id'], properties: { lockbox_id: { type: 'string' }, unit_id: { type: 'number' } } }),
	};
})();

// ---- seeded data -----------------------------------------------------------------------------------------------

/** mulberry32: tiny, fast, good enough for test data, and identical on every platform. */
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
	const uuid = () => {
		const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
		hex[12] = '4';
		hex[16] = ((parseInt(hex[16], 16) & 3) | 8).toString(16);
		const h = hex.join('');
		return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
	};
	return { next, int, pick, uuid };
}

/** One PRNG stream per collection, so e.g. the lockboxes do not change when only the unit count changes. */
const streamFor = (seed, name) => prng([...name].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), seed ^ 2166136261));

/** Date#toISOString is slow enough to dominate seeding 10 000 units, so format from a per-day cache. */
const isoDays = new Map();
const pad = (n, w = 2) => String(n).padStart(w, '0');
function iso(ms) {
	const day = Math.floor(ms / DAY);
	let date = isoDays.get(day);
	if (date === undefined) isoDays.set(day, (date = new Date(day * DAY).toISOString().slice(0, 11)));
	const t = ms - day * DAY;
	return `${date}${pad(Math.floor(t / 3_600_000))}:${pad(Math.floor(t / 60_000) % 60)}:${pad(Math.floor(t / 1000) % 60)}.${pad(t % 1000, 3)}Z`;
}

const FIRST = ['Avery', 'Jordan', 'Taylor', 'Morgan', 'Riley', 'Casey', 'Jamie', 'Quinn', 'Drew', 'Skyler', 'Rowan', 'Emerson'];
const LAST = ['Garcia', 'Nguyen', 'Smith', 'Patel', 'Johnson', 'Kim', 'Lopez', 'Brown', 'Davis', 'Martinez', 'Wilson', 'Clark'];
const STREETS = ['Oak St', 'Maple Ave', 'Cedar Ln', 'Elm Dr', 'Pecan Blvd', 'Willow Way', 'Lamar Blvd', 'Congress Ave', 'Main St', 'Ridge Rd'];
const CITIES = [
	{ city: 'Austin', state: 'TX', zip: 78701 },
	{ city: 'Dallas', state: 'TX', zip: 75201 },
	{ city: 'Phoenix', state: 'AZ', zip: 85004 },
	{ city: 'Atlanta', state: 'GA', zip: 30303 },
	{ city: 'Tampa', state: 'FL', zip: 33602 },
];
const AMENITIES = ['Pool', 'Gym', 'Dishwasher', 'Balcony', 'Garage', 'Fenced yard', 'Central AC', 'Hardwood floors'];

/**
 * Builds the whole data store for `{ units, seed }`. Array-valued properties are the collections (counted by
 * /__control/state); the rest is bookkeeping (runtime PRNG, id counters).
 */
export function seedRentEngine({ units: unitCount = 250, prospects: prospectCount = 40, seed = 42 } = {}) {
	const rnd = (name) => streamFor(seed, name);

	let r = rnd('accounts');
	const accounts = ['Sunbelt Property Group', 'Lakeside Rentals LLC', 'Copper Key Management'].map((name, i) => ({
		id: r.uuid(),
		name,
		created_at: iso(SEED_EPOCH - (3 - i) * 90 * DAY),
	}));
	const accountAt = (i) => accounts[i % accounts.length];

	r = rnd('subteams');
	const subteams = ['Leasing North', 'Leasing South', 'Maintenance Coordinators', 'Weekend Showings'].map((name, i) => ({
		id: r.uuid(),
		name,
		account_id: accountAt(i).id,
		user_ids: Array.from({ length: r.int(2, 4) }, () => r.uuid()),
		created_at: iso(SEED_EPOCH + i * DAY),
		updated_at: iso(SEED_EPOCH + i * DAY),
	}));
	const userIds = subteams.flatMap((s) => s.user_ids);

	// One template per account; the first account's is the (only) default.
	r = rnd('templates');
	const prescreening_templates = [
		{ name: 'Standard screening', minimumCreditScore: 600, minimumIncomeRentMultiplier: 2.5 },
		{ name: 'Strict screening', minimumCreditScore: 650, minimumIncomeRentMultiplier: 3 },
		{ name: 'Lenient screening', minimumCreditScore: 550, minimumIncomeRentMultiplier: 2 },
	].map((t, i) => ({
		id: r.uuid(),
		name: t.name,
		accountId: accountAt(i).id,
		isDefault: i === 0,
		rules: {
			minimumCreditScore: t.minimumCreditScore,
			minimumIncomeRentMultiplier: t.minimumIncomeRentMultiplier,
			enableVoIPPhoneVerification: i !== 2,
			enableIDVerification: true,
			enableSelfieVerification: i === 1,
			allowIDWithoutExpiryDate: false,
			allowIDExpiredInDays: 30,
			minimumAge: 18,
			enableShowingLocationVerification: i === 1,
		},
		questions: [
			{ fixedQuestionType: 'housing_voucher', question: 'Do you have a housing voucher?', type: 'yes_no', rejectAnswer: null },
			{ question: 'How many pets do you have?', type: 'number', rejectAnswer: null },
		],
	}));

	// Status weights: mostly Available/Leased, every other status represented.
	const statusPool = ENUMS.unitStatus.flatMap((s) => Array(s === 'Available' ? 10 : s === 'Leased' ? 5 : 1).fill(s));
	r = rnd('units');
	const units = new Array(unitCount);
	for (let i = 0; i < unitCount; i++) {
		const type = r.pick(ENUMS.propertyType);
		const place = r.pick(CITIES);
		const status = r.pick(statusPool);
		const created = SEED_EPOCH + r.int(0, 364) * DAY + r.int(0, 86_399) * 1000;
		const account = accountAt(i);
		units[i] = {
			id: 1001 + i,
			created_at: iso(created),
			updated_at: iso(created + r.int(0, 60) * DAY),
			address: 50001 + i,
			address_details: {
				street_number: String(r.int(100, 9999)),
				street_name: r.pick(STREETS),
				unit: ['MULTI-FAMILY', 'CONDO', 'ROOM', 'ADU', 'DUPLEX', 'TRIPLEX'].includes(type) ? `Unit ${r.int(1, 40)}` : null,
				city: place.city,
				state: place.state,
				zip_code: String(place.zip + r.int(0, 40)),
				country: 'United States',
			},
			property_type: type,
			bedrooms: String(type === 'ROOM' ? 1 : r.int(0, 5)),
			bathrooms: r.pick(['1', '1.5', '2', '2.5', '3']),
			sqft: String(r.int(450, 3200)),
			furnished: r.next() < 0.15,
			renovated: r.pick(['Yes', 'No']),
			num_parking_spots: String(r.int(0, 3)),
			laundry: r.pick(ENUMS.laundry),
			target_rental_rate: String(r.int(18, 60) * 50),
			status,
			account_id: account.id,
			extracted_from: `appfolio:${7000 + Math.floor(i / 2)}`, // pairs share a value: "not unique" per the docs
			highlighted_amenities: AMENITIES.filter(() => r.next() < 0.3),
			is_occupied: status === 'Leased',
			earliest_move_in_date: iso(SEED_EPOCH + 400 * DAY + r.int(0, 120) * DAY).slice(0, 10),
			allow_cooperating_brokers: r.pick([true, false, null]),
			desired_lease_duration_months: r.pick([[12], [6, 12], [12, 24]]),
			pets_allowed: r.pick(['Yes with pet fee', 'Cats only', 'No', null]),
			pet_restrictions: r.pick(['', 'Max 2 pets', 'No aggressive breeds']),
			hoa_app_required: r.pick([true, false, null]),
			hoa_app_fee: r.pick([null, 50, 100]),
			hoa_application_url: null,
			key_access: r.pick(['Lockbox', 'Smart lock', 'Office pickup']),
			showing_method: r.pick(ENUMS.showingMethod),
			prescreening_template_id: prescreening_templates[i % accounts.length].id,
		};
	}
	const unitAt = (i) => units[i % Math.max(unitCount, 1)];

	r = rnd('lockboxes');
	const lockboxes = Array.from({ length: 30 }, (_, i) => {
		const created = iso(SEED_EPOCH + i * DAY);
		return { id: r.uuid(), lockbox_type: 'Sentrilock', serial_number: `SL${31000000 + i * 1013 + r.int(0, 999)}`, account_id: accountAt(i).id, created_at: created, updated_at: created };
	});

	// 30 Install + 10 Uninstall (every third lockbox) + 20 Generate Code (the others) = 60 events, 20 still installed.
	r = rnd('lockbox_events');
	const lockbox_events = [];
	const event = (lb, type, unit, at, metadata) =>
		lockbox_events.push({ id: r.uuid(), lockbox_id: lb.id, event_type: type, unit_id: String(unit?.id ?? ''), account_id: lb.account_id, created_at: iso(at), metadata });
	lockboxes.forEach((lb, i) => {
		const unit = unitAt(i);
		const installed = SEED_EPOCH + 30 * DAY + i * 3 * DAY;
		event(lb, 'Install', unit, installed, { installer_id: r.pick(userIds), notes: `Installed at front door of unit ${unit?.id}` });
		if (i % 3 === 0) event(lb, 'Uninstall', unit, installed + 45 * DAY, { installer_id: r.pick(userIds), notes: 'Unit leased' });
		else event(lb, 'Generate Code', unit, installed + 5 * DAY, { code_expires_at: iso(installed + 6 * DAY) });
	});

	r = rnd('multifamily');
	const multifamily_properties = ['The Oaks at Barton Creek', 'Riverside Lofts', 'Magnolia Commons', 'Camelback Terrace', 'Peachtree Place'].map((community_name, i) => {
		const place = CITIES[i % CITIES.length];
		const created = iso(SEED_EPOCH + i * 7 * DAY);
		return {
			id: r.uuid(),
			community_name,
			building_count: r.int(1, 6),
			unit_count: r.int(40, 320),
			description: `${community_name} in ${place.city}`,
			structure_type: r.pick(ENUMS.structureType),
			year_built: r.int(1985, 2022),
			photos: [{ path: `https://photos.example.test/mf/${i + 1}/front.jpg`, hidden: false }],
			external_ids: { yardi_id: `Y${10000 + i}` },
			text_address: `${r.int(100, 9999)} ${r.pick(STREETS)}, ${place.city}, ${place.state} ${place.zip}`,
			account_id: accountAt(i).id,
			deleted: false,
			created_at: created,
			updated_at: created,
		};
	});

	r = rnd('floorplans');
	const floorplans = Array.from({ length: 12 }, (_, i) => {
		const beds = i % 4;
		const created = iso(SEED_EPOCH + 40 * DAY + i * DAY);
		const unitTotal = r.int(8, 60);
		return {
			id: r.uuid(),
			multifamily_property_id: multifamily_properties[i % multifamily_properties.length].id,
			name: `${beds === 0 ? 'Studio' : `${beds}BR`} - ${r.pick(['Aspen', 'Birch', 'Cypress', 'Dogwood'])}`,
			bedroom_count: beds,
			bathroom_count: beds < 2 ? 1 : r.pick([1.5, 2, 2.5]),
			unit_count: unitTotal,
			units_available: r.int(0, unitTotal),
			market_rent: 900 + beds * 400 + r.int(0, 20) * 10,
			min_sqft: 450 + beds * 300,
			max_sqft: 600 + beds * 350,
			photos: [],
			deleted: false,
			description: 'Open kitchen, in-unit laundry',
			created_at: created,
			updated_at: created,
		};
	});

	r = rnd('prospects');
	// Live fields (field reports): id, status, source (free text, case varies), unit_of_interest, created_at, names,
	// email, phone, notes. Every fifth prospect shares its predecessor's created_at, as bulk imports do, so paging by
	// time window meets ties at the window boundary.
	let created = SEED_EPOCH + 200 * DAY;
	const prospects = Array.from({ length: prospectCount }, (_, i) => {
		const unit = unitAt(i * 7);
		const first = r.pick(FIRST);
		const last = r.pick(LAST);
		if (i % 5 !== 4) created += DAY - 3_600_000 + (i % 7) * 600_000;
		const id = 2001 + i;
		return {
			id,
			account_id: unit?.account_id ?? accounts[0].id,
			unit_id: unit?.id ?? null,
			unit_of_interest: unit?.id ?? null,
			first_name: first,
			last_name: last,
			email: `${first}.${last}.${id}@example.test`.toLowerCase(),
			phone: `512555${String(1000 + (i % 9000)).padStart(4, '0')}`,
			credit_score: r.pick(['600-650', '650-700', '700+']),
			income: r.pick(['$5000-$6000/month', '$6000-$8000/month', '$8000+/month']),
			prospect_type: 'self',
			status: r.pick(ENUMS.prospectStatus),
			source: r.pick(ENUMS.prospectSource),
			notes: i % 3 ? null : 'Asked about parking',
			assigned_user_ids: [],
			created_at: iso(created),
			updated_at: iso(created),
		};
	});

	// Calls and messages per prospect, and the showing history the reports count.
	r = rnd('conversations');
	const calls = [];
	const messages = [];
	const showing_history = [];
	for (const p of prospects) {
		const at = Date.parse(p.created_at);
		for (let k = 0; k < (p.id % 3) + 1; k++) {
			calls.push({ id: calls.length + 1, prospect_id: p.id, account_id: p.account_id, direction: k % 3 === 2 ? null : r.pick(['inbound', 'outbound']), status: r.pick(['completed', 'missed', 'voicemail']), duration: 30 + r.int(0, 600), contact_number: p.phone, created_at: iso(at + (k + 1) * 3_600_000) });
		}
		for (let k = 0; k < (p.id % 4) + 2; k++) {
			messages.push({ id: messages.length + 1, prospect_id: p.id, account_id: p.account_id, direction: k % 2 ? 'outbound' : 'inbound', channel: 'sms', body: k % 2 ? 'Thanks! When can you tour?' : 'Is this unit still available?', created_at: iso(at + (k + 1) * 1_800_000) });
		}
		if (p.id % 2 === 0) {
			showing_history.push({ showing_id: 9001 + showing_history.length, prospect_id: p.id, account_id: p.account_id, source: p.source, unit_id: p.unit_of_interest, status: r.pick(['Completed', 'Scheduled', 'Canceled']), feedback: null, created_at: iso(at + 2 * 3_600_000), planned_date_time: iso(at + 2 * DAY), showing_agent: 'Self Guided', cancellation_reason: null });
		}
	}

	r = rnd('leasing_events');
	const leasing_events = Array.from({ length: 20 }, (_, i) => {
		const prospect = prospects[(i * 3) % prospects.length];
		const assign = i % 4 !== 3;
		return {
			id: 3001 + i,
			created_at: iso(SEED_EPOCH + 210 * DAY + i * DAY),
			notes: assign ? 'Assigned to leasing agent' : 'Called back about availability',
			prospect: prospect.id,
			planned_date_time: assign ? null : iso(SEED_EPOCH + 212 * DAY + i * DAY),
			source: r.pick(ENUMS.leasingSource),
			event_type: assign ? 'Assign to User' : 'Follow Up',
			context: assign ? { assignedToUserIds: [r.pick(userIds)], applyActionInBulk: false } : null,
		};
	});

	return {
		accounts,
		units,
		lockboxes: lockboxes.sort(byId),
		lockbox_events: lockbox_events.sort(byId),
		prospects,
		calls,
		messages,
		showing_history,
		multifamily_properties: multifamily_properties.sort(byId),
		floorplans: floorplans.sort(byId),
		leasing_events,
		subteams: subteams.sort(byId),
		prescreening_templates: prescreening_templates.sort(byId),
		showings: [],
		// bookkeeping (not collections): runtime ids stay deterministic for a given sequence of calls
		seed,
		rng: rnd('runtime'),
		nextId: { units: 1001 + unitCount, addresses: 50001 + unitCount, prospects: 2001 + prospectCount, leasing_events: 3021, showings: 4001 },
	};
}

// ---- helpers ---------------------------------------------------------------------------------------------------

function byId(a, b) {
	if (typeof a.id === 'number' && typeof b.id === 'number') return a.id - b.id;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Keeps a collection ordered by id (numeric ids only ever grow, uuids land anywhere). */
function insert(list, record) {
	list.push(record);
	if (list.length > 1 && byId(list[list.length - 2], record) > 0) list.sort(byId);
	return record;
}

const now = () => new Date().toISOString();
const clone = (v) => structuredClone(v);

function checkBody(sim, schema, body) {
	const errors = validate(schema, body);
	if (errors.length) sim.fail(400, VALIDATION_ERROR, errors);
}

function checkQuery(sim, parameters, query) {
	const { values, errors } = validateQuery(parameters, query);
	if (errors.length) sim.fail(400, VALIDATION_ERROR, errors);
	return values;
}

function find(sim, list, id, what) {
	const record = list.find((x) => String(x.id) === String(id));
	if (!record) sim.fail(400, `${what} not found`);
	return record;
}

const change = (sim, table, type, record, oldRecord = null) => sim.emit({ type, table, record, old_record: oldRecord });

/** Supabase-style table events: every write below goes through one of these. */
function inserted(sim, table, record) {
	change(sim, table, 'INSERT', record, null);
	return record;
}

/** Lockboxes whose latest Install/Uninstall is an Install. */
function installations(db) {
	const latest = new Map();
	for (const e of db.lockbox_events) {
		if (e.event_type === 'Generate Code') continue;
		const prev = latest.get(e.lockbox_id);
		if (!prev || e.created_at >= prev.created_at) latest.set(e.lockbox_id, e);
	}
	const rows = [];
	for (const e of latest.values()) {
		if (e.event_type !== 'Install') continue;
		const lb = db.lockboxes.find((l) => l.id === e.lockbox_id);
		rows.push({ id: e.id, lockbox_id: e.lockbox_id, serial_number: lb?.serial_number ?? null, unit_id: e.unit_id, account_id: lb?.account_id ?? e.account_id, installed_at: e.created_at });
	}
	return rows.sort(byId);
}

/** Lower bound of a range string: '700+' -> 700, '500-550' -> 500, '$5,000-$6,000/month' -> 5000, '<500' -> 0. */
function lowerBound(text) {
	if (/^\s*(<|below|under|less)/i.test(text)) return 0;
	const m = /\d[\d,]*(\.\d+)?/.exec(text);
	return m ? Number(m[0].replace(/,/g, '')) : null;
}

// ---- list endpoints (table-driven) -----------------------------------------------------------------------------

const field = (name) => (r) => r[name];
const lockboxField = (name) => (r, db) => db.lockboxes.find((l) => l.id === r.lockbox_id)?.[name];
const inList = (get) => (r, values, db) => values.some((v) => String(v) === String(get(r, db)));
const equals = (get) => (r, value, db) => String(get(r, db)) === String(value);
const onOrAfter = (get) => (r, value) => Date.parse(get(r)) >= Date.parse(value);
const onOrBefore = (get) => (r, value) => Date.parse(get(r)) <= Date.parse(value);

/** `extra` adds the simulator's assumed filters to brief-only endpoints (see the header comment). */
const LISTS = [
	{
		path: '/lockboxes',
		rows: (db) => db.lockboxes,
		filters: { serial_numbers: inList(field('serial_number')), lockbox_ids: inList(field('id')), account_id: equals(field('account_id')), lockbox_type: equals(field('lockbox_type')) },
	},
	{
		path: '/lockbox_events',
		rows: (db) => db.lockbox_events,
		filters: {
			serial_numbers: inList(lockboxField('serial_number')),
			lockbox_ids: inList(field('lockbox_id')),
			lockbox_event_ids: inList(field('id')),
			account_id: equals(field('account_id')),
			lockbox_type: equals(lockboxField('lockbox_type')),
			event_types: inList(field('event_type')),
			created_at_from: onOrAfter(field('created_at')),
			created_at_to: onOrBefore(field('created_at')),
			unit_ids: inList(field('unit_id')),
		},
	},
	{ path: '/lockbox_installations', rows: installations, filters: {} },
	{
		path: '/units',
		rows: (db) => db.units,
		filters: { unitIds: inList(field('id')), extracted_from: equals(field('extracted_from')), accountId: equals(field('account_id')), statuses: inList(field('status')) },
	},
	{ path: '/multifamily_properties', rows: (db) => db.multifamily_properties, extra: { account_id: 'string' }, filters: { account_id: equals(field('account_id')) } },
	{ path: '/floorplans', rows: (db) => db.floorplans, extra: { multifamily_property_id: 'string' }, filters: { multifamily_property_id: equals(field('multifamily_property_id')) } },
	{ path: '/leasing_events', rows: (db) => db.leasing_events, extra: { prospect_id: 'integer' }, filters: { prospect_id: equals(field('prospect')) } },
	{ path: '/subteams', rows: (db) => db.subteams, extra: { account_id: 'string' }, filters: { account_id: equals(field('account_id')) } },
	{
		path: '/prescreening_templates',
		rows: (db) => db.prescreening_templates,
		filters: { templateIds: inList(field('id')), accountId: equals(field('accountId')), isDefault: equals(field('isDefault')) },
	},
].map((list) => {
	const parameters = queryParams(list.path).map((p) => (p.name === 'limit' ? { ...p, schema: { ...p.schema, minimum: 1 } } : p));
	for (const [name, type] of Object.entries(list.extra ?? {})) parameters.push({ name, in: 'query', schema: { type } });
	// Every accepted parameter must do something: a spec filter without an implementation would pass silently.
	const unfiltered = parameters.filter((p) => !['limit', 'page_number'].includes(p.name) && !list.filters[p.name]);
	if (unfiltered.length) throw new Error(`${list.path}: no filter for ${unfiltered.map((p) => p.name).join(', ')}`);
	return { ...list, parameters };
});

function listHandler(list) {
	return ({ sim, db, query }) => {
		const q = checkQuery(sim, list.parameters, query);
		let rows = list.rows(db);
		for (const [name, test] of Object.entries(list.filters)) {
			if (q[name] !== undefined) rows = rows.filter((r) => test(r, q[name], db));
		}
		const start = q.page_number * q.limit;
		return { status: 200, body: rows.slice(start, start + q.limit) };
	};
}

// ---- endpoints known from field reports ----------------------------------------------------------------------------

/** GET /prospects: creation-time windows, oldest first; `created_after` inclusive, `created_before` exclusive. */
function listProspects({ sim, db, query }) {
	const q = checkQuery(sim, queryParams('/prospects'), query);
	const after = q.created_after === undefined ? -Infinity : Date.parse(q.created_after);
	const before = q.created_before === undefined ? Infinity : Date.parse(q.created_before);
	if (Number.isNaN(after) || Number.isNaN(before)) sim.fail(400, VALIDATION_ERROR, [{ keyword: 'format', dataPath: '.created_after', message: 'must match format "date-time"' }]);
	const rows = db.prospects
		.filter((p) => Date.parse(p.created_at) >= after && Date.parse(p.created_at) < before)
		.sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id);
	return { status: 200, body: rows.slice(0, q.limit) };
}

/** `{data, page: {limit, page_number, has_more, next_page_number}}` over `rows`. */
function envelope(rows, q) {
	const start = q.page_number * q.limit;
	const data = rows.slice(start, start + q.limit);
	const hasMore = start + q.limit < rows.length;
	return { status: 200, body: { data, page: { limit: q.limit, page_number: q.page_number, has_more: hasMore, next_page_number: hasMore ? q.page_number + 1 : null } } };
}

function checkAccounts(sim, db, ids) {
	for (const id of ids) find(sim, db.accounts, id, 'Account');
}

/** GET /calls and /messages: one prospect, its accounts, envelope paging. */
function conversationHandler(path, table) {
	return ({ sim, db, query }) => {
		const q = checkQuery(sim, queryParams(path), query);
		checkAccounts(sim, db, q.account_ids);
		const prospect = find(sim, db.prospects, q.prospect_id, 'Prospect');
		const rows = db[table].filter((c) => c.prospect_id === prospect.id && q.account_ids.includes(c.account_id)).map(({ account_id, contact_number, ...row }) => row);
		return envelope(rows, q);
	};
}

/** A full ISO 8601 date-time (a bare date is refused live). */
function dateTime(sim, name, text) {
	if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) || Number.isNaN(Date.parse(text))) {
		sim.fail(400, VALIDATION_ERROR, [{ keyword: 'format', dataPath: `.${name}`, schemaPath: '#/format', params: { format: 'date-time' }, message: 'must match format "date-time"' }]);
	}
	return Date.parse(text);
}

/** [start, end] of a report, both inclusive; a span over REPORT_MAX_DAYS is refused like the live API. */
function reportRange(sim, q) {
	const start = dateTime(sim, 'start', q.start);
	const end = dateTime(sim, 'end', q.end);
	if (end < start) sim.fail(400, VALIDATION_ERROR, [{ keyword: 'range', dataPath: '.end', message: 'end must be after start' }]);
	if (end - start > REPORT_MAX_DAYS * DAY) sim.fail(400, `The date range may span at most ${REPORT_MAX_DAYS} days`);
	return (iso) => {
		const t = Date.parse(iso);
		return t >= start && t <= end;
	};
}

const slug = (text) => String(text).trim().toLowerCase().replace(/[^a-z0-9]+/g, '_');
const APPLIED = ['Application Sent to Prospect', 'Application Received', 'Application Approved'];

/** Every row of a report over one range, before paging (exported logic, used by the tests as the reference). */
export function reportRows(db, report, accountIds, inRange) {
	const mine = (row) => accountIds.includes(row.account_id);
	if (report === 'marketing-sources') {
		const bySource = new Map();
		const row = (source) => {
			const key = slug(source);
			if (!bySource.has(key)) bySource.set(key, { source_key: key, source_display: source, leads: 0, showings_scheduled: 0, showings_completed: 0, upcoming_showings: 0, applications_requested: 0, applications_submitted: 0, apps_approved: 0, rejected_prescreens: 0 });
			return bySource.get(key);
		};
		for (const p of db.prospects.filter((x) => mine(x) && inRange(x.created_at))) {
			const r = row(p.source);
			r.leads++;
			if (APPLIED.includes(p.status)) r.applications_requested++;
			if (APPLIED.slice(1).includes(p.status)) r.applications_submitted++;
			if (p.status === 'Application Approved') r.apps_approved++;
			if (p.status === 'Prescreen Rejected') r.rejected_prescreens++;
		}
		for (const sh of db.showing_history.filter((x) => mine(x) && inRange(x.created_at))) {
			const r = row(sh.source);
			r.showings_scheduled++;
			if (sh.status === 'Completed') r.showings_completed++;
			if (sh.status === 'Scheduled') r.upcoming_showings++;
		}
		return [...bySource.values()].sort((a, b) => a.source_key.localeCompare(b.source_key));
	}
	const name = (id) => {
		const p = db.prospects.find((x) => x.id === id);
		return p ? `${p.first_name} ${p.last_name}` : null;
	};
	if (report === 'showings') {
		return db.showing_history
			.filter((x) => mine(x) && inRange(x.created_at))
			.map(({ showing_id, prospect_id, status, feedback, created_at, planned_date_time, showing_agent, cancellation_reason, unit_id }) => ({
				showing_id, prospect_id, property_address: db.units.find((u) => u.id === unit_id)?.address_details?.formatted_address ?? null, prospect_name: name(prospect_id), status, feedback, created_at, planned_date_time, showing_agent, cancellation_reason,
			}));
	}
	return db.calls
		.filter((x) => mine(x) && inRange(x.created_at))
		.map((c) => ({ name: name(c.prospect_id), created_at: c.created_at, call_direction: c.direction, status: c.status, contact_number: c.contact_number, call_duration: c.duration, prospect_name: name(c.prospect_id) }));
}

function reportHandler(report) {
	const path = `/reporting/${report}`;
	return ({ sim, db, query }) => {
		const q = checkQuery(sim, queryParams(path), query);
		checkAccounts(sim, db, q.account_ids);
		return envelope(reportRows(db, report, q.account_ids, reportRange(sim, q)), q);
	};
}

/** GET /reporting/leasing-performance/units/{unitId}: the unit's funnel over [start, end]. */
function leasingPerformance({ sim, db, params, query }) {
	const q = checkQuery(sim, spec.paths['/reporting/leasing-performance/units/{unitId}'].get.parameters.map((p) => deref(p)), query);
	const unit = db.units.find((u) => String(u.id) === params.unitId);
	if (!unit) sim.fail(404, 'Unit not found');
	const start = dateTime(sim, 'start', q.start);
	const end = dateTime(sim, 'end', q.end);
	const within = (t) => Date.parse(t) >= start && Date.parse(t) <= end;
	const leads = db.prospects.filter((p) => p.unit_of_interest === unit.id && within(p.created_at));
	const showings = db.showing_history.filter((sh) => sh.unit_id === unit.id && within(sh.created_at));
	const leadIds = new Set(leads.map((p) => p.id));
	return {
		status: 200,
		body: {
			unit_id: unit.id,
			days_on_market: Math.max(0, Math.round((end - Date.parse(unit.created_at)) / DAY)),
			property_health: ENUMS.propertyHealth[unit.id % ENUMS.propertyHealth.length],
			benchmark_leads_since_last_price_change: leads.length,
			new_prospects: leads.length,
			showings_scheduled: showings.length,
			showings_completed: showings.filter((sh) => sh.status === 'Completed').length,
			applications_requested: leads.filter((p) => APPLIED.includes(p.status)).length,
			applications_submitted: leads.filter((p) => APPLIED.slice(1).includes(p.status)).length,
			active_prospects: leads.filter((p) => !['Not Interested', 'Withdrawn', 'Moved In', 'Blocklist Prospect'].includes(p.status)).length,
			upcoming_showings: showings.filter((sh) => sh.status === 'Scheduled').length,
			outbound_texts: db.messages.filter((m) => leadIds.has(m.prospect_id) && m.direction === 'outbound' && within(m.created_at)).length,
			total_calls: db.calls.filter((c) => leadIds.has(c.prospect_id) && within(c.created_at)).length,
			showing_feedback: [],
		},
	};
}

// ---- write endpoints -------------------------------------------------------------------------------------------

const UNIT_NUMBERS_AS_STRINGS = ['bedrooms', 'bathrooms', 'sqft', 'num_parking_spots', 'target_rental_rate'];

/** Copies upsert fields onto a unit record the way GET returns them (numbers as strings, address as details). */
function applyUnitFields(unit, body) {
	for (const [key, value] of Object.entries(body)) {
		if (key === 'id') continue;
		if (key === 'address') unit.address_details = { ...value, unit: value.unit ?? null, country: value.country ?? 'United States' };
		else unit[key] = UNIT_NUMBERS_AS_STRINGS.includes(key) && typeof value === 'number' ? String(value) : value;
	}
	return unit;
}

function postUnit({ sim, db, body }) {
	const isUpdate = body && typeof body === 'object' && body.id !== undefined;
	checkBody(sim, isUpdate ? BODY.unitUpdate : BODY.unitCreate, body);
	if (body.structured_access_instructions !== undefined && body.showing_method === undefined) {
		sim.fail(400, VALIDATION_ERROR, [
			{ keyword: 'required', dataPath: '', schemaPath: '#/dependencies/structured_access_instructions', params: { missingProperty: 'showing_method' }, message: "should have required property 'showing_method'" },
		]);
	}
	if (body.account_id !== undefined) find(sim, db.accounts, body.account_id, 'Account');
	if (isUpdate) {
		const unit = find(sim, db.units, body.id, 'Unit');
		const old = clone(unit);
		applyUnitFields(unit, body).updated_at = now();
		change(sim, 'units', 'UPDATE', unit, old);
		return { status: 200, body: unit };
	}
	const stamp = now();
	const unit = { id: db.nextId.units++, created_at: stamp, updated_at: stamp, address: db.nextId.addresses++, address_details: null };
	for (const k of Object.keys(db.units[0] ?? {})) if (!(k in unit)) unit[k] = null; // same field set as seeded units
	Object.assign(unit, { status: 'Incomplete', furnished: false, highlighted_amenities: [], is_occupied: false, desired_lease_duration_months: [] });
	applyUnitFields(unit, body);
	unit.prescreening_template_id = (db.prescreening_templates.find((t) => t.accountId === unit.account_id) ?? db.prescreening_templates.find((t) => t.isDefault))?.id ?? null;
	insert(db.units, unit);
	inserted(sim, 'units', unit);
	return { status: 200, body: unit };
}

/**
 * Upsert shared by multifamily properties and floorplans: uuid `id` = update (merge), `deleted: true` on an update
 * removes the row and emits DELETE; no id = create.
 */
function upsertByUuid({ sim, db, body }, { table, what, createSchema, updateSchema, check }) {
	const isUpdate = body && typeof body === 'object' && body.id !== undefined;
	checkBody(sim, isUpdate ? updateSchema : createSchema, body);
	check?.(sim, db, body);
	const list = db[table];
	if (isUpdate) {
		const record = find(sim, list, body.id, what);
		const old = clone(record);
		Object.assign(record, body, { updated_at: now() });
		if (body.deleted === true) {
			list.splice(list.indexOf(record), 1);
			change(sim, table, 'DELETE', null, old);
		} else change(sim, table, 'UPDATE', record, old);
		return { status: 200, body: record };
	}
	if (body.deleted === true) sim.fail(400, `Cannot create a deleted ${what.toLowerCase()}`);
	const stamp = now();
	const record = insert(list, { id: db.rng.uuid(), ...body, deleted: false, created_at: stamp, updated_at: stamp });
	inserted(sim, table, record);
	return { status: 200, body: record };
}

function postLockboxEvents({ sim, db, body }) {
	checkBody(sim, BODY.lockboxEvents, body);
	// Check every event before writing any, so a bad second event leaves no half-applied batch.
	const resolved = body.events.map((e) => ({ e, lockbox: find(sim, db.lockboxes, e.lockbox_id, 'Lockbox'), unit: find(sim, db.units, e.unit_id, 'Unit') }));
	const created = resolved.map(({ e, lockbox, unit }) =>
		inserted(
			sim,
			'lockbox_events',
			insert(db.lockbox_events, { id: db.rng.uuid(), lockbox_id: lockbox.id, event_type: e.event_type, unit_id: String(unit.id), account_id: lockbox.account_id, created_at: now(), metadata: {} }),
		),
	);
	return { status: 201, body: created[0] };
}

function postLeasingEvents({ sim, db, body }) {
	checkBody(sim, BODY.leasingEvents, body);
	const [e] = body.events;
	const prospect = find(sim, db.prospects, e.prospect_id, 'Prospect');
	if (e.event_type === 'Assign to User' && !(e.context?.assignedToUserIds?.length > 0)) {
		sim.fail(400, VALIDATION_ERROR, [
			{ keyword: 'required', dataPath: '.events[0].context', schemaPath: '#/properties/events/items/properties/context/required', params: { missingProperty: 'assignedToUserIds' }, message: "should have required property 'assignedToUserIds'" },
		]);
	}
	if (e.event_type === 'Assign to User') {
		const targets = e.context.applyActionInBulk ? db.prospects.filter((p) => p.phone === prospect.phone) : [prospect];
		for (const p of targets) p.assigned_user_ids = [...e.context.assignedToUserIds];
	}
	const record = { id: db.nextId.leasing_events++, created_at: now(), notes: e.notes ?? null, prospect: prospect.id, planned_date_time: null, source: e.source ?? null, event_type: e.event_type, context: e.context ?? null };
	inserted(sim, 'leasing_events', insert(db.leasing_events, record));
	return { status: 201, body: record };
}

// ASSUMED: POST /lockboxes {serial_number, lockbox_type: 'Sentrilock', account_id} -> 201 Lockbox.
function postLockbox({ sim, db, body }) {
	checkBody(sim, BODY.lockboxCreate, body);
	find(sim, db.accounts, body.account_id, 'Account');
	if (db.lockboxes.some((l) => l.serial_number === body.serial_number)) sim.fail(400, 'Lockbox with this serial number already exists');
	const stamp = now();
	const lockbox = { id: db.rng.uuid(), lockbox_type: body.lockbox_type, serial_number: body.serial_number, account_id: body.account_id, created_at: stamp, updated_at: stamp };
	inserted(sim, 'lockboxes', insert(db.lockboxes, lockbox));
	return { status: 201, body: lockbox };
}

// ASSUMED: POST /lockboxes/transfer_accounts {lockbox_ids[], account_id} -> 200 {transferred, lockboxes}.
function transferLockboxes({ sim, db, body }) {
	checkBody(sim, BODY.lockboxTransfer, body);
	find(sim, db.accounts, body.account_id, 'Account');
	const lockboxes = body.lockbox_ids.map((id) => find(sim, db.lockboxes, id, 'Lockbox'));
	for (const lb of lockboxes) {
		const old = clone(lb);
		Object.assign(lb, { account_id: body.account_id, updated_at: now() });
		change(sim, 'lockboxes', 'UPDATE', lb, old);
	}
	return { status: 200, body: { transferred: lockboxes.length, lockboxes } };
}

// ASSUMED: POST /lockboxes/generate_code {lockbox_id, unit_id?} -> 201 {lockbox_id, code, expires_at, event}.
// Without unit_id the code is for the unit the lockbox is installed at.
function generateCode({ sim, db, body }) {
	checkBody(sim, BODY.generateCode, body);
	const lockbox = find(sim, db.lockboxes, body.lockbox_id, 'Lockbox');
	let unitId = body.unit_id;
	if (unitId === undefined) {
		unitId = installations(db).find((i) => i.lockbox_id === lockbox.id)?.unit_id;
		if (unitId === undefined) sim.fail(400, 'Lockbox is not installed; unit_id is required');
	}
	const unit = find(sim, db.units, unitId, 'Unit');
	const code = String(db.rng.int(0, 999_999)).padStart(6, '0');
	const expires_at = new Date(Date.now() + DAY).toISOString();
	const event = { id: db.rng.uuid(), lockbox_id: lockbox.id, event_type: 'Generate Code', unit_id: String(unit.id), account_id: lockbox.account_id, created_at: now(), metadata: { code_expires_at: expires_at } };
	inserted(sim, 'lockbox_events', insert(db.lockbox_events, event));
	return { status: 201, body: { lockbox_id: lockbox.id, code, expires_at, event } };
}

const AVAILABILITY_PARAMS = queryParams('/showings/availability');
const TIMEZONE = 'America/Chicago';

function showingAvailability({ sim, db, query }) {
	const q = checkQuery(sim, AVAILABILITY_PARAMS, query);
	const unit = find(sim, db.units, q.unitId, 'Unit');
	const today = Math.floor(Date.now() / DAY) * DAY; // the "fixed clock": UTC midnight of the current date
	const methods = [unit.showing_method ?? ENUMS.showingMethod[0]];
	const invited = unit.showing_method === 'Accompanied' ? [db.subteams[0]?.user_ids[0]].filter(Boolean) : [];
	const window = (start, hours) => ({ start: iso(start), end: iso(start + hours * 3_600_000), invitedUserIdsArray: invited, showingMethodsAvailable: methods });
	const available = Array.from({ length: 7 }, (_, d) => window(today + (d + 1) * DAY + 14 * 3_600_000, 9));
	const r = streamFor(db.seed, `availability:${unit.id}`);
	const preferred = [...new Set(Array.from({ length: 3 }, () => (r.int(1, 7) * 24 + r.int(15, 21)) * 3_600_000))].sort((a, b) => a - b).map((offset) => window(today + offset, 1));
	const timezoneAbbreviation = new Intl.DateTimeFormat('en-US', { timeZone: TIMEZONE, timeZoneName: 'short' }).formatToParts(new Date(today + DAY)).find((p) => p.type === 'timeZoneName')?.value ?? 'CT';
	return {
		status: 200,
		body: { availability: { unitId: unit.id, preferredShowingWindows: preferred, availableShowingWindows: available, showingMethod: methods[0], timezoneName: TIMEZONE, timezoneAbbreviation, unitStatus: unit.status ?? null } },
	};
}

function prescreen(db, unit, prospectData) {
	const template = db.prescreening_templates.find((t) => t.id === unit.prescreening_template_id) ?? db.prescreening_templates.find((t) => t.isDefault);
	if (!template) return [];
	const failures = [];
	const credit = lowerBound(prospectData.creditScore);
	const minCredit = template.rules.minimumCreditScore;
	if (minCredit !== undefined && (credit === null || credit < minCredit)) {
		failures.push({ keyword: 'prescreening', dataPath: '.prospectData.creditScore', schemaPath: `#/prescreening_templates/${template.id}/rules/minimumCreditScore`, params: { minimumCreditScore: minCredit }, message: `credit score should be >= ${minCredit}` });
	}
	const income = lowerBound(prospectData.income);
	const minIncome = Number(unit.target_rental_rate) * (template.rules.minimumIncomeRentMultiplier ?? 0);
	if (minIncome > 0 && (income === null || income < minIncome)) {
		failures.push({ keyword: 'prescreening', dataPath: '.prospectData.income', schemaPath: `#/prescreening_templates/${template.id}/rules/minimumIncomeRentMultiplier`, params: { minimumIncome: minIncome }, message: `monthly income should be >= ${minIncome}` });
	}
	return failures;
}

function createShowing({ sim, db, body }) {
	checkBody(sim, BODY.showing, body);
	const unit = find(sim, db.units, body.unitId, 'Unit');
	const prospectType = body.prospectType ?? 'self';
	if (prospectType === 'agent' && body.agentToken === undefined) {
		sim.fail(400, VALIDATION_ERROR, [{ keyword: 'required', dataPath: '', schemaPath: '#/required', params: { missingProperty: 'agentToken' }, message: "should have required property 'agentToken'" }]);
	}
	if (prospectType === 'self') {
		const failures = prescreen(db, unit, body.prospectData);
		if (failures.length) sim.fail(400, 'Prospect did not pass prescreening', failures);
	}
	const pd = body.prospectData;
	const plannedForTime = new Date(body.plannedForTime).toISOString();
	const showingMethod = body.showingMethod ?? unit.showing_method;

	// Rescheduling: same unit + same prospect email moves the existing showing instead of creating another.
	const existing = db.showings.find((s) => s.unitId === unit.id && s.status === 'Scheduled' && s.prospect.email.toLowerCase() === pd.email.toLowerCase());
	if (existing) {
		Object.assign(existing, { plannedForTime, showingMethod });
		return { status: 200, body: { showing: existing } };
	}

	const stamp = now();
	const prospect = {
		id: db.nextId.prospects++,
		account_id: unit.account_id,
		unit_id: unit.id,
		first_name: pd.firstName,
		last_name: pd.lastName,
		email: pd.email,
		phone: pd.phone,
		credit_score: pd.creditScore,
		income: pd.income,
		prospect_type: prospectType,
		status: 'Showing Scheduled',
		assigned_user_ids: [],
		question_answers: pd.questionAnswers,
		created_at: stamp,
		updated_at: stamp,
	};
	inserted(sim, 'prospects', insert(db.prospects, prospect));
	const showing = {
		id: db.nextId.showings++,
		unitId: unit.id,
		plannedForTime,
		showingMethod,
		status: 'Scheduled',
		prospect: { id: prospect.id, firstName: pd.firstName, lastName: pd.lastName, email: pd.email, phone: pd.phone, prospectType },
		created_at: stamp,
	};
	insert(db.showings, showing);
	return { status: 200, body: { showing } };
}

const ROUTES = [
	...LISTS.map((list) => ({ method: 'GET', path: list.path, handler: listHandler(list) })),
	{ method: 'GET', path: '/prospects', handler: listProspects },
	{ method: 'GET', path: '/calls', handler: conversationHandler('/calls', 'calls') },
	{ method: 'GET', path: '/messages', handler: conversationHandler('/messages', 'messages') },
	{ method: 'GET', path: '/reporting/leasing-performance/units/:unitId', handler: leasingPerformance },
	...['marketing-sources', 'showings', 'calls'].map((report) => ({ method: 'GET', path: `/reporting/${report}`, handler: reportHandler(report) })),
	{ method: 'POST', path: '/lockboxes', handler: postLockbox },
	{ method: 'POST', path: '/lockboxes/transfer_accounts', handler: transferLockboxes },
	{ method: 'POST', path: '/lockboxes/generate_code', handler: generateCode },
	{ method: 'POST', path: '/lockbox_events', handler: postLockboxEvents },
	{ method: 'POST', path: '/units', handler: postUnit },
	{
		method: 'POST',
		path: '/multifamily_properties',
		handler: (ctx) => upsertByUuid(ctx, { table: 'multifamily_properties', what: 'Multifamily property', createSchema: BODY.mfCreate, updateSchema: BODY.mfUpdate, check: (sim, db, b) => b.account_id !== undefined && find(sim, db.accounts, b.account_id, 'Account') }),
	},
	{
		method: 'POST',
		path: '/floorplans',
		handler: (ctx) => upsertByUuid(ctx, { table: 'floorplans', what: 'Floorplan', createSchema: BODY.floorplan, updateSchema: BODY.floorplan, check: (sim, db, b) => find(sim, db.multifamily_properties, b.multifamily_property_id, 'Multifamily property') }),
	},
	{ method: 'POST', path: '/leasing_events', handler: postLeasingEvents },
	{ method: 'GET', path: '/showings/availability', handler: showingAvailability },
	{ method: 'POST', path: '/showings/create', handler: createShowing },
];

// ---- entry point -----------------------------------------------------------------------------------------------

const sha256 = (s) => createHash('sha256').update(String(s)).digest();

/** Bearer check in constant time (hashing first makes the lengths equal, as timingSafeEqual requires). */
function bearerAuth(token) {
	const expected = sha256(token);
	return ({ headers }) => {
		const m = /^Bearer\s+(\S.*)$/i.exec(headers.authorization ?? '');
		if (m && timingSafeEqual(sha256(m[1].trim()), expected)) return null;
		return { status: 401, body: { error: 'Unauthorized', details: [] }, headers: { 'www-authenticate': 'Bearer' } };
	};
}

/**
 * A new prospect as RentEngine records one when a lead comes in (RentEngine's API has no endpoint to create
 * prospects): stored, and reported to webhook subscribers as an INSERT on `prospects`. Also served as
 * `POST /__control/prospects {first_name, last_name, email, phone, unit_of_interest}` (what `npm run demo` prints).
 */
export function insertProspect(sim, fields = {}) {
	const db = sim.db;
	const id = db.nextId.prospects++;
	const unit = db.units.find((u) => u.id === Number(fields.unit_of_interest)) ?? db.units[0];
	const stamp = now();
	const first = fields.first_name ?? 'Jordan';
	const last = fields.last_name ?? 'Rivera';
	const prospect = {
		id,
		account_id: unit?.account_id ?? db.accounts[0].id,
		unit_id: unit?.id ?? null,
		unit_of_interest: unit?.id ?? null,
		first_name: first,
		last_name: last,
		email: fields.email ?? `${first}.${last}.${id}@example.test`.toLowerCase(),
		phone: fields.phone ?? '5125550100',
		credit_score: null,
		income: null,
		prospect_type: 'self',
		status: 'New',
		source: fields.source ?? 'Website',
		notes: fields.notes ?? null,
		assigned_user_ids: [],
		created_at: stamp,
		updated_at: stamp,
	};
	return inserted(sim, 'prospects', insert(db.prospects, prospect));
}

/**
 * Starts the RentEngine simulator on 127.0.0.1.
 * @returns the base simulator object (see base.mjs) with `url` = http://127.0.0.1:<port>/api/public/v1
 */
export async function startRentEngineSimulator({ port = 0, token = 'sim-rentengine-token', units = 250, prospects = 40, seed = 42, rateLimit } = {}) {
	const sim = createSimulator({
		name: 'rentengine',
		basePath: BASE_PATH,
		authenticate: bearerAuth(token),
		// The spec's Error schema: `error` always, `details` (ajv-style) only when there is something to detail.
		errorBody: (status, message, details) => ({ error: message, ...(details ? { details } : {}) }),
		routes: ROUTES,
		seed: seedRentEngine,
		seedOptions: { units, prospects, seed },
		// Live responses carry X-Ratelimit-* (limit 30); the window length is disputed (field reports), so it is an
		// option: `rateLimit: { limit: 30, windowMs: 5000 }` turns it on with the headers.
		rateLimit: rateLimit ? { ...rateLimit, headers: RATE_LIMIT_HEADERS } : undefined,
		control: ({ method, path, body, sim: s }) =>
			method === 'POST' && path === '/prospects' ? { status: 201, body: insertProspect(s, body ?? {}) } : undefined,
	});
	sim.token = token;
	return sim.start({ port });
}
