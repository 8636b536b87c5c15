using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CleanBackend.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class AddJobImageInputs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ImageAssetIds",
                table: "GenerationJobs",
                type: "nvarchar(150)",
                maxLength: 150,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "TargetPolycount",
                table: "GenerationJobs",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Topology",
                table: "GenerationJobs",
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "Triangle");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ImageAssetIds",
                table: "GenerationJobs");

            migrationBuilder.DropColumn(
                name: "TargetPolycount",
                table: "GenerationJobs");

            migrationBuilder.DropColumn(
                name: "Topology",
                table: "GenerationJobs");
        }
    }
}
