/** Buildium's instances of the shared routing hooks, referenced by the generated descriptions. */
import {
	keepMatching,
	listItems,
	pagedRequest,
	presignedDownload,
	presignedUpload,
	requiredJsonBody,
	responseCheck,
	simplifyOutput,
	singleRequest,
	unwrapProperty,
} from '../../common/transport';
import { buildiumProfile } from './profile';

export const check = responseCheck(buildiumProfile);
export const list = listItems(buildiumProfile);
export const paged = pagedRequest(buildiumProfile);
export const pagedBy = (style: string) => pagedRequest(buildiumProfile, style);
export const single = singleRequest(buildiumProfile);
export const uploadFile = presignedUpload(buildiumProfile);
export const downloadFile = presignedDownload(buildiumProfile);
export { keepMatching as keep, requiredJsonBody as jsonBody, simplifyOutput as simplify, unwrapProperty as unwrap };
