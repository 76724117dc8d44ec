// The entity configurations' own vocabulary: EF Core's model builder over the gallery's entities.
global using Microsoft.EntityFrameworkCore;
global using Microsoft.EntityFrameworkCore.Metadata.Builders;
global using ArtGallery.Data.Entities;
