// The pages' code-behind and the endpoints read the signed-in user and format invariant numbers.
global using ArtGallery.Core.Accounts;
global using Microsoft.AspNetCore.Components;
global using Microsoft.AspNetCore.Components.Authorization;
global using System.Globalization;
