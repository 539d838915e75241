import { Badge } from '@/components/ui/badge';
import { Card, DescriptionList } from '@/components/ui/card';
import { formatDateTime, formatMoney, formatNumber, humanize } from '@/lib/format';
import type { Property } from '@/types/api';

export function PropertyDetails({ property: p }: { property: Property }) {
  return (
    <>
      <Card title="Listing">
        <DescriptionList
          items={[
            ['Price', formatMoney(p.price)],
            ['Status', <Badge key="s" value={p.status} />],
            ['Type', humanize(p.property_type)],
            ['Bedrooms', formatNumber(p.bedrooms)],
            ['Bathrooms', formatNumber(p.bathrooms)],
            ['Square feet', formatNumber(p.square_feet)],
            ['Address', [p.address, p.city, p.state, p.zip].filter(Boolean).join(', ')],
            ['Listing agent', p.listing_agent_name ?? '—'],
            ['Updated', formatDateTime(p.updated_at ?? p.created_at)],
          ]}
        />
      </Card>
      <Card title="Description">
        <p>{p.description || <span className="muted">No description yet.</span>}</p>
        {p.features && p.features.length > 0 ? (
          <ul className="tags" aria-label="Features">
            {p.features.map((f) => (
              <li key={f}>
                <span className="badge badge-gray">{f}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </Card>
    </>
  );
}
