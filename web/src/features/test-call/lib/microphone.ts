import { floatToMulaw8k, FrameAssembler } from './mulaw';

// The worklet runs on the audio thread; it is served from web/public so the CSP needs no blob: scripts.
const workletUrl = '/capture-processor.js';

export type MicrophoneCapture = { stop: () => Promise<void> };

/**
 * Captures the microphone and calls `onFrame` with 160-byte mu-law frames (20 ms at 8 kHz) and `onLevel` with
 * a 0..1 loudness for the meter. Uses an AudioWorklet, or ScriptProcessor where worklets are unavailable.
 */
export async function startMicrophone(
  onFrame: (frame: Uint8Array) => void,
  onLevel: (level: number) => void = () => undefined,
): Promise<MicrophoneCapture> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  });
  const context = new AudioContext();
  const source = context.createMediaStreamSource(stream);
  const assembler = new FrameAssembler(160);
  const handle = (samples: Float32Array) => {
    let peak = 0;
    for (let i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i]!));
    onLevel(peak);
    for (const frame of assembler.push(floatToMulaw8k(samples, context.sampleRate))) onFrame(frame);
  };

  let node: AudioNode;
  if (context.audioWorklet) {
    await context.audioWorklet.addModule(workletUrl);
    const worklet = new AudioWorkletNode(context, 'capture-processor');
    worklet.port.onmessage = (e: MessageEvent<Float32Array>) => handle(e.data);
    node = worklet;
  } else {
    const processor = context.createScriptProcessor(2048, 1, 1);
    processor.onaudioprocess = (e) => handle(e.inputBuffer.getChannelData(0));
    node = processor;
  }
  // Connected through a muted gain so the graph runs without echoing the caller back to the speakers.
  const mute = context.createGain();
  mute.gain.value = 0;
  source.connect(node);
  node.connect(mute);
  mute.connect(context.destination);

  return {
    stop: async () => {
      stream.getTracks().forEach((t) => t.stop());
      source.disconnect();
      node.disconnect();
      await context.close().catch(() => undefined);
    },
  };
}
