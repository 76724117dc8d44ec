using Microsoft.AspNetCore.Identity;

namespace ArtGallery.Data.Entities;

/// <summary>
/// An account: a registered visitor, a curator or an admin (roles are Identity roles). Its own type
/// so likes and other per-visitor data can hang off it without touching Identity's tables.
/// </summary>
public sealed class GalleryUser : IdentityUser;
