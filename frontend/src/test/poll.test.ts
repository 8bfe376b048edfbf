import { describe, expect, it } from "vitest";
import { ApiError } from "../lib/api";
import { pollUntilReady } from "../lib/poll";

const notReady = () => new ApiError(404, "report_not_ready", "not ready");

describe("pollUntilReady", () => {
  it("polls while the report is not ready, then returns it", async () => {
    let calls = 0;
    const sleeps: number[] = [];
    const outcome = await pollUntilReady(
      async () => {
        calls++;
        if (calls < 3) throw notReady();
        return "report";
      },
      { intervalMs: 100, timeoutMs: 10_000, sleep: async (ms) => void sleeps.push(ms) },
    );
    expect(outcome).toEqual({ kind: "ready", value: "report" });
    expect(sleeps).toEqual([100, 100]);
  });

  it("stops at the time limit", async () => {
    let t = 0;
    const outcome = await pollUntilReady(
      async () => {
        throw notReady();
      },
      { intervalMs: 1000, timeoutMs: 5000, now: () => t, sleep: async (ms) => void (t += ms) },
    );
    expect(outcome).toEqual({ kind: "timeout" });
    expect(t).toBe(5000);
  });

  it("reports any other error at once", async () => {
    const err = new ApiError(404, "session_not_found", "gone");
    const outcome = await pollUntilReady(
      async () => {
        throw err;
      },
      { intervalMs: 1, timeoutMs: 100 },
    );
    expect(outcome).toEqual({ kind: "error", error: err });
  });

  it("stops when cancelled", async () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = await pollUntilReady(async () => "x", { intervalMs: 1, timeoutMs: 100, signal: controller.signal });
    expect(outcome).toEqual({ kind: "cancelled" });
  });
});
