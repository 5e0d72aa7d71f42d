/**
 * Collects what would otherwise crash the test process (an unhandled rejection or an
 * uncaught exception) while installed, so a test can assert that there was none.
 */
export class CrashWatch {
  readonly crashes: unknown[] = [];
  private readonly onCrash = (err: unknown) => {
    this.crashes.push(err);
  };

  install(): void {
    process.on('unhandledRejection', this.onCrash);
    process.on('uncaughtException', this.onCrash);
  }

  uninstall(): void {
    process.off('unhandledRejection', this.onCrash);
    process.off('uncaughtException', this.onCrash);
  }
}
