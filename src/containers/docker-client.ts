import Docker from 'dockerode';
import { ToolkitError } from '../core/errors.ts';

// One Docker Engine API client (dockerode); it honours DOCKER_HOST like the CLI does.
let shared: Docker | undefined;

/** The shared dockerode client. */
export function dockerClient(): Docker {
  shared ??= new Docker();
  return shared;
}

/** True when an image with this reference exists locally. */
export async function imageExists(reference: string, docker = dockerClient()): Promise<boolean> {
  try {
    await docker.getImage(reference).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

/** Fails with the fix when the Docker engine does not answer. */
export async function requireDocker(docker = dockerClient()): Promise<void> {
  try {
    await docker.ping();
  } catch (error) {
    throw new ToolkitError(`the Docker engine does not answer: ${(error as Error).message}`, {
      code: 'DOCKER_UNAVAILABLE',
      hint: 'start Docker (sudo systemctl start docker), check `docker info` works for this user, or set DOCKER_HOST',
      cause: error,
    });
  }
}
