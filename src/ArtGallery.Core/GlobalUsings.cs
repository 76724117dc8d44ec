// Every feature reads and writes the gallery database through EF Core, logs and takes options.
global using ArtGallery.Data;
global using ArtGallery.Data.Entities;
global using Microsoft.EntityFrameworkCore;
global using Microsoft.Extensions.Logging;
global using Microsoft.Extensions.Options;
