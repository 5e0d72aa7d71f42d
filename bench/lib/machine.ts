import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

/** One line describing the machine a benchmark ran on: cores, CPU model, memory, Node. */
export function machine(): string {
  let model = cpus()[0]?.model ?? 'unknown CPU';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) model = line.split(':')[1]?.trim() ?? model;
  } catch {
    // not Linux: os.cpus() has the model
  }
  const gib = (totalmem() / 2 ** 30).toFixed(0);
  return `${cpus().length} cores (nproc), ${model}, ${gib} GiB RAM, Node ${process.version}, ${process.platform}`;
}
