import { describe, expect, it } from "vitest";
import {
  CLOSE_UNKNOWN_SESSION,
  InterviewSocket,
  backoffDelay,
  emptyConversation,
  parseServerEvent,
  reduceConversation,
  withTranscript,
  type ServerEvent,
  type SocketLike,
  type SocketStatus,
} from "../lib/protocol";

class FakeSocket implements SocketLike {
  binaryType = "blob";
  readyState = 0;
  onopen: ((ev: Event) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  sent: (string | ArrayBuffer | ArrayBufferView)[] = [];
  constructor(readonly url: string) {}
  send(data: string | ArrayBuffer | ArrayBufferView) {
    if (this.readyState !== 1) throw new Error("not open");
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event("open"));
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code } as CloseEvent);
  }
  receive(data: string | ArrayBuffer) {
    this.onmessage?.({ data } as MessageEvent);
  }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const events: ServerEvent[] = [];
  const audio: ArrayBuffer[] = [];
  const statuses: { s: SocketStatus; reconnected: boolean; reason?: string }[] = [];
  const socket = new InterviewSocket({
    url: "ws://x/ws/interview/abc",
    onEvent: (e) => events.push(e),
    onAudio: (a) => audio.push(a),
    onStatus: (s, d) => statuses.push({ s, reconnected: d.reconnected, reason: d.reason }),
    createSocket: (url) => {
      const f = new FakeSocket(url);
      sockets.push(f);
      return f;
    },
    setTimer: (fn, ms) => {
      timers.push({ fn, ms });
      return timers.length;
    },
    clearTimer: () => undefined,
    initialBackoffMs: 500,
    maxBackoffMs: 4000,
    maxAttempts: 3,
  });
  return { socket, sockets, timers, events, audio, statuses };
}

describe("parseServerEvent", () => {
  it("reads every event type the server sends", () => {
    expect(parseServerEvent('{"type":"transcript","role":"user","text":"hi","is_final":false,"turn_id":"t1"}')).toMatchObject({ type: "transcript", is_final: false });
    expect(parseServerEvent('{"type":"state","state":"speaking"}')).toEqual({ type: "state", state: "speaking" });
    expect(parseServerEvent('{"type":"problem","problem":{"id":"two-sum","title":"Two Sum"}}')).toMatchObject({ type: "problem" });
    expect(parseServerEvent('{"type":"interrupted","turn_id":"t","source":"client"}')).toMatchObject({ type: "interrupted" });
    expect(parseServerEvent('{"type":"turn_metrics","turn_id":"t","speech_end_to_first_audio":812}')).toMatchObject({ speech_end_to_first_audio: 812 });
  });

  it("ignores what is not a known, well-formed event", () => {
    expect(parseServerEvent("not json")).toBeNull();
    expect(parseServerEvent("[1,2]")).toBeNull();
    expect(parseServerEvent('{"type":"mystery"}')).toBeNull();
    expect(parseServerEvent('{"type":"state","state":"dancing"}')).toBeNull();
    expect(parseServerEvent('{"type":"transcript","text":"x"}')).toBeNull();
    expect(parseServerEvent('{"type":"problem","problem":null}')).toBeNull();
  });
});

describe("reduceConversation", () => {
  it("turns partial transcripts into one final user message, then streams the reply", () => {
    let c = emptyConversation;
    const ev = (e: ServerEvent) => (c = reduceConversation(c, e));
    ev({ type: "transcript", role: "user", text: "I would", is_final: false, turn_id: "t1" });
    ev({ type: "transcript", role: "user", text: "I would use a hash map", is_final: false, turn_id: "t1" });
    expect(c.messages).toHaveLength(1);
    expect(c.messages[0]).toMatchObject({ role: "user", done: false, text: "I would use a hash map" });
    ev({ type: "transcript", role: "user", text: "I would use a hash map.", is_final: true, turn_id: "t1" });
    ev({ type: "transcript", role: "user", text: "late partial", is_final: false, turn_id: "t1" });
    expect(c.messages[0]).toMatchObject({ done: true, text: "I would use a hash map." });
    ev({ type: "llm_chunk", text: "Good. ", turn_id: "t1" });
    ev({ type: "llm_chunk", text: "Why?", turn_id: "t1" });
    expect(c.messages[1]).toMatchObject({ role: "assistant", text: "Good. Why?", done: false });
    ev({ type: "interrupted", turn_id: "t1", source: "speech" });
    ev({ type: "assistant_complete", role: "assistant", text: "Good.", turn_id: "t1", interrupted: true });
    expect(c.messages[1]).toMatchObject({ text: "Good.", done: true, interrupted: true });
    ev({ type: "state", state: "thinking" });
    expect(c.state).toBe("thinking");
    ev({ type: "turn_metrics", turn_id: "t1", speech_end_to_first_audio: 900 });
    expect(c.metrics.t1).toEqual({ speech_end_to_first_audio: 900 });
    expect(c.lastMetricsTurn).toBe("t1");
  });

  it("replaces the view with the stored transcript after a reconnect, keeping what is newer", () => {
    let c = reduceConversation(emptyConversation, { type: "llm_chunk", text: "Half a rep", turn_id: "t2" });
    c = withTranscript(c, [
      { role: "assistant", text: "Hello, tell me about yourself.", timestamp: "", turn_id: "start-x" },
      { role: "user", text: "I build APIs.", timestamp: "", turn_id: "t2" },
    ]);
    expect(c.messages.map((m) => [m.role, m.text, m.done])).toEqual([
      ["assistant", "Hello, tell me about yourself.", true],
      ["user", "I build APIs.", true],
      ["assistant", "Half a rep", false],
    ]);
  });
});

