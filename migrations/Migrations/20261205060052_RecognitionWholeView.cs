using Microsoft.EntityFrameworkCore.Migrations;
using Pgvector;

#nullable disable

namespace ArtGallery.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class RecognitionWholeView : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "WholeVersion",
                table: "Embeddings",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<Vector>(
                name: "WholeView",
                table: "Embeddings",
                type: "vector(1536)",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "WholeVersion",
                table: "Embeddings");

            migrationBuilder.DropColumn(
                name: "WholeView",
                table: "Embeddings");
        }
    }
}
