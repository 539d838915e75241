using System.Security.Cryptography;
using System.Text;
using EstateVoice.Server.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Features.Auth;

/// <summary>
/// Counts sign-in attempts per key — an email, or one trusted device of it (<see cref="TrustedDevices"/>) — instead
/// of locking accounts, which let anyone lock anyone out. The first <see cref="AuthOptions.FreeLoginAttempts"/> go
/// straight through; after them each attempt must wait 1 s, 2 s, 4 s … (capped) after the previous one, and the
/// owner gets in once the wait is over. Keys are email hashes whether or not the account exists, so a throttled
/// answer reveals nothing, and unknown emails are not stored in the clear.
/// <para>
/// The count lives in the database, so every node sees the same one, and an attempt is counted when it is admitted,
/// before its password is checked, by a compare-and-swap on the row (<see cref="LoginAttempts.Version"/>): of 40
/// attempts at once, exactly the free ones are checked, on SQLite and PostgreSQL alike. A correct password clears it.
/// </para>
/// </summary>
public sealed class LoginThrottle(AppDbContext db, AuthOptions options, TimeProvider time)
{
    // Losing a race means another attempt for the same key was counted; each loss moves the count on by one, so a
    // few rounds always reach a decision. Beyond that the key is under a flood: answer "wait" rather than spin.
    private const int MaxRaces = 16;

    public static string KeyFor(string normalizedEmail, string? deviceNonce = null) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(deviceNonce is null ? normalizedEmail : $"{normalizedEmail}\n{deviceNonce}")));

    /// <summary>Counts the attempt and returns null, or returns how long to wait (the attempt is then not counted).</summary>
    public async Task<TimeSpan?> TryAdmitAsync(string key, CancellationToken cancellationToken)
    {
        var attempts = db.Set<LoginAttempts>();
        for (var race = 0; race < MaxRaces; race++)
        {
            db.ChangeTracker.Clear();
            var now = time.GetUtcNow();
            var row = await attempts.SingleOrDefaultAsync(a => a.Key == key, cancellationToken);
            if (row is null)
            {
                await ForgetQuietKeysAsync(now, cancellationToken);
                attempts.Add(new LoginAttempts { Key = key, Count = 1, LastAttemptAt = now });
            }
            else
            {
                if (now - row.LastAttemptAt >= options.LoginAttemptWindow) row.Count = 0;
                var wait = row.LastAttemptAt + DelayAfter(row.Count) - now;
                if (wait > TimeSpan.Zero) return wait;
                row.Count++;
                row.LastAttemptAt = now;
                row.Version++;
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return null;
            }
            catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || DbErrors.IsUniqueViolation(e))
            {
                // Another attempt for this key was counted first: read the count again.
            }
        }
        return options.FirstLoginDelay;
    }

    /// <summary>A correct password: the key starts afresh.</summary>
    public Task ClearAsync(string key, CancellationToken cancellationToken) =>
        db.Set<LoginAttempts>().Where(a => a.Key == key).ExecuteDeleteAsync(cancellationToken);

    internal TimeSpan DelayAfter(int count)
    {
        if (count < options.FreeLoginAttempts) return TimeSpan.Zero;
        var doublings = Math.Min(count - options.FreeLoginAttempts, 30);
        var delay = options.FirstLoginDelay * Math.Pow(2, doublings);
        return delay < options.MaxLoginDelay ? delay : options.MaxLoginDelay;
    }

    /// <summary>Rows nobody tried for a whole window count nothing any more; removed as new keys arrive so the table stays small.</summary>
    private Task<int> ForgetQuietKeysAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var quietSince = now - options.LoginAttemptWindow - options.MaxLoginDelay;
        return db.Set<LoginAttempts>().Where(a => a.LastAttemptAt < quietSince).ExecuteDeleteAsync(cancellationToken);
    }
}

/// <summary>Recent sign-in attempts for one <see cref="LoginThrottle"/> key.</summary>
public sealed class LoginAttempts
{
    /// <summary>SHA-256 (hex) of the normalised email, or of the email and a trusted device's nonce.</summary>
    public required string Key { get; set; }
    public int Count { get; set; }
    public DateTimeOffset LastAttemptAt { get; set; }
    /// <summary>Changes with every counted attempt; an update that finds another version lost a race.</summary>
    public int Version { get; set; }
}

internal sealed class LoginAttemptsConfiguration : Microsoft.EntityFrameworkCore.IEntityTypeConfiguration<LoginAttempts>
{
    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<LoginAttempts> attempts)
    {
        attempts.HasKey(a => a.Key);
        attempts.Property(a => a.Key).HasMaxLength(64);
        attempts.Property(a => a.Version).IsConcurrencyToken();
        attempts.HasIndex(a => a.LastAttemptAt);
    }
}
