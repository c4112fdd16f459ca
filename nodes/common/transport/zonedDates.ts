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
import { DateTime, IANAZone } from 'luxon';

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

/**
 * Offsets per zone, of whole months and then of whole days without a DST change ('' = there is a change inside: look
 * closer), keyed by number (year × 16 + month, then that × 32 + day). Most months have none, so a large response
 * costs two offset look-ups per month it spans.
 */
interface ZoneOffsets {
	zone: IANAZone;
	/** Whole years without a change (years before DST, or without it): one look-up for twelve months. */
	years: Map<number, string>;
	months: Map<number, string>;
	days: Map<number, string>;
	/** Hours of the days with a change ('' = the change is inside that hour). */
	hours: Map<number, string>;
}
const zoneOffsets = new Map<string, ZoneOffsets>();
const SPAN_CACHE_LIMIT = 100_000;

function offsetsOf(zone: string): ZoneOffsets {
	let offsets = zoneOffsets.get(zone);
	if (offsets === undefined) {
		offsets = { zone: IANAZone.create(zone), years: new Map(), months: new Map(), days: new Map(), hours: new Map() };
		zoneOffsets.set(zone, offsets);
	}
	return offsets;
}

/**
 * The offset of a span (a month or a day, its first and last second read as wall times like any text) when it has one
 * throughout, else ''. A midnight the clock skips (zones that change at 00:00, e.g. America/Santiago) comes back moved
 * forward, and a repeated one as its first occurrence: either way that span has a change.
 */
function steadyOffset(start: DateTime, end: DateTime): string {
	return start.isValid && end.isValid && start.hour === 0 && start.minute === 0 && start.offset === end.offset ? start.toFormat('ZZ') : '';
}

const HOUR = 3_600_000;
/** UTC midnight of a calendar day (any year: Date.UTC reads 0–99 as 1900–1999). */
function utcMidnight(year: number, month: number, day: number): number {
	const date = new Date(Date.UTC(2000, month - 1, day));
	date.setUTCFullYear(year);
	return date.getTime();
}

/**
 * The zone's offset when it is the same at every instant given, else undefined (also for an unknown zone): the caller
 * then asks luxon about the local span itself.
 */
function sameOffsetAt(offsets: ZoneOffsets, instants: number[]): string | undefined {
	if (!offsets.zone.isValid) return undefined;
	const a = offsets.zone.offset(instants[0]);
	if (!Number.isFinite(a)) return undefined;
	for (let i = 1; i < instants.length; i++) if (offsets.zone.offset(instants[i]) !== a) return undefined;
	return offsets.zone.formatOffset(instants[0], 'short');
}

/**
 * Instants around the local days [first, last] of a month: 15 hours before the first one starts in UTC and 15 hours
 * after the last one ends cover them whatever the offset (the wall clock is never more than 14 hours from UTC).
 */
const before = (year: number, month: number, day: number) => utcMidnight(year, month, day) - 15 * HOUR;
const after = (year: number, month: number, day: number) => utcMidnight(year, month, day) + 39 * HOUR;

/** The offset throughout the local days [first, last] of a month when it has one. */
function quickSteadyOffset(offsets: ZoneOffsets, year: number, month: number, first: number, last: number): string | undefined {
	return sameOffsetAt(offsets, [before(year, month, first), after(year, month, last)]);
}

/**
 * The same for a whole year, read at every month's start (as the months would be: a change and its way back inside
 * one month would be missed either way), so a year without DST costs 13 look-ups instead of 24.
 */
function quickSteadyYear(offsets: ZoneOffsets, year: number): string | undefined {
	return sameOffsetAt(offsets, [before(year, 1, 1), after(year, 12, 31), ...Array.from({ length: 11 }, (_, m) => before(year, m + 2, 1))]);
}

function remember(cache: Map<number, string>, key: number, offset: string): string {
	if (cache.size >= SPAN_CACHE_LIMIT) cache.clear();
	cache.set(key, offset);
	return offset;
}

