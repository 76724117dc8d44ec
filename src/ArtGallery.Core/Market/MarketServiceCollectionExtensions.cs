
namespace ArtGallery.Core.Market;

public static class MarketServiceCollectionExtensions
{
    /// <summary>Sales records, price indices, valuations and forecasts (signed-in users read; curators edit).</summary>
    public static IServiceCollection AddMarket(this IServiceCollection services) =>
        services.AddSingletons(typeof(MarketService), typeof(MarketEditService));
}
