/** The version the CLI writes into backup manifests: the package's own. */
import pkg from '../../package.json' with { type: 'json' };

export const APP_VERSION: string = pkg.version;
