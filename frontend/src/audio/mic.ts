// Microphone capture: getUserMedia -> AudioWorklet (resampling to 16 kHz PCM16) -> onFrame.
import workletUrl from "./mic-worklet.ts?worker&url";

export interface MicFrame {
  pcm: ArrayBuffer;
  level: number;
}

export class Microphone {
  private context: AudioContext | null = null;
  private stream: MediaStream | null = null;
  private node: AudioWorkletNode | null = null;

  constructor(private readonly onFrame: (frame: MicFrame) => void) {}

  get active(): boolean {
    return this.node !== null;
  }

  async start(): Promise<void> {
    if (this.node) return;
    if (!navigator.mediaDevices?.getUserMedia) {
      throw new Error("This browser cannot capture audio here (a microphone needs HTTPS or localhost).");
    }
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      });
    } catch (err) {
      const name = err instanceof DOMException ? err.name : "";
      if (name === "NotAllowedError") throw new Error("Microphone access was denied. Allow it in the browser, or type your answers.");
      if (name === "NotFoundError") throw new Error("No microphone was found. Plug one in, or type your answers.");
      throw new Error(`The microphone could not be opened (${err instanceof Error ? err.message : String(err)}).`);
    }
    const context = new AudioContext();
    try {
      await context.audioWorklet.addModule(workletUrl);
      const source = context.createMediaStreamSource(stream);
      const node = new AudioWorkletNode(context, "prepai-mic", { numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1 });
      node.port.onmessage = (ev: MessageEvent<MicFrame>) => this.onFrame(ev.data);
      source.connect(node);
      if (context.state === "suspended") await context.resume();
      this.context = context;
      this.stream = stream;
      this.node = node;
    } catch (err) {
      stream.getTracks().forEach((t) => t.stop());
      await context.close().catch(() => undefined);
      throw new Error(`The audio pipeline could not start (${err instanceof Error ? err.message : String(err)}).`);
    }
  }

  async stop(): Promise<void> {
    this.node?.port.close();
    this.node?.disconnect();
    this.node = null;
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
    const ctx = this.context;
    this.context = null;
    if (ctx) await ctx.close().catch(() => undefined);
  }
}
