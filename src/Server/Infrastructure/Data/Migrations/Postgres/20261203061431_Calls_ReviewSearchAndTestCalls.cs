using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EstateVoice.Server.Infrastructure.Data.Migrations.Postgres
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
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Hand-written: test calls placed before this column existed (the browser test-call page's calls).
            migrationBuilder.Sql("""UPDATE "Calls" SET "IsTest" = TRUE WHERE "FromNumber" = 'browser' AND "CallSid" LIKE 'BR%';""");

            // Hand-written: words said in calls are searched with ILIKE '%…%', which trigram GIN indexes serve.
            // (Azure Database for PostgreSQL needs pg_trgm allow-listed in azure.extensions first.)
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");
            migrationBuilder.Sql("""CREATE INDEX "IX_CallTurns_Text_trgm" ON "CallTurns" USING gin ("Text" gin_trgm_ops);""");
            migrationBuilder.Sql("""CREATE INDEX "IX_Calls_TranscriptText_trgm" ON "Calls" USING gin ("TranscriptText" gin_trgm_ops);""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX IF EXISTS "IX_Calls_TranscriptText_trgm";""");
            migrationBuilder.Sql("""DROP INDEX IF EXISTS "IX_CallTurns_Text_trgm";""");
            migrationBuilder.DropColumn(
                name: "IsTest",
                table: "Calls");
        }
    }
}
