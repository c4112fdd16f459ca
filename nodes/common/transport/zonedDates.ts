/**
 * Dates for APIs that speak one wall-clock zone in a fixed text format (Entrata: `MM/DD/YYYY` and
 * `MM/DD/YYYYTHH:MM:SS` in America/Denver). Two directions:
 *   - `toZonedText`: what a user gives n8n (an n8n date-time value, an ISO 8601 string, a luxon DateTime, a JS Date,
 *     or text already in the vendor format) → the vendor's text in its zone. An instant (offset or Z) is converted to
 *     the zone; a wall time without an offset is taken as the zone's own wall time.
 *   - `fromZonedText`: the vendor's text → an ISO 8601 string with the zone's offset of that moment.
 * DST, as luxon resolves it: a wall time in the spring-forward gap (02:30 on the second Sunday of March) does not
 * exist and moves forward by the gap (03:30 MDT); a wall time in the autumn overlap (01:30 on the first Sunday of
 * November happens twice) is read as the first occurrence, still daylight time (-06:00 in Denver), as java.time does.
 */
import { DateTime } from 'luxon';

export type ZonedFormat = 'date' | 'dateTime' | 'month';

const FORMATS: Record<ZonedFormat, string> = {
	date: 'MM/dd/yyyy',
	dateTime: "MM/dd/yyyy'T'HH:mm:ss",
	month: 'MM/yyyy',
};

/** Vendor text already: `03/10/2024`, `03/10/2024T14:05:00` (or with a space), `03/2024`. */
const VENDOR_TEXT = /^(\d{2})\/(\d{2})\/(\d{4})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const VENDOR_MONTH = /^(\d{2})\/(\d{4})$/;

/** A wall time in `zone`: the gap moves forward (luxon), an overlap resolves to its first (earlier) instant. */
export function wallTime(parts: { year: number; month: number; day: number; hour?: number; minute?: number; second?: number }, zone: string): DateTime {
	const dt = DateTime.fromObject(parts, { zone });
	if (!dt.isValid) return dt;
	const candidates = dt.getPossibleOffsets();
	return candidates.length > 1 ? candidates.reduce((a, b) => (b.toMillis() < a.toMillis() ? b : a)) : dt;
}

/** Parses a user-supplied date value into a DateTime in `zone`; undefined when it is not a date. */
export function parseUserDate(value: unknown, zone: string): DateTime | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (DateTime.isDateTime(value)) return value.setZone(zone);
	if (value instanceof Date) return DateTime.fromJSDate(value, { zone });
	if (typeof value === 'number') return DateTime.fromMillis(value, { zone });
	const text = String(value).trim();
	const vendor = VENDOR_TEXT.exec(text);
	if (vendor) {
		const [, mm, dd, yyyy, hh = '0', mi = '0', ss = '0'] = vendor;
		const dt = wallTime({ year: +yyyy, month: +mm, day: +dd, hour: +hh, minute: +mi, second: +ss }, zone);
		return dt.isValid ? dt : undefined;
	}
	const month = VENDOR_MONTH.exec(text);
	if (month) return DateTime.fromObject({ year: +month[2], month: +month[1], day: 1 }, { zone });
	// ISO 8601: an offset or Z makes it an instant; without one it is the zone's wall time (setZone keeps the offset).
	const iso = DateTime.fromISO(text, { setZone: true });
	if (!iso.isValid) {
		const http = DateTime.fromRFC2822(text, { zone });
		return http.isValid ? http.setZone(zone) : undefined;
	}
	const hasOffset = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(text) && /T|\d{2}:\d{2}/.test(text);
	if (hasOffset) return iso.setZone(zone);
	return wallTime({ year: iso.year, month: iso.month, day: iso.day, hour: iso.hour, minute: iso.minute, second: iso.second }, zone);
}

/** A user's date value as the vendor's text in `zone`; values that are not dates are returned unchanged. */
export function toZonedText(value: unknown, zone: string, format: ZonedFormat = 'date'): unknown {
	const dt = parseUserDate(value, zone);
	return dt ? dt.toFormat(FORMATS[format]) : value;
}

/** The vendor's text (`MM/DD/YYYY[THH:MM[:SS]]`) as ISO 8601 with the zone's offset; undefined for other text. */
/**
 * Offsets of whole months, then of whole days, without a DST change, by zone ('' = there is a change inside: look
 * closer). Most months have none, so a large response costs a few luxon calls per month it spans.
 */
const spanOffsets = new Map<string, string>();
const SPAN_CACHE_LIMIT = 100_000;

