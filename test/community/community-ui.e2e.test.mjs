// Installed the way users install it: Settings → Community Nodes → Install, in a real n8n 2.41.1 driven in headless
// Chromium, from a registry. n8n refuses any registry but registry.npmjs.org without an Enterprise licence
// (N8N_COMMUNITY_PACKAGES_REGISTRY → FeatureNotLicensedError), so the suite runs inside a private network namespace
// where registry.npmjs.org is a local Verdaccio serving our packed package (run-in-netns.sh). Run with
// `npm run test:community` (builds first; root for `ip netns`).
//
//   1. publish the packed package (version from package.json) to the local registry; start n8n
//   2. install it from the Community Nodes page; the nodes appear in the node panel
//   3. publish a patch version; the page offers the update; update; the card shows the new version
//   4. uninstall from the page; the nodes are gone
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

import * as lab from '../../scripts/lib/n8n-lab.mjs';
import { publish, registryEnv, registryRequest, repackWithVersion, startRegistry } from './registry.mjs';

const OWNER = { email: 'community@example.com', password: 'Community-Passw0rd!x' };
const PKG = JSON.parse(fs.readFileSync(path.join(lab.REPO_ROOT, 'package.json'), 'utf8'));
const NEXT_VERSION = PKG.version.replace(/(\d+)$/, (n) => String(Number(n) + 1));
const state = { shots: [] };
let failed = false;

function step(name, needs, fn, timeout = 240_000) {
	test(name, { timeout }, async () => {
		for (const key of needs) assert.ok(state[key], `an earlier step failed: no ${key}`);
		try {
			await fn();
		} catch (err) {
			failed = true;
			if (state.page) {
				const shot = path.join(os.tmpdir(), `n8n-community-failure-${Date.now()}.png`);
				await state.page.screenshot({ path: shot }).catch(() => {});
				console.log(`failure screenshot: ${shot}`);
			}
			throw err;
		}
	});
}

after(async () => {
	if (failed && state.n8n) console.log(`--- n8n log ---\n${state.n8n.logTail(60)}`);
	await state.browser?.close();
	await state.n8n?.stop();
	await state.registry?.stop();
	if (!failed && state.userFolder) fs.rmSync(state.userFolder, { recursive: true, force: true });
});

const ourNodeTypes = async () =>
	(await lab.nodeTypes(state.n8n.baseUrl, state.owner.cookie)).map((t) => t.name).filter((n) => n.startsWith(`${PKG.name}.`));

async function openCommunityNodes() {
	await state.page.goto('/settings/community-nodes');
	// The empty state offers "Install a community node"; with packages installed, the cards are listed.
	await state.page
		.getByRole('button', { name: /^Install/ })
		.or(state.page.locator('[data-test-id="community-package-card"]'))
		.first()
		.waitFor({ timeout: 30_000 });
}

/** The RentEngine Trigger's description, as the built package states it. */
function triggerDescription() {
	const file = path.join(lab.REPO_ROOT, 'dist/nodes/RentEngine/RentEngineTrigger.node.js');
	const { RentEngineTrigger } = createRequire(import.meta.url)(file);
	return new RentEngineTrigger().description.description;
}

const card = () => state.page.locator('[data-test-id="community-package-card"]').filter({ hasText: PKG.name });

step('setup: local registry with the packed package, n8n, owner, browser', [], async () => {
	const info = await lab.ensureN8n();
	state.registry = await startRegistry({ node: info.node24 });
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-community-pack-'));
	state.tgz = await lab.packPackage(packDir);
	// Runtime dependencies, if the package has any, were packed outside the namespace by run-in-netns.sh.
	const deps = process.env.COMMUNITY_DEPS_DIR;
	for (const file of deps && fs.existsSync(deps) ? fs.readdirSync(deps) : []) publish(state.registry, path.join(deps, file));
	publish(state.registry, state.tgz);
	const doc = await registryRequest(state.registry.ca, 'GET', `/${PKG.name}`);
	assert.equal(doc.json?.['dist-tags']?.latest, PKG.version, `the registry serves ${PKG.name}@${PKG.version}`);

	state.userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-community-'));
	state.n8n = await lab.startN8n({ userFolder: state.userFolder, extraEnv: registryEnv(state.registry) });
	state.owner = await lab.setupOwner(state.n8n.baseUrl, OWNER);
	assert.deepEqual(await ourNodeTypes(), [], 'nothing of ours is installed yet');

	const { chromium } = await import('playwright-core');
	state.browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
	});
	state.page = await state.browser.newPage({ baseURL: state.n8n.baseUrl, viewport: { width: 1400, height: 850 } });
	await state.page.goto('/signin');
	await state.page.locator('input[type=email]').first().fill(OWNER.email);
	await state.page.locator('input[type=password]').first().fill(OWNER.password);
	await state.page.keyboard.press('Enter');
	await state.page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 60_000 });
	state.ready = true;
}, 25 * 60_000);

