using Xunit.Abstractions;

namespace ArtGallery.BrowserTests;

/// <summary>
/// axe-core's scan of every page the layout tests visit, for each kind of person, at a laptop's
/// width and a phone's: no critical and no serious violation anywhere (WCAG 2.x A and AA rules,
/// plus axe's best practices, which is where landmark and heading rules live). Each page is scanned
/// once per person and width, in the visits the layout test checks too (<see cref="LayoutVisits"/>).
/// </summary>
[Collection(LayoutGalleryServer.Collection)]
public sealed class AccessibilityBrowserTests(LayoutGalleryServer server, ITestOutputHelper output)
    : BrowserTest<LayoutGalleryServer>(server, output)
{
    private static readonly string[] People =
    [
        "anonymous", LayoutGalleryServer.VisitorEmail, LayoutGalleryServer.CuratorEmail, LayoutGalleryServer.AdminEmail,
    ];

    [Fact]
    public async Task EveryPage_ForEveryone_HasNoCriticalOrSeriousAxeViolations()
    {
        var pages = 0;
        var critical = 0;
        var serious = 0;
        var found = new List<string>();
        foreach (var who in People)
        {
            var page = await NewPageAsync();
            if (who != "anonymous")
            {
                await LayoutBrowserTests.SignInAsync(page, who);
            }

            foreach (var width in new[] { 1280, 390 })
            {
                foreach (var visit in await Server.Visits.VisitAsync(page, who, width, width == 390 ? 844 : 900, Server.LongTitleWorkId))
                {
                    pages++;
                    foreach (var violation in visit.Axe.Violations.Where(v => v.Impact is "critical" or "serious"))
                    {
                        if (violation.Impact == "critical")
                        {
                            critical++;
                        }
                        else
                        {
                            serious++;
                        }

                        var targets = string.Join(" | ", violation.Nodes.Take(3).Select(n => n.Target?.ToString() + " " + n.Html));
                        found.Add(FormattableString.Invariant($"{who.Split('@')[0]} {width} {visit.Path}: {violation.Impact} {violation.Id} ({violation.Nodes.Length} nodes) {targets}"));
                    }
                }
            }
        }

        foreach (var line in found)
        {
            Output.WriteLine(line);
        }

        var summary = FormattableString.Invariant($"pages={pages} critical={critical} serious={serious}");
        Output.WriteLine(summary);
        Console.WriteLine(summary);
        Assert.True(critical == 0 && serious == 0, summary + "\n" + string.Join("\n", found));
    }
}