function spanOffset(key: string, bounds: () => [DateTime, DateTime]): string {
	let offset = spanOffsets.get(key);
	if (offset === undefined) {
		const [start, end] = bounds();
		offset = start.isValid && end.isValid && start.offset === end.offset ? start.toFormat('ZZ') : '';
		if (spanOffsets.size >= SPAN_CACHE_LIMIT) spanOffsets.clear();
		spanOffsets.set(key, offset);
	}
	return offset;
}

function daysInMonth(year: number, month: number): number {
	if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The offset of a whole month (or of the day, in a month with a DST change); '' on the change day itself. */
function dayOffset(zone: string, year: number, month: number, day: number): string {
	const whole = spanOffset(`${zone}|${year}-${month}`, () => {
		const first = DateTime.fromObject({ year, month, day: 1 }, { zone });
		return [first, first.endOf('month')];
	});
	if (whole) return whole;
	return spanOffset(`${zone}|${year}-${month}-${day}`, () => [
		DateTime.fromObject({ year, month, day, hour: 0 }, { zone }),
		DateTime.fromObject({ year, month, day, hour: 23, minute: 59, second: 59 }, { zone }),
	]);
}

const pad = (n: string | undefined) => (n === undefined ? '00' : n);

/**
 * The vendor's text (`MM/DD/YYYY[THH:MM[:SS]]`) as ISO 8601 with the zone's offset; undefined for other text. A date
 * in a month without a DST change costs a string concatenation (the month's offset is cached); the change days go
 * through luxon.
 */
export function fromZonedText(text: unknown, zone: string): string | undefined {
	if (typeof text !== 'string' || text.length < 10 || text.length > 24 || text.charCodeAt(2) !== 47 || text.charCodeAt(5) !== 47) return undefined;
	// Plain dates repeat across records (move-in dates, periods): remember them.
	if (text.length !== 10) return zonedTextToIso(text, zone);
	const key = `${zone}|${text}`;
	let iso = plainDates.get(key);
	if (iso === undefined) {
		iso = zonedTextToIso(text, zone) ?? '';
		if (plainDates.size >= SPAN_CACHE_LIMIT) plainDates.clear();
		plainDates.set(key, iso);
	}
	return iso || undefined;
}

const plainDates = new Map<string, string>();

function zonedTextToIso(text: string, zone: string): string | undefined {
	const m = VENDOR_TEXT.exec(text);
	if (!m) return undefined;
	const [, mm, dd, yyyy, hh, mi, ss] = m;
	const year = +yyyy;
	const month = +mm;
	const day = +dd;
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
	if (hh !== undefined && (+hh > 23 || +mi > 59 || +(ss ?? 0) > 59)) return undefined;
	const offset = dayOffset(zone, year, month, day);
	if (offset) return `${yyyy}-${mm}-${dd}T${pad(hh)}:${pad(mi)}:${pad(ss)}${offset}`;
	const dt = wallTime({ year, month, day, hour: hh ? +hh : 0, minute: mi ? +mi : 0, second: ss ? +ss : 0 }, zone);
	if (!dt.isValid) return undefined;
	return dt.toISO({ suppressMilliseconds: true }) ?? undefined;
}

/**
 * Adds `<key><suffix>` (ISO 8601 with offset) next to every string field holding the vendor's date text, at any depth
 * (arrays and nested objects included). Returns a new value; the input is not changed.
 */
export function withIsoCompanions<T>(value: T, zone: string, suffix = 'Iso'): T {
	if (Array.isArray(value)) return value.map((v) => withIsoCompanions(v, zone, suffix)) as unknown as T;
	if (!value || typeof value !== 'object' || DateTime.isDateTime(value)) return value;
	const out: Record<string, unknown> = {};
	for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
		out[key] = withIsoCompanions(v, zone, suffix);
		const iso = fromZonedText(v, zone);
		if (iso !== undefined && !(`${key}${suffix}` in (value as object))) out[`${key}${suffix}`] = iso;
	}
	return out as T;
}

/**
 * The ISO companion of one field, for code that walks records itself (one pass over a large response): the companion
 * key and value, or undefined when `value` is not the vendor's date text or the record already has that key.
 */
export function isoCompanion(record: Record<string, unknown>, key: string, value: unknown, zone: string, suffix = 'Iso'): [string, string] | undefined {
	if (typeof value !== 'string') return undefined;
	const iso = fromZonedText(value, zone);
	if (iso === undefined) return undefined;
	const name = `${key}${suffix}`;
	return name in record ? undefined : [name, iso];
}

/** Epoch milliseconds of the vendor's date text (for comparing record timestamps); NaN when it is not one. */
export function zonedTextToMillis(text: unknown, zone: string): number {
	const iso = fromZonedText(text, zone);
	return iso ? DateTime.fromISO(iso).toMillis() : Number.NaN;
}
