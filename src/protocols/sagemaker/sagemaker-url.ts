import { ToolkitError } from '../../core/errors.ts';

// `sagemaker://<endpoint-name>[?region=us-west-2]`: a SageMaker real-time endpoint. The request goes
// to the runtime API (InvokeEndpoint, or InvokeEndpointWithResponseStream when streamed) of the
// endpoint's region, or to an override (AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: tests, VPC endpoints). Pure.

/** A parsed sagemaker:// endpoint. */
export interface SageMakerEndpoint {
  name: string;
  /** From `?region=`; undefined: the SDK's region chain decides. */
  region: string | undefined;
}

const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** True for a sagemaker:// URL. */
export function isSageMakerUrl(url: string): boolean {
  return url.startsWith('sagemaker://');
}

/** Parses `sagemaker://<name>[?region=...]`; throws a ToolkitError naming the fix. */
export function parseSageMakerUrl(url: string): SageMakerEndpoint {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  // sagemaker: is not a special scheme, so the host keeps its case and the path is empty.
  const name = parsed?.protocol === 'sagemaker:' && !parsed.pathname ? parsed.hostname : '';
  if (!parsed || !NAME.test(name)) {
    throw new ToolkitError(`"${url}" is not a SageMaker endpoint URL`, {
      code: 'SAGEMAKER_BAD_URL',
      hint: 'write it as sagemaker://<endpoint-name>, optionally with ?region=us-east-1 (letters, digits and hyphens, up to 63)',
    });
  }
  return { name, region: parsed.searchParams.get('region') || undefined };
}

/** The runtime API's base URL for `region`, or the override. */
export function runtimeBaseUrl(region: string, override: string | undefined): string {
  return (override ?? `https://runtime.sagemaker.${region}.amazonaws.com`).replace(/\/+$/, '');
}

/** The invoke URL of `endpoint` on `base`: streamed replies use invocations-response-stream. */
export function invokeUrl(base: string, endpoint: string, stream: boolean): string {
  return `${base}/endpoints/${encodeURIComponent(endpoint)}/${stream ? 'invocations-response-stream' : 'invocations'}`;
}
