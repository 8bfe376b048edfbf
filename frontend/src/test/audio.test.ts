import { describe, expect, it } from "vitest";
import { StreamResampler, floatToPcm16, rms } from "../audio/resample";

function sine(freq: number, rate: number, seconds: number): Float32Array {
  const n = Math.round(rate * seconds);
  return Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * freq * i) / rate));
}

/** The dominant frequency from zero crossings. */
function frequency(samples: Float32Array, rate: number): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if (samples[i - 1]! < 0 && samples[i]! >= 0) crossings++;
  return (crossings * rate) / samples.length;
}

describe("StreamResampler", () => {
  for (const rate of [48000, 44100, 22050, 8000]) {
    it(`turns ${rate} Hz into 16 kHz in streamed pieces, keeping pitch and level`, () => {
      const input = sine(440, rate, 1);
      const r = new StreamResampler(rate);
      const pieces: Float32Array[] = [];
      for (let i = 0; i < input.length; i += 128) pieces.push(r.push(input.subarray(i, i + 128)));
      const out = Float32Array.from(pieces.flatMap((p) => Array.from(p)));
      expect(Math.abs(out.length - 16000)).toBeLessThanOrEqual(2);
      expect(frequency(out, 16000)).toBeGreaterThan(430);
      expect(frequency(out, 16000)).toBeLessThan(450);
      expect(rms(out)).toBeGreaterThan(0.33);
      expect(rms(out)).toBeLessThan(0.37);
    });
  }

  it("refuses a bad rate", () => {
    expect(() => new StreamResampler(0)).toThrow();
  });
});

describe("floatToPcm16", () => {
  it("scales and clips", () => {
    expect(Array.from(floatToPcm16(Float32Array.from([0, 1, -1, 2, -2, 0.5])))).toEqual([0, 32767, -32768, 32767, -32768, 16384]);
  });
});
