namespace ArtGallery.BrowserTests;

/// <summary>
/// One plain <see cref="GalleryServer"/> (the demo copy, no accounts) for the test classes that only
/// read the demo collection or write what is their own visitor's alone (likes of a fresh browser
/// context's cookie, its creations and poems, a draft collection found by slug): starting the app took
/// 19 to 29 s per class on a loaded 2-core machine. Classes whose assertions read what every visitor
/// did (the "For you" feed) keep a server of their own, as do those that sign in (the sign-in rate
/// limit is per client address, and every test comes from 127.0.0.1).
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedGalleryServer : ICollectionFixture<GalleryServer>
{
    public const string Name = "Shared gallery server";
}
