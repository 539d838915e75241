/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render, screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { MemoryRouter } from 'react-router';
import { leads, userByRole } from '@/testing/data';
import { server } from '@/testing/msw-server';
import { renderApp, signInAs } from '@/testing/render-app';
import { LeadsTable } from './leads-table';

// Vitest runs with `css: false`: the layout rules are read from disk.
const css = readFileSync(join(process.cwd(), 'src/index.css'), 'utf8');
const rule = (selector: string) => new RegExp(`${selector.replace('.', '\\.')}\\s*\\{([^}]*)\\}`).exec(css)?.[1] ?? '';

describe('leads table', () => {
  it('cuts a 200-character name with an ellipsis and keeps the full name in its title', () => {
    const long = 'Maximiliana '.repeat(17).slice(0, 200);
    expect(long).toHaveLength(200);
    render(
      <MemoryRouter>
        <LeadsTable items={[{ ...leads[0]!, name: long }]} />
      </MemoryRouter>,
    );
    const link = screen.getByRole('link', { name: long.trim() });
    expect(link).toHaveAttribute('title', long);
    expect(link).toHaveClass('truncate');
    expect(link.closest('td')).toHaveClass('cell-truncate');
    // The truncating rule: one line, hidden overflow, an ellipsis, a bounded width (on the cell too).
    expect(rule('.truncate')).toMatch(/white-space:\s*nowrap/);
    expect(rule('.truncate')).toMatch(/overflow:\s*hidden/);
    expect(rule('.truncate')).toMatch(/text-overflow:\s*ellipsis/);
    expect(rule('.truncate')).toMatch(/max-width:\s*\d/);
    expect(rule('td.cell-truncate')).toMatch(/max-width:\s*\d/);
    // Every column is still there, in order, after the long name.
    const cells = within(screen.getAllByRole('row')[1]!).getAllByRole('cell');
    expect(cells).toHaveLength(8);
  });

  it('sorts on the server: a header click asks for the column, a second click for descending', async () => {
    const sorts: (string | null)[] = [];
    server.use(
      http.get('*/leads/', ({ request }) => {
        sorts.push(new URL(request.url).searchParams.get('sort'));
        return HttpResponse.json({ items: leads, total: leads.length, page: 1, page_size: 20 });
      }),
    );
    signInAs(userByRole('manager'));
    const { user } = await renderApp('/leads');
    await screen.findByRole('link', { name: 'John Smith' });
    await user.click(screen.getByRole('button', { name: /^Agent/ }));
    await screen.findByRole('columnheader', { name: /Agent ▲/ });
    await user.click(screen.getByRole('button', { name: /^Agent/ }));
    await screen.findByRole('columnheader', { name: /Agent ▼/ });
    expect(sorts).toContain('assigned_agent_name');
    expect(sorts.at(-1)).toBe('-assigned_agent_name');
  });

  it('shows a bad sort from the URL as the server’s error', async () => {
    server.use(
      http.get('*/leads/', () =>
        HttpResponse.json(
          { title: 'One or more validation errors occurred.', status: 400, detail: 'sort must be one of: name, phone.', errors: { sort: ['sort must be one of: name, phone.'] } },
          { status: 400, headers: { 'Content-Type': 'application/problem+json' } },
        ),
      ),
    );
    signInAs(userByRole('manager'));
    await renderApp('/leads?sort=shoe_size');
    expect(await screen.findByText(/sort must be one of/)).toBeInTheDocument();
  });
});

