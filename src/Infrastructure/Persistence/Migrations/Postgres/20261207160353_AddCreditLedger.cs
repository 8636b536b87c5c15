using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CleanBackend.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AddCreditLedger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CreditEntries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Sequence = table.Column<long>(type: "bigint", nullable: true),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Amount = table.Column<int>(type: "integer", nullable: false),
                    JobId = table.Column<Guid>(type: "uuid", nullable: true),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Reference = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ActorId = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CreditEntries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CreditEntries_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CreditEntries_JobId",
                table: "CreditEntries",
                column: "JobId");

            migrationBuilder.CreateIndex(
                name: "IX_CreditEntries_UserId_CreatedAt",
                table: "CreditEntries",
                columns: new[] { "UserId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CreditEntries_UserId_Kind_CreatedAt",
                table: "CreditEntries",
                columns: new[] { "UserId", "Kind", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CreditEntries_UserId_Reference",
                table: "CreditEntries",
                columns: new[] { "UserId", "Reference" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CreditEntries_UserId_Sequence",
                table: "CreditEntries",
                columns: new[] { "UserId", "Sequence" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CreditEntries");
        }
    }
}
