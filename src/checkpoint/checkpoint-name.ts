/** A note key name from a ledger origin: no spaces or '+', as signed notes require. */
export function checkpointKeyName(origin: string): string {
  return origin.replace(/[\s+]/g, '_');
}
