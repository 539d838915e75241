import { screen } from '@testing-library/react';
import { userByRole } from '@/testing/data';
import { renderApp, signInAs } from '@/testing/render-app';
import { recordingStatusText } from './recording-status';

describe('recording status', () => {
  it('says whether and why a call was recorded', () => {
    expect(recordingStatusText('recorded', 'caller in CA agreed')).toBe('Recorded (caller in CA agreed)');
    expect(recordingStatusText('declined', 'caller in CA declined')).toBe('Not recorded: caller in CA declined');
    expect(recordingStatusText('off', 'recording is off (RECORDING_MODE=off)')).toBe('Not recorded: recording is off');
    expect(recordingStatusText('failed', 'storage failed')).toBe('Recording failed: storage failed');
    expect(recordingStatusText(null, null)).toBeNull();
  });

  it('shows the line under the player on the call page', async () => {
    signInAs(userByRole('manager'));
    await renderApp('/calls/5');
    expect(await screen.findByTestId('recording-status')).toHaveTextContent('Recorded (caller in CA agreed)');
  });
});
