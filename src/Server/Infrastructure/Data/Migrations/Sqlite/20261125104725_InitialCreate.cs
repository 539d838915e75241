using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EstateVoice.Server.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ElevenLabsEventLogs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CallSid = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    EventType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    EventTimestamp = table.Column<long>(type: "INTEGER", nullable: false),
                    ConversationId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RawPayload = table.Column<string>(type: "TEXT", nullable: false),
                    ProcessingState = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ProcessedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ElevenLabsEventLogs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Users",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    PasswordHash = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    FailedLoginCount = table.Column<int>(type: "INTEGER", nullable: false),
                    LockoutEnd = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Users", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Leads",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Intent = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    BudgetMin = table.Column<long>(type: "INTEGER", precision: 14, scale: 2, nullable: true),
                    BudgetMax = table.Column<long>(type: "INTEGER", precision: 14, scale: 2, nullable: true),
                    PreApproved = table.Column<bool>(type: "INTEGER", nullable: true),
                    Timeline = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    PreferredAreas = table.Column<string>(type: "TEXT", nullable: false),
                    Bedrooms = table.Column<int>(type: "INTEGER", nullable: true),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    AssignedAgentId = table.Column<int>(type: "INTEGER", nullable: true),
                    ConsentToCall = table.Column<bool>(type: "INTEGER", nullable: false),
                    DoNotCall = table.Column<bool>(type: "INTEGER", nullable: false),
                    TimeZone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    QualifiedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Leads", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Leads_Users_AssignedAgentId",
                        column: x => x.AssignedAgentId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "Properties",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Address = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    City = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Zip = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Price = table.Column<long>(type: "INTEGER", precision: 14, scale: 2, nullable: false),
                    Bedrooms = table.Column<int>(type: "INTEGER", nullable: false),
                    Bathrooms = table.Column<long>(type: "INTEGER", precision: 14, scale: 2, nullable: false),
                    SquareFeet = table.Column<int>(type: "INTEGER", nullable: false),
                    PropertyType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Features = table.Column<string>(type: "TEXT", nullable: false),
                    ListingAgentId = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Properties", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Properties_Users_ListingAgentId",
                        column: x => x.ListingAgentId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "Calls",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CallSid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ParentCallSid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ConversationId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Direction = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    FromNumber = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    ToNumber = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AnsweredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DurationSeconds = table.Column<int>(type: "INTEGER", nullable: true),
                    RecordingUrl = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    RecordingBlobName = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    RecordingDurationSeconds = table.Column<int>(type: "INTEGER", nullable: true),
                    TranscriptText = table.Column<string>(type: "TEXT", nullable: true),
                    TranscriptSummary = table.Column<string>(type: "TEXT", nullable: true),
                    CallerUsername = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ReceptionStatus = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    ReceptionTimestamp = table.Column<long>(type: "INTEGER", nullable: true),
                    WebhookProcessedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    FailureReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    StreamTokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    StreamStartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LeadId = table.Column<int>(type: "INTEGER", nullable: true),
                    AgentId = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Calls", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Calls_Leads_LeadId",
                        column: x => x.LeadId,
                        principalTable: "Leads",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_Calls_Users_AgentId",
                        column: x => x.AgentId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "Showings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    LeadId = table.Column<int>(type: "INTEGER", nullable: false),
                    PropertyId = table.Column<int>(type: "INTEGER", nullable: false),
                    AgentId = table.Column<int>(type: "INTEGER", nullable: true),
                    StartsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CallId = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedByUserId = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Showings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Showings_Leads_LeadId",
                        column: x => x.LeadId,
                        principalTable: "Leads",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Showings_Properties_PropertyId",
                        column: x => x.PropertyId,
                        principalTable: "Properties",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Showings_Users_AgentId",
                        column: x => x.AgentId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "CallTurns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CallId = table.Column<int>(type: "INTEGER", nullable: false),
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    Speaker = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    StartMs = table.Column<int>(type: "INTEGER", nullable: false),
                    EndMs = table.Column<int>(type: "INTEGER", nullable: false),
                    ToolCallsJson = table.Column<string>(type: "TEXT", nullable: true),
                    Interrupted = table.Column<bool>(type: "INTEGER", nullable: false),
                    SttLatencyMs = table.Column<int>(type: "INTEGER", nullable: true),
                    LlmFirstTokenMs = table.Column<int>(type: "INTEGER", nullable: true),
                    TtsFirstByteMs = table.Column<int>(type: "INTEGER", nullable: true),
                    FirstAudioMs = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CallTurns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CallTurns_Calls_CallId",
                        column: x => x.CallId,
                        principalTable: "Calls",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CallTurns_CallId_Sequence",
                table: "CallTurns",
                columns: new[] { "CallId", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Calls_AgentId_StartedAt",
                table: "Calls",
                columns: new[] { "AgentId", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Calls_CallSid",
                table: "Calls",
                column: "CallSid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Calls_ConversationId",
                table: "Calls",
                column: "ConversationId");

            migrationBuilder.CreateIndex(
                name: "IX_Calls_Direction",
                table: "Calls",
                column: "Direction");

            migrationBuilder.CreateIndex(
                name: "IX_Calls_LeadId_StartedAt",
                table: "Calls",
                columns: new[] { "LeadId", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Calls_Outcome",
                table: "Calls",
                column: "Outcome");

            migrationBuilder.CreateIndex(
                name: "IX_Calls_ParentCallSid",
                table: "Calls",
                column: "ParentCallSid");

            migrationBuilder.CreateIndex(
                name: "IX_Calls_StartedAt",
                table: "Calls",
                column: "StartedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Calls_Status_StartedAt",
                table: "Calls",
                columns: new[] { "Status", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ElevenLabsEventLogs_CallSid_EventType_EventTimestamp",
                table: "ElevenLabsEventLogs",
                columns: new[] { "CallSid", "EventType", "EventTimestamp" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ElevenLabsEventLogs_ProcessingState_NextAttemptAt",
                table: "ElevenLabsEventLogs",
                columns: new[] { "ProcessingState", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ElevenLabsEventLogs_ReceivedAt",
                table: "ElevenLabsEventLogs",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_AssignedAgentId_Status",
                table: "Leads",
                columns: new[] { "AssignedAgentId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_CreatedAt",
                table: "Leads",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Intent",
                table: "Leads",
                column: "Intent");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Phone",
                table: "Leads",
                column: "Phone");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_QualifiedAt",
                table: "Leads",
                column: "QualifiedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Status",
                table: "Leads",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_Properties_Bedrooms",
                table: "Properties",
                column: "Bedrooms");

            migrationBuilder.CreateIndex(
                name: "IX_Properties_City_Status_Price",
                table: "Properties",
                columns: new[] { "City", "Status", "Price" });

            migrationBuilder.CreateIndex(
                name: "IX_Properties_CreatedAt",
                table: "Properties",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Properties_ListingAgentId",
                table: "Properties",
                column: "ListingAgentId");

            migrationBuilder.CreateIndex(
                name: "IX_Properties_Status_Price",
                table: "Properties",
                columns: new[] { "Status", "Price" });

            migrationBuilder.CreateIndex(
                name: "IX_Showings_AgentId_StartsAt",
                table: "Showings",
                columns: new[] { "AgentId", "StartsAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Showings_CreatedAt",
                table: "Showings",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Showings_LeadId",
                table: "Showings",
                column: "LeadId");

            migrationBuilder.CreateIndex(
                name: "IX_Showings_PropertyId",
                table: "Showings",
                column: "PropertyId");

            migrationBuilder.CreateIndex(
                name: "IX_Showings_StartsAt",
                table: "Showings",
                column: "StartsAt");

            migrationBuilder.CreateIndex(
                name: "IX_Showings_Status",
                table: "Showings",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_Users_Email",
                table: "Users",
                column: "Email",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Users_Role",
                table: "Users",
                column: "Role");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CallTurns");

            migrationBuilder.DropTable(
                name: "ElevenLabsEventLogs");

            migrationBuilder.DropTable(
                name: "Showings");

            migrationBuilder.DropTable(
                name: "Calls");

            migrationBuilder.DropTable(
                name: "Properties");

            migrationBuilder.DropTable(
                name: "Leads");

            migrationBuilder.DropTable(
                name: "Users");
        }
    }
}
