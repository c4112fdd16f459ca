// Lint for nodes/, credentials/ and package.json (see `npm run lint`):
// - eslint-plugin-n8n-nodes-base: the classic starter's community / credentials / nodes rulesets
// - @n8n/eslint-plugin-community-nodes: the `recommended` config n8n's verification scanner uses.
import tsParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import communityNodes from '@n8n/eslint-plugin-community-nodes';

const base = { languageOptions: { parser: tsParser, sourceType: 'module', ecmaVersion: 'latest' } };
const nodesBase = (config) => ({ ...base, plugins: { 'n8n-nodes-base': n8nNodesBase }, rules: config.rules });

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'bench/**', 'scripts/**', '*.js', '*.mjs'] },
	{ files: ['package.json'], ...nodesBase(n8nNodesBase.configs.community) },
	{
		files: ['credentials/**/*.ts'],
		...nodesBase(n8nNodesBase.configs.credentials),
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// "Only applicable to nodes in the main repository" (rule docs); the classic starter turns it off too.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		...nodesBase(n8nNodesBase.configs.nodes),
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// These two demand the string 'main'; @n8n/community-nodes' node-connection-type-literal
			// demands NodeConnectionTypes.Main. The newer rule wins.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		...communityNodes.configs.recommended,
		...base,
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
		rules: { ...communityNodes.configs.recommended.rules },
	},
];
