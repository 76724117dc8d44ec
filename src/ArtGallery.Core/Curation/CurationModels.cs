using ArtGallery.Core.Gallery;

namespace ArtGallery.Core.Curation;

/// <summary>A tag in a vocabulary, with its broader term (movement → sub-movement).</summary>
public sealed record VocabularyTag(int Id, TagVocabulary Vocabulary, string Name, string Slug, int? ParentId, int Works);

/// <summary>One line of a work's tag history, for curators.</summary>
public sealed record TagAuditEntry(DateTimeOffset At, string Actor, TagAuditAction Action, string Vocabulary, string TagName, TagSource Source, float Confidence);

/// <summary>A model's suggestion (of one vocabulary) waiting for a curator.</summary>
public sealed record SuggestedTag(int TagId, string Name, string Slug, float Confidence);

/// <summary>
/// A work in the review queue with one vocabulary head's suggestions, most probable first;
/// <see cref="Margin"/> is the gap between the two most probable tags (small = the model is unsure =
/// review first).
/// </summary>
public sealed record ReviewItem(ArtworkCard Card, IReadOnlyList<SuggestedTag> Suggestions, double Margin, TagVocabulary Vocabulary = TagVocabulary.Style);

/// <summary>A curator's verdict on one suggestion.</summary>
public sealed record ReviewDecision(int ArtworkId, int TagId, bool Accept);

public sealed record ReviewOutcome(int Accepted, int Rejected, int Stale);

/// <summary>A work whose curator style the model strongly doubts: worth a second look.</summary>
public sealed record SecondLookItem(ArtworkCard Card, string CuratorStyle, double CuratorStyleProbability, string ModelStyle, double ModelStyleProbability);

/// <summary>A collection as its editor sees it, published or not.</summary>
public sealed record CollectionEditView(int Id, string Name, string Slug, string? Description, bool IsPublished, bool IsPersonal, int? CoverArtworkId, IReadOnlyList<ArtworkCard> Works);

public sealed record CollectionListing(int Id, string Name, string Slug, bool IsPublished, bool IsPersonal, int WorkCount);
