// Float32 audio at the device's rate to PCM16 at 16 kHz, in streaming pieces (no clicks between pieces).
// Downsampling averages the input samples that fall in each output sample (a box low-pass filter, enough to
// keep speech free of aliasing for the STT); upsampling interpolates linearly.

export const TARGET_RATE = 16000;

export class StreamResampler {
  private readonly step: number; // input samples per output sample
  private pos = 0; // position of the next output sample, in input samples relative to `carry`'s start
  private carry: Float32Array = new Float32Array(0);

  constructor(readonly inputRate: number, readonly outputRate: number = TARGET_RATE) {
    if (!(inputRate > 0) || !(outputRate > 0)) throw new Error(`bad sample rates ${inputRate} -> ${outputRate}`);
    this.step = inputRate / outputRate;
  }

  /** Resamples the next piece of input; returns the output samples it completes. */
  push(input: Float32Array): Float32Array {
    const buf = new Float32Array(this.carry.length + input.length);
    buf.set(this.carry, 0);
    buf.set(input, this.carry.length);
    const out: number[] = [];
    if (this.step >= 1) {
      // Each output sample averages input [pos, pos + step).
      while (this.pos + this.step <= buf.length) {
        const start = Math.floor(this.pos);
        const end = Math.floor(this.pos + this.step);
        let sum = 0;
        for (let i = start; i < end; i++) sum += buf[i]!;
        out.push(end > start ? sum / (end - start) : buf[start]!);
        this.pos += this.step;
      }
    } else {
      while (this.pos + 1 < buf.length) {
        const i = Math.floor(this.pos);
        const frac = this.pos - i;
        out.push(buf[i]! * (1 - frac) + buf[i + 1]! * frac);
        this.pos += this.step;
      }
    }
    const keepFrom = Math.floor(this.pos);
    this.carry = buf.slice(keepFrom);
    this.pos -= keepFrom;
    return Float32Array.from(out);
  }
}

export function floatToPcm16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]!));
    out[i] = s < 0 ? Math.round(s * 0x8000) : Math.round(s * 0x7fff);
  }
  return out;
}

/** Root mean square of a piece, 0-1. */
export function rms(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / samples.length);
}
