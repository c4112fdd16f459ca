// Builds the vendor-neutral operation model from raw operations + curated overrides.
// model = [{ resource:{value,name}, operations:[{ value, name, action, description, method, path,
//            kind: 'list'|'get'|'single', fields:[Field], simplify?, unwrap?, get?, unverified }] }]
// Field = { key, displayName, apiPath, in:'query'|'body'|'path', kind, required, options?, itemType?,
//           description?, picker?, numeric? }

import { autoOverrides } from './auto.mjs';

const ACRONYMS = new Set(['id', 'ids', 'url', 'uuid', 'iso', 'hoa', 'mls', 'api', 'gl']);

export function camel(name) {
	const parts = String(name).replace(/\[\d+\]/g, '').split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).filter(Boolean);
	return parts.map((p, i) => (i === 0 ? p.toLowerCase() : p[0].toUpperCase() + p.slice(1).toLowerCase())).join('');
}

export function humanize(name) {
	return String(name)
		.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/)
		.filter(Boolean)
		.map((w) => (ACRONYMS.has(w.toLowerCase()) ? (w.toLowerCase() === 'ids' ? 'IDs' : w.toUpperCase()) : w[0].toUpperCase() + w.slice(1).toLowerCase()))
		.join(' ');
}

const lcFirst = (s) => s.charAt(0).toLowerCase() + s.slice(1);

/**
 * A long spec description cut to what fits a field's hint: first paragraph, no HTML, at most `max` characters
 * (ending on a sentence when one fits). Buildium's descriptions run to several paragraphs of enum explanations.
 */
export function shortDescription(text, max) {
	if (!text || !max) return text;
	let t = String(text).split(/\r?\n\s*\r?\n/)[0].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
	if (t.length <= max) return t;
	const cut = t.slice(0, max);
	const sentence = cut.lastIndexOf('. ');
	return sentence > max / 3 ? cut.slice(0, sentence + 1) : `${cut.slice(0, cut.lastIndexOf(' '))}…`;
}

/**
 * The wire format of a date parameter, from its schema and the format its description demands: Buildium asks for
 * `YYYY-MM-DD` on some filters, `YYYY-MM-DD HH:MM:SS` on others and UTC `YYYY-MM-DDTHH:MM:SSZ` on the rest.
 * Luxon format tokens; a `utc:` prefix converts to UTC first. Undefined: the value is sent as typed.
 */
export function dateFormatOf(schema, description) {
	const d = String(description ?? '');
	if (/YYYY-MM-DD HH:MM:SS/i.test(d)) return 'yyyy-MM-dd HH:mm:ss';
	if (/YYYY-MM-DDTHH:MM:SS/i.test(d)) return "utc:yyyy-MM-dd'T'HH:mm:ss'Z'";
	if (schema?.format === 'date' || /YYYY-MM-DD\b/.test(d)) return 'yyyy-MM-dd';
	return undefined;
}

/** A small example value for a JSON field, from its schema (required properties, or the first few). */
export function exampleOf(schema, depth = 0) {
	const s = schema ?? {};
	if (s.type === 'array') return depth > 2 ? [] : [exampleOf(s.items, depth + 1)];
	if (s.type === 'object' || s.properties) {
		if (depth > 2) return {};
		const props = Object.entries(s.properties ?? {}).filter(([, p]) => !p?.readOnly);
		const required = new Set(s.required ?? []);
		const chosen = props.filter(([k]) => required.has(k));
		const out = {};
		for (const [k, p] of chosen.length ? chosen : props.slice(0, 3)) out[k] = exampleOf(p, depth + 1);
		return out;
	}
	if (s.enum) return s.enum[0];
	if (s.type === 'integer' || s.type === 'number') return 0;
	if (s.type === 'boolean') return false;
	if (s.format === 'date') return '2026-01-31';
	if (s.format === 'date-time') return '2026-01-31T00:00:00Z';
	return '';
}