step('install from Settings → Community Nodes: the nodes appear in the node panel', ['ready'], async () => {
	const { page } = state;
	await openCommunityNodes();
	await page.getByRole('button', { name: /^Install/ }).first().click();
	await page.locator('[data-test-id="package-name-input"] input, input[data-test-id="package-name-input"]').first().fill(PKG.name);
	await page.locator('[data-test-id="user-agreement-checkbox"]').click();
	const started = Date.now();
	await page.locator('[data-test-id="install-community-package-button"]').click();
	await card().waitFor({ timeout: 180_000 });
	state.installMs = Date.now() - started;
	assert.match(await card().innerText(), new RegExp(`v?${PKG.version.replace(/\./g, '\\.')}`));
	const shot = path.join(os.tmpdir(), `n8n-community-installed-${Date.now()}.png`);
	await page.screenshot({ path: shot });
	console.log(`installed in ${state.installMs} ms; screenshot: ${shot}`);

	const types = await ourNodeTypes();
	for (const n of ['rentEngine', 'rentEngineTrigger']) assert.ok(types.includes(`${PKG.name}.${n}`), `${n} registered: ${types}`);
	const installed = path.join(state.userFolder, '.n8n/nodes/node_modules', PKG.name, 'package.json');
	assert.equal(JSON.parse(fs.readFileSync(installed, 'utf8')).version, PKG.version, 'n8n put the package in its nodes folder');

	// The node panel of a new workflow offers them.
	await page.goto('/workflow/new');
	await page.locator('[data-test-id="canvas-plus-button"], [data-test-id="canvas-add-button"]').first().click();
	await page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first().fill('RentEngine');
	// A new workflow's panel lists triggers first: ours shows with its own description.
	await page.getByText(triggerDescription(), { exact: true }).first().waitFor({ timeout: 30_000 });
	const panelShot = path.join(os.tmpdir(), `n8n-community-node-panel-${Date.now()}.png`);
	await page.screenshot({ path: panelShot });
	console.log(`node panel screenshot: ${panelShot}`);
	await page.keyboard.press('Escape');
	state.installed = true;
});

step('update to a new version from the Community Nodes page', ['installed'], async () => {
	const { page } = state;
	publish(state.registry, repackWithVersion(state.tgz, NEXT_VERSION));
	await openCommunityNodes();
	const update = card().getByRole('button', { name: /update/i });
	await update.waitFor({ timeout: 60_000 });
	await update.click();
	await page.getByRole('dialog').getByRole('button', { name: /update/i }).click();
	await card().filter({ hasText: NEXT_VERSION }).waitFor({ timeout: 180_000 });
	const installed = path.join(state.userFolder, '.n8n/nodes/node_modules', PKG.name, 'package.json');
	assert.equal(JSON.parse(fs.readFileSync(installed, 'utf8')).version, NEXT_VERSION);
	assert.ok((await ourNodeTypes()).includes(`${PKG.name}.rentEngine`), 'still registered after the update');
	state.updated = true;
});

step('uninstall from the Community Nodes page: the nodes are gone', ['updated'], async () => {
	const { page } = state;
	await openCommunityNodes();
	await card().locator('[data-test-id="action-toggle"]').click();
	await page.getByRole('menuitem', { name: /uninstall/i }).click();
	await page.getByRole('dialog').getByRole('button', { name: /uninstall/i }).click();
	await card().waitFor({ state: 'detached', timeout: 120_000 });
	assert.deepEqual(await ourNodeTypes(), [], 'no node of the package is registered any more');
	assert.ok(!fs.existsSync(path.join(state.userFolder, '.n8n/nodes/node_modules', PKG.name)), 'removed from the nodes folder');
});

step('a custom registry (N8N_COMMUNITY_PACKAGES_REGISTRY) is refused without a licence', ['ready'], async () => {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-community-custom-'));
	const n8n = await lab.startN8n({
		userFolder,
		extraEnv: { ...registryEnv(state.registry), N8N_COMMUNITY_PACKAGES_REGISTRY: 'https://127.0.0.1:443' },
	});
	try {
		const owner = await lab.setupOwner(n8n.baseUrl, OWNER);
		const res = await lab.http(`${n8n.baseUrl}/rest/community-packages`, { method: 'POST', headers: { cookie: owner.cookie }, body: { name: PKG.name } });
		assert.ok(res.status >= 400, `refused: ${res.status}`);
		assert.match(res.text, /licen[cs]e/i, res.text);
		console.log(`custom registry: HTTP ${res.status} ${res.text.slice(0, 200)}`);
	} finally {
		await n8n.stop();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
});
