using ArtGallery.Engines.Encoding;

namespace ArtGallery.Core.Health;

public sealed record HealthReport(
    string Status,
    string Database,
    string? VectorExtension,
    string Encoder,
    string? EncoderVersion,
    string ExecutionProvider,
    int Artworks,
    int Embedded,
    string? Problem);

/// <summary>What /health reports: database, pgvector, encoder and provider, and how much is embedded.</summary>
public sealed class GalleryHealth(IDbContextFactory<GalleryDbContext> contextFactory, StyleEncoder encoder)
{
    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken = default)
    {
        var encoderState = encoder.IsAvailable ? "available" : "unavailable";
        try
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            var extension = await db.Database
                .SqlQuery<string>($"SELECT extversion AS \"Value\" FROM pg_extension WHERE extname = 'vector'")
                .SingleOrDefaultAsync(cancellationToken);
            var artworks = await db.Artworks.CountAsync(cancellationToken);
            var embedded = await db.Embeddings.CountAsync(e => e.EncoderVersion == StyleEncoder.Version, cancellationToken);
            var healthy = extension is not null && encoder.IsAvailable;
            return new HealthReport(healthy ? "Healthy" : "Degraded", "connected", extension, encoderState,
                StyleEncoder.Version, encoder.Provider, artworks, embedded,
                extension is null ? "the vector extension is not installed" : encoder.UnavailableReason);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return new HealthReport("Unhealthy", "unreachable", null, encoderState, StyleEncoder.Version, encoder.Provider, 0, 0, ex.Message);
        }
    }
}
