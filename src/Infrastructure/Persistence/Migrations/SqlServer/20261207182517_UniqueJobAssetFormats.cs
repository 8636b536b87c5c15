using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CleanBackend.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class UniqueJobAssetFormats : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Assets_JobId",
                table: "Assets");

            migrationBuilder.CreateIndex(
                name: "IX_Assets_JobId_Format",
                table: "Assets",
                columns: new[] { "JobId", "Format" },
                unique: true,
                filter: "[JobId] IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Assets_JobId_Format",
                table: "Assets");

            migrationBuilder.CreateIndex(
                name: "IX_Assets_JobId",
                table: "Assets",
                column: "JobId");
        }
    }
}
