// What the benchmarks share: command-line options, n8n workflow pieces, and the statistics they print.
import fs from 'node:fs';
import path from 'node:path';

/** `--name value` from the command line, as text (undefined → fallback). */
export const arg = (name, fallback) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? process.argv[i + 1] : fallback;
};
/** `--name value` as a number. */
export const numberArg = (name, fallback) => {
	const value = arg(name, undefined);
	return value === undefined ? fallback : Number(value);
};

/** Newest 4.x typeVersion of the HTTP Request node in the n8n installed at `labDir`. */
export function httpRequestVersion(labDir) {
	const src = fs.readFileSync(path.join(labDir, 'n8n/node_modules/n8n-nodes-base/dist/nodes/HttpRequest/V3/HttpRequestV3.node.js'), 'utf8');
	const versions = JSON.parse(/version:\s*(\[[^\]]*\])/.exec(src)[1]);
	return Math.max(...versions.filter((v) => Math.floor(v) === 4));
}

export const manual = (id) => ({ id, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} });
export const link = (from, to) => ({ [from]: { main: [[{ node: to, type: 'main', index: 0 }]] } });

export const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : String(n));

/** A Markdown table: `head` the column titles, `align` one of 'l' / 'r' per column, `rows` arrays of cells. */
export const markdownTable = (head, align, rows) => [
	`| ${head.join(' | ')} |`,
	`| ${align.map((a) => (a === 'r' ? '---:' : '---')).join(' | ')} |`,
	...rows.map((cells) => `| ${cells.join(' | ')} |`),
];
