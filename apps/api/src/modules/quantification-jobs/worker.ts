import type { Db } from "@lutetia/db";
import type { Logger } from "../../shared/logger";
import type { ObjectStorage } from "../../storage/storage";
import { JobRunner } from "./jobs.service";
import { JobFailure } from "./quantify";

/**
 * In-process worker: polls the job table, runs one job at a time, heartbeats while running
 * (progress %), re-queues stale RUNNING jobs on start and periodically (a job whose worker died
 * is picked up again after `staleMs`). Stop waits for the running job to finish its step.
 */
export class JobWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private stopping = false;
  private lastStaleCheck = 0;

  constructor(
    private readonly deps: { db: Db; storage: ObjectStorage; logger: Logger; pollMs: number; staleMs: number; heartbeatMs?: number },
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    this.stopping = false;
    const n = await JobRunner.requeueStale(this.deps.db, this.deps.staleMs);
    if (n) this.deps.logger.info({ requeued: n }, "stale quantification jobs re-queued");
    this.lastStaleCheck = Date.now();
    this.schedule(0);
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().then(() => undefined, () => undefined).finally(() => {
        this.running = null;
        this.schedule(this.deps.pollMs);
      });
    }, ms);
  }

  /** Processes due jobs until none is left (also used by tests to drain the queue). */
  async tick(): Promise<number> {
    let done = 0;
    if (Date.now() - this.lastStaleCheck > this.deps.staleMs) {
      this.lastStaleCheck = Date.now();
      await JobRunner.requeueStale(this.deps.db, this.deps.staleMs).catch(() => 0);
    }
    for (;;) {
      if (this.stopping) return done;
      const job = await JobRunner.claim(this.deps.db);
      if (!job) return done;
      done++;
      let progress = 0;
      const hbMs = this.deps.heartbeatMs ?? Math.max(500, Math.floor(this.deps.staleMs / 4));
      const hb = setInterval(() => void JobRunner.heartbeat(this.deps.db, job.id, progress).catch(() => undefined), hbMs);
      try {
        await JobRunner.run(this.deps.db, this.deps.storage, job, (f) => {
          progress = Math.max(progress, Math.min(0.99, f));
        });
        this.deps.logger.info({ jobId: job.id }, "quantification job succeeded");
      } catch (e) {
        const permanent = e instanceof JobFailure;
        this.deps.logger.warn({ jobId: job.id, permanent, err: e instanceof Error ? e.message : String(e) }, "quantification job failed");
        await JobRunner.fail(this.deps.db, job, e instanceof Error ? e.message : String(e), permanent).catch(() => undefined);
      } finally {
        clearInterval(hb);
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
