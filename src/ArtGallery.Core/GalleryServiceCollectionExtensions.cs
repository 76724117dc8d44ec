using ArtGallery.Core.Accounts;
using ArtGallery.Core.Curation;
using ArtGallery.Core.Demo;
using ArtGallery.Core.Embeddings;
using ArtGallery.Core.Export;
using ArtGallery.Core.Gallery;
using ArtGallery.Core.Health;
using ArtGallery.Core.Import;
using ArtGallery.Core.Infrastructure;
using ArtGallery.Core.Ingestion;
using ArtGallery.Core.Jobs;
using ArtGallery.Core.Recognition;
using ArtGallery.Core.Recommendations;
using ArtGallery.Core.Search;
using ArtGallery.Core.Storage;
using ArtGallery.Data;
using ArtGallery.Data.Entities;
using ArtGallery.Engines.Encoding;
using ArtGallery.Engines.Imaging;
using ArtGallery.Engines.Runtime;
using ArtGallery.Engines.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ArtGallery.Core;

/// <summary>One registration per feature, shared by the web host and the CLI.</summary>
public static class GalleryServiceCollectionExtensions
{
    /// <summary>Database, image store and the job table: what every feature stands on.</summary>
    public static IServiceCollection AddGalleryFoundation(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddGalleryDatabase(configuration);
        services.Configure<StorageOptions>(configuration.GetSection(StorageOptions.Section));
        services.AddSingleton(new ImageDecoder(configuration.GetSection(ImageLimits.Section).Get<ImageLimits>() ?? ImageLimits.Default));
        services.AddSingleton<ImageStore>();
        services.AddSingleton<JobStore>();
        services.AddSingleton<Accounts.CallerVerifier>();
        return services;
    }

    /// <summary>Browse, artwork pages and similar works.</summary>
    public static IServiceCollection AddGallery(this IServiceCollection services)
    {
        services.AddSingleton<GalleryService>();
        services.AddSingleton<GalleryHealth>();
        return services;
    }

    /// <summary>
    /// Find similar (style, content, blend; filtered), search by photo, by words and by palette;
    /// needs <see cref="AddEmbeddings"/> for the encoders.
    /// </summary>
    public static IServiceCollection AddSearch(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SearchOptions>(configuration.GetSection(SearchOptions.Section));
        services.AddSingleton<SimilarSearchService>();
        services.AddSingleton<WordSearchService>();
        services.AddSingleton<PaletteSearchService>();
        return services;
    }

    /// <summary>Import and the demo collection.</summary>
    public static IServiceCollection AddIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DemoOptions>(configuration.GetSection(DemoOptions.Section));
        services.AddSingleton<ArtworkIngestor>();
        services.AddSingleton<FolderImporter>();
        services.AddSingleton<DemoSeeder>();
        return services;
    }

    /// <summary>
    /// Bulk import (CSV sidecars, ZIPs, WikiArt folders, IIIF manifests) as durable jobs, and export of
    /// collections as CSV and IIIF; <paramref name="worker"/> runs imports queued from the web page.
    /// Needs <see cref="AddIngestion"/>.
    /// </summary>
    public static IServiceCollection AddBulkImport(this IServiceCollection services, IConfiguration configuration, bool worker)
    {
        services.Configure<ImportOptions>(configuration.GetSection(ImportOptions.Section));
        services.AddSingleton<ImportPlanner>();
        services.AddSingleton<BulkImportService>();
        services.AddSingleton<CollectionExporter>();
        if (worker)
        {
            services.AddSingleton<ImportWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<ImportWorker>());
        }

        return services;
    }

    /// <summary>
    /// The style and text encoders, the embedding pipeline and the words/palette indexer;
    /// <paramref name="worker"/> adds the background backfill.
    /// </summary>
    public static IServiceCollection AddEmbeddings(this IServiceCollection services, IConfiguration configuration, bool worker)
    {
        services.Configure<EngineOptions>(configuration.GetSection(EngineOptions.Section));
        services.AddSingleton<StyleEncoder>();
        services.AddSingleton<IEngine>(sp => sp.GetRequiredService<StyleEncoder>());
        services.AddSingleton<TextEncoder>();
        services.AddSingleton<IEngine>(sp => sp.GetRequiredService<TextEncoder>());
        services.AddSingleton<SearchIndexer>();
        services.AddSingleton<EmbeddingSignal>();
        services.AddSingleton<EmbeddingPipeline>();
        if (worker)
        {
            services.AddSingleton<EmbeddingWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<EmbeddingWorker>());
        }

        return services;
    }

    /// <summary>
    /// The style recogniser (learns from curator-tagged works); <paramref name="worker"/> keeps it
    /// trained and its suggestions current in the background. Needs <see cref="AddEmbeddings"/>.
    /// </summary>
    public static IServiceCollection AddRecognition(this IServiceCollection services, bool worker)
    {
        services.AddSingleton<StyleRecognitionService>();
        services.AddSingleton<RecognitionSignal>();
        services.AddSingleton<StyleFeatureExtractor>();
        if (worker)
        {
            services.AddSingleton<RecognitionWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<RecognitionWorker>());
        }

        return services;
    }

    /// <summary>
    /// Accounts (ASP.NET Core Identity on the gallery database), lockout after repeated failed sign-ins,
    /// the first admin from configuration, and the admin's role management. The web host adds cookies
    /// and the sign-in manager on top.
    /// </summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(AccountsOptions.Section);
        services.Configure<AccountsOptions>(section);
        services.AddIdentityCore<GalleryUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                // Identity's lockout counts per account, so anyone could lock the owner out with a few
                // guesses: guessing is slowed per address and client instead (SignInThrottle).
                o.Lockout.AllowedForNewUsers = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<GalleryDbContext>();
        services.AddSingleton<InitialAdmin>();
        services.AddSingleton<AccountAdminService>();
        services.AddSingleton<SignInThrottle>();
        services.AddScoped<PasswordCheck>();
        return services;
    }

    /// <summary>Collections, tagging with its audit trail, and the review queue. Needs <see cref="AddRecognition"/>.</summary>
    public static IServiceCollection AddCuration(this IServiceCollection services)
    {
        services.AddSingleton<CollectionCurationService>();
        services.AddSingleton<TaggingService>();
        services.AddSingleton<ReviewQueueService>();
        return services;
    }

    /// <summary>
    /// Engagement signals and the "For you" feed; <paramref name="writer"/> writes queued views in the
    /// background (the web host). Needs <see cref="AddSearch"/> for the index settings.
    /// </summary>
    public static IServiceCollection AddRecommendations(this IServiceCollection services, IConfiguration configuration, bool writer)
    {
        services.Configure<RecommendationOptions>(configuration.GetSection(RecommendationOptions.Section));
        services.AddSingleton<ViewBuffer>();
        services.AddSingleton<VisitorHistoryCache>();
        services.AddSingleton<WorkVectorCache>();
        services.AddSingleton<EngagementService>();
        services.AddSingleton<RecommendationService>();
        if (writer)
        {
            services.AddHostedService<EngagementWriter>();
        }

        return services;
    }
}
