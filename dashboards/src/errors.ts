/** Why a request to the collector's read API failed; `code` is stable, the UI branches on the class. */
export class ApiError extends Error {
  readonly code: string = 'FAULTLINE_UI_HTTP';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The API answered 401: no read token was sent, or the one sent was refused. */
export class UnauthorizedError extends ApiError {
  override readonly code = 'FAULTLINE_UI_UNAUTHORIZED';
  constructor(
    message: string,
    /** True when a token was sent and refused; false when none was configured in the browser. */
    readonly tokenSent: boolean,
  ) {
    super(message, 401);
    this.name = 'UnauthorizedError';
  }
}

/** The collector could not be reached at all (down, restarting, network gone). */
export class NetworkError extends Error {
  readonly code = 'FAULTLINE_UI_NETWORK';
  constructor(message: string) {
    super(message);
    this.name = 'NetworkError';
  }
}
