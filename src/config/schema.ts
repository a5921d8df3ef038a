import { z } from 'zod';
import { loadSection } from './sections/load.ts';
import { outputSection } from './sections/output.ts';
import { requestFields } from './sections/request.ts';
import { serverSection } from './sections/server.ts';
import { simSection } from './sections/sim.ts';
import { snapshotSection } from './sections/snapshot.ts';
import { telemetrySection } from './sections/telemetry.ts';

// The one configuration schema. A file may be an old request config (its six fields at the top
// level), a settings file with sections, or both. Unknown keys are errors.
export const configSchema = z.strictObject({
  ...requestFields,
  server: serverSection,
  load: loadSection,
  output: outputSection,
  snapshot: snapshotSection,
  sim: simSection,
  telemetry: telemetrySection,
});

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
