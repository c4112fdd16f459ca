import { tidyDescription } from './model.mjs';

// Emits TypeScript description files from the operation model. Output is deterministic: the same
// spec + overrides always give byte-identical files (checked by `npm run generate -- --check`).

/** Raw code in the output; the names it calls are collected so the file imports exactly those. */
let usedHelpers = new Set();
const code = (text) => {
	usedHelpers.add(text.match(/^\w+/)[0]);
	return { __code: text };
};

/** Serialises a JS value as a TypeScript literal (single quotes, tabs), with raw code for functions. */
export function literal(value, indent = 0) {
	const pad = '\t'.repeat(indent);
	if (value && value.__code) return value.__code;
	if (Array.isArray(value)) {
		if (!value.length) return '[]';
		const flat = value.every((v) => typeof v !== 'object' || v === null || v.__code);
		if (flat) {
			const one = `[${value.map((v) => literal(v)).join(', ')}]`;
			if (one.length < 100) return one;
		}
		return `[\n${value.map((v) => `${pad}\t${literal(v, indent + 1)},`).join('\n')}\n${pad}]`;
	}
	if (value && typeof value === 'object') {
		const entries = Object.entries(value).filter(([, v]) => v !== undefined);
		if (!entries.length) return '{}';
		const key = (k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`);
		const inline = `{ ${entries.map(([k, v]) => `${key(k)}: ${literal(v)}`).join(', ')} }`;
		if (!inline.includes('\n') && inline.length < 90) return inline;
		return `{\n${entries.map(([k, v]) => `${pad}\t${key(k)}: ${literal(v, indent + 1)},`).join('\n')}\n${pad}}`;
	}
	if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
	return String(value);
}

const titleCase = (s) =>
	String(s)
		.toLowerCase()
		.replace(/(^|[\s-/(])([a-z])/g, (m, sep, c) => sep + c.toUpperCase());

function optionList(values) {
	return values.map((v) => ({ name: titleCase(v), value: v })).sort((a, b) => a.name.localeCompare(b.name));
}

function sendValue(field) {
	if (field.picker && field.numeric) return '={{ Number($value) }}';
	if (field.kind === 'json') return '={{ typeof $value === "string" ? JSON.parse($value) : $value }}';
	if (field.kind === 'multiOptions' && field.in === 'query') return '={{ $value.join(",") }}';
	if (field.kind === 'stringList' && field.in === 'body') {
		const cast = field.itemType === 'number' ? '.map(Number)' : '';
		return `={{ String($value).split(",").map((s) => s.trim()).filter((s) => s)${cast} }}`;
	}
	return undefined;
}

function routingFor(field, op) {
	if (field.in === 'client') return undefined;
	if (field.in === 'path') {
		const url = op.path.replace(/\{([^}]+)\}/g, (m, p) => (p === field.apiPath ? '{{encodeURIComponent($value)}}' : `{{encodeURIComponent($parameter["${p}"])}}`));
		return { request: { url: `=${url}` } };
	}
	return { send: { type: field.in === 'query' ? 'query' : 'body', property: field.apiPath, value: sendValue(field) } };
}

function fieldProperty(fieldIn, op, cfg, { topLevel }) {
	let field = fieldIn;
	const base = { displayName: field.displayName, name: field.key };
	const routing = routingFor(field, op);
	if (field.picker && topLevel) {
		const pk = cfg.pickers[field.picker];
		return {
			...base,
			type: 'resourceLocator',
			default: { mode: 'list', value: '' },
			required: field.required || undefined,
			description: field.description,
			modes: [
				{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: pk.searchListMethod, searchable: true } },
				{
					displayName: 'By ID',
					name: 'id',
					type: 'string',
					placeholder: pk.placeholder,
					validation: pk.regex ? [{ type: 'regex', properties: { regex: pk.regex, errorMessage: pk.errorMessage } }] : undefined,
				},
			],
			routing,
		};
	}
	const displayName = field.picker && !/ID$/.test(field.displayName) ? `${field.displayName} ID` : field.displayName;
	const common = { ...base, displayName, required: topLevel && field.required ? true : undefined };
	if (field.description?.toLowerCase() === displayName.toLowerCase()) field = { ...field, description: undefined };
	switch (field.kind) {
		case 'number':
			return { ...common, type: 'number', default: field.default ?? 0, description: field.description, routing };
		case 'boolean':
			return { ...common, type: 'boolean', default: false, description: field.description, routing };
		case 'options':
			return { ...common, type: 'options', options: optionList(field.options), default: field.default ?? field.options[0], description: field.description, routing };
		case 'multiOptions':
			return { ...common, type: 'multiOptions', options: optionList(field.options), default: [], description: field.description, routing };
		case 'json':
			return {
				...common,
				type: 'json',
				default: field.default ?? (field.apiPath.endsWith('photos') || /Answers$/.test(field.apiPath) ? '[]' : '{}'),
				description: field.description,
				routing,
			};
		case 'dateTime':
			return { ...common, type: 'dateTime', default: '', description: field.description, routing };
		case 'stringList':
			return {
				...common,
				type: 'string',
				default: '',
				description: field.description ?? 'Comma-separated list',
				placeholder: field.itemType === 'number' ? 'e.g. 1001,1002' : 'e.g. a1b2c3,d4e5f6',
				routing,
			};
		default:
			return {
				...common,
				type: field.key === 'color' ? 'color' : 'string',
				placeholder: field.key === 'email' ? 'name@email.com' : undefined,
				typeOptions: field.secret ? { password: true } : undefined,
				default: field.default ?? '',
				description: field.description,
				routing,
			};
	}
}

/** An RPC method (one POST per service, the method named in the body): the envelope is built by `rpc(...)`. */
function rpcOperationOption(op) {
	const { method, defaultVersion, dates } = op.rpc;
	// One line, whatever its length: the date formats are code arguments, not description data.
	const formats = Object.entries(dates).map(([k, v]) => `${k}: ${literal(v)}`);
	const args = [literal(method), literal(defaultVersion)];
	if (formats.length || op.versions) args.push(`{ ${formats.join(', ')} }`.replace('{  }', '{}'));
	// Several versions: which params each one takes (a param of another version is refused, not silently sent).
	if (op.versions) args.push(`{ ${op.versions.map((v) => `${v.version}: [${v.fields.map((f) => literal(f.apiPath.replace(/^method\.params\./, ''))).join(', ')}]`).join(', ')} }`);
	const pagination = op.kind === 'list' ? code(op.paging ? `pagedBy('${op.paging}')` : 'paged') : op.pagination ? code(op.pagination) : undefined;
	return {
		name: op.name,
		value: op.value,
		action: op.action,
		description: op.description,
		routing: {
			// POST is the node's request default: every RPC call is a POST to its service.
			request: { url: op.path },
			send: { paginate: true, preSend: [code(`rpc(${args.join(', ')})`)] },
			operations: pagination ? { pagination } : undefined,
			output: { postReceive: [code('check'), code('list')] },
		},
	};
}

function operationOption(op, resource) {
	if (op.rpc) return rpcOperationOption(op);
	const postReceive = [code('check')];
	if (op.kind === 'list' || op.kind === 'get') postReceive.push(code('list'));
	if (op.kind === 'get') postReceive.push(code(`one('${op.get.resourceLabel}', '${op.fields[0].key}')`));
	if (op.unwrap) postReceive.push(code(`unwrap('${op.unwrap}')`));
	for (const f of op.clientFilters ?? []) postReceive.push(code(`keep('filters.${f.name}', '${f.field}')`));
	if (op.simplify) postReceive.push(code(`simplify(${op.value}SimplifiedFields)`));
	const description = op.unverified
		? `${op.description} (endpoint not in RentEngine's public docs; unverified)`
		: op.fieldReported
			? `${op.description} (from live field reports; not in RentEngine's public docs)`
			: op.description;
	return {
		name: op.name,
		value: op.value,
		action: op.action,
		description,
		routing: {
			request: { method: op.method, url: op.path.includes('{') ? undefined : op.path },
			send: { paginate: true },
			operations: op.kind === 'list' ? { pagination: code(op.paging ? `pagedBy('${op.paging}')` : 'paged') } : undefined,
			output: { postReceive },
		},
	};
}

/**
 * The fields of one operation: required ones top-level (each with its own `show`, so a version can have its own),
 * Return All / Limit, the rest in one collection.
 */
function fieldProperties(props, cfg, op, required, optional, show) {
	for (const { field, show: own } of required) props.push({ ...fieldProperty(field, op, cfg, { topLevel: true }), displayOptions: { show: own } });
	if (op.kind === 'list') {
		props.push({
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			displayOptions: { show },
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		});
		props.push({
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			displayOptions: { show: { ...show, returnAll: [false] } },
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
		});
	}
	if (optional.length) {
		const isUpdate = op.value === 'update';
		const [displayName, name, placeholder] = op.rpc
			? ['Additional Fields', 'additionalFields', 'Add Field']
			: op.kind === 'list'
				? ['Filters', 'filters', 'Add Filter']
				: isUpdate
					? ['Update Fields', 'updateFields', 'Add Field']
					: ['Additional Fields', 'additionalFields', 'Add Field'];
		props.push({
			displayName,
			name,
			type: 'collection',
			placeholder,
			default: {},
			displayOptions: { show },
			options: optional
				.map((f) => fieldProperty(f, op, cfg, { topLevel: false }))
				.sort((a, b) => a.displayName.localeCompare(b.displayName)),
		});
	}
}

/**
 * Several versions of one method: a field required in every version is shown once, one required in some versions
 * only for those; optional fields of all versions share one collection, marked with the versions that take them
 * (the envelope step refuses a param the chosen version does not take).
 */
function versionedFields(op) {
	const all = op.versions.map((v) => v.version);
	// Fields are told apart by the param they send: versions may spell one param differently (ApPayeeId, apPayeeId).
	const where = new Map();
	for (const v of op.versions) {
		for (const f of v.fields) {
			if (!where.has(f.apiPath)) where.set(f.apiPath, []);
			where.get(f.apiPath).push(v.version);
		}
	}
	const requiredIn = (apiPath) => op.versions.filter((v) => v.fields.some((f) => f.apiPath === apiPath && f.required)).map((v) => v.version);
	const required = [];
	const optional = new Map();
	const keys = new Set();
	const seenRequired = new Set();
	for (const v of op.versions) {
		for (const f of v.fields) {
			if (f.required) {
				if (seenRequired.has(f.apiPath)) continue;
				seenRequired.add(f.apiPath);
				const versions = requiredIn(f.apiPath);
				required.push({ field: f, versions: versions.length === all.length ? undefined : versions });
			} else if (!optional.has(f.apiPath)) {
				const versions = where.get(f.apiPath);
				const only = versions.length === all.length ? '' : `Only in ${versions.join(', ')}`;
				const description = only ? tidyDescription([f.description?.replace(/\.?$/, '.'), `${only}.`].filter(Boolean).join(' ')) : f.description;
				// One collection holds every version's options: a second spelling keeps its own name.
				let key = f.key;
				if (keys.has(key)) key = f.apiPath.replace(/^method\.params\./, '');
				if (keys.has(key)) key = `${f.key}${versions[0].toUpperCase()}`;
				keys.add(key);
				optional.set(f.apiPath, { ...f, key, description });
			}
		}
	}
	return { required, optional: [...optional.values()] };
}

export function resourceFile(cfg, entry) {
	usedHelpers = new Set();
	const r = entry.resource;
	const props = [];
	props.push({
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [r.value] } },
		options: entry.operations.map((op) => operationOption(op, r)),
		default: (entry.operations.find((o) => o.value === 'getAll' || (o.rpc && o.name === 'Get Many')) ?? entry.operations[0]).value,
	});
	for (const op of entry.operations) {
		const show = { resource: [r.value], operation: [op.value] };
		if (op.versions) {
			// Several versions: the newest by default; each version shows its own fields.
			props.push({
				displayName: 'Version',
				name: 'version',
				type: 'options',
				options: op.versions.map((v, i) => ({ name: `${v.version.toUpperCase()}${i === 0 ? ' (Newest)' : ''}`, value: v.version })),
				default: op.versions[0].version,
				description: `Version of ${op.rpc.method} to call; versions take different parameters`,
				displayOptions: { show },
				routing: { send: { type: 'body', property: 'method.version' } },
			});
			const { required, optional } = versionedFields(op);
			const requiredShown = required.map(({ field, versions }) => ({ field, show: versions ? { ...show, version: versions } : show }));
			fieldProperties(props, cfg, op, requiredShown, optional, show);
		} else {
			const required = op.fields.filter((f) => f.required).map((field) => ({ field, show }));
			fieldProperties(props, cfg, op, required, op.fields.filter((f) => !f.required), show);
		}
		if (op.simplify) {
			props.push({
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				displayOptions: { show },
				default: true,
				description: 'Whether to return a simplified version of the response instead of the raw data',
			});
		}
	}
	const used = [...usedHelpers].sort();
	return `// Generated by \`npm run generate\` from specs/${cfg.spec}
// and scripts/generator/${cfg.id}.json. Do not edit by hand: change the spec or the overrides.
import type { INodeProperties } from 'n8n-workflow';

import { ${used.join(', ')} } from '../../${cfg.routingModule}';

${entry.operations
	.filter((op) => op.simplify)
	.map((op) => `/** Fields kept by Simplify on ${op.name}. */\nconst ${op.value}SimplifiedFields = ${literal(op.simplify)};\n\n`)
	.join('')}export const ${r.value}Description: INodeProperties[] = ${literal(props)};
`;
}

export function indexFile(cfg, model) {
	const imports = model.map((e) => `import { ${e.resource.value}Description } from './${e.resource.value}';`).join('\n');
	const resource = {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: model.map((e) => ({ name: e.resource.name, value: e.resource.value })),
		default: cfg.defaultResource,
	};
	const count = model.reduce((n, e) => n + e.operations.length, 0);
	return `// Generated by \`npm run generate\`. Do not edit by hand.
import type { INodeProperties } from 'n8n-workflow';

${imports}

/** ${count} operations over ${model.length} resources. */
export const operationCount = ${count};

export const resourceProperty: INodeProperties = ${literal(resource)};

export const properties: INodeProperties[] = [
	resourceProperty,
${model.map((e) => `\t...${e.resource.value}Description,`).join('\n')}
];
`;
}

/** RPC vendors: one row per method, with its service path, versions and paging. */
function rpcOperationsTable(model) {
	const rows = ['| Resource | Operation | Method | Versions | Notes |', '| --- | --- | --- | --- | --- |'];
	for (const e of model) {
		for (const op of e.operations) {
			const notes = [
				op.kind === 'list' ? 'Return All / Limit' : '',
				op.pagination ? 'waits for the queued result' : '',
				Object.keys(op.rpc.dates).length ? 'Mountain Time dates' : '',
			].filter(Boolean);
			rows.push(`| ${e.resource.name} | ${op.name} | \`${op.path.slice(1)}/${op.rpc.method}\` | ${op.rpc.versions.join(', ')} | ${notes.join('; ')} |`);
		}
	}
	return rows.join('\n');
}

export function operationsTable(cfg, model) {
	if (model[0]?.operations[0]?.rpc) return rpcOperationsTable(model);
	const rows = ['| Resource | Operation | HTTP | Notes |', '| --- | --- | --- | --- |'];
	for (const e of model) {
		for (const op of e.operations) {
			const notes = [
				op.kind === 'list' ? 'Return All / Limit, filters' : '',
				op.kind === 'get' ? 'picker; via the list endpoint' : '',
				op.simplify ? 'Simplify' : '',
				op.paging === 'timeWindow' ? 'pages by creation-time window' : '',
				op.paging?.startsWith('report') ? 'any date range (≤ 32-day windows merged)' : '',
				op.unverified ? '**unverified endpoint**' : '',
				op.fieldReported ? 'from field reports' : '',
			].filter(Boolean);
			rows.push(`| ${e.resource.name} | ${op.name} | \`${op.method} ${op.path}\` | ${notes.join('; ')} |`);
		}
	}
	return rows.join('\n');
}
