import { screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { problem } from '@/testing/handlers';
import { server } from '@/testing/msw-server';
import { renderWithProviders, signInAs } from '@/testing/render-app';
import { userByRole } from '@/testing/data';
import { PropertyForm } from './property-form';

describe('PropertyForm', () => {
  beforeEach(() => signInAs(userByRole('manager')));

  it('shows the API field errors next to their fields', async () => {
    server.use(
      http.post('*/properties/', () =>
        problem(400, 'One or more validation errors occurred.', {
          address: ['Address is required.'],
          price: ['Price must be greater than 0.'],
        }),
      ),
    );
    const onSaved = vi.fn();
    const { user } = renderWithProviders(<PropertyForm onSaved={onSaved} onCancel={() => undefined} />);
    await user.type(screen.getByLabelText('Price (USD)'), '-5');
    await user.click(screen.getByRole('button', { name: 'Create property' }));

    const address = screen.getByLabelText('Address');
    await waitFor(() => expect(address).toHaveAttribute('aria-invalid', 'true'));
    expect(address).toHaveAccessibleDescription('Address is required.');
    expect(screen.getByLabelText('Price (USD)')).toHaveAccessibleDescription('Price must be greater than 0.');
    expect(screen.getByText(/Could not save the property/)).toBeInTheDocument();
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('drops a field\'s error once that field changes, and keeps the others', async () => {
    server.use(
      http.post('*/properties/', () =>
        problem(400, 'One or more validation errors occurred.', {
          address: ['Address is required.'],
          square_feet: ['Square feet is required.'],
        }),
      ),
    );
    const { user } = renderWithProviders(<PropertyForm onSaved={() => undefined} onCancel={() => undefined} />);
    await user.type(screen.getByLabelText('Bedrooms'), '2.5');
    await user.click(screen.getByRole('button', { name: 'Create property' }));
    const bedrooms = screen.getByLabelText('Bedrooms');
    await waitFor(() => expect(bedrooms).toHaveAccessibleDescription('Bedrooms must be a whole number'));
    await user.clear(bedrooms);
    await user.type(bedrooms, '3');
    expect(bedrooms).not.toHaveAttribute('aria-invalid');
    expect(screen.queryByText('Bedrooms must be a whole number')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Create property' }));
    const squareFeet = screen.getByLabelText('Square feet');
    await waitFor(() => expect(squareFeet).toHaveAccessibleDescription('Square feet is required.'));
    expect(screen.getByLabelText('Address')).toHaveAccessibleDescription('Address is required.');
    await user.type(squareFeet, '1200');
    expect(squareFeet).not.toHaveAttribute('aria-invalid');
    expect(screen.queryByText('Square feet is required.')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Address')).toHaveAccessibleDescription('Address is required.');
  });

  it('sends typed numbers and the feature list, then reports the saved property', async () => {
    let body: Record<string, unknown> = {};
    server.use(
      http.post('*/properties/', async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json({ id: 99, ...body, listing_agent_id: null }, { status: 201 });
      }),
    );
    const onSaved = vi.fn();
    const { user } = renderWithProviders(<PropertyForm onSaved={onSaved} onCancel={() => undefined} />);
    await user.type(screen.getByLabelText('Address'), '1 Main St');
    await user.type(screen.getByLabelText('City'), 'Austin');
    await user.type(screen.getByLabelText('Price (USD)'), '450000');
    await user.type(screen.getByLabelText('Bedrooms'), '3');
    await user.type(screen.getByLabelText('Features'), 'pool, garage');
    await user.selectOptions(screen.getByLabelText('Type'), 'condo');
    await user.click(screen.getByRole('button', { name: 'Create property' }));

    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(expect.objectContaining({ id: 99 })));
    expect(body).toMatchObject({
      address: '1 Main St',
      city: 'Austin',
      price: 450000,
      bedrooms: 3,
      bathrooms: null,
      property_type: 'condo',
      status: 'active',
      features: ['pool', 'garage'],
    });
  });
});
