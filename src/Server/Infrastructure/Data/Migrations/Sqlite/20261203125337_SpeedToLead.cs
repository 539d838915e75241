using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EstateVoice.Server.Infrastructure.Data.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "QueuedAt",
                table: "CampaignLeads",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "FirstRingAt",
                table: "Calls",
                type: "INTEGER",
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
