/** Test-run setup: the tests that spawn `bin/sessiondeck.mjs` run the CLI built from these sources. */
import { execFileSync } from 'node:child_process';

export default function buildCli(): void {
  execFileSync(process.execPath, ['bin/build-cli.mjs'], { stdio: 'inherit' });
}
