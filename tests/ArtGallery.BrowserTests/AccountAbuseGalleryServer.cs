using ArtGallery.Testing;

namespace ArtGallery.BrowserTests;

/// <summary>The web app with the default account limits and a few plain accounts, for the enumeration and guessing tests.</summary>
public sealed class AccountAbuseGalleryServer : GalleryServer
{
    public const string OwnerEmail = "owner@example.test";

    /// <summary>Real accounts the timing test guesses at (one wrong password each per client).</summary>
    public static readonly string[] TimingEmails = ["timing-0@example.test", "timing-1@example.test", "timing-2@example.test"];

    protected override async Task PrepareDatabaseAsync(string database, string imagesDirectory)
    {
        await using var services = TestDatabase.Services(database, imagesDirectory);
        await TestAccounts.CreateAsync(services, OwnerEmail);
        foreach (var email in TimingEmails)
        {
            await TestAccounts.CreateAsync(services, email);
        }
    }
}
