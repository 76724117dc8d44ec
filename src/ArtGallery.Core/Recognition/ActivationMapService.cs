using ArtGallery.Core.Storage;
using ArtGallery.Engines.Encoding;
using ArtGallery.Engines.Imaging;
using Microsoft.Extensions.Caching.Memory;

namespace ArtGallery.Core.Recognition;

/// <summary>
/// "Where the model sees it" for one work and one class: the class activation map over the work's
/// stage-4 grid (<see cref="Grid"/>, row-major, <see cref="Height"/> × <see cref="Width"/>) and a
/// transparent PNG of its positive evidence to lay over the whole image.
/// </summary>
public sealed record ActivationMapView(TagVocabulary Vocabulary, string ClassName, string Slug, double? Probability, int Height, int Width, float[] Grid, byte[] OverlayPng);

/// <summary>
/// A tag a reader can ask "where does the model see it" of: the work's top style, or one of the
/// subjects it shows (a curator's, or the model's suggestion); <see cref="Probability"/> is the head's.
/// </summary>
public sealed record MapChoice(TagVocabulary Vocabulary, string Slug, string Name, double? Probability, bool ByCurator);

/// <summary>Runs the encoder on a work's image and maps one class of the recogniser's head over it.</summary>
public sealed class ActivationMapService(IDbContextFactory<GalleryDbContext> contextFactory, VocabularyRecogniser recogniser, StyleEncoder encoder, ImageStore store, ImageDecoder decoder)
    : IDisposable
{
    /// <summary>Maps kept in memory (about 10 KB each: a 7 × 7 grid and a small PNG), so toggling between tags does not rerun the network.</summary>
    public const int CachedMaps = 64;

    private readonly MemoryCache _maps = new(new MemoryCacheOptions { SizeLimit = CachedMaps });

    /// <summary>
    /// What a reader may map on this work, in the order offered: the subjects it shows (curator subjects
    /// first, then the model's suggestions, each most probable first), then its top style. Only tags the
    /// trained heads have a class for; the first is the default.
    /// </summary>
    public async Task<IReadOnlyList<MapChoice>> ChoicesAsync(int artworkId, CancellationToken cancellationToken = default)
    {
        var choices = new List<MapChoice>();
        var subjects = recogniser.Head(TagVocabulary.Subject);
        if (subjects.Status.IsTrained)
        {
            var shown = await subjects.DescribeAsync(artworkId, cancellationToken);
            var probabilities = (await subjects.PredictAsync(artworkId, int.MaxValue, cancellationToken)).ToDictionary(p => p.Slug, p => p.Probability, StringComparer.Ordinal);
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            var curator = await db.ArtworkTags.AsNoTracking()
                .Where(t => t.ArtworkId == artworkId && t.Tag!.Vocabulary == TagVocabulary.Subject && t.Status == TagStatus.Accepted)
                .Select(t => new { t.Tag!.Slug, t.Tag.Name }).ToListAsync(cancellationToken);
            choices.AddRange(curator.Select(t => new MapChoice(TagVocabulary.Subject, t.Slug, t.Name, probabilities.TryGetValue(t.Slug, out var p) ? p : null, ByCurator: true))
                .OrderByDescending(c => c.Probability ?? -1).ThenBy(c => c.Name, StringComparer.Ordinal));
            choices.AddRange(shown.Model.Where(m => curator.All(c => c.Slug != m.Slug))
                .Select(m => new MapChoice(TagVocabulary.Subject, m.Slug, m.Name, m.Probability, ByCurator: false)));
        }

        var styles = recogniser.Head(TagVocabulary.Style);
        if (styles.Status.IsTrained && (await styles.PredictAsync(artworkId, 1, cancellationToken)) is [var top, ..])
        {
            choices.Add(new MapChoice(TagVocabulary.Style, top.Slug, top.Name, top.Probability, ByCurator: false));
        }

        return [.. choices.Where(c => recogniser.Head(c.Vocabulary).HeadFor(c.Slug) is not null)];
    }

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

        // One map per work, encoder, head training and tag: a retrained head or a new encoder maps anew.
        var key = (artworkId, StyleEncoder.Version, vocabulary, recogniser.Head(vocabulary).Status.TrainedAt, head.Slug);
        if (_maps.TryGetValue(key, out ActivationMapView? cached) && cached is not null)
        {
            return cached with { Probability = probability };
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var sha = await db.Artworks.AsNoTracking().Where(a => a.Id == artworkId).Select(a => a.ImageSha256).FirstOrDefaultAsync(cancellationToken);
        var path = sha is null ? null : await store.EnsureDerivedAsync(sha, DerivedSize.Model, cancellationToken);
        if (path is null)
        {
            return null;
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        var view = await Task.Run(() =>
        {
            using var image = decoder.Decode(bytes);
            var maps = encoder.ContentMaps(image);
            var grid = ClassActivationMap.Compute(maps, head.ContentWeights);
            var png = ClassActivationMap.OverlayPng(ClassActivationMap.Evidence(grid), maps.Height, maps.Width);
            return new ActivationMapView(vocabulary, head.Name, head.Slug, probability, maps.Height, maps.Width, grid, png);
        }, cancellationToken);
        _maps.Set(key, view, new MemoryCacheEntryOptions { Size = 1 });
        return view;
    }

    public void Dispose() => _maps.Dispose();
}
