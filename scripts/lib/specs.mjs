// Where the vendor specs live: `specs/` inside this repository (SPECS_DIR overrides, e.g. to try a newer
// vendor file without copying it in). Everything that reads a spec (generator, simulators, tests) asks here.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SPECS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../specs');

/** Absolute path of a spec file by its name, e.g. `specPath('buildium-openapi.json')`. */
export function specPath(name) {
	const file = name.split('/').pop();
	const candidates = [process.env.SPECS_DIR && join(process.env.SPECS_DIR, file), join(SPECS_DIR, file)].filter(Boolean);
	const found = candidates.find((p) => existsSync(p));
	if (!found) throw new Error(`Spec ${file} not found (looked in ${candidates.join(', ')})`);
	return found;
}
