// The interview WebSocket (services/gateway/protocol.py): typed events, a conversation reducer, and a
// socket that reconnects with backoff. The server keeps the transcript, so after a reconnect the page
// reloads it over REST; typed answers sent while the socket is down wait in a queue and go out on reconnect.
import type { Problem, TranscriptEntry } from "./types";

export interface TranscriptEvent { type: "transcript"; role: "user"; text: string; is_final: boolean; turn_id: string }
export interface LlmChunkEvent { type: "llm_chunk"; text: string; turn_id: string }
export interface AssistantCompleteEvent {
  type: "assistant_complete"; role: "assistant"; text: string; turn_id: string; phase?: string; interrupted?: boolean;
}
export interface TurnMetricsEvent { type: "turn_metrics"; turn_id: string; [stage: string]: number | string }
export interface ErrorEvent { type: "error"; code: string; message: string; turn_id?: string }
export type InterviewerState = "listening" | "thinking" | "speaking";
export interface StateEvent { type: "state"; state: InterviewerState }
export interface ProblemEvent { type: "problem"; problem: Problem }
export interface PongEvent { type: "pong" }
export interface InterruptedEvent { type: "interrupted"; turn_id: string; source: "client" | "speech" }

export type ServerEvent =
  | TranscriptEvent | LlmChunkEvent | AssistantCompleteEvent | TurnMetricsEvent | ErrorEvent
  | StateEvent | ProblemEvent | PongEvent | InterruptedEvent;

export type ClientMessage =
  | { type: "text"; text: string }
  | { type: "interrupt"; turn_id?: string }
  | { type: "ping" }
  | { type: "speech_start" }
  | { type: "speech_end" }
  | { type: "code_run"; submission_id: string };

const EVENT_TYPES = new Set([
  "transcript", "llm_chunk", "assistant_complete", "turn_metrics", "error", "state", "problem", "pong", "interrupted",
]);

/** One text frame to an event; null for anything that is not a known event (it is ignored, never thrown). */
export function parseServerEvent(raw: string): ServerEvent | null {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof data !== "object" || data === null) return null;
  const type = (data as { type?: unknown }).type;
  if (typeof type !== "string" || !EVENT_TYPES.has(type)) return null;
  const d = data as Record<string, unknown>;
  const str = (k: string) => typeof d[k] === "string";
  switch (type) {
    case "transcript":
      return str("text") && str("turn_id") && typeof d.is_final === "boolean" ? (data as TranscriptEvent) : null;
    case "llm_chunk":
    case "assistant_complete":
      return str("text") && str("turn_id") ? (data as ServerEvent) : null;
    case "state":
      return d.state === "listening" || d.state === "thinking" || d.state === "speaking" ? (data as StateEvent) : null;
    case "problem":
      return typeof d.problem === "object" && d.problem !== null && typeof (d.problem as { id?: unknown }).id === "string"
        ? (data as ProblemEvent)
        : null;
    case "error":
      return str("code") && str("message") ? (data as ErrorEvent) : null;
    case "interrupted":
      return str("turn_id") ? (data as InterruptedEvent) : null;
    case "turn_metrics":
      return str("turn_id") ? (data as TurnMetricsEvent) : null;
    default:
      return data as PongEvent;
  }
}

// --- the conversation, as the transcript panel shows it -------------------------------------------------

export interface Message {
  key: string;
  role: "assistant" | "user";
  text: string;
  turnId: string;
  done: boolean;
  interrupted: boolean;
}

export interface Conversation {
  messages: Message[];
  state: InterviewerState;
  metrics: Record<string, Record<string, number>>; // turn id -> stage -> ms
  lastMetricsTurn: string | null;
}

export const emptyConversation: Conversation = { messages: [], state: "listening", metrics: {}, lastMetricsTurn: null };

function upsert(messages: Message[], key: string, make: () => Message, change: (m: Message) => Message): Message[] {
  const i = messages.findIndex((m) => m.key === key);
  if (i < 0) return [...messages, change(make())];
  const next = messages.slice();
  next[i] = change(messages[i]!);
  return next;
}

