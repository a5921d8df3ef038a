import { loadConfig, NODE_REGION_CONFIG_FILE_OPTIONS, NODE_REGION_CONFIG_OPTIONS } from '@smithy/core/config';
import { type CredentialSource, defaultCredentials, RequestSigner } from './request-signer.ts';
import { invokeUrl, parseSageMakerUrl, runtimeBaseUrl } from './sagemaker-url.ts';

// Where a sagemaker:// request goes and how it is signed: the endpoint's invoke URL (streamed or
// not) and the signer of its region. Resolved once per endpoint URL (the region chain and the
// credential chain run once), then reused by every request.

/** Options of SageMaker routing. */
export interface SageMakerOptions {
  /** Runtime API base URL override (AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME): tests, VPC endpoints. */
  endpointUrl?: string | undefined;
  /** Default: the SDK's default credential chain. */
  credentials?: CredentialSource | undefined;
  /** Region when the URL has no ?region= (default: the SDK's region chain: AWS_REGION, profile). */
  region?: string | undefined;
}

/** One endpoint's invoke URLs and signer. */
export interface SageMakerRoute {
  invoke: URL;
  stream: URL;
  signer: RequestSigner;
}

/** Resolves sagemaker:// URLs to routes, caching routes per URL and signers per region. */
export class SageMakerRoutes {
  private readonly routes = new Map<string, Promise<SageMakerRoute>>();
  private readonly signers = new Map<string, RequestSigner>();
  private credentials: CredentialSource | undefined;

  private readonly options: SageMakerOptions;
  constructor(options: SageMakerOptions = {}) {
    this.options = options;
  }

  /** The route of `url`; rejects with a message naming the fix (bad URL, no region). */
  route(url: string): Promise<SageMakerRoute> {
    let found = this.routes.get(url);
    if (!found) {
      found = this.resolve(url);
      this.routes.set(url, found);
      // A failed resolution (no region yet) is retried on the next request.
      found.catch(() => this.routes.delete(url));
    }
    return found;
  }

  private async resolve(url: string): Promise<SageMakerRoute> {
    const endpoint = parseSageMakerUrl(url);
    const region = endpoint.region ?? this.options.region ?? (await chainRegion());
    if (!region) {
      throw new Error(`no AWS region for ${url}: add ?region=<region> to the URL, or set AWS_REGION`);
    }
    let signer = this.signers.get(region);
    if (!signer) {
      this.credentials ??= this.options.credentials ?? defaultCredentials();
      signer = new RequestSigner(region, this.credentials);
      this.signers.set(region, signer);
    }
    const base = runtimeBaseUrl(region, this.options.endpointUrl);
    return {
      invoke: new URL(invokeUrl(base, endpoint.name, false)),
      stream: new URL(invokeUrl(base, endpoint.name, true)),
      signer,
    };
  }
}

/** The SDK's region chain (AWS_REGION, then the shared config file's profile), or undefined. */
async function chainRegion(): Promise<string | undefined> {
  try {
    return await loadConfig(NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS)();
  } catch {
    return undefined;
  }
}
