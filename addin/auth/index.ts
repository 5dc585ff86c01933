/** The authenticator this build signs in with (addin/auth/config.ts). */
import { buildConfig } from './config';
import { entraAuthenticator } from './msal';
import { devIssuerAuthenticator, devKeyAuthenticator, type Authenticator } from './signin';

export function createAuthenticator(): Authenticator {
  // compared with the build-time constant itself, so that esbuild drops the development
  // authenticators from a production bundle (tests/addin/browser.test.ts checks it)
  if (process.env.LAND_SURVEY_ADDIN_SIGN_IN === 'dev-keys') return devKeyAuthenticator();
  if (process.env.LAND_SURVEY_ADDIN_SIGN_IN === 'dev-issuer') return devIssuerAuthenticator(buildConfig().devIssuerUrl);
  return entraAuthenticator(buildConfig());
}
