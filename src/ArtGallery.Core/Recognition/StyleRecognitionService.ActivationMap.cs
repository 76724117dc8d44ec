using ArtGallery.Data.Entities;
using ArtGallery.Engines.Encoding;

namespace ArtGallery.Core.Recognition;

/// <summary>One class of a trained vocabulary head, as a class activation map needs it.</summary>
/// <param name="ContentWeights">The class's weights on the raw content embedding (standardisation undone), one per stage-4 channel.</param>
public sealed record ClassHead(TagVocabulary Vocabulary, string Name, string Slug, float[] ContentWeights);

/// <summary>
/// The one place the activation map reads the trained head: when the recogniser learns other
/// vocabularies, only this file needs to find their heads.
/// </summary>
public sealed partial class StyleRecognitionService
{
    /// <summary>
    /// The content part of class <paramref name="slug"/>'s weights in <paramref name="vocabulary"/>'s
    /// head, or null when no head for it is trained (only Style has one today) or it has no such class.
    /// </summary>
    public ClassHead? HeadFor(TagVocabulary vocabulary, string slug)
    {
        var model = _model;
        if (vocabulary != TagVocabulary.Style || model is null)
        {
            return null;
        }

        var index = model.Styles.Select(s => s.Slug).ToList().IndexOf(slug);
        if (index < 0)
        {
            return null;
        }

        // RecogniserFeatures = [style, content]: the content block is the last ContentDimensions.
        var weights = model.Classifier.RawWeights(index);
        return new ClassHead(vocabulary, model.Styles[index].Name, slug, weights[StyleEncoder.StyleDimensions..]);
    }
}
