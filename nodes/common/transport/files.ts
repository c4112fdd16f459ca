/**
 * Two-step file transfers through presigned URLs (Buildium): the API answers an upload request with
 * `{UploadUrl, Headers}` where the bytes must be PUT, and a download request with `{DownloadUrl}`. These postReceive
 * steps do the second step with n8n binary data. The presigned host gets no vendor credentials.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteSingleFunctions,
	type IN8nHttpFullResponse,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import type { VendorProfile } from './profile';

type PostReceiveFn = (
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
) => Promise<INodeExecutionData[]>;

async function transfer(this: IExecuteSingleFunctions, profile: VendorProfile, what: string, run: () => Promise<IN8nHttpFullResponse>) {
	let response: IN8nHttpFullResponse;
	try {
		response = await run();
	} catch (error) {
		throw new NodeApiError(this.getNode(), { message: (error as Error).message } as JsonObject, {
			message: `${profile.name}: the file ${what} failed`,
			description: (error as Error).message,
		});
	}
	if (response.statusCode >= 400) {
		throw new NodeApiError(this.getNode(), { message: `HTTP ${response.statusCode}` } as JsonObject, {
			message: `${profile.name}: the file ${what} was refused (HTTP ${response.statusCode})`,
			description: 'The presigned URL may have expired (about 5 minutes): run the node again.',
			httpCode: String(response.statusCode),
		});
	}
	return response;
}

/** Sends the input item's binary field (node parameter `binaryPropertyName`) to the presigned `UploadUrl`. */
export function presignedUpload(profile: VendorProfile): PostReceiveFn {
	return async function (this: IExecuteSingleFunctions, items) {
		const ticket = items[0]?.json ?? {};
		const url = ticket.UploadUrl;
		if (typeof url !== 'string' || !url) {
			throw new NodeOperationError(this.getNode(), `${profile.name} did not return an upload URL`);
		}
		const field = this.getNodeParameter('binaryPropertyName', 'data') as string;
		const binary = this.helpers.assertBinaryData(field);
		const buffer = await this.helpers.getBinaryDataBuffer(field);
		const headers: IDataObject = { 'Content-Type': 'application/octet-stream', ...((ticket.Headers as IDataObject) ?? {}) };
		await transfer.call(this, profile, 'upload', async () =>
			(await this.helpers.httpRequest({
				method: 'PUT',
				url,
				body: buffer,
				headers,
				json: false,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})) as IN8nHttpFullResponse,
		);
		// The upload URL is a short-lived secret-bearing link: keep the file facts, not the link.
		const { UploadUrl, Headers, ...rest } = ticket;
		return [{ json: { ...rest, uploaded: true, fileName: binary.fileName, bytes: buffer.length } }];
	};
}

/** Fetches the presigned `DownloadUrl` into the output binary field (node parameter `binaryPropertyName`). */
export function presignedDownload(profile: VendorProfile): PostReceiveFn {
	return async function (this: IExecuteSingleFunctions, items) {
		const url = items[0]?.json?.DownloadUrl;
		if (typeof url !== 'string' || !url) {
			throw new NodeOperationError(this.getNode(), `${profile.name} did not return a download URL`);
		}
		const response = await transfer.call(this, profile, 'download', async () =>
			(await this.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'arraybuffer',
				json: false,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})) as IN8nHttpFullResponse,
		);
		const disposition = String(response.headers?.['content-disposition'] ?? '');
		const fileName = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1] ?? decodeURIComponent(new URL(url).pathname.split('/').pop() || 'file');
		const mimeType = String(response.headers?.['content-type'] ?? '') || undefined;
		const field = this.getNodeParameter('binaryPropertyName', 'data') as string;
		const buffer = Buffer.from(response.body as ArrayBuffer);
		const data = await this.helpers.prepareBinaryData(buffer, fileName, mimeType);
		return [{ json: { fileName, mimeType, bytes: buffer.length }, binary: { [field]: data } }];
	};
}
