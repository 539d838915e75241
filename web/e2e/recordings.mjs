// Produces a call with a recording the way production does: ElevenLabs' signed post-call webhooks
// (post_call_transcription carrying the Twilio CallSid, then post_call_audio with the MP3).
import { execFileSync } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, baseUrl, fixtureAudioDir } from './support.mjs';

const secret = process.env.ELEVENLABS_WEBHOOK_SECRET ?? 'e2e-elevenlabs-secret';

async function postSigned(payload) {
  const body = JSON.stringify(payload);
  const t = Math.floor(Date.now() / 1000);
  const sig = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  const r = await fetch(`${baseUrl}/webhooks/elevenlabs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'elevenlabs-signature': `t=${t},v0=${sig}` },
    body,
  });
  return r.status;
}

/** The buyer-intent fixture as a small MP3, base64. */
export function fixtureMp3() {
  const dir = mkdtempSync(join(tmpdir(), 'estate-mp3-'));
  try {
    const out = join(dir, 'call.mp3');
    execFileSync('ffmpeg', ['-loglevel', 'error', '-i', join(fixtureAudioDir, 'buyer-intent.wav'), '-ac', '1', '-ar', '22050', '-b:a', '48k', out]);
    return readFileSync(out).toString('base64');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function findCallWithRecording(token) {
  const page = (await api('/calls/?page_size=100', { token })).json;
  return page?.items?.find((c) => c.has_recording) ?? null;
}

/** Returns a call that has a recording, creating one through the webhook if the demo data has none. */
export async function ensureCallWithRecording(token) {
  const existing = await findCallWithRecording(token);
  if (existing) return existing;
  const conversationId = `conv_e2e_${randomUUID().slice(0, 8)}`;
  const callSid = `CA${randomUUID().replace(/-/g, '')}`;
  const now = Math.floor(Date.now() / 1000);
  const transcription = await postSigned({
    type: 'post_call_transcription',
    event_timestamp: now,
    data: {
      agent_id: 'agent_e2e',
      conversation_id: conversationId,
      status: 'done',
      transcript: [
        { role: 'agent', message: 'Thanks for calling ABC Realty, how can I help?', time_in_call_secs: 0 },
        { role: 'user', message: "Hi, I'm looking for a three bedroom house in Austin.", time_in_call_secs: 3 },
      ],
      metadata: {
        start_time_unix_secs: now - 30,
        call_duration_secs: 30,
        phone_call: { type: 'twilio', direction: 'inbound', external_number: '+15125550123', agent_number: '+15125550000', call_sid: callSid },
      },
      analysis: { call_successful: 'success', transcript_summary: 'E2E buyer call', call_summary_title: 'Buyer' },
      conversation_initiation_client_data: { dynamic_variables: { system__call_sid: callSid } },
    },
  });
  const audio = await postSigned({
    type: 'post_call_audio',
    event_timestamp: now,
    data: { agent_id: 'agent_e2e', conversation_id: conversationId, full_audio: fixtureMp3() },
  });
  if (transcription !== 200 || audio !== 200) return null;
  for (let i = 0; i < 40; i++) {
    const found = await findCallWithRecording(token);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 500));
  }
  return null;
}
