import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { userByRole } from '@/testing/data';
import { server } from '@/testing/msw-server';
import { renderApp, signInAs } from '@/testing/render-app';
import { guessMapping, importForm, readHeader } from './import-leads';

describe('lead import', () => {
  it('guesses each column once from its header', () => {
    expect(guessMapping(['Full Name', 'Mobile Phone', 'E-mail', 'Max budget', 'Neighborhood', 'Favourite colour', 'Cell'])).toEqual([
      'name', 'phone', 'email', 'budget_max', 'preferred_areas', '', '',
    ]);
  });

  it('reads the header row of a quoted CSV', async () => {
    expect(await readHeader(new Blob(['\uFEFF"Name, full",Phone\r\nA,1\r\n']))).toEqual(['Name, full', 'Phone']);
  });

  it('uploads with the mapping the user chose and lists row errors', { timeout: 30_000 }, async () => {
    let posted = false;
    server.use(
      http.post('*/leads/import', () => {
        posted = true;
        return HttpResponse.json({
          rows: 3, created: 1, merged: 0, skipped: 1, failed: 1, errors_truncated: false,
          errors: [{ row: 3, field: 'phone', message: 'Not a phone number we can dial.' }],
        });
      }),
    );
    signInAs(userByRole('manager'));
    const { user } = await renderApp('/leads/import');
    const file = new File(['Client,Tel,Notes\nAna,5125550101,hi\n'], 'leads.csv', { type: 'text/csv' });
    await user.upload(await screen.findByLabelText('CSV file with a header row'), file);
    expect(await screen.findByLabelText('Column “Client”')).toHaveValue('name');
    expect(screen.getByLabelText('Column “Tel”')).toHaveValue('phone');
    await user.selectOptions(screen.getByLabelText('Column “Notes”'), '');
    await user.selectOptions(screen.getByLabelText('Rows whose phone already belongs to a lead'), 'merge');
    await user.click(screen.getByRole('button', { name: 'Import' }));

    const table = await screen.findByRole('table', { name: 'Rows with errors' });
    expect(within(table).getByText('Not a phone number we can dial.')).toBeInTheDocument();
    expect(screen.getByText(/3 rows read: 1 created, 0 merged, 1 skipped, 1 with errors/)).toBeInTheDocument();
    expect(posted).toBe(true);
  });

  it('assigns the imported leads to the agent the manager chose', { timeout: 30_000 }, async () => {
    // The multipart body is not readable in the test DOM's fetch: the form the page builds is watched instead.
    const append = vi.spyOn(FormData.prototype, 'append');
    server.use(
      http.post('*/leads/import', () => {
        return HttpResponse.json({ rows: 1, created: 1, merged: 0, skipped: 0, failed: 0, errors_truncated: false, errors: [] });
      }),
    );
    signInAs(userByRole('manager'));
    const { user } = await renderApp('/leads/import');
    await user.upload(await screen.findByLabelText('CSV file with a header row'), new File(['Name,Phone\nAna,5125550101\n'], 'leads.csv', { type: 'text/csv' }));
    const assignee = await screen.findByLabelText('Assign imported leads to');
    await within(assignee).findByRole('option', { name: 'Bob Agent' });
    await user.selectOptions(assignee, 'Bob Agent');
    await user.click(screen.getByRole('button', { name: 'Import' }));

    expect(await screen.findByText(/1 rows read: 1 created/)).toBeInTheDocument();
    expect(append).toHaveBeenCalledWith('assigned_agent_id', '4');
    append.mockRestore();
  });

  it('leaves the assignee out when nobody is chosen', () => {
    const form = importForm({ file: new File([''], 'leads.csv'), headers: ['Name'], mapping: ['name'], duplicates: 'skip', assignedAgentId: null });
    expect(form.has('assigned_agent_id')).toBe(false);
  });

  it('sends the mapping by header and the duplicate choice before the file', () => {
    const file = new File(['Client,Tel\n'], 'leads.csv');
    const form = importForm({ file, headers: ['Client', 'Tel', 'Notes'], mapping: ['name', 'phone', ''], duplicates: 'merge' });
    expect([...form.keys()]).toEqual(['mapping', 'duplicates', 'file']);
    expect(JSON.parse(String(form.get('mapping')))).toEqual({ Client: 'name', Tel: 'phone', Notes: '' });
    expect(form.get('duplicates')).toBe('merge');
  });
});
