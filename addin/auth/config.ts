/**
 * What the add-in is built for, fixed at build time (scripts/build.mjs replaces each
 * `process.env.LAND_SURVEY_ADDIN_*` below by its value with esbuild's `define`): the service
 * address and the Entra ID ids are never typed by users. Development modes exist only in a build
 * made with LAND_SURVEY_ADDIN_SIGN_IN=dev-keys or dev-issuer.
 */
export type SignInMode = 'entra' | 'dev-keys' | 'dev-issuer';

export interface AddinConfig {
  /** The functions' address; '' = the pane's own origin (addin/tools/serve.ts forwards /api). */
  apiUrl: string;
  signIn: SignInMode;
  /** Entra ID: the app registration's Application (client) ID and the tenant. */
  clientId: string;
  tenantId: string;
  /** The delegated scope asked for, e.g. `api://addin.example.com/<client id>/access_as_user`. */
  scope: string;
  /** dev-issuer only: the local test issuer's token endpoint base. */
  devIssuerUrl: string;
}

export function buildConfig(): AddinConfig {
  const mode = process.env.LAND_SURVEY_ADDIN_SIGN_IN;
  const clientId = process.env.LAND_SURVEY_ADDIN_CLIENT_ID ?? '';
  return {
    apiUrl: process.env.LAND_SURVEY_ADDIN_API_URL ?? '',
    signIn: mode === 'dev-keys' || mode === 'dev-issuer' ? mode : 'entra',
    clientId,
    tenantId: process.env.LAND_SURVEY_ADDIN_TENANT_ID ?? '',
    scope: process.env.LAND_SURVEY_ADDIN_SCOPE || `api://${clientId}/access_as_user`,
    devIssuerUrl: process.env.LAND_SURVEY_ADDIN_DEV_ISSUER_URL ?? '',
  };
}
