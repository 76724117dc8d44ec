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

    /// <summary>Failed sign-ins in a row before an account is locked.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    public int LockoutMinutes { get; set; } = 15;
}

public sealed class InitialAdminOptions
{
    public string? Email { get; set; }

    public string? Password { get; set; }
}
