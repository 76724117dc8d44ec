using Pgvector;

namespace ArtGallery.Evaluation.Verbs;

/// <summary>How a filtered query asks pgvector to keep searching when the filter drops candidates.</summary>
internal enum IterativeScan
{
    Off,
    StrictOrder,
    RelaxedOrder,
}

/// <summary>
/// The benchmark's own database in the gallery's cluster: created empty, loaded by binary COPY,
/// indexed, queried, dropped. The gallery's database is never touched.
/// </summary>
internal sealed class KnnBenchDatabase : IAsyncDisposable
{
    public const string DatabaseName = "ag_bench_knn";
    public const string VectorIndex = "items_embedding_hnsw";
    public const string HalfvecIndex = "items_embedding_halfvec_hnsw";

    private readonly NpgsqlDataSource _admin;
    private readonly NpgsqlDataSource _bench;

    private KnnBenchDatabase(NpgsqlDataSource admin, NpgsqlDataSource bench)
    {
        _admin = admin;
        _bench = bench;
    }

    public List<string> Notices { get; } = [];

    public static async Task<KnnBenchDatabase> CreateAsync(string galleryConnectionString, CancellationToken ct)
    {
        var admin = NpgsqlDataSource.Create(galleryConnectionString);
        await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {DatabaseName} WITH (FORCE)", ct);
        await ExecuteAsync(admin, $"CREATE DATABASE {DatabaseName}", ct);

        // Builds and long scans must not hit a client-side timeout.
        var builder = new NpgsqlConnectionStringBuilder(galleryConnectionString) { Database = DatabaseName, CommandTimeout = 0 };
        await using (var plain = NpgsqlDataSource.Create(builder.ConnectionString))
        {
            // The extension must exist before a vector-aware data source loads its type map.
            await ExecuteAsync(plain, "CREATE EXTENSION IF NOT EXISTS vector", ct);
        }

        var vectorAware = new NpgsqlDataSourceBuilder(builder.ConnectionString);
        vectorAware.UseVector();
        var database = new KnnBenchDatabase(admin, vectorAware.Build());
        await ExecuteAsync(database._bench, $"CREATE TABLE items (id bigint NOT NULL, category int NOT NULL, embedding vector({SyntheticStyleVectors.Dimensions}) NOT NULL)", ct);
        return database;
    }

    public async Task<string> ScalarAsync(string sql, CancellationToken ct)
    {
        await using var command = _bench.CreateCommand(sql);
        return Convert.ToString(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) ?? "";
    }

    public Task ExecuteAsync(string sql, CancellationToken ct) => ExecuteAsync(_bench, sql, ct);

    /// <summary>Binary COPY of rows produced by <paramref name="produce"/>, one block at a time.</summary>
    public async Task CopyAsync(long count, int blockRows, Func<long, int, float[]> produce, Func<long, int> categoryOf, Action<long> progress, CancellationToken ct)
    {
        await using var connection = await _bench.OpenConnectionAsync(ct);
        await using var writer = await connection.BeginBinaryImportAsync("COPY items (id, category, embedding) FROM STDIN (FORMAT BINARY)", ct);
        const int dims = SyntheticStyleVectors.Dimensions;
        for (long first = 0; first < count; first += blockRows)
        {
            var rows = (int)Math.Min(blockRows, count - first);
            var block = produce(first, rows);
            for (var r = 0; r < rows; r++)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(first + r, NpgsqlTypes.NpgsqlDbType.Bigint, ct);
                await writer.WriteAsync(categoryOf(first + r), NpgsqlTypes.NpgsqlDbType.Integer, ct);
                await writer.WriteAsync(new Vector(block.AsMemory(r * dims, dims)), ct);
            }

            progress(first + rows);
        }

