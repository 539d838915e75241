using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EstateVoice.Server.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Calls_LastDialCallSid : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "LastDialCallSid",
                table: "Calls",
                type: "TEXT",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LastDialCallSid",
                table: "Calls");
        }
    }
}
