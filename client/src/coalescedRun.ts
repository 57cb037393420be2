/**
 * Runs an async job one at a time: calls that arrive while it runs coalesce
 * into one more run after it, so a burst of notifications costs two requests,
 * not twenty, and the last run always sees the latest state.
 */
export class CoalescedRun {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly job: () => Promise<void>) {}

  /** Starts the job, or asks the running one to go once more; resolves when no run is left. */
  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.job();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }
}
