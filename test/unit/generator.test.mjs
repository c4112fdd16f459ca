// The generated descriptions are current and cover every operation of the spec.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { loadSpec, rawOperations } from '../../scripts/generator/openapi.mjs';
import { generate } from '../../scripts/generate.mjs';
import { specPath } from '../../scripts/lib/specs.mjs';
import { loadPackage } from '../harness/routing.mjs';

const specFile = specPath('rentengine-openapi.reconstructed.yaml');

test('generated files match the spec and the overrides (npm run generate -- --check)', () => {
	const out = execFileSync(process.execPath, ['scripts/generate.mjs', '--check'], { cwd: new URL('../../', import.meta.url) });
	assert.match(String(out), /current/);
});

test('generation is deterministic', () => {
	const a = generate();
	const b = generate();
	assert.deepEqual([...a.entries()], [...b.entries()]);
});

test('every spec operation is routed by the node (method + path)', async () => {
	const { nodes } = await loadPackage();
	const { properties } = nodes.rentEngine.description;
	// Path templates compared without parameter names: `/x/{unitId}` and `=/x/{{encodeURIComponent($value)}}`.
	const shape = (url) => url.replace(/^=/, '').replace(/\{\{.*?\}\}|\{[^}]+\}/g, '{}');
	const routed = new Set();
	for (const p of properties) {
		if (p.name !== 'operation') continue;
		for (const o of p.options) {
			let url = o.routing.request.url;
			if (!url) {
				// A path parameter's field carries the URL for its operation.
				const show = { resource: p.displayOptions.show.resource[0], operation: o.value };
				url = properties.find((f) => f.routing?.request?.url && f.displayOptions?.show?.resource?.includes(show.resource) && f.displayOptions.show.operation?.includes(show.operation))?.routing.request.url;
			}
			routed.add(`${o.routing.request.method} ${shape(String(url))}`);
		}
	}
	const spec = rawOperations(loadSpec(specFile));
	// 17 from the reconstructed docs + 6 from the field reports (prospects' calls/messages, leasing performance, 3 reports)
	assert.equal(spec.length, 23);
	for (const op of spec) assert.ok(routed.has(`${op.method} ${shape(op.path)}`), `${op.operationId} is not covered`);
});

test('the README operation table is the generated one', () => {
	const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
	assert.equal(generate().get('README.md'), readme);
});

test('every operation follows n8n conventions: action, paginate hook, response check first', async () => {
	const { nodes } = await loadPackage();
	const description = nodes.rentEngine.description;
	assert.equal(description.usableAsTool, true);
	for (const p of description.properties.filter((x) => x.name === 'operation')) {
		for (const o of p.options) {
			assert.ok(o.action && o.action[0] === o.action[0].toUpperCase(), `${o.value} needs an action`);
			assert.equal(o.routing.send.paginate, true);
			assert.equal(typeof o.routing.output.postReceive[0], 'function');
		}
	}
});

test('action names read as English: plurals of every resource, in sentence case', async () => {
	const { plural } = await import('../../scripts/generator/model.mjs');
	assert.deepEqual(['lockbox', 'property', 'unit', 'leasing event', 'bus', 'day'].map(plural), ['lockboxes', 'properties', 'units', 'leasing events', 'buses', 'days']);
	const { nodes } = await loadPackage();
	const actions = nodes.rentEngine.description.properties.filter((p) => p.name === 'operation').flatMap((p) => p.options.map((o) => o.action));
	assert.ok(actions.includes('Get many lockboxes') && actions.includes('Get many multifamily properties'));
	for (const a of actions) {
		assert.doesNotMatch(a, /\w(xs|[^aeiou]ys|chs|shs)\b/, `"${a}" has a malformed plural`);
		assert.equal(a, a[0] + a.slice(1).replace(/\b[A-Z](?=[a-z])/g, (c) => c.toLowerCase()), `"${a}" is sentence case`);
	}
});
