import type { RecordOptions } from '../run/record.js';
import type { LedgerConfig } from './load.js';

/**
 * What a run records: the config file's lists with the run's own (flags, inputs) added, and the
 * run's single values where given, else the config's. The config's `store` is for the CLI, which
 * resolves it against its working directory.
 */
export function applyConfig(options: RecordOptions, config: LedgerConfig): RecordOptions {
  const lockfiles = [...(config.lockfiles ?? []), ...(options.lockfiles ?? [])];
  const ledgerName = options.ledgerName ?? config.ledger;
  const training = options.training ?? config.training;
  const dependencies = options.dependencies ?? config.dependencies;
  const policy = options.policy ?? config.policy;
  return {
    ...options,
    models: [...(config.models ?? []), ...(options.models ?? [])],
    datasets: [...(config.datasets ?? []), ...(options.datasets ?? [])],
    environmentVariables: [...(config.env ?? []), ...(options.environmentVariables ?? [])],
    ...(lockfiles.length === 0 ? {} : { lockfiles }),
    ...(ledgerName === undefined ? {} : { ledgerName }),
    ...(training === undefined ? {} : { training }),
    ...(dependencies === undefined ? {} : { dependencies }),
    ...(policy === undefined ? {} : { policy }),
    ...(config.lockfileSearch && !options.lockfileSearch ? { lockfileSearch: config.lockfileSearch } : {}),
  };
}
