import { config as loadDotenv } from 'dotenv';
import { devToken, loadOrCreateDevKey } from '../auth/dev-identity';
import { ROLES, type Role } from '../auth/permissions';
import { loadConfig } from '../config';

// npm run token -- assistant|director|producer: a 24 h token that the local server (no issuer) accepts.
function main(role: string | undefined): void {
  if (!role || !Object.hasOwn(ROLES, role)) {
    console.error(`usage: npm run token -- ${Object.keys(ROLES).join('|')}`);
    process.exit(2);
  }
  loadDotenv({ quiet: true });
  const config = loadConfig(process.env);
  if (config.env === 'production') throw new Error('NODE_ENV=production never accepts development tokens');
  if (config.auth) {
    console.error(
      `note: an issuer is configured (${config.auth.issuerBaseURL}), so the server will refuse this token; unset ISSUER_BASE_URL and AUDIENCE to use it`,
    );
  }
  console.log(devToken(role as Role, loadOrCreateDevKey(config.devKeyFile)));
}

try {
  main(process.argv[2]);
} catch (err) {
  console.error(`token: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
