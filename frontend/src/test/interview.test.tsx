// The interview page wired to a fake socket: the greeting, a typed answer, the interviewer's state, a
// `problem` event opening the coding panel, and a dropped socket shown and recovered.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";

vi.mock("../components/CodingPanel", () => ({
  default: (props: { problem: { title: string } }) => <div data-testid="coding-panel">{props.problem.title}</div>,
}));
vi.mock("../audio/mic", () => ({ Microphone: class {} }));

import { InterviewPage } from "../pages/InterviewPage";

class FakeWs {
  static all: FakeWs[] = [];
  binaryType = "blob";
  readyState = 0;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {
    FakeWs.all.push(this);
  }
  send(data: unknown) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  emit(event: object) {
    this.onmessage?.({ data: JSON.stringify(event) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({ code: 1006 });
  }
}

const session = {
  session_id: "s1",
  interview_type: "coding",
  interview_type_name: "Coding",
  candidate_name: "Ada",
  status: "active",
  created_at: new Date().toISOString(),
  started_at: null,
  ended_at: null,
  transcript: [],
  cv_filename: null,
  cv_analysis: null,
};
let stored: object[] = [];

beforeEach(() => {
  FakeWs.all = [];
  stored = [];
  vi.stubGlobal("WebSocket", FakeWs);
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string) => {
      if (url === "/api/sessions/s1") return new Response(JSON.stringify(session));
      if (url === "/api/interviews/s1/transcript") return new Response(JSON.stringify({ session_id: "s1", status: "active", transcript: stored }));
      return new Response(JSON.stringify({ error: { code: "not_found", message: "nope" } }), { status: 404 });
    }),
  );
  vi.stubGlobal("AudioContext", class { state = "running"; close = async () => undefined; });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe("InterviewPage", () => {
  it("shows the conversation, sends typed answers and opens a problem handed out by the interviewer", async () => {
    render(<InterviewPage sessionId="s1" />);
    await screen.findByText("Coding");
    const ws = FakeWs.all[0]!;
    expect(ws.url).toMatch(/\/ws\/interview\/s1$/);
    await act(async () => {
      ws.open();
      ws.emit({ type: "state", state: "thinking" });
      ws.emit({ type: "llm_chunk", text: "Hello Ada, ", turn_id: "start-s1" });
    });
    expect(screen.getByTestId("interviewer-state").textContent).toContain("Thinking");
    expect(screen.queryByTestId("message-assistant")).toBeNull(); // still streaming
    await act(async () => ws.emit({ type: "assistant_complete", role: "assistant", text: "Hello Ada, tell me about you.", turn_id: "start-s1" }));
    expect(screen.getByTestId("message-assistant").textContent).toContain("tell me about you");

    fireEvent.change(screen.getByTestId("text-input"), { target: { value: "I build compilers." } });
    fireEvent.click(screen.getByTestId("send"));
    expect(ws.sent).toEqual([JSON.stringify({ type: "text", text: "I build compilers." })]);
    await act(async () => ws.emit({ type: "transcript", role: "user", text: "I build compilers.", is_final: true, turn_id: "t1" }));
    expect(screen.getByTestId("message-user").textContent).toContain("I build compilers.");

    await act(async () =>
      ws.emit({ type: "problem", problem: { id: "anagram-check", title: "Scrambled Luggage Tags", templates: { python: "def f(): pass" } } }),
    );
    expect((await screen.findByTestId("coding-panel")).textContent).toBe("Scrambled Luggage Tags");

    await act(async () => ws.emit({ type: "turn_metrics", turn_id: "t1", speech_end_to_first_audio: 1500 }));
    expect(screen.getByTestId("turn-metrics").textContent).toContain("1.5 s");
  });

  it("shows a dropped connection, queues the answer and reloads the transcript on reconnect", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    render(<InterviewPage sessionId="s1" />);
    await screen.findByText("Coding");
    const first = FakeWs.all[0]!;
    await act(async () => first.open());
    await act(async () => first.drop());
    expect(screen.getByTestId("connection-status").textContent).toContain("reconnecting");
    fireEvent.change(screen.getByTestId("text-input"), { target: { value: "Still here." } });
    fireEvent.click(screen.getByTestId("send"));
    expect(screen.getByRole("alert").textContent).toContain("offline");
    stored = [{ role: "assistant", text: "Welcome back.", timestamp: "", turn_id: "start-s1" }];
    await act(async () => {
      vi.advanceTimersByTime(600);
    });
    const second = FakeWs.all[1]!;
    await act(async () => second.open());
    expect(second.sent).toEqual([JSON.stringify({ type: "text", text: "Still here." })]);
    expect(screen.queryByTestId("connection-status")).toBeNull();
    expect((await screen.findByTestId("message-assistant")).textContent).toContain("Welcome back.");
  });

  it("says so when the session does not exist", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify({ error: { code: "session_not_found", message: "No interview session with id 'zz'." } }), { status: 404 })));
    render(<InterviewPage sessionId="zz" />);
    expect((await screen.findByRole("alert")).textContent).toContain("No interview session with id 'zz'.");
    expect(FakeWs.all).toHaveLength(0);
  });
});
