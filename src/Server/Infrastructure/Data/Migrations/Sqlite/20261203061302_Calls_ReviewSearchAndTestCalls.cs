using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EstateVoice.Server.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Calls_ReviewSearchAndTestCalls : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IsTest",
                table: "Calls",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            // Hand-written: test calls placed before this column existed (the browser test-call page's calls).
            migrationBuilder.Sql("UPDATE \"Calls\" SET \"IsTest\" = 1 WHERE \"FromNumber\" = 'browser' AND \"CallSid\" LIKE 'BR%';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "IsTest",
                table: "Calls");
        }
    }
}
