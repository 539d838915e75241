using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EstateVoice.Server.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Calls_Lease : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LeaseExpiresAt",
                table: "Calls",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LeaseOwner",
                table: "Calls",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LeaseExpiresAt",
                table: "Calls");

            migrationBuilder.DropColumn(
                name: "LeaseOwner",
                table: "Calls");
        }
    }
}