const userKey = (turnId: string) => `user:${turnId}`;
const assistantKey = (turnId: string) => `assistant:${turnId}`;

export function reduceConversation(c: Conversation, e: ServerEvent): Conversation {
  switch (e.type) {
    case "transcript": {
      const make = (): Message => ({ key: userKey(e.turn_id), role: "user", text: "", turnId: e.turn_id, done: false, interrupted: false });
      return { ...c, messages: upsert(c.messages, userKey(e.turn_id), make, (m) => (m.done ? m : { ...m, text: e.text, done: e.is_final })) };
    }
    case "llm_chunk": {
      const make = (): Message => ({ key: assistantKey(e.turn_id), role: "assistant", text: "", turnId: e.turn_id, done: false, interrupted: false });
      return { ...c, messages: upsert(c.messages, assistantKey(e.turn_id), make, (m) => (m.done ? m : { ...m, text: m.text + e.text })) };
    }
    case "assistant_complete": {
      const make = (): Message => ({ key: assistantKey(e.turn_id), role: "assistant", text: "", turnId: e.turn_id, done: false, interrupted: false });
      return {
        ...c,
        messages: upsert(c.messages, assistantKey(e.turn_id), make, (m) => ({ ...m, text: e.text, done: true, interrupted: Boolean(e.interrupted) || m.interrupted })),
      };
    }
    case "interrupted":
      return {
        ...c,
        messages: c.messages.map((m) => (m.key === assistantKey(e.turn_id) ? { ...m, interrupted: true } : m)),
      };
    case "state":
      return { ...c, state: e.state };
    case "turn_metrics": {
      const stages: Record<string, number> = {};
      for (const [k, v] of Object.entries(e)) if (typeof v === "number") stages[k] = v;
      return { ...c, metrics: { ...c.metrics, [e.turn_id]: stages }, lastMetricsTurn: e.turn_id };
    }
    default:
      return c;
  }
}

/** The stored transcript (after a reconnect or a reload), keeping what is still in flight on top. */
export function withTranscript(c: Conversation, entries: TranscriptEntry[]): Conversation {
  const stored: Message[] = entries.map((t) => ({
    key: t.role === "user" ? userKey(t.turn_id) : assistantKey(t.turn_id),
    role: t.role,
    text: t.text,
    turnId: t.turn_id,
    done: true,
    interrupted: Boolean(t.interrupted),
  }));
  const keys = new Set(stored.map((m) => m.key));
  // Several user entries may share a turn id (rare); keep them all, each with its own key.
  const seen = new Map<string, number>();
  for (const m of stored) {
    const n = seen.get(m.key) ?? 0;
    seen.set(m.key, n + 1);
    if (n > 0) m.key = `${m.key}#${n}`;
  }
  // What the socket brought that the stored transcript does not hold yet (in flight, or newer).
  const inFlight = c.messages.filter((m) => !keys.has(m.key));
  return { ...c, messages: [...stored, ...inFlight] };
}

// --- the socket -------------------------------------------------------------------------------------

export type SocketStatus = "connecting" | "open" | "reconnecting" | "closed" | "failed";

