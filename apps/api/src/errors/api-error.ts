// Base of the errors a route throws on purpose: the status code they answer with and a message meant for users.
export abstract class ApiError extends Error {
  abstract readonly statusCode: number;
}
