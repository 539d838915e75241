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

  it('takes the call from callUpdated { call } and ignores any other shape', () => {
    const call = { id: 4, direction: 'inbound', status: 'in_progress' };
    let s = liveReducer(emptyLiveState, { type: 'callUpdated', payload: { call } });
    expect(s.calls[4]?.status).toBe('in_progress');
    s = liveReducer(s, { type: 'callUpdated', payload: { call: { ...call, status: 'completed', outcome: 'qualified' } } });
    expect(s.calls[4]).toMatchObject({ status: 'completed', outcome: 'qualified' });
    expect(liveReducer(s, { type: 'callUpdated', payload: { ...call, status: 'failed' } })).toBe(s);
    expect(liveReducer(s, { type: 'callUpdated', payload: { call_id: 4, status: 'failed' } })).toBe(s);
    expect(liveReducer(s, { type: 'callUpdated', payload: 'nonsense' })).toBe(s);
    expect(liveReducer(s, { type: 'callUpdated', payload: null })).toBe(s);
  });

  it('keeps earlier turns loaded from the API under live ones', () => {
    let s = liveReducer(emptyLiveState, { type: 'transcript', payload: { call_id: 1, speaker: 'agent', text: 'live', sequence: 5 } });
    s = liveReducer(s, { type: 'seed', callId: 1, lines: [{ sequence: 1, speaker: 'agent', text: 'Hello', isFinal: true }] });
    expect(s.lines[1]?.map((l) => l.text)).toEqual(['Hello', 'live']);
  });

  it('lists a call first seen through its transcript, then takes its callUpdated', () => {
    let s = liveReducer(emptyLiveState, { type: 'transcript', payload: { call_id: 9, speaker: 'agent', text: 'Hi', is_final: true, sequence: 1 } });
    expect(s.calls[9]).toEqual({ id: 9, status: 'in_progress' });
    s = liveReducer(s, { type: 'callUpdated', payload: { call: { id: 9, direction: 'inbound', status: 'completed', outcome: 'qualified' } } });
    expect(s.calls[9]).toMatchObject({ id: 9, status: 'completed', outcome: 'qualified' });
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
