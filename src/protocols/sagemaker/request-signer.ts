import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

// SigV4 signing of SageMaker runtime requests with the SDK's own signer (@smithy/signature-v4, the
// SDK's Sha256): one signer per region, reused for every request (it caches the signing key per
// day), credentials from the SDK's default chain (environment, profile, SSO, web identity, ECS,
// EC2 instance metadata), resolved once and refreshed by the chain when they expire.

/** Credentials, or a provider of them (default: the SDK's chain). */
export type CredentialSource = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/** What is signed: a POST with its body. */
export interface UnsignedRequest {
  url: URL;
  headers: Record<string, string>;
  body: string;
}

/** Signs requests for one region; `sign` returns the headers to send (host and signature included). */
export class RequestSigner {
  private readonly signer: SignatureV4;

  constructor(region: string, credentials: CredentialSource) {
    this.signer = new SignatureV4({ service: 'sagemaker', region, credentials, sha256: Sha256 });
  }

  /** The request's headers with host, x-amz-date, x-amz-content-sha256 and authorization added. */
  async sign(request: UnsignedRequest, signingDate?: Date): Promise<Record<string, string>> {
    const { url } = request;
    const signed = await this.signer.sign(
      {
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: url.pathname,
        query: {},
        headers: { ...request.headers, host: url.host },
        body: request.body,
      },
      signingDate ? { signingDate } : undefined,
    );
    return signed.headers as Record<string, string>;
  }
}

/** The SDK's default credential chain, memoised (one resolution, refreshed before expiry). */
export function defaultCredentials(): AwsCredentialIdentityProvider {
  return defaultProvider();
}
