import dns from 'node:dns';
import { isIP } from 'node:net';

/**
 * Refuses name lookups for anything but `localhost` while installed, and records the
 * names asked for: every server these tests talk to is on 127.0.0.1, so a lookup means
 * some input made the service (or an SDK) try to reach the outside. Tests assert that
 * `names` stays empty. Node's `net` reads `dns.lookup` at connect time, so this covers
 * `http`, `https`, `fetch` and the SDKs built on them.
 */
export class LoopbackGuard {
  readonly names: string[] = [];
  private original?: typeof dns.lookup;

  install(): this {
    const original = dns.lookup;
    this.original = original;
    const guarded = ((hostname: string, ...rest: unknown[]) => {
      const callback = rest[rest.length - 1] as (err: NodeJS.ErrnoException | null) => void;
      if (hostname === 'localhost' || isIP(hostname.replace(/^\[(.*)\]$/, '$1')))
        return (original as (...a: unknown[]) => void)(hostname, ...rest);
      this.names.push(hostname);
      const err: NodeJS.ErrnoException = new Error(
        `lookup of ${hostname} refused by the test's loopback guard`,
      );
      err.code = 'ENOTFOUND';
      process.nextTick(() => callback(err));
    }) as unknown as typeof dns.lookup;
    dns.lookup = guarded;
    return this;
  }

  uninstall(): void {
    if (this.original) dns.lookup = this.original;
  }
}
