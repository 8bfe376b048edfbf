// Polls for the report while the server answers 404 `report_not_ready`, up to a time limit.
import { ApiError } from "./api";

export type PollOutcome<T> = { kind: "ready"; value: T } | { kind: "timeout" } | { kind: "error"; error: unknown } | { kind: "cancelled" };

export async function pollUntilReady<T>(
  fetchOnce: () => Promise<T>,
  opts: { intervalMs: number; timeoutMs: number; signal?: AbortSignal; sleep?: (ms: number) => Promise<void>; now?: () => number },
): Promise<PollOutcome<T>> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = opts.now ?? (() => Date.now());
  const deadline = now() + opts.timeoutMs;
  for (;;) {
    if (opts.signal?.aborted) return { kind: "cancelled" };
    try {
      return { kind: "ready", value: await fetchOnce() };
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404 && err.code === "report_not_ready")) return { kind: "error", error: err };
    }
    if (now() >= deadline) return { kind: "timeout" };
    await sleep(opts.intervalMs);
  }
}
