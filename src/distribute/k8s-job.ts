import { stringify } from 'yaml';
import { type RunSpec, runnerArgs } from './run-spec.ts';

// A run as a Kubernetes Indexed Job: the config in a ConfigMap, N pods (completionMode Indexed, so
// each has JOB_COMPLETION_INDEX), results to S3 through the pod's IAM role (IRSA or EKS Pod Identity
// on its service account). Pure: objects and YAML; kubectl applies them.

/** Cluster-side choices. */
export interface K8sOptions {
  namespace: string;
  /** Service account bound to an IAM role that may write the S3 prefix. */
  serviceAccount: string | undefined;
  region: string | undefined;
  cpu: string;
  memory: string;
}

/** The ConfigMap and the Job, in apply order. */
export function indexedJob(spec: RunSpec, k8s: K8sOptions): Record<string, unknown>[] {
  const labels = { 'app.kubernetes.io/name': 'gait-load', 'gait/run': spec.name };
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${spec.name}-config`, namespace: k8s.namespace, labels },
    data: { [spec.configName]: spec.configText },
  };
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: spec.name, namespace: k8s.namespace, labels },
    spec: {
      completionMode: 'Indexed',
      completions: spec.shards,
      parallelism: spec.shards,
      // A retried shard would send its share twice: a failed pod is reported, not rerun.
      backoffLimit: 0,
      ttlSecondsAfterFinished: 86_400,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          ...(k8s.serviceAccount ? { serviceAccountName: k8s.serviceAccount } : {}),
          containers: [
            {
              name: 'runner',
              image: spec.image,
              args: [`/config/${spec.configName}`, ...runnerArgs(spec)],
              env: k8s.region ? [{ name: 'AWS_REGION', value: k8s.region }] : [],
              resources: {
                requests: { cpu: k8s.cpu, memory: k8s.memory },
                limits: { memory: k8s.memory },
              },
              volumeMounts: [{ name: 'config', mountPath: '/config', readOnly: true }],
            },
          ],
          volumes: [{ name: 'config', configMap: { name: `${spec.name}-config` } }],
        },
      },
    },
  };
  return [configMap, job];
}

/** The manifests as one multi-document YAML. */
export function manifestYaml(objects: readonly Record<string, unknown>[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}

/** kubectl commands: apply the manifest file, read the Job's status, delete it. */
export function kubectlCommands(spec: RunSpec, namespace: string, manifestFile: string) {
  return {
    apply: ['kubectl', 'apply', '-f', manifestFile],
    status: ['kubectl', 'get', 'job', spec.name, '-n', namespace, '-o', 'json'],
  };
}

/** From `kubectl get job -o json`: done (succeeded or failed pods count) or still running. */
export function jobProgress(json: string): { succeeded: number; failed: number; done: boolean } {
  const job = JSON.parse(json) as {
    spec?: { completions?: number };
    status?: { succeeded?: number; failed?: number; conditions?: { type: string; status: string }[] };
  };
  const succeeded = job.status?.succeeded ?? 0;
  const failed = job.status?.failed ?? 0;
  const finished = (job.status?.conditions ?? []).some(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
  return { succeeded, failed, done: finished || succeeded + failed >= (job.spec?.completions ?? 1) };
}
