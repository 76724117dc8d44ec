using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ArtGallery.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class Engagements : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Engagements",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    VisitorKey = table.Column<string>(type: "character varying(460)", maxLength: 460, nullable: false),
                    Kind = table.Column<short>(type: "smallint", nullable: false),
                    ArtworkId = table.Column<int>(type: "integer", nullable: true),
                    ArtistId = table.Column<int>(type: "integer", nullable: true),
                    DwellMs = table.Column<int>(type: "integer", nullable: true),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Engagements", x => x.Id);
                    table.CheckConstraint("CK_Engagements_Target", "\"ArtworkId\" IS NOT NULL OR \"ArtistId\" IS NOT NULL");
                    table.ForeignKey(
                        name: "FK_Engagements_Artists_ArtistId",
                        column: x => x.ArtistId,
                        principalTable: "Artists",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Engagements_Artworks_ArtworkId",
                        column: x => x.ArtworkId,
                        principalTable: "Artworks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Engagements_ArtistId",
                table: "Engagements",
                column: "ArtistId");

            migrationBuilder.CreateIndex(
                name: "IX_Engagements_ArtworkId_Kind",
                table: "Engagements",
                columns: new[] { "ArtworkId", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_Engagements_At",
                table: "Engagements",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_Engagements_VisitorKey_Id",
                table: "Engagements",
                columns: new[] { "VisitorKey", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Engagements");
        }
    }
}