/** One-sentence descriptions carry no final period (n8n lint); longer ones keep theirs. */
export function tidyDescription(text) {
	if (!text) return undefined;
	let t = String(text).replace(/\s+/g, ' ').trim().replace(/\b[iI][dD]s?\b/g, (m) => m.toUpperCase().replace('IDS', 'IDs'));
	const sentences = t.split(/(?<!\b(?:e\.g|i\.e)\.)(?<=\.)\s+(?=[A-Z0-9])/);
	if (sentences.length === 1) t = t.replace(/\.$/, '');
	else if (!t.endsWith('.')) t += '.';
	return t;
}

function kindOf(schema) {
	const s = schema ?? {};
	if (s.type === 'array') {
		const items = s.items ?? {};
		if (items.enum) return { kind: 'multiOptions', options: items.enum };
		if (items.type === 'object' || items.properties || items.$ref) return { kind: 'json' };
		return { kind: 'stringList', itemType: items.type === 'integer' || items.type === 'number' ? 'number' : 'string' };
	}
	if (s.enum) return { kind: 'options', options: s.enum };
	if (s.type === 'object') return { kind: 'json' };
	if (s.type === 'integer' || s.type === 'number') return { kind: 'number' };
	if (s.type === 'boolean') return { kind: 'boolean' };
	if (s.format === 'date-time') return { kind: 'dateTime' };
	return { kind: 'string' };
}

function makeField(cfg, apiName, apiPath, location, schema, required, parentLabel, opFields = {}) {
	const ov = { ...(cfg.fields?.[apiName] ?? {}), ...(opFields[apiName] ?? {}) };
	let { kind, options, itemType } = kindOf(schema);
	if (cfg.dateFormats && kind === 'string' && schema?.format === 'date') kind = 'dateTime';
	let displayName = ov.displayName ?? humanize(cfg.vocabulary && /^[a-z]+$/.test(apiName) ? splitWords(apiName, cfg.vocabulary) : apiName);
	if (parentLabel) displayName = `${parentLabel} ${displayName}`;
	let description = ov.description ?? shortDescription(schema?.description, cfg.maxDescriptionLength);
	if (kind === 'boolean' && description && !/^whether/i.test(description)) description = `Whether ${lcFirst(description)}`;
	if (kind === 'boolean' && !description) description = `Whether to set ${displayName}`;
	if (kind === 'json' && !description) description = 'JSON value';
	description = tidyDescription(description);
	// A description that only repeats the label (or adds "comma-separated") says nothing: drop it.
	const bare = (t) => String(t ?? '').toLowerCase().replace(/\s*\(comma-separated\)\s*/, '').trim();
	if (description && bare(description) === bare(displayName)) description = undefined;
	return {
		key: camel(parentLabel ? apiPath.replace(/\./g, '_') : apiName),
		secret: /token|secret|password/i.test(apiName),
		displayName,
		apiPath,
		in: location,
		kind,
		options,
		itemType,
		required,
		description,
		picker: ov.picker,
		default: ov.default,
		numeric: schema?.type === 'number' || schema?.type === 'integer',
		dateFormat: cfg.dateFormats ? dateFormatOf(schema, schema?.description) : undefined,
		example: cfg.bodyObjects && kind === 'json' ? JSON.stringify(exampleOf(schema), null, 2) : undefined,
	};
}

/**
 * Whether a nested body object becomes one field per property (RentEngine: always) or one JSON field with an
 * example (`bodyObjects: "flattenSmall"`: only objects of at most 8 plain properties are flattened, e.g. phone
 * numbers and addresses; deeper bodies would multiply the description far beyond n8n's size budget).
 */
function flattens(cfg, prop) {
	if (cfg.bodyObjects !== 'flattenSmall') return true;
	const props = Object.values(prop.properties);
	return props.length <= 8 && props.every((p) => p?.type !== 'object' && p?.type !== 'array' && !p?.properties);
}

