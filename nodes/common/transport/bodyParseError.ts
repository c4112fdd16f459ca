/** Thrown by a profile's `parseResponse` when the body does not parse: the transport reports a cut-off body. */
export class BodyParseError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'BodyParseError';
	}
}