export interface SocketLike {
  binaryType: string;
  readyState: number;
  onopen: ((ev: Event) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  send(data: string | ArrayBuffer | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
}

export interface InterviewSocketOptions {
  url: string;
  onEvent: (event: ServerEvent) => void;
  onAudio: (wav: ArrayBuffer) => void;
  onStatus: (status: SocketStatus, detail: { attempt: number; reconnected: boolean; reason?: string }) => void;
  createSocket?: (url: string) => SocketLike;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  maxAttempts?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export const CLOSE_UNKNOWN_SESSION = 4404;
const OPEN = 1;

export function backoffDelay(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
}

export class InterviewSocket {
  private socket: SocketLike | null = null;
  private attempt = 0;
  private everOpened = false;
  private stopped = false;
  private timer: unknown = null;
  private queue: ClientMessage[] = [];
  private readonly o: Required<Omit<InterviewSocketOptions, "createSocket">> & { createSocket: (url: string) => SocketLike };

  constructor(options: InterviewSocketOptions) {
    this.o = {
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      initialBackoffMs: 500,
      maxBackoffMs: 8000,
      maxAttempts: 12,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      ...options,
    };
  }

  get connected(): boolean {
    return this.socket !== null && this.socket.readyState === OPEN;
  }

  get pending(): number {
    return this.queue.length;
  }

  connect(): void {
    this.stopped = false;
    this.open();
  }

  private open(): void {
    this.o.onStatus(this.everOpened ? "reconnecting" : "connecting", { attempt: this.attempt, reconnected: false });
    const ws = this.o.createSocket(this.o.url);
    ws.binaryType = "arraybuffer";
    this.socket = ws;
    ws.onopen = () => {
      const reconnected = this.everOpened;
      this.everOpened = true;
      this.attempt = 0;
      this.o.onStatus("open", { attempt: 0, reconnected });
      const queued = this.queue;
      this.queue = [];
      for (const m of queued) this.send(m);
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (typeof ev.data === "string") {
        const event = parseServerEvent(ev.data);
        if (event) this.o.onEvent(event);
      } else if (ev.data instanceof ArrayBuffer) {
        this.o.onAudio(ev.data);
      }
    };
    ws.onclose = (ev: CloseEvent) => {
      if (this.socket !== ws) return;
      this.socket = null;
      if (this.stopped) {
        this.o.onStatus("closed", { attempt: 0, reconnected: false });
        return;
      }
      if (ev.code === CLOSE_UNKNOWN_SESSION) {
        this.stopped = true;
        this.o.onStatus("failed", { attempt: this.attempt, reconnected: false, reason: "This interview session does not exist." });
        return;
      }
      this.attempt += 1;
      if (this.attempt > this.o.maxAttempts) {
        this.stopped = true;
        this.o.onStatus("failed", { attempt: this.attempt, reconnected: false, reason: "The connection to the interview server was lost." });
        return;
      }
      const delay = backoffDelay(this.attempt, this.o.initialBackoffMs, this.o.maxBackoffMs);
      this.o.onStatus("reconnecting", { attempt: this.attempt, reconnected: false, reason: `retrying in ${Math.round(delay / 100) / 10} s` });
      this.timer = this.o.setTimer(() => {
        this.timer = null;
        if (!this.stopped) this.open();
      }, delay);
    };
    ws.onerror = () => {
      // A close event always follows; reconnection is decided there.
    };
  }

  /** Sends a message; while disconnected, answers and code-run notices wait for the next connection
   * (an interrupt or a hint is only meaningful now, so it is dropped). Returns whether it went out now. */
  send(message: ClientMessage): boolean {
    if (this.socket && this.socket.readyState === OPEN) {
      this.socket.send(JSON.stringify(message));
      return true;
    }
    if (message.type === "text" || message.type === "code_run") this.queue.push(message);
    return false;
  }

  sendAudio(pcm: ArrayBuffer): boolean {
    if (this.socket && this.socket.readyState === OPEN) {
      this.socket.send(pcm);
      return true;
    }
    return false;
  }

  /** Reconnect now (a user's "retry"), resetting the attempts. */
  retry(): void {
    if (this.timer !== null) this.o.clearTimer(this.timer);
    this.timer = null;
    this.attempt = 0;
    this.stopped = false;
    if (!this.socket) this.open();
  }

  close(): void {
    this.stopped = true;
    if (this.timer !== null) this.o.clearTimer(this.timer);
    this.timer = null;
    const ws = this.socket;
    this.socket = null;
    if (ws) ws.close(1000, "client closed");
    this.o.onStatus("closed", { attempt: 0, reconnected: false });
  }
}

export function interviewSocketUrl(sessionId: string, loc: { protocol: string; host: string } = window.location): string {
  const scheme = loc.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${loc.host}/ws/interview/${encodeURIComponent(sessionId)}`;
}
