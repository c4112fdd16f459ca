import {
	NodeApiError,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type INode,
	type IPollFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';

import {
	networkError,
	transportContext,
	truncatedResponseError,
	vendorResponseError,
	type HttpResponseLike,
} from './errors';
import { BodyParseError } from './bodyParseError';
import { pacingKey, sharingProcesses, throughBudget, type PacingTicket } from './pacing';
import type { VendorProfile } from './profile';
import { backoffDelayMs, resolvePolicy, withRetry, type RetryDecision } from './retry';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * Validates a full HTTP response: throws the vendor's error (also one hidden in a 2xx) or a
 * truncated-body error, otherwise returns the parsed body.
 */
export function checkResponse(node: INode, profile: VendorProfile, response: HttpResponseLike): unknown {
	const { statusCode, headers, body } = response;
	if (statusCode >= 400 || profile.extractError(body, statusCode) !== undefined) {
		throw vendorResponseError(node, profile, response);
	}
	// n8n's HTTP helper silently falls back to the raw text when a JSON body does not parse.
	if (typeof body === 'string' && body.length > 0 && /json/i.test(String(headers?.['content-type'] ?? ''))) {
		try {
			return JSON.parse(body) as unknown;
		} catch {
			throw truncatedResponseError(node, profile, statusCode);
		}
	}
	return body;
}

/**
 * Applies the profile's `parseResponse` (XML → objects, …) to a response as it arrived; a body that does not parse
 * is reported like a cut-off JSON body.
 */
export function parseVendorBody(
	node: INode,
	profile: VendorProfile,
	response: HttpResponseLike,
	credentials: ICredentialDataDecryptedObject,
): HttpResponseLike {
	if (!profile.parseResponse) return response;
	try {
		return { ...response, body: profile.parseResponse(response, credentials) };
	} catch (error) {
		throw error instanceof BodyParseError
			? truncatedResponseError(node, profile, response.statusCode)
			: new NodeOperationError(node, error as Error, { message: `${profile.name}: the response could not be read` });
	}
}

/** Whether a request may be repeated after a reset or a cut body: the profile's rule, else the HTTP verb. */
export function isIdempotentRequest(profile: VendorProfile, options: IHttpRequestOptions): boolean {
	if (profile.isIdempotent) return profile.isIdempotent(options);
	return IDEMPOTENT.has(String(options.method ?? 'GET').toUpperCase());
}

/**
 * n8n's HTTP helper wraps socket-level failures in a NodeApiError whose cause is the raw HTTP
 * client error (request config and auth headers included): rebuild those as clean network
 * errors. Everything else (our own errors, n8n's) passes through unchanged.
 */
export function normalizeTransportError(node: INode, profile: VendorProfile, error: unknown): unknown {
	if (transportContext(error) || error instanceof NodeOperationError) return error;
	const cause = (error as { cause?: { code?: unknown; isAxiosError?: unknown; request?: unknown } })?.cause;
	const isNetwork = Boolean(cause && (cause.code || cause.isAxiosError || cause.request));
	return isNetwork ? networkError(node, profile, error) : error;
}

/**
 * The retry rule shared by declarative and programmatic requests. `idempotent` overrides the verb's rule (an RPC read
 * sent with POST may be repeated).
 */
export function retryDecider(profile: VendorProfile, method: string, idempotent?: boolean) {
	const policy = resolvePolicy(profile.retry);
	const verb = method.toUpperCase();
	const repeatable = idempotent ?? IDEMPOTENT.has(verb);
	return (error: unknown, attempt: number): RetryDecision => {
		const context = transportContext(error);
		if (!context?.transient) return { retry: false, delayMs: 0 };
		const giveUp = (why: string): RetryDecision => {
			const apiError = error as NodeApiError;
			apiError.description = [apiError.description, why].filter(Boolean).join(' ');
			return { retry: false, delayMs: 0 };
		};
		if (context.incompleteResponse && !repeatable) {
			return giveUp(
				`Not retried automatically: the ${verb} may already have been applied by ${profile.name}; check before running it again.`,
			);
		}
		if (attempt >= policy.maxRetries) return giveUp(`Gave up after ${attempt + 1} attempts.`);
		if (context.retryAfterMs !== undefined && context.retryAfterMs > policy.maxRetryAfterMs) {
			return giveUp(`${profile.name} asked to wait ${Math.ceil(context.retryAfterMs / 1000)} s before retrying.`);
		}
		return { retry: true, delayMs: context.retryAfterMs ?? backoffDelayMs(attempt, policy) };
	};
}

type RequestContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IPollFunctions | IWebhookFunctions;

/**
 * Programmatic request (list search, triggers, polling) with the same auth, retry and error
 * mapping as the declarative operations.
 */
export async function vendorRequest<T = unknown>(
	this: RequestContext,
	profile: VendorProfile,
	options: IHttpRequestOptions,
	credentials?: ICredentialDataDecryptedObject,
): Promise<T> {
	return (await vendorResponse.call(this, profile, options, credentials)).body as T;
}

/**
 * Like vendorRequest, with the status and headers too (paging by headers). `known`: the credential when the caller has
 * read it already (a trigger checking a delivery, a list search building its URL); it is then not read again, neither
 * here nor by n8n's auth helper.
 */
export async function vendorResponse(
	this: RequestContext,
	profile: VendorProfile,
	options: IHttpRequestOptions,
	known?: ICredentialDataDecryptedObject,
): Promise<HttpResponseLike> {
	const node = this.getNode();
	const paced = Boolean(profile.rateLimit || profile.rateLimitHeaders);
	const hooked = Boolean(profile.prepareRequest || profile.parseResponse);
	const credentials = known ?? (paced || hooked ? ((await this.getCredentials(profile.credentialType)) as ICredentialDataDecryptedObject) : {});
	const decrypted = known ? { credentialsDecrypted: { id: 'resolved', name: profile.credentialType, type: profile.credentialType, data: known } } : undefined;
	let request: IHttpRequestOptions = {
		json: true,
		...options,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	if (profile.prepareRequest) request = profile.prepareRequest(request, credentials);
	let key = paced ? pacingKey(profile, credentials as IDataObject) : '';
	if (paced && profile.pacingScope) key = `${key}|${profile.pacingScope(request)}`;
	const ticket: PacingTicket = { key, processes: sharingProcesses(credentials as IDataObject) };
	const maxWaitMs = resolvePolicy(profile.retry).maxRetryAfterMs;
	const send = async () => {
		try {
			return (await this.helpers.httpRequestWithAuthentication.call(this, profile.credentialType, request, decrypted)) as HttpResponseLike;
		} catch (error) {
			throw normalizeTransportError(node, profile, error);
		}
	};
	return await withRetry(node, async () => {
		let response = paced ? await throughBudget(profile, ticket, maxWaitMs, send) : await send();
		response = parseVendorBody(node, profile, response, credentials);
		return { ...response, body: checkResponse(node, profile, response) };
	}, retryDecider(profile, request.method ?? 'GET', isIdempotentRequest(profile, request)));
}

export type { IDataObject };
