namespace ArtGallery.Engines.Runtime;

/// <summary>A request to a generator that says, in words, what is wrong with it before any model work.</summary>
public interface IEngineRequest
{
    /// <summary>What is wrong with the request, one phrase a problem; empty when it can run.</summary>
    IReadOnlyList<string> Validate();
}
