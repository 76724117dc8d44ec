using ArtGallery.Core;
using ArtGallery.Core.Curation;
using ArtGallery.Core.Infrastructure;
using ArtGallery.Web.Components;
using ArtGallery.Web.Features.Accounts;
using ArtGallery.Web.Features.Curation;
using ArtGallery.Web.Features.Health;
using ArtGallery.Web.Features.Images;
using ArtGallery.Web.Features.Recommendations;
using ArtGallery.Web.Features.Security;
using ArtGallery.Web.Features.Studio;
using ArtGallery.Web.Features.Studio.Melody;
using ArtGallery.Web.Features.Studio.Poetry;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);

// ./run.sh serves the build output (not a publish folder): let it find MudBlazor's and our static
// files through the build's manifest in every environment, not only Development.
builder.WebHost.UseStaticWebAssets();

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
// Snackbars at the bottom: at the top they covered the app bar's Sign out.
builder.Services.AddMudServices(mud => mud.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomLeft);

// The features, each registered beside its code (reading its own worker switch): the gallery's own
// (GalleryFeatures), then accounts and curation, then the web's add-ons.
builder.Services
    .AddGalleryFeatures(builder.Configuration)
    .AddAccounts(builder.Configuration)
    .AddCuration()
    .AddWebAccounts()
    .AddStudioWeb();

var app = builder.Build();

await app.Services.MigrateGalleryDatabaseAsync();
await app.Services.EnsureInitialAdminAsync();

app.UseSecurityHeaders();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}

app.UseNotFoundPage();
app.UseQueryGuard();

app.UseVisitorCookie();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapStudio();
app.MapStaticAssets();
app.MapImageEndpoints();
app.MapHealthEndpoints();
app.MapErrorEndpoints();
app.MapExportEndpoints();
app.MapAccountEndpoints();
app.MapMelodyEndpoints();
app.MapPoemEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
