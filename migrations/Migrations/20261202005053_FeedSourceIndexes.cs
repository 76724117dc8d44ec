using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ArtGallery.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class FeedSourceIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Artworks_ArtistId",
                table: "Artworks");

            migrationBuilder.CreateIndex(
                name: "IX_Engagements_Positive",
                table: "Engagements",
                columns: new[] { "VisitorKey", "Id" },
                filter: "\"Kind\" IN (1, 3)");

            migrationBuilder.CreateIndex(
                name: "IX_Artworks_ArtistId_CreatedAt_Id",
                table: "Artworks",
                columns: new[] { "ArtistId", "CreatedAt", "Id" },
                descending: new[] { false, true, true });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Engagements_Positive",
                table: "Engagements");

            migrationBuilder.DropIndex(
                name: "IX_Artworks_ArtistId_CreatedAt_Id",
                table: "Artworks");

            migrationBuilder.CreateIndex(
                name: "IX_Artworks_ArtistId",
                table: "Artworks",
                column: "ArtistId");
        }
    }
}
