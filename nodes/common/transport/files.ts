/**
 * Two-step file transfers through presigned URLs (Buildium): the API answers an upload request with
 * `{UploadUrl, Headers}` where the bytes must be PUT, and a download request with `{DownloadUrl}`. These postReceive
 * steps do the second step with n8n binary data. The presigned host gets no vendor credentials.
 */
import { randomBytes } from 'node:crypto';

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

/**
 * multipart/form-data for an S3 POST form: every `fields` entry first (S3 reads the policy before the file), then
 * the bytes as the `file` part.
 */
export function multipartForm(fields: IDataObject, file: Buffer, fileName: string, mimeType: string): { body: Buffer; contentType: string } {
	const boundary = `----n8nFormBoundary${randomBytes(12).toString('hex')}`;
	const quote = (text: string) => text.replace(/[\r\n"]/g, (c) => encodeURIComponent(c));
	const parts: Buffer[] = [];
	for (const [name, value] of Object.entries(fields)) {
		if (value === undefined || value === null) continue;
		parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${String(value)}\r\n`));
	}
	parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quote(fileName)}"\r\nContent-Type: ${mimeType}\r\n\r\n`));
	parts.push(file, Buffer.from(`\r\n--${boundary}--\r\n`));
	return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Sends the input item's binary field (node parameter `binaryPropertyName`) where the upload ticket says: a PUT of
 * the bytes to `UploadUrl` with every returned header, or (the older ticket, `{BucketUrl, FormData}`) a POST form
 * to `BucketUrl` with every FormData field and the bytes as `file`.
 */
export function presignedUpload(profile: VendorProfile): PostReceiveFn {
	return async function (this: IExecuteSingleFunctions, items) {
		const ticket = items[0]?.json ?? {};
		const url = ticket.UploadUrl;
		const form = typeof ticket.BucketUrl === 'string' && ticket.BucketUrl && ticket.FormData && typeof ticket.FormData === 'object';
		if ((typeof url !== 'string' || !url) && !form) {
			throw new NodeOperationError(this.getNode(), `${profile.name} did not return an upload URL`);
		}
		const field = this.getNodeParameter('binaryPropertyName', 'data') as string;
		const binary = this.helpers.assertBinaryData(field);
		const buffer = await this.helpers.getBinaryDataBuffer(field);
		await transfer.call(this, profile, 'upload', async () => {
			if (form) {
				const multipart = multipartForm(ticket.FormData as IDataObject, buffer, binary.fileName ?? 'file', binary.mimeType || 'application/octet-stream');
				return (await this.helpers.httpRequest({
					method: 'POST',
					url: ticket.BucketUrl as string,
					body: multipart.body,
					headers: { 'Content-Type': multipart.contentType },
					json: false,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
				})) as IN8nHttpFullResponse;
			}
			// The file's own type unless the ticket fixes one (then the presigned signature covers it).
			const headers: IDataObject = { 'Content-Type': binary.mimeType || 'application/octet-stream', ...((ticket.Headers as IDataObject) ?? {}) };
			return (await this.helpers.httpRequest({
				method: 'PUT',
				url: url as string,
				body: buffer,
				headers,
				json: false,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})) as IN8nHttpFullResponse;
		});
		// The upload URL (and the form's policy and signature) are short-lived secrets: keep the file facts, not them.
		const { UploadUrl, Headers, BucketUrl, FormData, ...rest } = ticket;
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
