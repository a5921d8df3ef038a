// Which NeuronCores and device files each replica gets. NEURON_RT_VISIBLE_CORES uses the host's
// numbering (core c is on device floor(c / cores per device)), and a container sees only the
// /dev/neuron<N> files mapped into it, so every listed core must sit on a mapped device (AWS Neuron
// docs, "Cores": --device=/dev/neuron12 --device=/dev/neuron13 with NEURON_RT_VISIBLE_CORES=51,52). Pure.

/** One replica's Neuron share. */
export interface NeuronShare {
  /** NEURON_RT_VISIBLE_CORES: "4" or "4-5". */
  cores: string;
  /** Device files to map in, e.g. ["/dev/neuron2"]. */
  devices: string[];
}

/** Replica `index` of tensor-parallel size `tp`, over the host devices `deviceIds` (in order). */
export function neuronShare(
  index: number,
  tp: number,
  coresPerDevice: number,
  deviceIds: readonly number[],
): NeuronShare {
  // Cores are numbered over the devices in use; device k of the list holds cores k*cpd .. k*cpd+cpd-1
  // of that list, i.e. host cores deviceIds[k]*cpd + (0..cpd-1).
  const first = index * tp;
  const last = first + tp - 1;
  const hostCores: number[] = [];
  for (let c = first; c <= last; c++) {
    const device = deviceIds[Math.floor(c / coresPerDevice)];
    if (device === undefined)
      throw new RangeError(`core ${c} is beyond the ${deviceIds.length} devices in use`);
    hostCores.push(device * coresPerDevice + (c % coresPerDevice));
  }
  const devices = [...new Set(hostCores.map((c) => Math.floor(c / coresPerDevice)))].map(
    (d) => `/dev/neuron${d}`,
  );
  return { cores: formatCores(hostCores), devices };
}

/** "3" for one core, "2-5" for a contiguous run, else a comma list. */
export function formatCores(cores: readonly number[]): string {
  if (cores.length === 1) return String(cores[0]);
  const contiguous = cores.every((c, i) => i === 0 || c === cores[i - 1]! + 1);
  return contiguous ? `${cores[0]}-${cores[cores.length - 1]}` : cores.join(',');
}

/** The core numbers of a NEURON_RT_VISIBLE_CORES value ("1", "2-5", "1,3,4-5"). */
export function parseCores(value: string): number[] {
  const out: number[] = [];
  for (const part of value.split(',').map((s) => s.trim())) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!range) throw new TypeError(`not a NeuronCore list: "${value}"`);
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    for (let c = from; c <= to; c++) out.push(c);
  }
  return out;
}

/**
 * Problems with one container's mapping: a visible core on a device that is not mapped in, a
 * mapped device none of whose cores is used. Empty when the container can use exactly its cores.
 */
export function checkNeuronMapping(
  cores: string,
  devices: readonly string[],
  coresPerDevice: number,
): string[] {
  const mapped = new Set(devices.map((d) => Number(/\/dev\/neuron(\d+)$/.exec(d)?.[1] ?? Number.NaN)));
  const problems: string[] = [];
  const used = new Set<number>();
  for (const core of parseCores(cores)) {
    const device = Math.floor(core / coresPerDevice);
    used.add(device);
    if (!mapped.has(device)) problems.push(`core ${core} is on /dev/neuron${device}, which is not mapped in`);
  }
  for (const device of mapped) {
    if (!used.has(device)) problems.push(`/dev/neuron${device} is mapped in but none of its cores is used`);
  }
  return problems;
}
