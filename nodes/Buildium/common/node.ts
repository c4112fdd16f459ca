import type { INodeTypeDescription } from 'n8n-workflow';

import { BUILDIUM_BASE_URL } from '../../../credentials/BuildiumApi.credentials';
import { single } from './routing';

/**
 * What the Buildium nodes share. Buildium's 439 operations are split along its own tag groups (Rentals, Leasing,
 * Associations, Accounting, Maintenance, Administration) so that each node's description stays well under what
 * n8n's editor loads comfortably (≤ 300 kB; see test/unit/buildium.node.test.mjs).
 */
export const buildiumRequestDefaults: INodeTypeDescription['requestDefaults'] = {
	baseURL: BUILDIUM_BASE_URL,
	headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
};

/**
 * Every operation sets `send.paginate`, so each request goes through the shared transport (pacing at 10 requests
 * per second per key, 429 retry, error mapping); list operations override it with the pager.
 */
export const buildiumRequestOperations: INodeTypeDescription['requestOperations'] = { pagination: single };
