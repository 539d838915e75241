using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EstateVoice.Server.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Leads_IsTest : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IsTest",
                table: "Leads",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            // Hand-written: the "Test caller" leads earlier browser test calls made (EfAgentDataStore.TestCallNote) are flagged, not deleted.
            migrationBuilder.Sql("""UPDATE "Leads" SET "IsTest" = 1 WHERE "Name" = 'Test caller' AND "Notes" = 'Created by a browser test call from the web app, not by a real caller.';""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "IsTest",
                table: "Leads");
        }
    }
}
