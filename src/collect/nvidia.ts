/**
 * What the NVIDIA driver says about itself in files, so that a machine without a GPU never runs
 * `nvidia-smi`, and one whose container lacks NVIDIA's utilities still records the driver.
 */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The kernel module's own description of itself, where the driver is loaded. */
const PROC_VERSION = 'proc/driver/nvidia/version';

/** An NVIDIA GPU is there when the driver made its device node or its /proc entry. */
export async function nvidiaDevicePresent(root: string): Promise<boolean> {
  for (const path of ['dev/nvidia0', PROC_VERSION]) {
    try {
      await access(join(root, path));
      return true;
    } catch {
      // not this one
    }
  }
  return false;
}

/**
 * The driver version from `/proc/driver/nvidia/version` (under `root`), the number nvidia-smi
 * prints as `Driver Version`. Its first line reads
 * `NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.104.05  Thu Jul 13 …` (or `… Open Kernel
 * Module for x86_64  550.54.14  Release Build …`). Undefined without the file or that line.
 */
export async function nvidiaDriverFromProc(root: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(join(root, PROC_VERSION), 'utf8');
  } catch {
    return undefined; // no driver loaded, or not Linux
  }
  return /^NVRM version:.*?\s(\d+\.\d+(?:\.\d+)?)(?:\s|$)/m.exec(text)?.[1];
}

/** `nvidia-smi` prints `Driver Version: 535.104.05   CUDA Version: 12.2` in its banner. */
export function parseNvidiaSmi(output: string): Record<string, string> | undefined {
  const driver = /Driver Version:\s*([\d.]+)/.exec(output)?.[1];
  const cuda = /CUDA Version:\s*([\d.]+)/.exec(output)?.[1];
  const found: Record<string, string> = {};
  if (driver) found['nvidia-driver'] = driver;
  if (cuda) found.cuda = cuda;
  return Object.keys(found).length > 0 ? found : undefined;
}
