// Protocol clients: send a WorkItem by its protocol and report what happened on the wire.
export { approximateTokens } from './approximate-tokens.ts';
export { AUTH_HINT, authFailure, isAuthStatus } from './auth-failure.ts';
export { createProtocolClient, type ProtocolClientOptions } from './client.ts';
export { type Protocol, protocolForUrl } from './detect.ts';
export {
  type BodySettings,
  type PreparedRequest,
  prepareBody,
  prepareRequest,
  requestUrl,
} from './prepare-body.ts';
export { isSageMakerUrl, parseSageMakerUrl } from './sagemaker/sagemaker-url.ts';
export type { Exchange, FailureKind, ProtocolClient, SendOptions } from './types.ts';
