import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import AdmZip from 'adm-zip';
import { buildAppPackage } from '../../adapters/teams/package-app';
import { pngSize } from '../../adapters/teams/png';

const APP_ID = '3f2b6c1e-9d4a-4c8e-a1b2-0c9d8e7f6a5b';

/** RGBA pixels of a PNG written without filters (what make-icons writes). */
function pixels(png: Buffer): Buffer[] {
  const { width, height } = pngSize(png);
  const idat = png.subarray(33 + 8, png.length - 12 - 4);
  const raw = inflateSync(idat);
  const out: Buffer[] = [];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      out.push(raw.subarray(y * (width * 4 + 1) + 1 + x * 4, y * (width * 4 + 1) + 5 + x * 4));
  return out;
}

describe('Teams app package', () => {
  const dir = mkdtempSync(join(tmpdir(), 'teams-pkg-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('zips manifest.json and both icons at the sizes Teams requires', () => {
    const zipPath = buildAppPackage({
      appId: APP_ID,
      botDomain: 'bot.example.com',
      out: join(dir, 'app.zip'),
    });
    const zip = new AdmZip(zipPath);
    expect(
      zip
        .getEntries()
        .map((e) => e.entryName)
        .sort(),
    ).toEqual(['color.png', 'manifest.json', 'outline.png']);

    const color = zip.readFile('color.png')!;
    const outline = zip.readFile('outline.png')!;
    expect(pngSize(color)).toEqual({ width: 192, height: 192 });
    expect(pngSize(outline)).toEqual({ width: 32, height: 32 });
    // The outline icon is white on transparent only.
    const outlinePixels = pixels(outline);
    expect(outlinePixels.every((p) => p[3] === 0 || (p[0] === 255 && p[1] === 255 && p[2] === 255))).toBe(
      true,
    );
    expect(outlinePixels.some((p) => p[3] === 255)).toBe(true);
    expect(outlinePixels.some((p) => p[3] === 0)).toBe(true);

    const manifest = JSON.parse(zip.readAsText('manifest.json'));
    for (const field of [
      '$schema',
      'manifestVersion',
      'version',
      'id',
      'developer',
      'name',
      'description',
      'icons',
      'accentColor',
    ]) {
      expect(manifest).toHaveProperty(field);
    }
    expect(manifest.$schema).toContain('/v1.19/MicrosoftTeams.schema.json');
    expect(manifest.manifestVersion).toBe('1.19');
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.developer).toEqual(
      expect.objectContaining({
        name: expect.any(String),
        websiteUrl: expect.stringMatching(/^https:/),
        privacyUrl: expect.stringMatching(/^https:/),
        termsOfUseUrl: expect.stringMatching(/^https:/),
      }),
    );
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
    expect(manifest.accentColor).toMatch(/^#[0-9A-Fa-f]{6}$/);
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(manifest.bots[0].scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    for (const list of manifest.bots[0].commandLists) {
      expect(list.commands.length).toBeLessThanOrEqual(10);
      for (const c of list.commands) {
        expect(c.title.length).toBeLessThanOrEqual(32);
        expect(c.description.length).toBeLessThanOrEqual(128);
      }
    }
    expect(manifest.validDomains).toEqual(['bot.example.com', 'token.botframework.com']);
    expect(JSON.stringify(manifest)).not.toContain('${{');
  });

  it('refuses an app id that is not a GUID, with a fix-it message', () => {
    expect(() => buildAppPackage({ appId: 'my-bot', out: join(dir, 'x.zip') })).toThrow(/GUID/);
  });
});
