using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EstateVoice.Server.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OutboundCompliance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DncRegistryUploads",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BlobName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    NumberCount = table.Column<int>(type: "INTEGER", nullable: false),
                    BadLineCount = table.Column<int>(type: "INTEGER", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    UploadedById = table.Column<int>(type: "INTEGER", nullable: true),
                    UploadedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DncRegistryUploads", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DncRegistryUploads_Users_UploadedById",
                        column: x => x.UploadedById,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "DoNotCallNumbers",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    AddedById = table.Column<int>(type: "INTEGER", nullable: true),
                    LeadId = table.Column<int>(type: "INTEGER", nullable: true),
                    CallId = table.Column<int>(type: "INTEGER", nullable: true),
                    AddedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DoNotCallNumbers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DoNotCallNumbers_Users_AddedById",
                        column: x => x.AddedById,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DncRegistryUploads_UploadedById",
                table: "DncRegistryUploads",
                column: "UploadedById");

            migrationBuilder.CreateIndex(
                name: "IX_DoNotCallNumbers_AddedById",
                table: "DoNotCallNumbers",
                column: "AddedById");

            migrationBuilder.CreateIndex(
                name: "IX_DoNotCallNumbers_Phone",
                table: "DoNotCallNumbers",
                column: "Phone",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DncRegistryUploads");

            migrationBuilder.DropTable(
                name: "DoNotCallNumbers");
        }
    }
}
