using System.Diagnostics;
using System.Text.RegularExpressions;
using ArtGallery.Data;
using ArtGallery.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ArtGallery.BrowserTests;

/// <summary>Identity in open tabs and in cookies: what an attacker with a stale tab or a copied cookie can still do.</summary>
public sealed partial class SecurityBrowserTests(SecurityGalleryServer server, ITestOutputHelper output)
    : BrowserTest<SecurityGalleryServer>(server, output), IClassFixture<SecurityGalleryServer>
{
    [Fact]
    public async Task AdminRevokesACurator_WhileTheCuratorsTabIsOpen_TheNextPrivilegedActionInThatTabIsRefusedWithin10s()
    {
        var curator = await NewPageAsync();
        await SignInAsync(curator, "/curate/collections", SecurityGalleryServer.CuratorEmail);
        await HeadlessChromium.WaitUntilInteractiveAsync(curator);
        await Assertions.Expect(curator.GetByTestId("curate-menu")).ToHaveCountAsync(1);

        var admin = await NewPageAsync();
        await SignInAsync(admin, "/admin/roles", SecurityGalleryServer.AdminEmail);
        await HeadlessChromium.WaitUntilInteractiveAsync(admin);
        var row = admin.Locator($"[data-account='{SecurityGalleryServer.CuratorEmail}']");
        await row.GetByTestId("revoke-curator").ClickAsync();
        await Assertions.Expect(row.GetByTestId("account-roles")).ToHaveTextAsync("visitor");
        var revoked = Stopwatch.StartNew();

        // The curator's tab, opened before the revocation and never reloaded, tries to create a curated collection.
        await curator.Locator("input[data-testid=new-collection-name], [data-testid=new-collection-name] input").First.FillAsync("Made after the revocation");
        await curator.GetByTestId("create-collection").ClickAsync();
        await Assertions.Expect(curator.GetByText("needs the Curate level")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        var refusedAfter = revoked.Elapsed;

        // And the open circuit's own identity follows within seconds: the curator's menu goes.
        await Assertions.Expect(curator.GetByTestId("curate-menu")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        Output.WriteLine($"revoked curator's action refused {refusedAfter.TotalSeconds:0.0} s after the revocation; links gone {revoked.Elapsed.TotalSeconds:0.0} s after");
        Assert.True(refusedAfter < TimeSpan.FromSeconds(10), $"refused only after {refusedAfter}");
        Assert.Equal(0, await CollectionsNamedAsync("Made after the revocation"));
    }

    [Fact]
    public async Task SignedOutCookie_ReplayedInAnotherBrowser_NoLongerOpensACuratorPage()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "/curate/collections", SecurityGalleryServer.LeavingEmail);
        await Assertions.Expect(page.GetByTestId("editable-collections")).ToBeVisibleAsync();
        var cookies = await page.Context.CookiesAsync();
        await page.GetByTestId("sign-out").ClickAsync();
        await Assertions.Expect(page.GetByTestId("sign-in-link")).ToBeVisibleAsync();

        // Past the cookie's revalidation interval, as any replay a while later would be.
        await Task.Delay(TimeSpan.FromSeconds(6));
        var replay = await NewPageAsync();
        await replay.Context.AddCookiesAsync(cookies.Select(c => new Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
        }));
        await replay.GotoAsync("/curate/collections");

        await replay.WaitForURLAsync(SignInUrl());
        await Assertions.Expect(replay.GetByTestId("signin-form")).ToBeVisibleAsync();
        await Assertions.Expect(replay.GetByTestId("editable-collections")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ImageEndpoint_SizesThatAreNotPublished_Are404()
    {
        using var client = new HttpClient { BaseAddress = Server.BaseAddress };
        var sha = await AnyImageShaAsync();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync($"/images/thumb/{sha}.jpg")).StatusCode);
        foreach (var size in new[] { "-1", "4", "2147483647", "0", "model", "original" })
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync($"/images/{size}/{sha}.jpg");
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.NotFound, $"/images/{size}/: {(int)response.StatusCode}");
            Output.WriteLine($"/images/{size}/…: {(int)response.StatusCode} in {watch.ElapsedMilliseconds} ms");
        }
    }

    [Fact]
    public async Task BadQueryInput_GetsA400PageWithOneLogLineEach_AndUnknownAddressesTheNotFoundPage()
    {
        using var client = new HttpClient { BaseAddress = Server.BaseAddress };
        var mark = Server.LogLineCount;
        string[] bad = ["/browse?collection=abc", "/browse?q=%00", "/similar/1?w=1e308", "/browse?from=1e9999"];
        foreach (var address in bad)
        {
            using var response = await client.GetAsync(address);
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.BadRequest, $"{address}: {(int)response.StatusCode}");
            Assert.Contains("cannot be read", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var farPage = await client.GetAsync("/browse?page=2147483647"))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, farPage.StatusCode);
        }

        foreach (var address in new[] { "/no/such/page", "/artworks/999999" })
        {
            using var unknown = await client.GetAsync(address);
            Assert.True(unknown.StatusCode == System.Net.HttpStatusCode.NotFound, $"{address}: {(int)unknown.StatusCode}");
            Assert.Contains("data-testid=\"not-found\"", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await Task.Delay(500);
        var log = Server.LogSince(mark, maxLines: 10_000);
        Output.WriteLine(log);
        Assert.Equal(bad.Length, log.Split('\n').Count(l => l.Contains("Bad request for", StringComparison.Ordinal)));
        Assert.DoesNotContain("fail:", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryKindOfResponse_CarriesTheSecurityHeaders_AndSignOutNeedsAnAntiforgeryToken()
    {
        using var client = new HttpClient { BaseAddress = Server.BaseAddress };
        foreach (var address in new[] { "/", "/health", $"/images/thumb/{await AnyImageShaAsync()}.jpg", "/no/such/page", "/error" })
        {
            using var response = await client.GetAsync(address);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        }

        using var error = await client.GetAsync("/error");
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Contains("Something went wrong", await error.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Server.BaseAddress };
        using var signOut = await noRedirects.PostAsync("/account/signout", new FormUrlEncodedContent([]));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, signOut.StatusCode);
    }

    [Fact]
    public async Task PrivateImages_ACreationIsServedToItsOwnerOnly_AndAnUploadToNobody()
    {
        var template = await TestDatabase.DemoTemplateAsync();
        await using var services = TestDatabase.Services(Server.Database, template.ImagesDirectory);
        var store = services.GetRequiredService<ArtGallery.Core.Storage.ImageStore>();
        var painted = ArtGallery.Engines.Demo.DemoCatalogue.Plan(2, seed: 4242).Select(ArtGallery.Core.Demo.DemoSeeder.Paint).ToList();
        var creationSha = ArtGallery.Core.Storage.ImageStore.Sha256Hex(painted[0]);
        var uploadSha = ArtGallery.Core.Storage.ImageStore.Sha256Hex(painted[1]);
        await store.PutOriginalAsync(creationSha, painted[0]);
        await store.PutOriginalAsync(uploadSha, painted[1]);
        await using (var db = await services.GetRequiredService<IDbContextFactory<GalleryDbContext>>().CreateDbContextAsync())
        {
            var curatorId = await db.Users.Where(u => u.Email == SecurityGalleryServer.CuratorEmail).Select(u => u.Id).SingleAsync();
            db.Creations.Add(new ArtGallery.Data.Entities.Creation
            {
                OwnerId = ArtGallery.Core.Recommendations.VisitorKeys.ForAccount(curatorId),
                Kind = "style-transfer",
                Title = "A private painting",
                ImageSha256 = creationSha,
                PixelWidth = 64,
                PixelHeight = 64,
                FileBytes = painted[0].Length,
                CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        var work = await AnyImageShaAsync();
        using var anonymous = new AccountClient(Server.BaseAddress, "127.0.0.21");
        using var stranger = new AccountClient(Server.BaseAddress, "127.0.0.22");
        using var owner = new AccountClient(Server.BaseAddress, "127.0.0.23");
        using (var signedIn = await stranger.SignInAsync(SecurityGalleryServer.AdminEmail, TestAccounts.Password))
        {
            Assert.Equal("redirect /", AccountClient.Answer(signedIn));
        }

        using (var signedIn = await owner.SignInAsync(SecurityGalleryServer.CuratorEmail, TestAccounts.Password))
        {
            Assert.Equal("redirect /", AccountClient.Answer(signedIn));
        }

        var seen = new List<string>();
        foreach (var (who, client) in new[] { ("anonymous", anonymous), ("another account (admin)", stranger), ("owner", owner) })
        {
            foreach (var (what, sha) in new[] { ("work", work), ("creation", creationSha), ("upload", uploadSha) })
            {
                using var response = await client.Http.GetAsync($"/images/thumb/{sha}.jpg");
                seen.Add($"{who} {what}: {(int)response.StatusCode}");
                var expected = what == "work" || (what == "creation" && who == "owner") ? System.Net.HttpStatusCode.OK : System.Net.HttpStatusCode.NotFound;
                Assert.True(expected == response.StatusCode, $"{who}, {what}: {(int)response.StatusCode}");
                if (what == "creation" && who == "owner")
                {
                    Assert.Contains("private", response.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);
                }
            }
        }

        Output.WriteLine("private images: " + string.Join("; ", seen));
    }

    private async Task<string> AnyImageShaAsync()
    {
        var template = await TestDatabase.DemoTemplateAsync();
        await using var services = TestDatabase.Services(Server.Database, template.ImagesDirectory);
        await using var db = await services.GetRequiredService<IDbContextFactory<GalleryDbContext>>().CreateDbContextAsync();
        return await db.Artworks.OrderBy(a => a.Id).Select(a => a.ImageSha256).FirstAsync();
    }

    private async Task<int> CollectionsNamedAsync(string name)
    {
        var template = await TestDatabase.DemoTemplateAsync();
        await using var services = TestDatabase.Services(Server.Database, template.ImagesDirectory);
        await using var db = await services.GetRequiredService<IDbContextFactory<GalleryDbContext>>().CreateDbContextAsync();
        return await db.Collections.CountAsync(c => c.Name == name);
    }

    private static async Task SignInAsync(IPage page, string path, string email)
    {
        await page.GotoAsync(path);
        await page.WaitForURLAsync(SignInUrl());
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(TestAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync(email);
    }

    [GeneratedRegex("/account/signin", RegexOptions.IgnoreCase)]
    private static partial Regex SignInUrl();
}
