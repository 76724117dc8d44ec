using System.Text.RegularExpressions;
using ArtGallery.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ArtGallery.BrowserTests;

/// <summary>Curators and visitors in headless Chromium: signing in, the review queue, and what visitors see after.</summary>
[Collection(CuratorGalleryServer.Collection)]
public sealed partial class CuratorBrowserTests(CuratorGalleryServer server, ITestOutputHelper output)
    : BrowserTest<CuratorGalleryServer>(server, output)
{
    [Fact]
    public async Task Curator_ImportsAFolder_AcceptsASuggestionForAnImportedWork_AndAnAnonymousVisitorThenFindsItUnderThatStyle()
    {
        var curator = await NewPageAsync();
        await SignInAsync(curator, "/curate/review", CuratorGalleryServer.CuratorEmail);
        var imported = await ImportSmallFolderAsync(curator);
        await curator.GotoAsync("/curate/review");
        await BringWorksToReviewAsync(curator, imported);

        var item = curator.Locator(string.Join(", ", imported.Select(id => $"[data-testid=review-item][data-artwork-id='{id}']"))).First;
        var artworkId = await item.GetAttributeAsync("data-artwork-id");
        var title = await item.GetByTestId("review-title").InnerTextAsync();
        var suggestion = item.GetByTestId("suggestion").First;
        var slug = await suggestion.GetAttributeAsync("data-slug");
        var search = $"/browse?style={slug}&q={Uri.EscapeDataString(title)}";

        var visitor = await NewPageAsync();
        await visitor.GotoAsync(search);
        await Assertions.Expect(visitor.GetByTestId("result-count")).ToBeVisibleAsync();
        await Assertions.Expect(visitor.Locator($"a[href='/artworks/{artworkId}']")).ToHaveCountAsync(0);

        await suggestion.GetByTestId("accept").ClickAsync();
        await Assertions.Expect(curator.Locator($"[data-testid=review-item][data-artwork-id='{artworkId}']")).ToHaveCountAsync(0);

        // A visitor in a fresh, anonymous context now finds the work among that style's works.
        var stranger = await NewPageAsync();
        await stranger.GotoAsync(search);
        await Assertions.Expect(stranger.Locator($"a[href='/artworks/{artworkId}']").First).ToBeVisibleAsync();
        await stranger.GotoAsync($"/artworks/{artworkId}");
        await Assertions.Expect(stranger.GetByTestId("artwork-title")).ToHaveTextAsync(title);
    }

    [Fact]
    public async Task Curator_AcceptsASubjectSuggestionInTheReviewQueue_AndTheWorkIsThenFoundByThatSubject()
    {
        var curator = await NewPageAsync();
        await SignInAsync(curator, "/curate/review", CuratorGalleryServer.CuratorEmail);
        var imported = await ImportSmallFolderAsync(curator, seed: 9002);
        await curator.GotoAsync("/curate/review");
        await HeadlessChromium.WaitUntilInteractiveAsync(curator);
        await curator.GetByTestId("vocabulary-Subject").ClickAsync();
        await Assertions.Expect(curator.GetByTestId("vocabulary-Subject")).ToHaveAttributeAsync("aria-pressed", "true");
        await BringWorksToReviewAsync(curator, imported);

        var item = curator.Locator(string.Join(", ", imported.Select(id => $"[data-testid=review-item][data-artwork-id='{id}']"))).First;
        var artworkId = await item.GetAttributeAsync("data-artwork-id");
        var title = await item.GetByTestId("review-title").InnerTextAsync();
        var suggestion = item.GetByTestId("suggestion").First;
        var subject = (await suggestion.GetAttributeAsync("data-name"))!;
        var search = $"/search?q={Uri.EscapeDataString($"{title} {subject}")}";
        var accepted = $"subject: {subject}";

        // Before: the suggestion is indexed (new works are findable), but no result says the work shows that subject.
        var visitor = await NewPageAsync();
        await visitor.GotoAsync(search);
        await Assertions.Expect(visitor.GetByTestId("word-result-count")).ToBeVisibleAsync();
        await Assertions.Expect(Reason(visitor, artworkId!, accepted)).ToHaveCountAsync(0);

        await suggestion.GetByTestId("accept").ClickAsync();
        await Assertions.Expect(curator.Locator($"[data-testid=review-item][data-artwork-id='{artworkId}']")).ToHaveCountAsync(0);

        // After: a fresh visitor's words search finds the work by that subject, and says so.
        var stranger = await NewPageAsync();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            await stranger.GotoAsync(search);
            await Assertions.Expect(stranger.GetByTestId("word-result-count")).ToBeVisibleAsync();
            if (await Reason(stranger, artworkId!, accepted).CountAsync() == 1)
            {
                break;
            }

            // The words index catches up on the embedding worker's next pass (every 30 s).
            Assert.True(DateTime.UtcNow < deadline, $"work {artworkId} not found by “{accepted}”");
            await Task.Delay(2000);
        }

        // Clicked once the circuit is interactive: a click while it starts once left the page on the results with
        // the address changed (docs/status.md, the early-click case).
        await HeadlessChromium.WaitUntilInteractiveAsync(stranger);
        await stranger.Locator($"[data-testid=word-result] a[href='/artworks/{artworkId}']").First.ClickAsync();
        await stranger.WaitForURLAsync($"**/artworks/{artworkId}");
        await Assertions.Expect(stranger.Locator("[data-testid=work-subject][data-source=curator]")).ToContainTextAsync(subject);
    }

    [Fact]
    public async Task Stranger_OpeningTheReviewQueue_IsSentToSignIn_AndAVisitorIsRefused()
    {
        var stranger = await NewPageAsync();
        await stranger.GotoAsync("/curate/review");
        await stranger.WaitForURLAsync(ReviewReturnUrl());
        await Assertions.Expect(stranger.GetByTestId("signin-form")).ToBeVisibleAsync();

        var visitor = await NewPageAsync();
        await SignInAsync(visitor, "/curate/review", CuratorGalleryServer.VisitorEmail);
        await Assertions.Expect(visitor.GetByText("does not have the role")).ToBeVisibleAsync();
        await Assertions.Expect(visitor.GetByTestId("review-queue")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Account_RegisteredThenGuessedAt_HoldsOffThatBrowserEvenWithTheRightPassword()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/account/register");
        await page.Locator("#email").FillAsync("forgetful@example.test");
        await page.Locator("#password").FillAsync(TestAccounts.Password);
        await page.Locator("#confirm").FillAsync(TestAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();

        // Registering never signs in (that would tell whether the address was free): the sign-in page says what to do.
        await Assertions.Expect(page.GetByTestId("account-notice")).ToContainTextAsync("If that address was free");
        await SubmitSignInAsync(page, "forgetful@example.test", TestAccounts.Password);
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync("forgetful@example.test");
        await page.GetByTestId("sign-out").ClickAsync();
        await Assertions.Expect(page.GetByTestId("sign-in-link")).ToBeVisibleAsync();

        for (var attempt = 0; attempt < 3; attempt++)
        {
            await SubmitSignInAsync(page, "forgetful@example.test", "wrong-password-0");
            await Assertions.Expect(page.GetByTestId("account-error")).ToContainTextAsync("do not match");
        }

        await SubmitSignInAsync(page, "forgetful@example.test", TestAccounts.Password);
        await Assertions.Expect(page.GetByTestId("account-error")).ToContainTextAsync("Too many failed sign-ins");
    }

    /// <summary>
    /// Uploads a ZIP of four newly painted works with a CSV sidecar on /curate/import, waits for the
    /// per-row report and returns the ids of the imported works.
    /// </summary>
    private static async Task<IReadOnlyList<string>> ImportSmallFolderAsync(IPage curator, int seed = 9001)
    {
        var zip = Path.Combine(Directory.CreateTempSubdirectory("ag-browser-import-").FullName, "new-works.zip");
        using (var archive = System.IO.Compression.ZipFile.Open(zip, System.IO.Compression.ZipArchiveMode.Create))
        {
            // A seed the server's demo collection does not use: new images, so new works.
            var works = ArtGallery.Engines.Demo.DemoCatalogue.Plan(4, seed);
            var csv = new System.Text.StringBuilder("file,title,creator\n");
            foreach (var work in works)
            {
                var name = $"work-{work.Index}.jpg";
                await using (var entry = archive.CreateEntry(name).Open())
                {
                    await entry.WriteAsync(ArtGallery.Core.Demo.DemoSeeder.Paint(work));
                }

                csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{name},Imported {work.Title},{work.Artist.Name}\n");
            }

            await using var sidecar = new StreamWriter(archive.CreateEntry("metadata.csv").Open());
            await sidecar.WriteAsync(csv.ToString());
        }

        await curator.GotoAsync("/curate/import");
        // Enabled once the circuit is up: files chosen before that would go nowhere.
        await Assertions.Expect(curator.GetByTestId("import-files")).ToBeEnabledAsync();
        await curator.GetByTestId("import-files").SetInputFilesAsync(zip);
        await Assertions.Expect(curator.GetByTestId("import-summary")).ToContainTextAsync("imported 4", new() { Timeout = 120_000 });
        var links = curator.GetByTestId("import-report").Locator("a[href^='/artworks/']");
        await Assertions.Expect(links).ToHaveCountAsync(4);
        var ids = new List<string>();
        foreach (var link in await links.AllAsync())
        {
            ids.Add((await link.GetAttributeAsync("href"))!["/artworks/".Length..]);
        }

        return ids;
    }

    /// <summary>The reason <paramref name="reason"/> (exactly) under the words result for one work.</summary>
    private static ILocator Reason(IPage page, string artworkId, string reason) =>
        page.Locator($"[data-testid=word-result]:has(a[href='/artworks/{artworkId}']) [data-testid=match-reasons] li")
            .Filter(new() { HasTextRegex = new Regex($"^{Regex.Escape(reason)}$", RegexOptions.None, TimeSpan.FromSeconds(1)) });

    /// <summary>Waits until the review queue shows a suggestion for one of <paramref name="artworkIds"/>.</summary>
    private static async Task BringWorksToReviewAsync(IPage curator, IReadOnlyList<string> artworkIds)
    {
        // New works are embedded, then the recognition worker suggests (every 20 s); slow on a busy machine.
        var deadline = DateTime.UtcNow.AddSeconds(180);
        var wanted = curator.Locator(string.Join(", ", artworkIds.Select(id => $"[data-testid=review-item][data-artwork-id='{id}']")));
        while (await wanted.CountAsync() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "no suggestions reached the review queue");
            await Task.Delay(2000);
            await curator.GetByTestId("queue-reload").First.ClickAsync();
        }
    }

    internal static async Task SignInAsync(IPage page, string path, string email)
    {
        await page.GotoAsync(path);
        await page.WaitForURLAsync(new Regex("/account/signin", RegexOptions.None, TimeSpan.FromSeconds(1)));
        await SubmitSignInAsync(page, email, TestAccounts.Password);
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync(email);
    }

    internal static async Task SubmitSignInAsync(IPage page, string email, string password)
    {
        if (!page.Url.Contains("/account/signin", StringComparison.Ordinal))
        {
            await page.GotoAsync("/account/signin");
        }

        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    [GeneratedRegex(@"/account/signin\?returnUrl=%2Fcurate%2Freview", RegexOptions.IgnoreCase)]
    private static partial Regex ReviewReturnUrl();
}
