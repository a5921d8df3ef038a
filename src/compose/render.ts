import { ToolkitError } from '../core/errors.ts';
import { interpolate } from './interpolate.ts';
import type { StackPlan } from './plan.ts';

// Turns a base compose file (compose/<device>.yaml, one `server` template) into the stack `up` runs:
// one service per replica with its devices, and a gateway on the port when there are several. Pure.

/** A compose service (kept loose: Compose validates it). */
export type Service = Record<string, unknown>;
/** A compose file: services and any top-level keys. */
export interface ComposeFile {
  services: Record<string, Service>;
  [key: string]: unknown;
}

/** The image references to run: the server's, and the gateway's when the plan has one. */
export interface RenderImages {
  server: string;
  gateway?: string | undefined;
}

/** The compose file for a plan, from the base file's `server` template (and the gateway template). */
export function renderCompose(
  base: ComposeFile,
  plan: StackPlan,
  images: RenderImages,
  gatewayBase?: ComposeFile,
): ComposeFile {
  const template = base.services?.server;
  if (!template) {
    const old = base.services && 'server_0' in base.services;
    throw new ToolkitError(`compose/${plan.baseFile}.yaml has no \`server\` service to start from`, {
      code: 'COMPOSE_TEMPLATE',
      hint: old
        ? "this is the old framework's compose file (server_0 running a COMMAND script from ~/scripts), which launch cannot use: restore compose/ from git; launch reads the same variables"
        : 'keep a service named `server` in the compose file; launch renders its replicas from it',
    });
  }
  const vars = { ...plan.variables, IMAGE: images.server };
  const services: Record<string, Service> = {};
  let previous: string | undefined;
  for (const [index, replica] of plan.replicas.entries()) {
    const service = interpolate(template, vars) as Service;
    // Compiling servers start one after another: each waits until the one before is healthy.
    if (plan.sequential && previous) service.depends_on = { [previous]: { condition: 'service_healthy' } };
    previous = replica.service;
    if (replica.gpuIds) {
      service.deploy = {
        resources: {
          reservations: {
            devices: [{ driver: 'nvidia', device_ids: replica.gpuIds, capabilities: ['gpu'] }],
          },
        },
      };
    }
    if (replica.neuronDevices) {
      service.devices = replica.neuronDevices.map((d) => `${d}:${d}`);
      service.environment = {
        ...(service.environment as object),
        NEURON_RT_VISIBLE_CORES: replica.neuronCores,
      };
    }
    if (plan.gateway) delete service.ports;
    if (plan.metricsPort !== undefined) {
      // Triton's metrics port, on the bind address like the server's (replica r on metricsPort + r).
      const ports = (service.ports as string[] | undefined) ?? [];
      service.ports = [...ports, `${plan.bindAddress}:${plan.metricsPort + index}:8002`];
    }
    services[replica.service] = service;
  }
  if (plan.gateway) {
    const gateway = gatewayBase?.services?.gateway;
    if (!gateway || !images.gateway) {
      throw new ToolkitError(
        'several replicas need the gateway, but compose/gateway.yaml or its image is missing',
        {
          code: 'COMPOSE_TEMPLATE',
          hint: 'restore compose/gateway.yaml, or run one replica (REPLICAS=1)',
        },
      );
    }
    const upstreams = plan.replicas.map((r) => `${r.service}:8080`).join(',');
    services.gateway = interpolate(gateway, {
      ...plan.variables,
      GATEWAY_IMAGE: images.gateway,
      UPSTREAMS: upstreams,
    }) as Service;
  }
  const { services: _unused, ...rest } = base;
  return { ...rest, services };
}

/** The services `up` must see healthy. */
export function expectedServices(plan: StackPlan): string[] {
  return [...plan.replicas.map((r) => r.service), ...(plan.gateway ? ['gateway'] : [])];
}
