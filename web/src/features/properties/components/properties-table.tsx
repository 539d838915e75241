import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { paths } from '@/config/paths';
import { formatMoney, formatNumber, humanize } from '@/lib/format';
import type { Property } from '@/types/api';

type Props = { items: Property[]; sort: string; onSort: (sort: string) => void };

const sortable: [string, string, boolean][] = [
  ['address', 'Address', false],
  ['city', 'City', false],
  ['price', 'Price', true],
  ['bedrooms', 'Beds', true],
];

export function PropertiesTable({ items, sort, onSort }: Props) {
  const header = (key: string, label: string, numeric: boolean) => {
    const active = sort === key || sort === `-${key}`;
    const descending = sort === `-${key}`;
    return (
      <th key={key} className={numeric ? 'num' : undefined} aria-sort={active ? (descending ? 'descending' : 'ascending') : 'none'}>
        <button type="button" className="sort" onClick={() => onSort(active && !descending ? `-${key}` : key)}>
          {label} {active ? (descending ? '▼' : '▲') : ''}
        </button>
      </th>
    );
  };
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            {sortable.map(([k, l, n]) => header(k, l, n))}
            <th className="num">Baths</th>
            <th className="num">Sq ft</th>
            <th>Type</th>
            <th>Status</th>
            <th>Listing agent</th>
          </tr>
        </thead>
        <tbody>
          {items.map((p) => (
            <tr key={p.id}>
              <td>
                <Link to={paths.property(p.id)}>{p.address}</Link>
              </td>
              <td>
                {p.city}
                {p.state ? `, ${p.state}` : ''}
              </td>
              <td className="num">{formatMoney(p.price)}</td>
              <td className="num">{formatNumber(p.bedrooms)}</td>
              <td className="num">{formatNumber(p.bathrooms)}</td>
              <td className="num">{formatNumber(p.square_feet)}</td>
              <td>{humanize(p.property_type)}</td>
              <td>
                <Badge value={p.status} />
              </td>
              <td>{p.listing_agent_name ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
