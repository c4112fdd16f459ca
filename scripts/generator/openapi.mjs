// OpenAPI adapter: reads an OpenAPI 3 file (YAML or JSON) into a flat list of raw operations
// `{ operationId, tag, method, path, summary, description, parameters[], body }` with every $ref
// resolved and allOf merged. Buildium (JSON) will go through the same adapter.
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function loadSpec(file) {
	const text = readFileSync(file, 'utf8');
	return file.endsWith('.json') ? JSON.parse(text) : yaml.load(repairSingleQuotes(text));
}

/**
 * The reconstructed RentEngine spec has an apostrophe inside a single-quoted scalar
 * ('… the vendor's API …'), which is invalid YAML. Inside single-quoted scalars, double an
 * apostrophe that sits between two letters (YAML's escape); nothing else is touched.
 */
export function repairSingleQuotes(text) {
	let out = '';
	let inQuoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c !== "'") {
			out += c;
			continue;
		}
		if (!inQuoted) {
			inQuoted = /(:\s|-\s|\[|,\s?)$/.test(text.slice(Math.max(0, i - 2), i));
			out += c;
		} else if (text[i + 1] === "'") {
			out += "''";
			i++;
		} else if (/[A-Za-z]/.test(text[i - 1] ?? '') && /[A-Za-z]/.test(text[i + 1] ?? '')) {
			out += "''";
		} else {
			inQuoted = false;
			out += c;
		}
	}
	return out;
}

export function resolver(spec) {
	const deref = (node, seen = new Set()) => {
		if (Array.isArray(node)) return node.map((n) => deref(n, seen));
		if (!node || typeof node !== 'object') return node;
		if (node.$ref) {
			if (seen.has(node.$ref)) return {}; // recursive schema: stop expanding
			const target = node.$ref.replace(/^#\//, '').split('/').reduce((o, k) => o?.[k], spec);
			if (target === undefined) throw new Error(`Unresolved $ref ${node.$ref}`);
			return deref(target, new Set([...seen, node.$ref]));
		}
		const out = {};
		for (const [k, v] of Object.entries(node)) out[k] = deref(v, seen);
		if (out.allOf) {
			const merged = { type: 'object', properties: {}, required: [] };
			for (const part of out.allOf) {
				Object.assign(merged.properties, part.properties ?? {});
				merged.required.push(...(part.required ?? []));
			}
			const { allOf, ...rest } = out;
			return { ...merged, ...rest, properties: { ...merged.properties, ...(rest.properties ?? {}) } };
		}
		return out;
	};
	return deref;
}

export function rawOperations(spec) {
	const deref = resolver(spec);
	const ops = [];
	for (const [path, item] of Object.entries(spec.paths ?? {})) {
		for (const method of METHODS) {
			const op = item[method];
			if (!op) continue;
			const parameters = deref([...(item.parameters ?? []), ...(op.parameters ?? [])]);
			const content = deref(op.requestBody)?.content ?? {};
			const body = (content['application/json'] ?? Object.values(content)[0])?.schema;
			const [status, ok] = Object.entries(op.responses ?? {}).find(([code]) => /^2/.test(code)) ?? [];
			const response = deref(ok?.content?.['application/json']?.schema);
			ops.push({
				operationId: op.operationId,
				tag: op.tags?.[0],
				method: method.toUpperCase(),
				path,
				summary: op.summary,
				description: op.description,
				parameters,
				body,
				bodyRequired: Boolean(op.requestBody && deref(op.requestBody)?.required),
				status: status ? Number(status) : undefined,
				returnsArray: response?.type === 'array',
				unverified: Boolean(item['x-reconstructed-from'] || op['x-reconstructed-from']),
				fieldReported: Boolean(item['x-source'] || op['x-source']),
			});
		}
	}
	return ops;
}
