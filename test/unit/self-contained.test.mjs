// A clone of this repository on its own must work: nothing may read the steering checkout that sits beside the
// developers' clones (the folder named "shared" next to the repository).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { SPECS_DIR, specPath } from '../../scripts/lib/specs.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Tracked files plus new ones git does not ignore, as they are in the working tree. */
function repositoryFiles() {
	const list = (...args) => execFileSync('git', ['ls-files', '-z', ...args], { cwd: root, encoding: 'utf8' }).split('\0');
	return [...new Set([...list(), ...list('--others', '--exclude-standard')])].filter((f) => f && existsSync(join(root, f)));
}

/**
 * Every relative path that climbs to a folder called "shared" (`<dots>/shared`), and every path join of the two dots
 * and "shared", refers to the steering checkout: nothing inside the repository is called that (our shared code
 * lives in `nodes/common`), so the rule is as strict as the project's before-stop check.
 */
function outsideReferences(file, text) {
	const hits = [];
	for (const match of text.matchAll(/((?:\.\.\/)+)shared\b/g)) hits.push(`${file}: ${match[0]}`);
	for (const match of text.matchAll(/['"]\.\.['"],\s*['"]shared\b/g)) hits.push(`${file}: ${match[0]}`);
	return hits;
}

test('no file in the repository refers to the checkout beside it (a clone has nothing there)', () => {
	const files = repositoryFiles();
	assert.ok(files.length > 50, 'git lists the repository');
	const hits = files.flatMap((file) => outsideReferences(file, readFileSync(join(root, file), 'latin1')));
	assert.deepEqual(hits, []);
});

test('the reference check itself finds both forms and leaves our nodes/common alone', () => {
	const dots = '.'.repeat(2);
	assert.deepEqual(outsideReferences('nodes/RentEngine/listSearch.ts', `from '${dots}/common/transport'`), []);
	assert.equal(outsideReferences('README.md', `see ${dots}/shared/specs`).length, 1);
	assert.equal(outsideReferences('test/unit/x.mjs', `new URL('${dots}/${dots}/${dots}/shared/specs/a.yaml')`).length, 1);
	assert.equal(outsideReferences('scripts/a.mjs', `resolve(root, '${dots}', 'shared/specs')`).length, 1);
});

test('the vendor specs live inside the repository', () => {
	const saved = process.env.SPECS_DIR;
	delete process.env.SPECS_DIR;
	try {
		for (const name of ['rentengine-openapi.reconstructed.yaml', 'buildium-openapi.json', 'entrata-methods.json']) {
			assert.equal(dirname(specPath(name)), SPECS_DIR, name);
		}
	} finally {
		if (saved !== undefined) process.env.SPECS_DIR = saved;
	}
});
