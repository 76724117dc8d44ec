using ArtGallery.Core.Storage;
using ArtGallery.Engines.Encoding;
using ArtGallery.Engines.Imaging;

namespace ArtGallery.Core.Recognition;

/// <summary>
/// "Where the model sees it" for one work and one class: the class activation map over the work's
/// stage-4 grid (<see cref="Grid"/>, row-major, <see cref="Height"/> × <see cref="Width"/>) and a
/// transparent PNG of its positive evidence to lay over the whole image.
/// </summary>
public sealed record ActivationMapView(TagVocabulary Vocabulary, string ClassName, string Slug, double? Probability, int Height, int Width, float[] Grid, byte[] OverlayPng);

/// <summary>Runs the encoder on a work's image and maps one class of the recogniser's head over it.</summary>
public sealed class ActivationMapService(IDbContextFactory<GalleryDbContext> contextFactory, VocabularyRecogniser recogniser, StyleEncoder encoder, ImageStore store, ImageDecoder decoder)
{
    /// <summary>
    /// The map of <paramref name="slug"/> (default: the work's top prediction in
    /// <paramref name="vocabulary"/>) over the work's image; null when the encoder or a trained head is
    /// missing, the work or its image is unknown, or it has no prediction yet.
    /// </summary>
    public async Task<ActivationMapView?> RenderAsync(int artworkId, TagVocabulary vocabulary = TagVocabulary.Style, string? slug = null, CancellationToken cancellationToken = default)
    {
        if (!encoder.IsAvailable)
        {
            return null;
        }

        double? probability = null;
        if (slug is null)
        {
            var predictions = await recogniser.Head(vocabulary).PredictAsync(artworkId, 1, cancellationToken);
            var top = predictions.Count > 0 ? predictions[0] : null;
            (slug, probability) = (top?.Slug, top?.Probability);
        }

        var head = slug is null ? null : recogniser.Head(vocabulary).HeadFor(slug);
        if (head is null)
        {
            return null;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var sha = await db.Artworks.AsNoTracking().Where(a => a.Id == artworkId).Select(a => a.ImageSha256).FirstOrDefaultAsync(cancellationToken);
        var path = sha is null ? null : await store.EnsureDerivedAsync(sha, DerivedSize.Model, cancellationToken);
        if (path is null)
        {
            return null;
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        return await Task.Run(() =>
        {
            using var image = decoder.Decode(bytes);
            var maps = encoder.ContentMaps(image);
            var grid = ClassActivationMap.Compute(maps, head.ContentWeights);
            var png = ClassActivationMap.OverlayPng(ClassActivationMap.Evidence(grid), maps.Height, maps.Width);
            return new ActivationMapView(vocabulary, head.Name, head.Slug, probability, maps.Height, maps.Width, grid, png);
        }, cancellationToken);
    }
}