function bodyFields(cfg, schema, { prefix = '', required, exclude = [], includeExtensions, opFields = {} }) {
	if (!schema) return [];
	const props = { ...(schema.properties ?? {}) };
	if (includeExtensions && props[includeExtensions]) {
		for (const [k, v] of Object.entries(props[includeExtensions])) if (k !== 'description') props[k] = v;
	}
	const requiredSet = new Set(required ?? schema.required ?? []);
	const fields = [];
	for (const [name, prop] of Object.entries(props)) {
		if (name.startsWith('x-') || exclude.includes(name) || prop?.readOnly) continue;
		const isRequired = requiredSet.has(name);
		if (prop?.type === 'object' && prop.properties && Object.keys(prop.properties).length && flattens(cfg, prop)) {
			// Flatten one level of nesting (address, prospectData) into separate fields.
			const label = opFields[name]?.displayName ?? cfg.fields?.[name]?.displayName ?? humanize(name);
			const subRequired = new Set(prop.required ?? []);
			for (const [sub, subProp] of Object.entries(prop.properties)) {
				fields.push(makeField(cfg, sub, `${prefix}${name}.${sub}`, 'body', subProp, isRequired && subRequired.has(sub), label, opFields));
			}
			continue;
		}
		fields.push(makeField(cfg, name, `${prefix}${name}`, 'body', prop, isRequired, undefined, opFields));
	}
	return fields;
}

function queryFields(cfg, raw, skip, opFields = {}) {
	return (raw.parameters ?? [])
		.filter((p) => (p.in === 'query' || p.in === 'path') && !skip.includes(p.name))
		.map((p) => makeField(cfg, p.name, p.name, p.in, { ...p.schema, description: p.description ?? p.schema?.description }, Boolean(p.required || p.in === 'path'), undefined, opFields));
}

function merge(a = {}, b = {}) {
	const out = { ...a };
	for (const [k, v] of Object.entries(b)) out[k] = { ...(out[k] ?? {}), ...v };
	return out;
}