function daysInMonth(year: number, month: number): number {
	if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The offset of a whole month (or of the day, in a month with a DST change); '' on the change day itself. */
function dayOffset(zone: string, year: number, month: number, day: number): string {
	const offsets = offsetsOf(zone);
	const monthKey = year * 16 + month;
	let yearly = offsets.years.get(year);
	if (yearly === undefined) yearly = remember(offsets.years, year, quickSteadyYear(offsets, year) ?? '');
	if (yearly) return yearly;
	let whole = offsets.months.get(monthKey);
	if (whole === undefined) {
		let offset = quickSteadyOffset(offsets, year, month, 1, daysInMonth(year, month));
		if (offset === undefined) {
			offset = steadyOffset(wallTime({ year, month, day: 1 }, zone), wallTime({ year, month, day: daysInMonth(year, month), hour: 23, minute: 59, second: 59 }, zone));
		}
		whole = remember(offsets.months, monthKey, offset);
	}
	if (whole) return whole;
	const dayKey = monthKey * 32 + day;
	const known = offsets.days.get(dayKey);
	if (known !== undefined) return known;
	return remember(
		offsets.days,
		dayKey,
		quickSteadyOffset(offsets, year, month, day, day) ??
			steadyOffset(wallTime({ year, month, day }, zone), wallTime({ year, month, day, hour: 23, minute: 59, second: 59 }, zone)),
	);
}

/**
 * On a day with a change, the offset of one of its hours when it has one throughout: its first and last second are
 * read as wall times the way the slow path reads any text (wallTime), and must keep their hour and lie 3 599 s apart.
 * The hour the clock skips or repeats is '' and goes through the slow path. (The days around a change: a large
 * property has dozens of timestamps on them, which each cost several time-zone look-ups otherwise.)
 */
function hourOffset(zone: string, year: number, month: number, day: number, hour: number): string {
	const offsets = offsetsOf(zone);
	const key = ((year * 16 + month) * 32 + day) * 24 + hour;
	const known = offsets.hours.get(key);
	if (known !== undefined) return known;
	const start = wallTime({ year, month, day, hour, minute: 0, second: 0 }, zone);
	const end = wallTime({ year, month, day, hour, minute: 59, second: 59 }, zone);
	const steady =
		start.isValid && end.isValid && start.day === day && start.hour === hour && start.minute === 0 && end.hour === hour && end.minute === 59 &&
		start.offset === end.offset && end.toMillis() - start.toMillis() === 3_599_000;
	return remember(offsets.hours, key, steady ? start.toFormat('ZZ') : '');
}

const pad = (n: string | undefined) => (n === undefined ? '00' : n);

/** Two ASCII digits at `i` as a number, -1 when they are not digits. */
function twoDigits(text: string, i: number): number {
	const a = text.charCodeAt(i) - 48;
	const b = text.charCodeAt(i + 1) - 48;
	return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The vendor's text (`MM/DD/YYYY[THH:MM[:SS]]`) as ISO 8601 with the zone's offset; undefined for other text. The two
 * forms a response is made of (`MM/DD/YYYY`, `MM/DD/YYYYTHH:MM:SS`) in a month without a DST change are read by
 * character and written in one allocation (the month's offset is cached); other forms go through the pattern, the
 * change days through luxon.
 */
export function fromZonedText(text: unknown, zone: string): string | undefined {
	if (typeof text !== 'string') return undefined;
	const length = text.length;
	if (length < 10 || length > 24 || text.charCodeAt(2) !== 47 || text.charCodeAt(5) !== 47) return undefined;
	if (length !== 10 && !(length === 19 && (text.charCodeAt(10) === 84 || text.charCodeAt(10) === 32) && text.charCodeAt(13) === 58 && text.charCodeAt(16) === 58)) {
		return zonedTextToIso(text, zone);
	}
	const month = twoDigits(text, 0);
	const day = twoDigits(text, 3);
	const century = twoDigits(text, 6);
	const yy = twoDigits(text, 8);
	if (month < 1 || month > 12 || day < 1 || century < 0 || yy < 0) return undefined;
	const year = century * 100 + yy;
	if (day > daysInMonth(year, month)) return undefined;
	let hour = 0;
	let minute = 0;
	let second = 0;
	if (length === 19) {
		hour = twoDigits(text, 11);
		minute = twoDigits(text, 14);
		second = twoDigits(text, 17);
		if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
	}
	let offset = dayOffset(zone, year, month, day);
	if (offset === '') offset = hourOffset(zone, year, month, day, hour);
	if (offset.length !== 6) return zonedTextToIso(text, zone); // the hour the clock skips or repeats
	// YYYY-MM-DDTHH:MM:SS±HH:MM in one allocation; a plain date takes its time from MIDNIGHT.
	const time = length === 19 ? text : MIDNIGHT;
	// prettier-ignore
	return String.fromCharCode(
		text.charCodeAt(6), text.charCodeAt(7), text.charCodeAt(8), text.charCodeAt(9), 45, text.charCodeAt(0), text.charCodeAt(1), 45,
		text.charCodeAt(3), text.charCodeAt(4), 84, time.charCodeAt(11), time.charCodeAt(12), 58, time.charCodeAt(14), time.charCodeAt(15), 58,
		time.charCodeAt(17), time.charCodeAt(18),
		offset.charCodeAt(0), offset.charCodeAt(1), offset.charCodeAt(2), offset.charCodeAt(3), offset.charCodeAt(4), offset.charCodeAt(5),
	);
}

/** Positions 11–18 hold the time of `MM/DD/YYYYTHH:MM:SS`: a plain date's is midnight. */
const MIDNIGHT = '00/00/0000T00:00:00';

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
		const name = isoCompanionName(key, suffix);
		if (iso !== undefined && !(name in (value as object))) out[name] = iso;
	}
	return out as T;
}

const companionNames = new Map<string, string>();
/** `createdOn` → `createdOnIso`: with the default suffix, one string per field name rather than one per record. */
export function isoCompanionName(key: string, suffix = 'Iso'): string {
	if (suffix !== 'Iso') return `${key}${suffix}`;
	let name = companionNames.get(key);
	if (name === undefined) {
		name = `${key}Iso`;
		if (companionNames.size >= 10_000) companionNames.clear();
		companionNames.set(key, name);
	}
	return name;
}

/** Epoch milliseconds of the vendor's date text (for comparing record timestamps); NaN when it is not one. */
export function zonedTextToMillis(text: unknown, zone: string): number {
	const iso = fromZonedText(text, zone);
	return iso ? DateTime.fromISO(iso).toMillis() : Number.NaN;
}
