import type { IDataObject } from 'n8n-workflow';

/** What the shared transport needs to know about one vendor API. One object per vendor. */
export interface VendorProfile {
	/** Display name used in error messages, e.g. "RentEngine". */
	name: string;
	/** n8n credential type name, e.g. "rentEngineApi". */
	credentialType: string;
	/** How list endpoints page. Return All always uses `maxPageSize`. */
	paging: PageNumberPaging | OffsetPaging;
	/**
	 * Pulls the vendor's message/code out of an error body. Also called on 2xx bodies, because some
	 * vendors (Entrata) report failures inside HTTP 200; return undefined when the body is not an error.
	 */
	extractError(body: unknown, statusCode: number): VendorErrorInfo | undefined;
	/** Unwraps a list response into its records (bare array, `{data: [...]}`, …); undefined if not a list. */
	extractItems(body: unknown): IDataObject[] | undefined;
	retry?: Partial<RetryPolicy>;
}

export interface PageNumberPaging {
	style: 'pageNumber';
	pageParameter: string;
	sizeParameter: string;
	firstPage: number;
	maxPageSize: number;
}

export interface OffsetPaging {
	style: 'offset';
	offsetParameter: string;
	limitParameter: string;
	maxPageSize: number;
}

export interface VendorErrorInfo {
	message: string;
	code?: string | number;
	details?: string[];
}

export interface RetryPolicy {
	/** Retries after the first attempt (so maxRetries + 1 requests at most). */
	maxRetries: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** A server asking us to wait longer than this fails fast instead of blocking the execution. */
	maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: 5,
	baseDelayMs: 500,
	maxDelayMs: 20_000,
	maxRetryAfterMs: 60_000,
};