describe("InterviewSocket", () => {
  it("relays events and audio, and sends messages as JSON", () => {
    const h = harness();
    h.socket.connect();
    const s = h.sockets[0]!;
    expect(s.binaryType).toBe("arraybuffer");
    s.open();
    expect(h.statuses.at(-1)).toMatchObject({ s: "open", reconnected: false });
    s.receive('{"type":"state","state":"thinking"}');
    s.receive("garbage");
    s.receive(new Uint8Array([82, 73, 70, 70]).buffer);
    expect(h.events).toEqual([{ type: "state", state: "thinking" }]);
    expect(h.audio).toHaveLength(1);
    expect(h.socket.send({ type: "text", text: "hello" })).toBe(true);
    expect(s.sent).toEqual(['{"type":"text","text":"hello"}']);
    expect(h.socket.sendAudio(new ArrayBuffer(640))).toBe(true);
  });

  it("reconnects with growing delays and sends queued answers on reconnect", () => {
    const h = harness();
    h.socket.connect();
    h.sockets[0]!.open();
    h.sockets[0]!.drop();
    expect(h.statuses.at(-1)?.s).toBe("reconnecting");
    expect(h.timers[0]!.ms).toBe(500);
    // While down: the answer waits, an interrupt and audio are dropped.
    expect(h.socket.send({ type: "text", text: "my answer" })).toBe(false);
    expect(h.socket.send({ type: "interrupt" })).toBe(false);
    expect(h.socket.sendAudio(new ArrayBuffer(10))).toBe(false);
    expect(h.socket.pending).toBe(1);
    h.timers[0]!.fn();
    h.sockets[1]!.drop();
    expect(h.timers[1]!.ms).toBe(1000);
    h.timers[1]!.fn();
    h.sockets[2]!.open();
    expect(h.statuses.at(-1)).toMatchObject({ s: "open", reconnected: true });
    expect(h.sockets[2]!.sent).toEqual(['{"type":"text","text":"my answer"}']);
    expect(h.socket.pending).toBe(0);
  });

  it("gives up after the last attempt, and retry() starts again", () => {
    const h = harness();
    h.socket.connect();
    for (let i = 0; i < 4; i++) {
      h.sockets[i]!.drop();
      if (i < 3) h.timers[i]!.fn();
    }
    expect(h.statuses.at(-1)).toMatchObject({ s: "failed" });
    expect(h.sockets).toHaveLength(4);
    h.socket.retry();
    expect(h.sockets).toHaveLength(5);
  });

  it("does not reconnect to an unknown session (close code 4404)", () => {
    const h = harness();
    h.socket.connect();
    h.sockets[0]!.open();
    h.sockets[0]!.drop(CLOSE_UNKNOWN_SESSION);
    expect(h.statuses.at(-1)).toMatchObject({ s: "failed", reason: "This interview session does not exist." });
    expect(h.timers).toHaveLength(0);
  });

  it("does not reconnect after close()", () => {
    const h = harness();
    h.socket.connect();
    h.sockets[0]!.open();
    h.socket.close();
    h.sockets[0]!.drop();
    expect(h.timers).toHaveLength(0);
    expect(h.statuses.at(-1)?.s).toBe("closed");
  });

  it("caps the backoff", () => {
    expect([1, 2, 3, 4, 5, 9].map((a) => backoffDelay(a, 500, 4000))).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
  });
});
