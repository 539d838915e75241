// Runs on the audio thread: forwards each 128-sample render quantum to the page (see src/features/test-call/lib/microphone.ts).
// A file of our own origin rather than a blob: URL, so the Content-Security-Policy can stay script-src 'self'.
class CaptureProcessor extends AudioWorkletProcessor {
  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel) this.port.postMessage(channel.slice(0));
    return true;
  }
}
registerProcessor('capture-processor', CaptureProcessor);
