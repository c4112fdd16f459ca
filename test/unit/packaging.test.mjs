// What ships: no runtime dependencies, exactly the files n8n loads, bundled third-party code with its licence,
// and a release workflow that publishes with provenance.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import yaml from 'js-yaml';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));

test('no runtime dependencies; n8n-workflow is the only peer', () => {
	assert.equal(pkg.dependencies, undefined);
	assert.deepEqual(pkg.peerDependencies, { 'n8n-workflow': '*' });
	assert.equal(pkg.license, 'MIT');
	assert.match(readFileSync(new URL('LICENSE', root), 'utf8'), /^MIT License/);
	assert.ok(pkg.keywords.includes('n8n-community-node-package'));
	assert.match(pkg.repository.url, /^https:\/\/github\.com\//);
});

test('the tarball holds exactly the entries n8n loads, their codex files, vendored libraries and icons', () => {
	const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--loglevel=error'], { cwd: root, encoding: 'utf8' }));
	const files = packed.files.map((f) => f.path).sort();
	const entries = [...pkg.n8n.nodes, ...pkg.n8n.credentials];
	for (const entry of entries) assert.ok(files.includes(entry), `${entry} ships`);
	const allowed = (f) =>
		entries.includes(f) ||
		/^dist\/nodes\/.+\.node\.json$/.test(f) ||
		/^dist\/vendor\/[\w.-]+\.(js|LICENSE)$/.test(f) ||
		/^dist\/shared\/[\w.-]+\.js$/.test(f) ||
		/^dist\/icons\/[\w.-]+\.svg$/.test(f) ||
		['package.json', 'README.md', 'LICENSE'].includes(f);
	assert.deepEqual(files.filter((f) => !allowed(f)), [], 'nothing else (no .d.ts, maps, tests, dist/package.json)');
	assert.ok(files.includes('dist/vendor/luxon.js') && files.includes('dist/vendor/luxon.LICENSE'));
});

test('each shipped entry loads with only n8n-workflow and node: built-ins resolvable from outside the repo', () => {
	const require = createRequire(new URL('package.json', root));
	for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
		const text = readFileSync(new URL(entry, root), 'utf8');
		const requires = [...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
		for (const r of requires) {
			assert.ok(r === 'n8n-workflow' || r.startsWith('node:') || /^(crypto|url|path)$/.test(r) || r.startsWith('.'), `${entry} requires ${r}`);
		}
		const mod = require(new URL(entry, root).pathname);
		assert.ok(Object.keys(mod).length >= 1, `${entry} exports its class`);
	}
});

test('one pacing budget per credential across every node file: the pacing module is shared, not copied', async () => {
	const require = createRequire(new URL('package.json', root));
	for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
		const text = readFileSync(new URL(entry, root), 'utf8');
		assert.doesNotMatch(text, /budgets = \/\* @__PURE__ \*\/ new Map/, `${entry} has no pacing state of its own`);
		if (/nodes\/(Buildium\/Buildium(?!Trigger)|RentEngine\/RentEngine\.node)/.test(entry)) assert.match(text, /require\("\.\.\/\.\.\/shared\/pacing\.js"\)/, `${entry} requires the shared pacing module`);
	}
	// Two Buildium nodes are admitted from the same budget: the 11th request of a second waits, whichever node sends it.
	const pacing = require(new URL('dist/shared/pacing.js', root).pathname);
	const rentals = require(new URL('dist/nodes/Buildium/BuildiumRentals.node.js', root).pathname);
	assert.ok(rentals.BuildiumRentals, 'the node loads with the shared module');
	const profile = { name: 'Buildium', credentialType: 'buildiumApi', rateLimit: { requests: 10, perMs: 1000 } };
	pacing.resetPacing();
	const key = pacing.pacingKey(profile, { clientId: 'a', clientSecret: 'b' });
	const now = Date.now();
	for (let i = 0; i < 10; i++) await pacing.pace(profile, { key, processes: 1 });
	assert.ok(pacing.admissionWait(profile, key, 1, now) > 0, 'the 11th waits');
	pacing.resetPacing();
});

test('the release workflow publishes with npm provenance after lint, tests and the scanner', () => {
	const wf = yaml.load(readFileSync(new URL('.github/workflows/publish.yml', root), 'utf8'));
	assert.equal(wf.permissions['id-token'], 'write');
	const runs = wf.jobs.publish.steps.map((s) => s.run).filter(Boolean);
	const publish = runs.findIndex((r) => /npm publish .*--provenance/.test(r));
	assert.ok(publish > 0, 'npm publish --provenance');
	for (const before of ['npm run lint', 'npm test', 'npm run scan']) {
		const i = runs.indexOf(before);
		assert.ok(i >= 0 && i < publish, `${before} runs before publishing`);
	}
	assert.equal(wf.jobs.publish.steps.find((s) => s.run?.startsWith('npm publish')).env.NODE_AUTH_TOKEN, '${{ secrets.NPM_TOKEN }}');
});