        await writer.CompleteAsync(ct);
    }

    /// <summary>Builds one HNSW index in a session with the given memory and parallelism; returns its wall time.</summary>
    public async Task<TimeSpan> BuildIndexAsync(string name, string expression, string opclass, int m, int efConstruction, string maintenanceWorkMem, int workers, CancellationToken ct)
    {
        await using var connection = await _bench.OpenConnectionAsync(ct);

        // pgvector says here when the graph outgrows maintenance_work_mem (the build then slows a lot).
        connection.Notice += (_, e) => Notices.Add($"{name}: {e.Notice.MessageText}");
        await using (var set = new NpgsqlCommand($"SET maintenance_work_mem = '{maintenanceWorkMem}'; SET max_parallel_maintenance_workers = {workers}", connection))
        {
            await set.ExecuteNonQueryAsync(ct);
        }

        var sw = Stopwatch.StartNew();
        await using (var create = new NpgsqlCommand($"CREATE INDEX {name} ON items USING hnsw ({expression} {opclass}) WITH (m = {m}, ef_construction = {efConstruction})", connection))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        return sw.Elapsed;
    }

    public async Task<long> RelationBytesAsync(string name, CancellationToken ct) =>
        long.Parse(await ScalarAsync($"SELECT pg_relation_size('{name}')", ct), CultureInfo.InvariantCulture);

    /// <summary>One connection with one prepared statement per query shape, for timing round-trips.</summary>
    public async Task<KnnQuerySession> OpenQuerySessionAsync(CancellationToken ct)
    {
        var connection = await _bench.OpenConnectionAsync(ct);

        // As the product does: the index is always used, never a sort of a filtered sequential scan.
        await using (var set = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await set.ExecuteNonQueryAsync(ct);
        }

        return await KnnQuerySession.PrepareAsync(connection, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _bench.DisposeAsync();
        await _admin.DisposeAsync();
    }

    public async Task DropAsync(CancellationToken ct)
    {
        await _bench.DisposeAsync();
        await ExecuteAsync(_admin, $"DROP DATABASE IF EXISTS {DatabaseName} WITH (FORCE)", ct);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource source, string sql, CancellationToken ct)
    {
        await using var command = source.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>Prepared k-NN statements on one connection; every call times the whole client round-trip.</summary>
internal sealed class KnnQuerySession : IAsyncDisposable
{
    private const int K = 10;
    private readonly NpgsqlConnection _connection;
    private readonly Dictionary<string, NpgsqlCommand> _commands;

    private KnnQuerySession(NpgsqlConnection connection, Dictionary<string, NpgsqlCommand> commands)
    {
        _connection = connection;
        _commands = commands;
    }

    /// <summary>The value of pgvector's <c>hnsw.iterative_scan</c> setting.</summary>
    public static string Setting(IterativeScan scan) => scan switch
    {
        IterativeScan.StrictOrder => "strict_order",
        IterativeScan.RelaxedOrder => "relaxed_order",
        _ => "off",
    };

    public static string Sql(bool halfvec, bool filtered, IterativeScan scan)
    {
        var dims = SyntheticStyleVectors.Dimensions;
        var distance = halfvec ? $"embedding::halfvec({dims}) <=> $1::halfvec({dims})" : "embedding <=> $1";
        var where = filtered ? "WHERE category = $2 " : "";

        // relaxed_order may return rows slightly out of order: re-sort outside a MATERIALIZED CTE
        // (pgvector's documented pattern; "+ 0" stops PostgreSQL 17 pushing the sort into the scan).
        return scan == IterativeScan.RelaxedOrder
            ? $"WITH r AS MATERIALIZED (SELECT id, {distance} AS distance FROM items {where}ORDER BY distance LIMIT {K}) SELECT id FROM r ORDER BY distance + 0"
            : $"SELECT id FROM items {where}ORDER BY {distance} LIMIT {K}";
    }

    public static async Task<KnnQuerySession> PrepareAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var commands = new Dictionary<string, NpgsqlCommand>();
        foreach (var halfvec in new[] { false, true })
        {
            foreach (var filtered in new[] { false, true })
            {
                foreach (var scan in new[] { IterativeScan.Off, IterativeScan.RelaxedOrder })
                {
                    var sql = Sql(halfvec, filtered, scan);
                    if (commands.ContainsKey(sql))
                    {
                        continue;
                    }

                    var command = new NpgsqlCommand(sql, connection);
                    command.Parameters.Add(new NpgsqlParameter());
                    if (filtered)
                    {
                        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
                    }

                    commands[sql] = command;
                }
            }
        }

        var session = new KnnQuerySession(connection, commands);
        var probe = new Vector(new float[SyntheticStyleVectors.Dimensions]);
        foreach (var command in commands.Values)
        {
            command.Parameters[0].Value = probe;
            if (command.Parameters.Count > 1)
            {
                command.Parameters[1].Value = 0;
            }

            await command.PrepareAsync(ct);
        }

        return session;
    }

    public async Task SetAsync(int efSearch, IterativeScan scan, CancellationToken ct)
    {
        await using var set = new NpgsqlCommand($"SET hnsw.ef_search = {efSearch}; SET hnsw.iterative_scan = {Setting(scan)}", _connection);
        await set.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The plan of one query shape, to check that it really is an HNSW index scan.</summary>
    public async Task<string> ExplainAsync(bool halfvec, bool filtered, IterativeScan scan, float[] query, CancellationToken ct)
    {
        await using var explain = new NpgsqlCommand("EXPLAIN (COSTS OFF) " + Sql(halfvec, filtered, scan), _connection);
        explain.Parameters.Add(new NpgsqlParameter { Value = new Vector(query) });
        if (filtered)
        {
            explain.Parameters.Add(new NpgsqlParameter { Value = 0 });
        }

        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join(" | ", lines);
    }

    /// <summary>Runs one query; returns the ids and the client-side round-trip in milliseconds.</summary>
    public async Task<(List<long> Ids, double Milliseconds)> RunAsync(bool halfvec, bool filtered, IterativeScan scan, float[] query, int category, CancellationToken ct)
    {
        var command = _commands[Sql(halfvec, filtered, scan == IterativeScan.RelaxedOrder ? IterativeScan.RelaxedOrder : IterativeScan.Off)];
        command.Parameters[0].Value = new Vector(query);
        if (filtered)
        {
            command.Parameters[1].Value = category;
        }

        var ids = new List<long>(K);
        var sw = Stopwatch.StartNew();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        return (ids, sw.Elapsed.TotalMilliseconds);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync();
        }

        await _connection.DisposeAsync();
    }
}
