using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EstateVoice.Server.Infrastructure.Data.Migrations.Postgres
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
                type: "character varying(64)",
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
