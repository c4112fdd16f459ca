// Builds the vendor-neutral operation model from raw operations + curated overrides.
// model = [{ resource:{value,name}, operations:[{ value, name, action, description, method, path,
//            kind: 'list'|'get'|'single', fields:[Field], simplify?, unwrap?, get?, unverified }] }]
// Field = { key, displayName, apiPath, in:'query'|'body'|'path', kind, required, options?, itemType?,
//           description?, picker?, numeric? }

const ACRONYMS = new Set(['id', 'ids', 'url', 'uuid', 'iso', 'hoa', 'mls', 'api']);

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

/** One-sentence descriptions carry no final period (n8n lint); longer ones keep theirs. */
export function tidyDescription(text) {
	if (!text) return undefined;
	let t = String(text).replace(/\s+/g, ' ').trim().replace(/\bids?\b/g, (m) => m.toUpperCase().replace('IDS', 'IDs'));
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
	const { kind, options, itemType } = kindOf(schema);
	let displayName = ov.displayName ?? humanize(apiName);
	if (parentLabel) displayName = `${parentLabel} ${displayName}`;
	let description = ov.description ?? schema?.description;
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
	};
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
		if (prop?.type === 'object' && prop.properties && Object.keys(prop.properties).length) {
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

export function buildModel(cfg, rawOps) {
	const byResource = new Map();
	const add = (resource, op) => {
		if (!byResource.has(resource.value)) byResource.set(resource.value, { resource, operations: [] });
		const entry = byResource.get(resource.value);
		if (entry.operations.some((o) => o.value === op.value)) throw new Error(`Duplicate operation ${resource.value}.${op.value}`);
		entry.operations.push(op);
	};
	for (const raw of [...rawOps, ...(cfg.extraOperations ?? [])]) {
		const ov = cfg.operations?.[raw.operationId];
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
			// RPC catalogues (scripts/generator/entrata.mjs): the envelope to build, and a vendor pagination hook.
			rpc: raw.rpc,
			pagination: ov.pagination,
		};
		const variants = ov.split ?? [ov];
		for (const v of variants) {
			// Field overrides: global by API name, then the operation's, then the split variant's.
			const opFields = { ...(raw.rpc ? {} : { id: { displayName: `${resource.name} ID` } }), ...merge(ov.fields, v.fields) };
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
				...queryFields(cfg, raw, kind === 'list' ? cfg.skipParameters ?? [] : [], opFields),
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
				value: v.value,
				name: v.name,
				action: v.action ?? ov.action ?? defaultAction(v.name, resource.name),
				description: tidyDescription(
					v.description ?? ov.description ?? (kind === 'list' ? `Retrieve a list of ${plural(resource.name.toLowerCase())}` : raw.summary ?? raw.description),
				),
				fields,
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
