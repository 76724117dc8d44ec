using ArtGallery.Engines.Encoding;

namespace ArtGallery.Core.Recognition;

/// <summary>One class of a trained vocabulary head, as a class activation map needs it.</summary>
/// <param name="ContentWeights">The class's weights on the raw content embedding (standardisation undone), one per stage-4 channel.</param>
public sealed record ClassHead(TagVocabulary Vocabulary, string Name, string Slug, float[] ContentWeights);

/// <summary>The one place the activation map reads a trained head.</summary>
public sealed partial class VocabularyHead
{
    /// <summary>The content part of class <paramref name="slug"/>'s weights, or null when this head is not trained or has no such class.</summary>
    public ClassHead? HeadFor(string slug)
    {
        var model = _model;
        if (model is null)
        {
            return null;
        }

        var index = model.Tags.Select(s => s.Slug).ToList().IndexOf(slug);
        if (index < 0)
        {
            return null;
        }

        // RecogniserFeatures = [style, content]: the content block is the last ContentDimensions.
        var weights = model.Classifier.RawWeights(index);
        return new ClassHead(Vocabulary, model.Tags[index].Name, slug, weights[StyleEncoder.StyleDimensions..]);
    }
}
