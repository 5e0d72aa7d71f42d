import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AdmZip from 'adm-zip';

const MANIFEST_DIR = join(__dirname, 'manifest');

/** What goes into the app package. */
export interface PackageOptions {
  /** The Azure Bot's Microsoft App ID (a GUID): the manifest's `id` and `botId`. */
  readonly appId: string;
  /** The app version (semver); defaults to package.json's. */
  readonly version?: string;
  /** The host that serves /api/messages (e.g. `bot.example.com`), for `validDomains`. */
  readonly botDomain?: string;
  /** Where to write the zip; defaults to `adapters/teams/manifest/study-companion.zip`. */
  readonly out?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEMVER = /^\d+\.\d+\.\d+$/;

/**
 * The manifest with its placeholders filled: `${{MicrosoftAppId}}`, `${{APP_VERSION}}`,
 * `${{BOT_DOMAIN}}` (dropped from `validDomains` when not given). Throws with a fix-it
 * message for a missing or malformed value, or a placeholder left unfilled.
 */
export function buildManifest(options: PackageOptions): Record<string, unknown> {
  if (!GUID.test(options.appId))
    throw new Error(`MicrosoftAppId must be the Azure Bot's app id (a GUID), got "${options.appId}".`);
  const version =
    options.version ??
    (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string })
      .version;
  if (!SEMVER.test(version))
    throw new Error(
      `The app version must be semver like 1.0.0 (Teams accepts no pre-release tags), got "${version}".`,
    );
  const template = readFileSync(join(MANIFEST_DIR, 'manifest.template.json'), 'utf8');
  const values: Record<string, string> = {
    MicrosoftAppId: options.appId,
    APP_VERSION: version,
    BOT_DOMAIN: options.botDomain ?? '',
  };
  const filled = template.replace(
    /\$\{\{(\w+)\}\}/g,
    (placeholder, name: string) => values[name] ?? placeholder,
  );
  const left = /\$\{\{(\w+)\}\}/.exec(filled);
  if (left) throw new Error(`manifest.template.json has a placeholder nobody fills: ${left[0]}`);
  const manifest = JSON.parse(filled) as { validDomains: string[] } & Record<string, unknown>;
  manifest.validDomains = manifest.validDomains.filter(Boolean);
  return manifest;
}

/** Builds the Teams app package (manifest.json + the two icons) and returns where it was written. */
export function buildAppPackage(options: PackageOptions): string {
  const out = options.out ?? join(MANIFEST_DIR, 'study-companion.zip');
  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(`${JSON.stringify(buildManifest(options), null, 2)}\n`));
  zip.addFile('color.png', readFileSync(join(MANIFEST_DIR, 'color.png')));
  zip.addFile('outline.png', readFileSync(join(MANIFEST_DIR, 'outline.png')));
  zip.writeZip(out);
  return out;
}

// `npm run teams:package -- <app id> [bot domain]`, or MicrosoftAppId / BOT_DOMAIN in the environment.
if (require.main === module) {
  const appId = process.argv[2] ?? process.env.MicrosoftAppId;
  const botDomain = process.argv[3] ?? process.env.BOT_DOMAIN;
  if (!appId) {
    console.error(
      'Set MicrosoftAppId (the Azure Bot app id) or run: npm run teams:package -- <app id> [bot.example.com]',
    );
    process.exit(1);
  }
  try {
    console.log(`wrote ${buildAppPackage({ appId, ...(botDomain ? { botDomain } : {}) })}`);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
