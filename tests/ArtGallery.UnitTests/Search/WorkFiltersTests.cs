using ArtGallery.Core.Search;
using ArtGallery.Web.Features.Search;
using Npgsql;

namespace ArtGallery.UnitTests.Search;

public sealed class WorkFiltersTests
{
    [Fact]
    public void ToSql_NoFilter_IsNullAndAddsNoParameter()
    {
        // Null is what makes the words and colour searches send their unfiltered SQL and settings.
        var parameters = new List<NpgsqlParameter>();

        Assert.True(new WorkFilters().IsEmpty);
        Assert.Null(new WorkFilters().ToSql("x.\"ArtworkId\"", parameters));
        Assert.Empty(parameters);
    }

    [Fact]
    public void Normalized_ABlankStyleFromTheUrl_LeavesNoFilter()
    {
        var filters = WorkFiltersUrl.Parse("  ", null, null, null);

        Assert.True(filters.IsEmpty);
        Assert.Null(filters.ToSql("x.\"ArtworkId\"", new List<NpgsqlParameter>()));
    }

    [Fact]
    public void Normalized_AReversedYearRange_IsSwappedAndTheStyleTrimmedAndLowercased()
    {
        var filters = new WorkFilters { Style = " Generated-Ink-Wash ", YearFrom = 1920, YearTo = 1890 }.Normalized();

        Assert.Equal("generated-ink-wash", filters.Style);
        Assert.Equal(1890, filters.YearFrom);
        Assert.Equal(1920, filters.YearTo);
    }

    [Fact]
    public void ToSql_EveryFilter_IsOneConditionOnTheGivenIdColumnWithItsParameters()
    {
        var parameters = new List<NpgsqlParameter>();
        var sql = new WorkFilters { Style = "generated-ink-wash", ArtistId = 7, YearFrom = 1890, YearTo = 1920 }.ToSql("x.\"ArtworkId\"", parameters);

        Assert.NotNull(sql);
        Assert.Contains("a.\"Id\" = x.\"ArtworkId\"", sql, StringComparison.Ordinal);
        Assert.Contains("atg.\"ArtworkId\" = x.\"ArtworkId\"", sql, StringComparison.Ordinal);
        Assert.Equal(
            new Dictionary<string, object?> { ["filter_artist"] = 7, ["filter_from"] = 1890, ["filter_to"] = 1920, ["filter_style"] = "generated-ink-wash" },
            parameters.ToDictionary(p => p.ParameterName, p => p.Value));
    }
}
