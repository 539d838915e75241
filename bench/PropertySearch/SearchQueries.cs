namespace EstateVoice.Bench.PropertySearch;

/// <summary>The benchmark's query mix: city + price window + minimum bedrooms, alternating page 1 and page 50.</summary>
public static class SearchQueries
{
    public const int PageSize = 20;

    public static (string Kind, string Path) Next(Random random, int i)
    {
        var city = PropertyRows.Cities[random.Next(PropertyRows.Cities.Length)];
        var min = 400_000 + random.Next(0, 6) * 100_000;
        var max = min + 1_200_000;
        var bedrooms = random.Next(2, 4);
        var page = i % 2 == 0 ? 1 : 50;
        return (page == 1 ? "page 1" : "page 50",
            $"/properties/?city={Uri.EscapeDataString(city)}&min_price={min}&max_price={max}&bedrooms={bedrooms}&page={page}&page_size={PageSize}");
    }
}
