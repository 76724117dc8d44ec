using ArtGallery.Core.Accounts;
using ArtGallery.Testing;
using Microsoft.Extensions.Options;

namespace ArtGallery.UnitTests.Core;

public sealed class SignInThrottleTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void FailuresFromOneClient_AfterTheFreeOnes_WaitLongerEachTime_UpToTheLongestDelay()
    {
        var time = new ManualTimeProvider(Start);
        using var throttle = new SignInThrottle(Options.Create(new AccountsOptions { MaxFailedSignIns = 5, LockoutMinutes = 15, FailedSignInsPerAccountPerHour = 1000 }), time);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(TimeSpan.Zero, throttle.RetryAfter("owner@example.test", "10.0.0.1"));
            throttle.Failed("owner@example.test", "10.0.0.1");
        }

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            var wait = throttle.RetryAfter("owner@example.test", "10.0.0.1");
            waits.Add(wait);
            time.Advance(wait);
            Assert.Equal(TimeSpan.Zero, throttle.RetryAfter("owner@example.test", "10.0.0.1"));
            throttle.Failed("owner@example.test", "10.0.0.1");
        }

        Assert.Equal([30, 60, 120, 240, 480, 900, 900, 900], waits.Select(w => (int)w.TotalSeconds));
    }

    [Fact]
    public void AGuesserAtAnAddress_NeverHoldsOffTheOwnerOnAnotherClient_EvenWhenTheAddressBudgetIsSpent()
    {
        var time = new ManualTimeProvider(Start);
        using var throttle = new SignInThrottle(Options.Create(new AccountsOptions { MaxFailedSignIns = 5, FailedSignInsPerAccountPerHour = 10 }), time);

        // Many guessers, two guesses each: none reaches its own delay, but together they spend the address's budget.
        for (var client = 0; client < 20; client++)
        {
            throttle.Failed("Owner@Example.test", $"10.0.1.{client}");
            throttle.Failed("owner@example.test", $"10.0.1.{client}");
        }

        Assert.True(throttle.RetryAfter("owner@example.test", "10.0.1.3") > TimeSpan.Zero, "a guesser is held off once the address's budget is spent");
        Assert.Equal(TimeSpan.Zero, throttle.RetryAfter("owner@example.test", "192.168.1.20"));
        Assert.Equal(TimeSpan.Zero, throttle.RetryAfter("someone-else@example.test", "10.0.1.3"));
    }

    [Fact]
    public void ARightPassword_ForgetsThatClientsFailures()
    {
        var time = new ManualTimeProvider(Start);
        using var throttle = new SignInThrottle(Options.Create(new AccountsOptions { MaxFailedSignIns = 2 }), time);
        throttle.Failed("a@example.test", "10.0.0.1");
        throttle.Failed("a@example.test", "10.0.0.1");
        Assert.True(throttle.RetryAfter("a@example.test", "10.0.0.1") > TimeSpan.Zero);
        throttle.Succeeded("a@example.test", "10.0.0.1");
        Assert.Equal(TimeSpan.Zero, throttle.RetryAfter("a@example.test", "10.0.0.1"));
    }
}
