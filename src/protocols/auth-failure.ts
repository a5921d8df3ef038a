import type { FailureKind } from './types.ts';

// A 401 or 403 reply is a failure of kind `auth`: the endpoint wants credentials the run did not
// send (or refused those it sent). The message carries the fix.

/** What to change when an endpoint answers 401/403. */
export const AUTH_HINT =
  "the endpoint refused the request's credentials: set --api-key (OPENAI_API_KEY, load.api_key) " +
  "or --header 'Name: value' (load.headers); for sagemaker:// endpoints check the AWS credentials and region";

/** True for the statuses that mean missing or refused credentials. */
export function isAuthStatus(status: number): boolean {
  return status === 401 || status === 403;
}

/** The `auth` failure of a status, or undefined when the status is not 401/403. */
export function authFailure(status: number): { kind: FailureKind; message: string } | undefined {
  return isAuthStatus(status) ? { kind: 'auth', message: `HTTP ${status}; ${AUTH_HINT}` } : undefined;
}
