/**
 * Group commit: concurrent callers' requests, queued while the previous group is being written, go to the
 * database together in ONE transaction, so N callers pay for one BEGIN … COMMIT (and one WAL flush) instead of
 * N. Each caller still gets its own outcome, and its promise settles only after that transaction has committed
 * (or failed: then every caller in the group gets the failure, since nothing of the group was written).
 *
 * Requests are grouped by a key (the ledger uses database + tenant + actor + date: what one transaction and its
 * audit event must share). A group is sent when it reaches `maxSize`, or else on the next turn of the event loop
 * once fewer than `maxInFlight` groups of that key are being written: nothing waits on a timer when the
 * database is idle, and under load the queue fills while the previous group commits. No clock decides what a
 * group holds beyond that, so tests that submit N requests in one turn get one group of N.
 */

export type GroupOutcome<R> = { ok: true; result: R } | { ok: false; error: unknown };

export type GroupCommitOptions = {
  /** The most requests written in one transaction. */
  maxSize: number;
  /** How many groups of one key may be written at once (on different connections). */
  maxInFlight: number;
};

type Waiting<Q, R> = { request: Q; resolve: (r: R) => void; reject: (e: unknown) => void };

type Lane<C, Q, R> = { context: C; queue: Waiting<Q, R>[]; inFlight: number; scheduled: boolean };

export class GroupCommitter<C, Q, R> {
  readonly #lanes = new Map<string, Lane<C, Q, R>>();
  readonly #options: GroupCommitOptions;
  readonly #write: (context: C, requests: Q[]) => Promise<GroupOutcome<R>[]>;

  /**
   * `write` makes one group in one transaction and returns one outcome per request, in order; it throws if the
   * transaction failed (nothing written), and then every request of the group is rejected with that error.
   */
  constructor(
    write: (context: C, requests: Q[]) => Promise<GroupOutcome<R>[]>,
    options: Partial<GroupCommitOptions> = {},
  ) {
    this.#write = write;
    this.#options = { maxSize: options.maxSize ?? 64, maxInFlight: options.maxInFlight ?? 2 };
    if (!(this.#options.maxSize >= 1 && this.#options.maxInFlight >= 1))
      throw new Error("group commit: maxSize and maxInFlight must be at least 1");
  }

  /** Queues one request under `key`; `context` is used for the group it joins (the same for one key). */
  submit(key: string, context: C, request: Q): Promise<R> {
    let lane = this.#lanes.get(key);
    if (!lane) {
      lane = { context, queue: [], inFlight: 0, scheduled: false };
      this.#lanes.set(key, lane);
    }
    const promise = new Promise<R>((resolve, reject) => lane.queue.push({ request, resolve, reject }));
    this.#pump(key, lane);
    return promise;
  }

  #pump(key: string, lane: Lane<C, Q, R>) {
    const { maxSize, maxInFlight } = this.#options;
    while (lane.queue.length >= maxSize && lane.inFlight < maxInFlight) this.#send(key, lane);
    if (lane.queue.length > 0 && lane.inFlight < maxInFlight && !lane.scheduled) {
      // Let the rest of this turn's callers join before sending.
      lane.scheduled = true;
      setImmediate(() => {
        lane.scheduled = false;
        if (lane.queue.length > 0 && lane.inFlight < maxInFlight) this.#send(key, lane);
      });
    }
  }

  #send(key: string, lane: Lane<C, Q, R>) {
    const group = lane.queue.splice(0, this.#options.maxSize);
    lane.inFlight++;
    const done = () => {
      lane.inFlight--;
      if (lane.queue.length > 0) this.#pump(key, lane);
      else if (lane.inFlight === 0 && !lane.scheduled) this.#lanes.delete(key);
    };
    this.#write(
      lane.context,
      group.map((w) => w.request),
    ).then(
      (outcomes) => {
        group.forEach((w, i) => {
          const o = outcomes[i];
          if (!o) w.reject(new Error("group commit: no outcome for a request"));
          else if (o.ok) w.resolve(o.result);
          else w.reject(o.error);
        });
        done();
      },
      (error: unknown) => {
        for (const w of group) w.reject(error);
        done();
      },
    );
  }
}
