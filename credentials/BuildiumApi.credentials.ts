import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Base URL of Buildium's Open API for this credential: the override when set (proxies, the test simulator),
 * otherwise Production or Sandbox. Paths in the spec carry the `/v1` prefix themselves.
 */
export const BUILDIUM_PRODUCTION_URL = 'https://api.buildium.com';
export const BUILDIUM_SANDBOX_URL = 'https://apisandbox.buildium.com';
export const BUILDIUM_BASE_URL = `={{ ($credentials.baseUrl || ($credentials.environment === "sandbox" ? "${BUILDIUM_SANDBOX_URL}" : "${BUILDIUM_PRODUCTION_URL}")).replace(/\\/+$/, "") }}`;

/** Same rule as BUILDIUM_BASE_URL, for programmatic requests (list search, trigger). */
export function buildiumBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const base = String(credentials.baseUrl || '') ||
		(credentials.environment === 'sandbox' ? BUILDIUM_SANDBOX_URL : BUILDIUM_PRODUCTION_URL);
	return base.replace(/\/+$/, '');
}

export class BuildiumApi implements ICredentialType {
	name = 'buildiumApi';

	displayName = 'Buildium API';

	icon: Icon = { light: 'file:../icons/buildium.svg', dark: 'file:../icons/buildium.dark.svg' };

	documentationUrl = 'https://developer.buildium.com/';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production' },
				{ name: 'Sandbox', value: 'sandbox' },
			],
			default: 'production',
			description: 'Sandbox keys work only against the sandbox, production keys only against production',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'From Buildium: Settings → Developer Tools → API Keys (sent as x-buildium-client-id)',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Shown once when the API key is created (sent as x-buildium-client-secret)',
		},
		{
			displayName: 'Webhook Signing Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for the Buildium Trigger: the secret Buildium generates for the webhook subscription (Settings → Developer Tools → Webhooks). Deliveries whose signature does not match are rejected with 401.',
		},
		{
			displayName: 'Processes Sharing This Key',
			name: 'processesSharingKey',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: 1,
			description:
				'Queue mode: how many n8n processes (main and workers) run workflows with this API key at the same time. Each paces its requests to Buildium\'s 10 per second divided by this number, so together they stay within it.',
		},
		{
			displayName: 'Base URL Override',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://api.buildium.com',
			description: 'Leave empty to use the environment above. Set it to route requests through a proxy or to a local simulator.',
		},
	];

	// A function, not generic `{{$credentials…}}` headers: n8n evaluates generic expressions in its sandboxed
	// runtime on every request (see RentEngineApi), and a Return All or a 500-item create sends many.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				'x-buildium-client-id': String(credentials.clientId),
				'x-buildium-client-secret': String(credentials.clientSecret),
			},
		};
	}

	// One rental property: any key that can read properties passes; 401 and 403 get their own messages.
	test: ICredentialTestRequest = {
		request: {
			baseURL: BUILDIUM_BASE_URL,
			url: '/v1/rentals',
			method: 'GET',
			qs: { limit: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: 'Buildium rejected the Client ID or Client Secret (check both, and that the key belongs to this environment)' },
			},
			{
				type: 'responseCode',
				properties: { value: 403, message: 'The key is valid but lacks permission to read rental properties (give the API key access under Settings → Developer Tools → API Keys)' },
			},
		],
	};
}
