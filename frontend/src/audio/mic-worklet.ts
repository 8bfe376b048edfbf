// The microphone's AudioWorklet: resamples the device's audio to 16 kHz PCM16 and posts 20 ms frames
// (640 bytes) with their level to the page, which sends them on the socket as binary frames.
import { StreamResampler, TARGET_RATE, floatToPcm16, rms } from "./resample";

declare const sampleRate: number;
declare function registerProcessor(name: string, ctor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

const FRAME_SAMPLES = TARGET_RATE / 50; // 20 ms

class MicProcessor extends AudioWorkletProcessor {
  private readonly resampler = new StreamResampler(sampleRate, TARGET_RATE);
  private pending = new Float32Array(0);

  process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    if (!channel) return true;
    const out = this.resampler.push(channel);
    const joined = new Float32Array(this.pending.length + out.length);
    joined.set(this.pending, 0);
    joined.set(out, this.pending.length);
    let offset = 0;
    while (joined.length - offset >= FRAME_SAMPLES) {
      const frame = joined.subarray(offset, offset + FRAME_SAMPLES);
      const pcm = floatToPcm16(frame);
      this.port.postMessage({ pcm: pcm.buffer, level: rms(frame) }, [pcm.buffer]);
      offset += FRAME_SAMPLES;
    }
    this.pending = joined.slice(offset);
    return true;
  }
}

registerProcessor("prepai-mic", MicProcessor);
