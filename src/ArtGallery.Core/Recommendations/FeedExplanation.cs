using System.Globalization;

namespace ArtGallery.Core.Recommendations;

/// <summary>Turns the cause the ranker recorded for a card into the sentence the visitor reads.</summary>
public static class FeedExplanation
{
    public static string Describe(FeedReason reason, string? becauseOfTitle, string? sourceName)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var main = reason.Source switch
        {
            CandidateSource.Interest when becauseOfTitle is not null => $"Because you liked “{becauseOfTitle}” — {Feature(reason.Feature)}",
            CandidateSource.CoEngagement when becauseOfTitle is not null => $"People who liked “{becauseOfTitle}” also liked this",
            CandidateSource.FollowedArtist when sourceName is not null => $"By {sourceName}, whom you follow",
            CandidateSource.Collection when sourceName is not null => $"From the collection “{sourceName}”",
            CandidateSource.Trending => "Popular with visitors in the last two weeks",
            CandidateSource.Explore => "A work typical of its style, to explore the collection",
            _ => "Close to what you liked",
        };
        if (reason.FavouriteStyle is { } style)
        {
            main += $"; {style}, which you like and save often";
        }

        if (reason.ForVariety)
        {
            main = "For variety — " + char.ToLower(main[0], CultureInfo.InvariantCulture) + main[1..];
        }

        return main;
    }

    /// <summary>The longer "why this?" text: the source, the feature and the similarity it scored.</summary>
    public static string Details(FeedReason reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var source = reason.Source switch
        {
            CandidateSource.Interest => "nearest neighbours (pgvector) of one of your interests, a group of works you liked",
            CandidateSource.CoEngagement => "works liked by visitors who liked the same work as you",
            CandidateSource.FollowedArtist => "new works by artists you follow",
            CandidateSource.Collection => "a published collection holding a work you liked, or a newly published one",
            CandidateSource.Trending => "works liked, saved and viewed most in the last two weeks",
            CandidateSource.Explore => "the works closest to the centre of a style",
            _ => reason.Source.ToString(),
        };
        var text = $"Source: {source}.";
        if (reason.Feature is { } feature)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" It matched mostly on {FeatureName(feature)} (combined similarity {reason.Similarity:0.00}).");
        }

        if (reason.ForVariety)
        {
            text += " It is less close than the cards around it and was picked because it differs from the cards above it.";
        }

        return text;
    }

    private static string Feature(MatchFeature? feature) => feature switch
    {
        MatchFeature.Content => "similar subject and composition",
        _ => "close palette and brushwork",
    };

    private static string FeatureName(MatchFeature feature) => feature switch
    {
        MatchFeature.Content => "content (what the work shows: the content embedding)",
        _ => "style (palette, brushwork, texture: the style embedding)",
    };
}
