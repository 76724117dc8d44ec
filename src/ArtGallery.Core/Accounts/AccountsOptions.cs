namespace ArtGallery.Core.Accounts;

/// <summary>Accounts settings (section "Accounts").</summary>
public sealed class AccountsOptions
{
    public const string Section = "Accounts";

    /// <summary>Environment variables that override <see cref="InitialAdmin"/> (handy for ./run.sh and containers).</summary>
    public const string AdminEmailVariable = "ARTGALLERY_ADMIN_EMAIL";

    public const string AdminPasswordVariable = "ARTGALLERY_ADMIN_PASSWORD";

    /// <summary>The first admin, created on start when no account has the Admin role. Never given a default.</summary>
    public InitialAdminOptions InitialAdmin { get; set; } = new();

    /// <summary>Failed sign-ins at one address from one client before that client must wait (see <see cref="SignInThrottle"/>).</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>The longest wait a client is given after repeated failures at one address.</summary>
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Sign-in and register posts one client (IP address) may make per minute; more get 429.</summary>
    public int SignInsPerClientPerMinute { get; set; } = 20;

    /// <summary>Failed sign-ins at one address per hour, from all clients together, before clients that failed there are held off.</summary>
    public int FailedSignInsPerAccountPerHour { get; set; } = 50;
}

public sealed class InitialAdminOptions
{
    public string? Email { get; set; }

    public string? Password { get; set; }
}
