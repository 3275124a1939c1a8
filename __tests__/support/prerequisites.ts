/**
 * What a test needs from the machine (a command, Chromium, Debian's python3 modules). On a user's
 * machine a missing one skips the tests that need it, with one line saying so; under CI=true it is
 * a failure — CI installs everything (.ci/run, .github/workflows/ci.yml), and a skip there would
 * hide a whole suite behind a green run.
 */
export function reportMissing(message: string): void {
  if (process.env.CI === 'true') {
    throw new Error(`${message} — and CI=true, where nothing may be skipped: .ci/run installs it`);
  }
  process.stderr.write(`${message}\n`);
}
