import type {
	IAuthenticateRuleResponseCode,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Base URL of the Entrata API for this credential: the override when set (proxies, the test simulator), otherwise the
 * API gateway (`https://apis.entrata.com/ext/orgs/<org>/v1`, API key) or the legacy host
 * (`https://<subdomain>.entrata.com/api/v1`, username and password). Services are paths below it (`/leads`).
 */
export const ENTRATA_GATEWAY_URL = 'https://apis.entrata.com/ext/orgs';
export const ENTRATA_BASE_URL =
	'={{ ($credentials.baseUrl || ($credentials.authMode === "basic" ? "https://" + $credentials.subdomain + ".entrata.com/api/v1" : "https://apis.entrata.com/ext/orgs/" + $credentials.organization + "/v1")).replace(/\\/+$/, "") }}';

/** Same rule as ENTRATA_BASE_URL, for programmatic requests (trigger) and tests. */
export function entrataBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const override = String(credentials.baseUrl || '');
	const base = override ||
		(credentials.authMode === 'basic'
			? `https://${String(credentials.subdomain)}.entrata.com/api/v1`
			: `${ENTRATA_GATEWAY_URL}/${String(credentials.organization)}/v1`);
	return base.replace(/\/+$/, '');
}

/** `auth.type` of the request envelope for this credential. */
export function entrataAuthType(credentials: ICredentialDataDecryptedObject): 'apikey' | 'basic' {
	return credentials.authMode === 'basic' ? 'basic' : 'apikey';
}

export class EntrataApi implements ICredentialType {
	name = 'entrataApi';

	displayName = 'Entrata API';

	icon: Icon = { light: 'file:../icons/entrata.svg', dark: 'file:../icons/entrata.dark.svg' };

	documentationUrl = 'https://docs.entrata.com/api/v1/documentation';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authMode',
			type: 'options',
			options: [
				{
					name: 'API Key (API Gateway)',
					value: 'apiKey',
					description: 'The gateway in use since 2025-03-31: apis.entrata.com, X-Api-Key header',
				},
				{
					name: 'Username and Password (Legacy)',
					value: 'basic',
					description: 'The legacy host <subdomain>.entrata.com with HTTP Basic authentication',
				},
			],
			default: 'apiKey',
		},
		{
			displayName: 'Organization',
			name: 'organization',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. acmeliving',
			description: 'Your Entrata client subdomain (the <org> in https://apis.entrata.com/ext/orgs/<org>/v1)',
			displayOptions: { show: { authMode: ['apiKey'] } },
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'From the Entrata developer portal. The organization must also enable the app under Apps → API Access, and allow n8n\'s outgoing IP address.',
			displayOptions: { show: { authMode: ['apiKey'] } },
		},
		{
			displayName: 'Subdomain',
			name: 'subdomain',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. acmeliving',
			description: 'The <subdomain> in https://<subdomain>.entrata.com',
			displayOptions: { show: { authMode: ['basic'] } },
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authMode: ['basic'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authMode: ['basic'] } },
		},
		{
			displayName: 'Response Format',
			name: 'format',
			type: 'options',
			options: [
				{ name: 'JSON', value: 'json' },
				{ name: 'XML', value: 'xml' },
			],
			default: 'json',
			description: 'The format requests and responses use on the wire. The node gives the same items either way.',
		},
		{
			displayName: 'Accept-Language',
			name: 'acceptLanguage',
			type: 'options',
			options: [
				{ name: 'Default', value: '' },
				{ name: 'Chinese (China)', value: 'zh-CN' },
				{ name: 'English (Canada)', value: 'en-CA' },
				{ name: 'English (Ireland)', value: 'en-IE' },
				{ name: 'English (United Kingdom)', value: 'en-GB' },
				{ name: 'English (United States)', value: 'en-US' },
				{ name: 'French (France)', value: 'fr-FR' },
				{ name: 'Hindi (India)', value: 'hi-IN' },
				{ name: 'Spanish (Chile)', value: 'es-CL' },
				{ name: 'Spanish (Mexico)', value: 'es-MX' },
				{ name: 'Spanish (Peru)', value: 'es-PE' },
				{ name: 'Spanish (Spain)', value: 'es-ES' },
				{ name: 'Spanish (United States)', value: 'es-US' },
			],
			default: '',
			description: 'Language of the texts Entrata returns (sent as the Accept-Language header)',
		},
		{
			displayName: 'Processes Sharing This Key',
			name: 'processesSharingKey',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: 1,
			description:
				'Queue mode: how many n8n processes (main and workers) run workflows with this key at the same time. Each paces its requests to Entrata\'s reported rate limits divided by this number, so together they stay within them.',
		},
		{
			displayName: 'Base URL Override',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://apis.entrata.com/ext/orgs/acmeliving/v1',
			description: 'Leave empty to use the host for the authentication above. Set it to route requests through a proxy or to a local simulator.',
		},
	];

	// A function, not generic `{{$credentials…}}` headers (see RentEngineApi): the header depends on the mode, and the
	// request envelope's `auth.type` must match it.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const headers: IDataObject = { ...(requestOptions.headers ?? {}) };
		if (credentials.authMode === 'basic') {
			const token = Buffer.from(`${String(credentials.username)}:${String(credentials.password)}`).toString('base64');
			headers.Authorization = `Basic ${token}`;
		} else {
			headers['X-Api-Key'] = String(credentials.apiKey);
		}
		if (credentials.acceptLanguage) headers['Accept-Language'] = String(credentials.acceptLanguage);
		let body = requestOptions.body;
		const envelope = body as IDataObject | undefined;
		if (envelope && typeof envelope === 'object' && envelope.auth && typeof envelope.auth === 'object') {
			body = { ...envelope, auth: { ...(envelope.auth as IDataObject), type: entrataAuthType(credentials) } };
		}
		return { ...requestOptions, headers, body };
	}

	// getStatus is the cheapest method there is; it proves the key, the app's access and the caller's IP.
	test: ICredentialTestRequest = {
		request: {
			baseURL: ENTRATA_BASE_URL,
			url: '/status',
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
			body: { auth: { type: 'apikey' }, requestId: 'credential-test', method: { name: 'getStatus', version: 'r1', params: {} } },
		},
		// n8n's credential tester reads both kinds of rule from one list (status rules on an error response, body rules on
		// a 2xx); the type only declares lists of one kind.
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Entrata rejected the API key or the username and password (check them, and the organization or subdomain)',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The credential is valid, but this organization has not enabled the app: in Entrata go to Apps → API Access → Add API User, find the app and choose Enable Access',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'response.error.code',
					value: 113,
					message:
						"Entrata refused n8n's IP address: ask the organization to whitelist the outgoing IP address of your n8n server for the API",
				},
			},
		] as unknown as IAuthenticateRuleResponseCode[],
	};
}
