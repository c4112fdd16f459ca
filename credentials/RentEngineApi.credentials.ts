import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Base URL of the RentEngine Public API for this credential: the override when set (self-hosted
 * proxies, the test simulator), otherwise Production or Staging. Shared with the node's requests.
 */
export const RENTENGINE_PRODUCTION_URL = 'https://app.rentengine.io/api/public/v1';
export const RENTENGINE_STAGING_URL = 'https://staging-app.rentengine.io/api/public/v1';
export const RENTENGINE_BASE_URL = `={{ ($credentials.baseUrl || ($credentials.environment === "staging" ? "${RENTENGINE_STAGING_URL}" : "${RENTENGINE_PRODUCTION_URL}")).replace(/\\/+$/, "") }}`;

export class RentEngineApi implements ICredentialType {
	name = 'rentEngineApi';

	displayName = 'RentEngine API';

	icon: Icon = { light: 'file:../icons/rentengine.svg', dark: 'file:../icons/rentengine.dark.svg' };

	documentationUrl = 'https://docs.rentengine.io/openapi';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production' },
				{ name: 'Staging', value: 'staging' },
			],
			default: 'production',
		},
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Token from the RentEngine developer portal ("Create New API Key"). It carries the permissions of the user who created it.',
		},
		{
			displayName: 'Webhook Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for the RentEngine Trigger: the value RentEngine sends in the x-api-token header of its webhooks. Deliveries without it are rejected with 401.',
		},
		{
			displayName: 'Processes Sharing This Key',
			name: 'processesSharingKey',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: 1,
			description:
				'Queue mode: how many n8n processes (main and workers) run workflows with this API token at the same time. Each paces its requests to RentEngine\'s reported rate limit divided by this number, so together they stay within it.',
		},
		{
			displayName: 'Base URL Override',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://app.rentengine.io/api/public/v1',
			description:
				'Leave empty to use the environment above. Set it to route requests through a proxy or to a local simulator.',
		},
	];

	// A function rather than the generic `{{$credentials.apiToken}}` form: n8n evaluates a generic
	// form's expressions in its sandboxed expression runtime on every request (~2.4 ms each in n8n
	// 2.41, measured), and a Return All makes one request per 100 records.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.apiToken)}` },
		};
	}

	// A real authenticated call: one unit, so a wrong or revoked token fails the test.
	test: ICredentialTestRequest = {
		request: {
			baseURL: RENTENGINE_BASE_URL,
			url: '/units',
			method: 'GET',
			qs: { limit: 1, page_number: 0 },
		},
	};
}
