// The querystring of a route that takes no parameter. Declared all the same, so that the strict validator
// refuses any parameter sent (400 naming it) instead of answering as if it had not been sent.
import { Type } from 'typebox';

export const NoQuerySchema = Type.Object({}, { additionalProperties: false });
