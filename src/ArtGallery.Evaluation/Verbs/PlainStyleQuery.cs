using Pgvector;

namespace ArtGallery.Evaluation.Verbs;

/// <summary>
/// One plain pgvector nearest-neighbour query on the style column, prepared on a connection of its own
/// with the given index settings for the session: the yardstick a bench times a product service against
/// in the same run, so that side times the query alone.
/// </summary>
internal sealed class PlainStyleQuery : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlCommand _command;

    private PlainStyleQuery(NpgsqlConnection connection, NpgsqlCommand command) => (_connection, _command) = (connection, command);

    /// <summary>Opens the connection, applies <paramref name="sessionSettingsSql"/> and prepares the query for the <paramref name="k"/> nearest works.</summary>
    public static async Task<PlainStyleQuery> OpenAsync(NpgsqlDataSource bench, string sessionSettingsSql, int k, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bench);
        var connection = await bench.OpenConnectionAsync(ct);
        try
        {
            await RecommendationsBench.ExecuteAsync(connection, sessionSettingsSql, ct);
            var command = new NpgsqlCommand(string.Create(CultureInfo.InvariantCulture, $"SELECT \"ArtworkId\" FROM \"Embeddings\" ORDER BY \"Style\" <=> $1 LIMIT {k}"), connection);
            command.Parameters.Add(new NpgsqlParameter { Value = new Vector(new float[SyntheticStyleVectors.Dimensions]) });
            await command.PrepareAsync(ct);
            return new PlainStyleQuery(connection, command);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs the query for <paramref name="query"/>, reading every row; its wall-clock milliseconds.</summary>
    public Task<double> TimeAsync(float[] query, CancellationToken ct)
    {
        _command.Parameters[0].Value = new Vector(query);
        return TimeAsync(ct);
    }

    /// <summary>Runs the query again for the last vector given (at first, the zero vector), reading every row; its wall-clock milliseconds.</summary>
    public async Task<double> TimeAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        await using (var reader = await _command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
            }
        }

        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    public async ValueTask DisposeAsync()
    {
        await _command.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
