// One n8n process of a queue-mode test: loads the package, says "ready", and on "go" (a line on stdin) runs one node
// over `items` input items through RoutingNode (Continue On Fail on), then prints one JSON line with the outcome.
// Job (argv[2], JSON): { node, parameters, credentials, credentialTypes?: omitted (the package's), items, tag }.
import { createInterface } from 'node:readline';

import { loadPackage, runNode } from './routing.mjs';

const job = JSON.parse(process.argv[2]);
const pkg = await loadPackage();
const items = Array.from({ length: job.items }, (_, i) => ({ json: { name: `${job.tag}-${i}`, email: `${job.tag}-${i}@example.test` } }));
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
	if (line.trim() !== 'go') continue;
	const startAt = Date.now();
	const out = await runNode(pkg.nodes[job.node], { parameters: job.parameters, credentials: job.credentials, credentialTypes: pkg.credentials, items, continueOnFail: true });
	const endAt = Date.now();
	const errors = out.filter((i) => i.error || i.json.error).map((i) => String(i.error?.message ?? i.json.error));
	process.stdout.write(`${JSON.stringify({ startAt, endAt, count: out.length, errors })}\n`);
	break;
}
lines.close();
