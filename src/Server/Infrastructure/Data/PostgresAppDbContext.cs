using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Infrastructure.Data;

public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options) : AppDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
