import { emptyLiveState, liveReducer } from './live-transcripts';

describe('liveReducer', () => {
  it('grows an interim line in place and then finalises it', () => {
    let s = liveReducer(emptyLiveState, { type: 'transcript', payload: { call_id: 7, speaker: 'caller', text: 'I am look', is_final: false, sequence: 2 } });
    s = liveReducer(s, { type: 'transcript', payload: { call_id: 7, speaker: 'caller', text: 'I am looking for a house', is_final: true, sequence: 2 } });
    s = liveReducer(s, { type: 'transcript', payload: { call_id: 7, speaker: 'agent', text: 'Great!', is_final: true, sequence: 3 } });
    expect(s.lines[7]).toEqual([
      { sequence: 2, speaker: 'caller', text: 'I am looking for a house', isFinal: true },
      { sequence: 3, speaker: 'agent', text: 'Great!', isFinal: true },
    ]);
  });

  it('accepts callUpdated with the call wrapped or bare, and ignores junk', () => {
    const call = { id: 4, direction: 'inbound', status: 'in_progress' };
    let s = liveReducer(emptyLiveState, { type: 'callUpdated', payload: { call } });
    expect(s.calls[4]?.status).toBe('in_progress');
    s = liveReducer(s, { type: 'callUpdated', payload: { ...call, status: 'completed' } });
    expect(s.calls[4]?.status).toBe('completed');
    expect(liveReducer(s, { type: 'callUpdated', payload: 'nonsense' })).toBe(s);
  });

  it('keeps earlier turns loaded from the API under live ones', () => {
    let s = liveReducer(emptyLiveState, { type: 'transcript', payload: { call_id: 1, speaker: 'agent', text: 'live', sequence: 5 } });
    s = liveReducer(s, { type: 'seed', callId: 1, lines: [{ sequence: 1, speaker: 'agent', text: 'Hello', isFinal: true }] });
    expect(s.lines[1]?.map((l) => l.text)).toEqual(['Hello', 'live']);
  });

  it("accepts the hub's compact callUpdated and lists a call first seen through its transcript", () => {
    let s = liveReducer(emptyLiveState, { type: 'transcript', payload: { call_id: 9, speaker: 'agent', text: 'Hi', is_final: true, sequence: 1 } });
    expect(s.calls[9]).toEqual({ id: 9, status: 'in_progress' });
    s = liveReducer(s, { type: 'callUpdated', payload: { call_id: 9, status: 'in-progress', outcome: null, failure_reason: null } });
    expect(s.calls[9]?.status).toBe('in_progress');
    s = liveReducer(s, { type: 'callUpdated', payload: { call_id: 9, status: 'completed', outcome: 'qualified', failure_reason: null } });
    expect(s.calls[9]).toEqual({ id: 9, status: 'completed', outcome: 'qualified' });
  });

  it('parses tool arguments and results sent as JSON text', () => {
    const s = liveReducer(emptyLiveState, { type: 'toolCall', payload: { call_id: 2, name: 'search_properties', arguments: '{"city":"Austin"}', result: 'not json' } });
    expect(s.tools[2]?.[0]).toMatchObject({ arguments: { city: 'Austin' }, result: 'not json' });
  });

  it('records tool calls per call', () => {
    const s = liveReducer(emptyLiveState, { type: 'toolCall', payload: { call_id: 2, name: 'book_showing', arguments: { property_id: 1 }, result: { ok: true } } });
    expect(s.tools[2]?.[0]).toMatchObject({ name: 'book_showing', arguments: { property_id: 1 }, result: { ok: true } });
  });
});
