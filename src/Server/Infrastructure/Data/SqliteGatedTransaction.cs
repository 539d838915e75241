using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace EstateVoice.Server.Infrastructure.Data;

/// <summary>
/// Gives each EF transaction that <see cref="SqliteWriteSerializer"/> began its write turn (replaces EF's
/// <see cref="RelationalTransactionFactory"/> for SQLite).
/// </summary>
public sealed class SqliteGatedTransactionFactory(RelationalTransactionFactoryDependencies dependencies) : RelationalTransactionFactory(dependencies)
{
    public override RelationalTransaction Create(IRelationalConnection connection, DbTransaction transaction, Guid transactionId,
        IDiagnosticsLogger<DbLoggerCategory.Database.Transaction> logger, bool transactionOwned) =>
        (connection.Context as AppDbContext)?.WriteGate?.TakeTransactionHold(transaction) is { } hold
            ? new SqliteGatedTransaction(connection, transaction, transactionId, logger, transactionOwned, Dependencies.SqlGenerationHelper, hold)
            : base.Create(connection, transaction, transactionId, logger, transactionOwned);
}

/// <summary>
/// An EF transaction that owns its write turn and gives it back on every way out: commit, rollback, and dispose
/// without either (which rolls back, and which EF reports to no interceptor) — also when a pooled context is reset
/// with the transaction still open. EF ends all three in <see cref="RelationalTransaction.ClearTransaction"/>.
/// </summary>
public sealed class SqliteGatedTransaction(IRelationalConnection connection, DbTransaction transaction, Guid transactionId,
    IDiagnosticsLogger<DbLoggerCategory.Database.Transaction> logger, bool transactionOwned, ISqlGenerationHelper sqlGenerationHelper,
    SqliteWriteGate.Hold hold)
    : RelationalTransaction(connection, transaction, transactionId, logger, transactionOwned, sqlGenerationHelper)
{
    protected override void ClearTransaction()
    {
        try { base.ClearTransaction(); }
        finally { hold.Dispose(); }
    }

    protected override async Task ClearTransactionAsync(CancellationToken cancellationToken = default)
    {
        try { await base.ClearTransactionAsync(cancellationToken).ConfigureAwait(false); }
        finally { hold.Dispose(); }
    }
}
