namespace ArtGallery.Core.Recommendations;

/// <summary>The embedded works as the recommender sees them, read from the database.</summary>
public static class RecommendationCatalogue
{
    /// <summary>
    /// Every work with an embedding: its vectors, artist and accepted style tag (the first by name when
    /// a work has several).
    /// </summary>
    public static async Task<IReadOnlyList<WorkVectors>> LoadAsync(IDbContextFactory<GalleryDbContext> contextFactory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contextFactory);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await LoadAsync(db.Embeddings, cancellationToken);
    }

    /// <summary>The works among <paramref name="ids"/> that have an embedding.</summary>
    public static Task<IReadOnlyList<WorkVectors>> LoadAsync(GalleryDbContext db, IReadOnlyCollection<int> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(ids);
        var list = ids.ToList();
        return LoadAsync(db.Embeddings.Where(e => list.Contains(e.ArtworkId)), cancellationToken);
    }

    private static async Task<IReadOnlyList<WorkVectors>> LoadAsync(IQueryable<ArtworkEmbedding> embeddings, CancellationToken cancellationToken)
    {
        var rows = await embeddings.AsNoTracking()
            .Select(e => new
            {
                e.ArtworkId,
                e.Artwork!.ArtistId,
                StyleTag = e.Artwork.Tags
                    .Where(t => t.Tag!.Vocabulary == TagVocabulary.Style && t.Status == TagStatus.Accepted)
                    .OrderBy(t => t.Tag!.Name).Select(t => t.Tag!.Name).FirstOrDefault(),
                e.Style,
                e.Content,
            })
            .OrderBy(r => r.ArtworkId)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new WorkVectors(r.ArtworkId, r.ArtistId, r.StyleTag, Unit(r.Style.ToArray()), Unit(r.Content.ToArray())))];
    }

    /// <summary>The stored embeddings are unit length already; this makes it so for any other source too.</summary>
    public static float[] Unit(float[] vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        var norm = System.Numerics.Tensors.TensorPrimitives.Norm(vector);
        if (norm > 0 && Math.Abs(norm - 1) > 1e-6)
        {
            System.Numerics.Tensors.TensorPrimitives.Divide(vector, norm, vector);
        }

        return vector;
    }
}
