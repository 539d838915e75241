using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EstateVoice.Server.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SpeedToLead : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "BuiltIn",
                table: "Campaigns",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "QueuedAt",
                table: "CampaignLeads",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "FirstRingAt",
                table: "Calls",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Campaigns_BuiltIn",
                table: "Campaigns",
                column: "BuiltIn",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Campaigns_BuiltIn",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "BuiltIn",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "QueuedAt",
                table: "CampaignLeads");

            migrationBuilder.DropColumn(
                name: "FirstRingAt",
                table: "Calls");
        }
    }
}
