export const ErrorCode = {
  badRequest: 'bad_request',
  invalidRequest: 'invalid_request',
  invalidJson: 'invalid_json',
  invalidQuery: 'invalid_query',
  unauthorized: 'unauthorized',
  insufficientPermission: 'insufficient_permission',
  notFound: 'not_found',
  methodNotAllowed: 'method_not_allowed',
  preconditionFailed: 'precondition_failed',
  payloadTooLarge: 'payload_too_large',
  unsupportedMediaType: 'unsupported_media_type',
  validationFailed: 'validation_failed',
  rateLimited: 'rate_limited',
  requestTimeout: 'request_timeout',
  internal: 'internal_error',
  databaseUnavailable: 'database_unavailable',
  authUnavailable: 'auth_unavailable',
  webAppNotBuilt: 'web_app_not_built',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export type ErrorDetail = { path: string; message: string };

export type ErrorBody = {
  success: false;
  error: number;
  message: string;
  code: string;
  details?: ErrorDetail[];
};

/** An error whose status, code and message are meant for the client; `cause`, for the log only. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers: Record<string, string> = {},
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

export const notFound = (message: string) => new HttpError(404, ErrorCode.notFound, message);

export const errorBody = (status: number, code: string, message: string, details?: ErrorDetail[]): ErrorBody => ({
  success: false,
  error: status,
  message,
  code,
  ...(details ? { details } : {}),
});
