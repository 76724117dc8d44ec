using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace ArtGallery.Core.Accounts;

/// <summary>
/// Checks an address and password so that an unknown address costs what a real one does. Identity
/// answers an unknown address at once (3 ms) and a real one after hashing the password (67 ms), so the
/// time alone told which addresses have accounts; here an unknown address has a dummy hash checked.
/// Registration likewise hashes for an address already taken, and answers with the same outcome.
/// </summary>
public sealed class PasswordCheck(UserManager<GalleryUser> users)
{
    private static readonly Lazy<string> DummyHash = new(() =>
        new PasswordHasher<GalleryUser>().HashPassword(new GalleryUser(), Convert.ToHexString(RandomNumberGenerator.GetBytes(16))));

    /// <summary>The account when the password is its own; null for a wrong password and for an unknown address alike.</summary>
    public async Task<GalleryUser?> CheckAsync(string address, string password)
    {
        var user = await users.FindByEmailAsync(address);
        if (user is null)
        {
            users.PasswordHasher.VerifyHashedPassword(new GalleryUser(), DummyHash.Value, password);
            return null;
        }

        return await users.CheckPasswordAsync(user, password) ? user : null;
    }

    /// <summary>
    /// Creates the account unless the address is taken. Only problems with the password itself are
    /// returned (they do not depend on who else registered); a taken address is not one of them.
    /// </summary>
    public async Task<IReadOnlyList<string>> RegisterAsync(string address, string password)
    {
        var candidate = new GalleryUser { UserName = address, Email = address };
        var problems = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, candidate, password);
            problems.AddRange(result.Errors.Select(e => e.Description));
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        if (await users.FindByEmailAsync(address) is not null)
        {
            // What creating it would have cost.
            users.PasswordHasher.HashPassword(candidate, password);
            return [];
        }

        var created = await users.CreateAsync(candidate, password);
        return created.Errors
            .Where(e => e.Code is not (nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName)))
            .Select(e => e.Description)
            .ToList();
    }
}
