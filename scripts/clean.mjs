// Removes dist/ and the incremental build info so `npm run build` always starts clean.
import { rmSync } from 'node:fs';
for (const p of ['dist', 'tsconfig.tsbuildinfo']) rmSync(new URL(`../${p}`, import.meta.url), { recursive: true, force: true });
