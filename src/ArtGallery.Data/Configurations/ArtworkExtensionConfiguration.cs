namespace ArtGallery.Data.Configurations;

internal static class ArtworkExtensionConfiguration
{
    /// <summary>
    /// The table <paramref name="table"/>, keyed by its work, one-to-one, deleted with it. For extensions
    /// the work has no navigation to; <see cref="ArtworkConfiguration"/> configures the embeddings from the work's side.
    /// </summary>
    public static EntityTypeBuilder<T> IsArtworkExtension<T>(this EntityTypeBuilder<T> builder, string table)
        where T : ArtworkExtension
    {
        builder.ToTable(table);
        builder.HasKey(e => e.ArtworkId);
        builder.HasOne(e => e.Artwork).WithOne().HasForeignKey<T>(e => e.ArtworkId).OnDelete(DeleteBehavior.Cascade);
        return builder;
    }
}