/** Every word of the spec's camel/Pascal-case names (body properties, parameters) and parameter descriptions, lower case. */
export function vocabularyOf(rawOps) {
	const words = new Set(['by', 'or', 'of', 'as', 'is', 'to', 'from', 'ids']);
	const add = (name) => {
		for (const w of String(name).split(/[^A-Za-z]+|(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/)) if (w.length > 1) words.add(w.toLowerCase());
	};
	const walk = (schema, depth = 0) => {
		if (!schema || typeof schema !== 'object' || depth > 6) return;
		for (const [k, v] of Object.entries(schema.properties ?? {})) {
			add(k);
			walk(v, depth + 1);
		}
		if (schema.items) walk(schema.items, depth + 1);
	};
	// Descriptions quote the run-together names themselves ("`orderby` indicates …"): those are not words.
	const runTogether = new Set(rawOps.flatMap((op) => (op.parameters ?? []).map((p) => p.name.toLowerCase())));
	for (const op of rawOps) {
		for (const p of op.parameters ?? []) {
			if (/[A-Z]/.test(p.name)) add(p.name);
			// The words a parameter's own description uses ("Filters results to any lease whose … last updated …").
			for (const w of String(p.description ?? '').replace(/<[^>]+>/g, ' ').split(/[^A-Za-z]+/)) {
				if (w.length > 1 && !runTogether.has(w.toLowerCase())) words.add(w.toLowerCase());
			}
		}
		walk(op.body);
	}
	return words;
}

/**
 * Splits an all-lower-case API name into words of the vocabulary ("lastupdatedfrom" → "last Updated From",
 * "propertyids" → "property Ids"), fewest words first; a word may take a plural "s"/"es". Names that do not split
 * whole are returned as they are.
 */
export function splitWords(name, vocabulary) {
	const known = (w) => vocabulary.has(w) || (/s$/.test(w) && vocabulary.has(w.slice(0, -1))) || (/es$/.test(w) && vocabulary.has(w.slice(0, -2)));
	const best = [[]];
	for (let end = 1; end <= name.length; end++) {
		for (let start = 0; start < end; start++) {
			const word = name.slice(start, end);
			if (!best[start] || !known(word)) continue;
			const candidate = [...best[start], word];
			if (!best[end] || candidate.length < best[end].length) best[end] = candidate;
		}
	}
	const words = best[name.length];
	return words ? words.map((w, i) => (i ? w[0].toUpperCase() + w.slice(1) : w)).join('') : name;
}

export function buildModel(cfgIn, rawOps) {
	// Buildium's query parameters are run together in lower case (lastupdatedfrom): split them for display names.
	const cfg = cfgIn.splitLowercaseNames ? { ...cfgIn, vocabulary: vocabularyOf(rawOps) } : cfgIn;
	const auto = cfg.autoOperations ? autoOverrides(cfg, rawOps) : {};
	const byResource = new Map();
	const add = (resource, op) => {
		if (!byResource.has(resource.value)) byResource.set(resource.value, { resource, operations: [] });
		const entry = byResource.get(resource.value);
		if (entry.operations.some((o) => o.value === op.value)) throw new Error(`Duplicate operation ${resource.value}.${op.value}`);
		entry.operations.push(op);
	};
	for (const raw of [...rawOps, ...(cfg.extraOperations ?? [])]) {
		const ov = auto[raw.operationId] || cfg.operations?.[raw.operationId] ? { ...auto[raw.operationId], ...cfg.operations?.[raw.operationId] } : undefined;
		if (!ov) throw new Error(`${cfg.vendor}: operation ${raw.operationId} (${raw.method} ${raw.path}) has no entry in the overrides`);
		const resource = cfg.resources[raw.tag];
		if (!resource) throw new Error(`${cfg.vendor}: tag ${raw.tag} has no resource`);
		const kind = ov.kind ?? 'single';
		const base = {
			method: raw.method,
			path: raw.path,
			operationId: raw.operationId,
			unverified: Boolean(raw.unverified),
			fieldReported: Boolean(raw.fieldReported),
			paging: ov.paging,
			clientFilters: ov.clientFilters,
			unwrap: ov.unwrap,
			simplify: ov.simplify,
			returnsArray: Boolean(raw.returnsArray),
			bodyRequired: Boolean(raw.bodyRequired),
			status: raw.status,
			file: ov.file ?? (cfg.autoOperations ? fileKind(raw) : undefined),
			// RPC catalogues (scripts/generator/entrata.mjs): the envelope to build, and a vendor pagination hook.
			rpc: raw.rpc,
			pagination: ov.pagination,
		};
		const variants = ov.split ?? [ov];
		for (const v of variants) {
			// Field overrides: global by API name, then the operation's, then the split variant's.
			const opFields = { ...(raw.rpc ? {} : { id: { displayName: `${resource.name} ID` } }), ...merge(resource.fields, merge(ov.fields, v.fields)) };
			// A body that wraps one record in an array (e.g. {events: [...]}) is described by its record.
			const [arrayProp] = (ov.bodyItemPath ?? '').split('[');
			const bodySchema = ov.bodyItemPath ? raw.body?.properties?.[arrayProp]?.items : raw.body;
			// Filters the vendor does not offer, applied by the node to what comes back (see keepMatching).
			const clientFields = (ov.clientFilters ?? []).map((f) => ({
				key: f.name,
				displayName: f.displayName,
				apiPath: f.field,
				in: 'client',
				kind: 'multiOptions',
				options: f.values,
				required: false,
				description: f.description,
			}));
			// Fields the node reads itself and never sends (e.g. how long to wait for a queued report).
			const nodeFields = (ov.nodeFields ?? []).map((f) => ({
				key: f.name,
				displayName: f.displayName,
				apiPath: f.name,
				in: 'client',
				kind: f.kind,
				required: false,
				description: f.description,
				default: f.default,
			}));
			const fieldsFor = (schema) => [
				...clientFields,
				// Auto-named operations never offer the paging parameters as fields: paging one object means nothing.
				...queryFields(cfg, raw, kind === 'list' || ov.auto ? cfg.skipParameters ?? [] : [], opFields),
				...bodyFields(cfg, schema, {
					prefix: raw.rpc ? 'method.params.' : ov.bodyItemPath ? `${ov.bodyItemPath}.` : '',
					required: v.required,
					exclude: v.exclude,
					includeExtensions: ov.includeExtensions,
					opFields,
				}),
				...nodeFields,
			];
			const fields = fieldsFor(bodySchema);
			// An RPC method with several versions: each version's own fields (the emitter shows them per version).
			const versions = raw.versions?.length > 1 ? raw.versions.map((x) => ({ version: x.version, fields: fieldsFor(x.body) })) : undefined;
			add(resource, {
				...base,
				kind,
				fields: uniqueKeys(fields),
				value: v.value,
				name: v.name,
				action: v.action ?? ov.action ?? defaultAction(v.name, resource.name),
				description: tidyDescription(
					v.description ?? ov.description ?? (kind === 'list' ? `Retrieve a list of ${plural(resource.name.toLowerCase())}` : raw.summary ?? raw.description),
				),
				versions,
			});
		}
		if (ov.alsoGet) {
			const g = ov.alsoGet;
			const idField = makeField(cfg, g.idParameter, g.idParameter, 'query', { type: 'string' }, true);
			add(resource, {
				...base,
				simplify: undefined,
				kind: 'get',
				value: g.value,
				name: g.name,
				action: defaultAction(g.name, resource.name),
				description: `Retrieve one ${g.resourceLabel} by ID`,
				get: { resourceLabel: g.resourceLabel },
				fields: [{ ...idField, key: `${camel(g.resourceLabel)}Id`, displayName: resource.name, picker: g.picker, description: undefined }],
			});
		}
	}
	const model = [...byResource.values()];
	model.sort((a, b) => a.resource.name.localeCompare(b.resource.name));
	for (const r of model) r.operations.sort((a, b) => a.name.localeCompare(b.name));
	return model;
}

/**
 * Buildium's two-step files: `…/uploads` answers with a presigned URL the bytes go to, `…/downloadrequest(s)` with
 * a URL to fetch them from. The node does the second step with n8n binary data.
 */
function fileKind(raw) {
	if (raw.method !== 'POST') return undefined;
	if (/\/uploads$/.test(raw.path)) return 'upload';
	if (/\/downloadrequests?$/.test(raw.path)) return 'download';
	return undefined;
}

/** A path parameter and a body property can share a name (`leaseId` / `LeaseId`): the body one gets a prefix. */
function uniqueKeys(fields) {
	const seen = new Set();
	return fields.map((f) => {
		let key = f.key;
		if (seen.has(key)) key = camel(`${f.in} ${f.apiPath.replace(/\./g, ' ')}`);
		seen.add(key);
		return key === f.key ? f : { ...f, key };
	});
}

/** English plural of the last word of a resource name ("lockbox" → "lockboxes", "property" → "properties"). */
export function plural(noun) {
	if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
	if (/(s|x|z|ch|sh)$/.test(noun)) return `${noun}es`;
	return `${noun}s`;
}

/** Sentence-case action with the resource and no article (n8n UX guidelines). */
function defaultAction(opName, resourceName) {
	const noun = resourceName.toLowerCase();
	if (opName === 'Get Many') return `Get many ${plural(noun)}`;
	return `${opName[0]}${opName.slice(1).toLowerCase()} ${noun}`;
}
