using ArtGallery.Core.Search;

namespace ArtGallery.Web.Features.Search;

/// <summary>
/// The browse page's filters as URL query parameters and back, with the browse page's names
/// (style, artist, from, to), so a filtered words or colour search can be shared and reloaded.
/// </summary>
public static class WorkFiltersUrl
{
    public static WorkFilters Parse(string? style, int? artist, int? from, int? to) =>
        new WorkFilters { Style = style, ArtistId = artist, YearFrom = from, YearTo = to }.Normalized();

    /// <summary>Every filter parameter, null where unset (which removes it from the URL).</summary>
    public static Dictionary<string, object?> Parameters(WorkFilters filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var f = filters.Normalized();
        return new Dictionary<string, object?>
        {
            ["style"] = f.Style,
            ["artist"] = f.ArtistId,
            ["from"] = f.YearFrom,
            ["to"] = f.YearTo,
        };
    }
}
