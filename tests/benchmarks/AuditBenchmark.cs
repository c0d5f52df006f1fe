using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Audit.Verification;
using Enforcement.Media.Storage.Catalogue;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Enforcement.Media.Benchmarks;

/// <summary>
/// <c>audit</c>: how fast events are appended and chained, and how fast a chain is verified, each
/// beside what the same work costs without the audit machinery:
/// <list type="bullet">
/// <item>append: batched appends to the outbox by several writers plus the sealer chaining them, against
/// plain batched COPYs of the same rows into an unchained table by the same writers;</item>
/// <item>verify from the catalogue: read + recompute + link check, against only reading the same rows,
/// and against SHA-256 of the same bytes the hashes cover;</item>
/// <item>verify from a JSON Lines export, against only reading the file's lines.</item>
/// </list>
/// It creates a schema of its own on the PostgreSQL in EM_PG_OWNER_CONNECTION / EM_PG_CONNECTION and drops it afterwards.
/// </summary>
internal static class AuditBenchmark
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var events = BenchmarkOptions.Int(args, "--events", 100_000);
        var writers = BenchmarkOptions.Int(args, "--writers", 4);
        var batch = BenchmarkOptions.Int(args, "--batch", 500);
        var rounds = Math.Max(1, BenchmarkOptions.Int(args, "--rounds", 3));
        var schema = $"bench_{Guid.NewGuid():N}"[..22];
        var options = new CatalogueOptions { Schema = schema };
        var appConnection = BenchmarkOptions.Environment("EM_PG_CONNECTION");
        await using var owner = CatalogueDataSource.Create(BenchmarkOptions.Environment("EM_PG_OWNER_CONNECTION"), options, NullLoggerFactory.Instance);
        await using var app = CatalogueDataSource.Create(appConnection, options, NullLoggerFactory.Instance);
        await new CatalogueMigrator(owner, Options.Create(options), NullLogger<CatalogueMigrator>.Instance, CatalogueDataSource.ApplicationRoleOf(appConnection, options))
            .MigrateAsync(cancellationToken);
        await using (var connection = await owner.OpenConnectionAsync(cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"CREATE TABLE plain_events (occurred_at timestamptz, actor text, action text, subject_type text, subject_id text, details text); GRANT INSERT, SELECT ON plain_events TO {CatalogueDataSource.ApplicationRoleOf(appConnection, options)}",
                cancellationToken: cancellationToken));
        }

        try
        {
            await Console.Out.WriteLineAsync($"audit benchmark: {events:N0} events, {writers} writers, batches of {batch}, best of {rounds} rounds, schema {schema}");
            var rows = Rows(events);
            var trail = new AuditTrail(app, TimeProvider.System);
            var sealer = new AuditSealer(app, NullLogger<AuditSealer>.Instance);

            // Warm up both paths (JIT, connection pool, table pages) before timing either.
            var warmUp = Rows(Math.Min(events, 10_000));
            await WriteInParallelAsync(warmUp, writers, batch, (connection, slice) => CopyPlainAsync(connection, slice, cancellationToken), app, cancellationToken);
            await WriteInParallelAsync(warmUp, writers, batch, (connection, slice) => trail.AppendManyAsync(connection, slice, cancellationToken), app, cancellationToken);
            await sealer.SealAllAsync(cancellationToken);

            // Rounds alternate the audit path and its baseline and keep the best of each, so a burst of
            // other work on the machine does not decide the ratio.
            TimeSpan plain = TimeSpan.MaxValue, appended = TimeSpan.MaxValue, chained = TimeSpan.MaxValue, sealOnly = TimeSpan.MaxValue;
            for (var round = 0; round < rounds; round++)
            {
                plain = Min(plain, await TimeAsync(() => WriteInParallelAsync(rows, writers, batch, (connection, slice) => CopyPlainAsync(connection, slice, cancellationToken), app, cancellationToken)));

                var appendTime = Stopwatch.StartNew();
                var appending = WriteInParallelAsync(rows, writers, batch, (connection, slice) => trail.AppendManyAsync(connection, slice, cancellationToken), app, cancellationToken);
                var sealing = SealWhileAsync(sealer, appending, cancellationToken);
                await appending;
                appended = Min(appended, appendTime.Elapsed);
                await sealing;
                chained = Min(chained, appendTime.Elapsed);

                // The sealer alone, on a full outbox: how fast events are chained once appended.
                await WriteInParallelAsync(rows, writers, batch, (connection, slice) => trail.AppendManyAsync(connection, slice, cancellationToken), app, cancellationToken);
                sealOnly = Min(sealOnly, await TimeAsync(() => sealer.SealAllAsync(cancellationToken)));
            }

            var verifier = new AuditChainVerifier([]);
            AuditVerification? verification = null;
            TimeSpan readOnly = TimeSpan.MaxValue, shaOnly = TimeSpan.MaxValue, verifyDb = TimeSpan.MaxValue;
            for (var round = 0; round < rounds; round++)
            {
                readOnly = Min(readOnly, await TimeAsync(async () =>
                {
                    await foreach (var _ in AuditEventReader.ReadAsync(app, 1, null, cancellationToken))
                    {
                    }
                }));
                verifyDb = Min(verifyDb, await TimeAsync(async () => verification = await verifier.VerifyAsync(AuditEventReader.ReadAsync(app, 1, null, cancellationToken), [], fromGenesis: true, cancellationToken)));
            }

            var all = await ToListAsync(AuditEventReader.ReadAsync(app, 1, null, cancellationToken));
            for (var round = 0; round < rounds; round++)
            {
                shaOnly = Min(shaOnly, ShaOfSameBytes(all));
            }

            all.Clear();
            if (verification is not { IsValid: true })
            {
                throw new InvalidOperationException($"The benchmark chain does not verify: {verification?.FirstProblem}");
            }

            var file = Path.Combine(Path.GetTempPath(), $"{schema}.jsonl");
            try
            {
                await using (var output = File.Create(file))
                {
                    await AuditJsonLines.WriteAsync(output, AuditEventReader.ReadAsync(app, 1, null, cancellationToken), cancellationToken);
                }

                TimeSpan readLines = TimeSpan.MaxValue, verifyFile = TimeSpan.MaxValue;
                for (var round = 0; round < rounds; round++)
                {
                    readLines = Min(readLines, await TimeAsync(async () =>
                    {
                        using var reader = new StreamReader(file);
                        while (await reader.ReadLineAsync(cancellationToken) is not null)
                        {
                        }
                    }));
                    verifyFile = Min(verifyFile, await TimeAsync(async () =>
                    {
                        await using var input = File.OpenRead(file);
                        await verifier.VerifyAsync(AuditJsonLines.ReadAsync(input, cancellationToken), [], fromGenesis: true, cancellationToken);
                    }));
                }

                var total = verification!.Events;
                await Console.Out.WriteLineAsync();
                await Console.Out.WriteLineAsync($"{"measure",-58} {"events/s",12} {"baseline events/s",18} {"ratio",7}");
                await WriteAsync("append: outbox appends (audit) vs plain COPY (baseline)", events, appended, plain);
                await WriteAsync("append + chain: appends until all are sealed vs plain COPY", events, chained, plain);
                await WriteAsync("chain only: sealer on a full outbox vs plain COPY", events, sealOnly, plain);
                await WriteAsync("verify from catalogue vs only reading the rows", total, verifyDb, readOnly);
                await WriteAsync("verify from catalogue vs SHA-256 of the same bytes", total, verifyDb, shaOnly);
                await WriteAsync("verify from JSON Lines vs only reading the lines", total, verifyFile, readLines);
                await Console.Out.WriteLineAsync();
                await Console.Out.WriteLineAsync("ratio = audit rate / baseline rate (1.00 = no overhead).");
            }
            finally
            {
                File.Delete(file);
            }
        }
        finally
        {
            await using var connection = await owner.OpenConnectionAsync(CancellationToken.None);
            await connection.ExecuteAsync($"DROP SCHEMA {schema} CASCADE");
        }

        return 0;
    }

    private static List<AuditEntry> Rows(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new AuditEntry(
            $"user:officer-{i % 97:D4}",
            "playback.range",
            "recording",
            Guid.CreateVersion7().ToString(),
            new { session = i / 50, from = i * 1_048_576L, to = (i * 1_048_576L) + 1_048_575, reason = "法制审核 legal review" }))];

    private static async Task WriteInParallelAsync(
        List<AuditEntry> rows, int writers, int batch, Func<NpgsqlConnection, IReadOnlyCollection<AuditEntry>, Task> write, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var perWriter = (rows.Count + writers - 1) / writers;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(
            async () =>
            {
                var mine = rows.Skip(w * perWriter).Take(perWriter).ToList();
                for (var first = 0; first < mine.Count; first += batch)
                {
                    await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                    await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                    await write(connection, mine.GetRange(first, Math.Min(batch, mine.Count - first)));
                    await transaction.CommitAsync(cancellationToken);
                }
            },
            cancellationToken)));
    }

    /// <summary>The baseline: the same rows, canonical JSON included, by the same writers, without the chain.</summary>
    private static async Task CopyPlainAsync(NpgsqlConnection connection, IReadOnlyCollection<AuditEntry> rows, CancellationToken cancellationToken)
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY plain_events (occurred_at, actor, action, subject_type, subject_id, details) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
            await importer.WriteAsync(row.Actor, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.Action, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.SubjectType, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.SubjectId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(CanonicalJson.Serialize(row.Details), NpgsqlDbType.Text, cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    private static async Task SealWhileAsync(AuditSealer sealer, Task writing, CancellationToken cancellationToken)
    {
        while (true)
        {
            var done = writing.IsCompleted;
            if (await sealer.SealBatchAsync(cancellationToken) == 0)
            {
                if (done)
                {
                    return;
                }

                await Task.Delay(2, cancellationToken);
            }
        }
    }

    /// <summary>SHA-256 over the same bytes each event's hash covers (its canonical encoding), nothing else.</summary>
    private static TimeSpan ShaOfSameBytes(List<AuditRecord> records)
    {
        var encoded = records.Select(Encode).ToList();
        var clock = Stopwatch.StartNew();
        foreach (var bytes in encoded)
        {
            SHA256.HashData(bytes);
        }

        return clock.Elapsed;

        static byte[] Encode(AuditRecord r)
        {
            using var buffer = new MemoryStream();
            buffer.Write("EMAUDIT1"u8);
            buffer.Write(BitConverter.GetBytes(r.Seq));
            foreach (var field in new[] { r.OccurredAt, r.Actor, r.Action, r.SubjectType, r.SubjectId, r.Details })
            {
                var utf8 = System.Text.Encoding.UTF8.GetBytes(field);
                buffer.Write(BitConverter.GetBytes(utf8.Length));
                buffer.Write(utf8);
            }

            buffer.Write(r.PrevHash);
            return buffer.ToArray();
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static async Task<TimeSpan> TimeAsync(Func<Task> work)
    {
        var clock = Stopwatch.StartNew();
        await work();
        return clock.Elapsed;
    }

    private static async Task<List<AuditRecord>> ToListAsync(IAsyncEnumerable<AuditRecord> records)
    {
        var list = new List<AuditRecord>();
        await foreach (var record in records)
        {
            list.Add(record);
        }

        return list;
    }

    private static Task WriteAsync(string measure, long events, TimeSpan audit, TimeSpan baseline)
    {
        var rate = events / audit.TotalSeconds;
        var baseRate = events / baseline.TotalSeconds;
        return Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{measure,-58} {rate,12:N0} {baseRate,18:N0} {rate / baseRate,7:F2}"));
    }
}
