using System.Linq.Expressions;

namespace EstateVoice.Server.Infrastructure.Http;

/// <summary>
/// The <c>sort</c> values a list accepts ("price", "-price"), each bound to a column expression so the ORDER BY
/// is SQL on both databases. An id tie-breaker keeps pages stable when the sort key repeats.
/// </summary>
public sealed class SortOptions<T>(string defaultSort, Expression<Func<T, int>> id)
{
    private readonly Dictionary<string, Func<IQueryable<T>, bool, IOrderedQueryable<T>>> keys = new(StringComparer.OrdinalIgnoreCase);

    public SortOptions<T> Add<TKey>(string name, Expression<Func<T, TKey>> key)
    {
        keys[name] = (query, descending) => descending ? query.OrderByDescending(key) : query.OrderBy(key);
        return this;
    }

    /// <summary>
    /// A nullable key, with rows lacking a value last in either direction (SQLite and PostgreSQL disagree on
    /// where NULLs go, which would make the same request page differently on each).
    /// </summary>
    public SortOptions<T> AddNullable<TKey>(string name, Expression<Func<T, TKey>> key)
    {
        var isNull = Expression.Lambda<Func<T, bool>>(Expression.Equal(key.Body, Expression.Constant(null, key.Body.Type)), key.Parameters);
        keys[name] = (query, descending) =>
        {
            var nullsLast = query.OrderBy(isNull);
            return descending ? nullsLast.ThenByDescending(key) : nullsLast.ThenBy(key);
        };
        return this;
    }

    public IEnumerable<string> Names => keys.Keys;

    public IQueryable<T> Apply(IQueryable<T> query, string? sort, QueryErrors errors)
    {
        var value = string.IsNullOrWhiteSpace(sort) ? defaultSort : sort.Trim();
        var descending = value.StartsWith('-');
        var name = value.TrimStart('-', '+');
        if (!keys.TryGetValue(name, out var order))
        {
            errors.Add("sort", $"sort must be one of: {string.Join(", ", keys.Keys)} (prefix '-' for descending).");
            return query;
        }
        var ordered = order(query, descending);
        return descending ? ordered.ThenByDescending(id) : ordered.ThenBy(id);
    }
}
