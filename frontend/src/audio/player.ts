// Plays the interviewer's WAV frames one after another, in the order they arrive, with no gap between them.
// `stop()` cuts playback at once (an interrupt); pieces still decoding when it is called are dropped.

export class SpeechPlayer {
  private context: AudioContext | null = null;
  private nextStart = 0;
  private sources = new Set<AudioBufferSourceNode>();
  private chain: Promise<void> = Promise.resolve();
  private generation = 0;

  constructor(private readonly onPlayingChange: (playing: boolean) => void = () => undefined) {}

  private ctx(): AudioContext {
    if (!this.context) this.context = new AudioContext();
    return this.context;
  }

  /** Whether the browser blocks sound until the user interacts with the page. */
  get blocked(): boolean {
    return this.context?.state === "suspended";
  }

  get playing(): boolean {
    return this.sources.size > 0;
  }

  async unlock(): Promise<void> {
    await this.ctx().resume();
  }

  enqueue(wav: ArrayBuffer): void {
    const generation = this.generation;
    const ctx = this.ctx();
    // Decode in order: each piece waits for the previous one, so sentences never overtake each other.
    this.chain = this.chain.then(async () => {
      let buffer: AudioBuffer;
      try {
        buffer = await ctx.decodeAudioData(wav.slice(0));
      } catch {
        return; // an unreadable piece is skipped; the text is on screen anyway
      }
      if (generation !== this.generation) return;
      const source = ctx.createBufferSource();
      source.buffer = buffer;
      source.connect(ctx.destination);
      const start = Math.max(ctx.currentTime + 0.02, this.nextStart);
      this.nextStart = start + buffer.duration;
      this.sources.add(source);
      if (this.sources.size === 1) this.onPlayingChange(true);
      source.onended = () => {
        this.sources.delete(source);
        if (this.sources.size === 0) this.onPlayingChange(false);
      };
      source.start(start);
    });
  }

  stop(): void {
    this.generation += 1;
    const had = this.sources.size > 0;
    for (const s of this.sources) {
      s.onended = null;
      try {
        s.stop();
      } catch {
        /* already stopped */
      }
    }
    this.sources.clear();
    this.nextStart = 0;
    if (had) this.onPlayingChange(false);
  }

  async close(): Promise<void> {
    this.stop();
    const ctx = this.context;
    this.context = null;
    if (ctx) await ctx.close().catch(() => undefined);
  }
}
