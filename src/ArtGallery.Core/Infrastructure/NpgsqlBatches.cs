using Npgsql;

namespace ArtGallery.Core.Infrastructure;

public static class NpgsqlBatches
{
    /// <summary>
    /// Inserts or updates one row per entry of <paramref name="rows"/> (values in the order of
    /// <paramref name="columns"/>), all in one round trip; the first column is the key a row conflicts
    /// on, the others are overwritten. How the embedding, text and palette indexers write a batch.
    /// </summary>
    /// <param name="dataSource">The gallery database.</param>
    /// <param name="table">A table name from the code, never from input (it is quoted, not parameterised).</param>
    /// <param name="columns">Column names from the code, the key first.</param>
    /// <param name="rows">One array of values per row.</param>
    /// <param name="cancellationToken">Stops the write.</param>
    public static async Task UpsertAsync(NpgsqlDataSource dataSource, string table, IReadOnlyList<string> columns, IEnumerable<object[]> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        var sql = $"""
            INSERT INTO "{table}" ({string.Join(", ", columns.Select(c => $"\"{c}\""))})
            VALUES ({string.Join(", ", columns.Select((_, i) => $"${i + 1}"))})
            ON CONFLICT ("{columns[0]}") DO UPDATE
            SET {string.Join(", ", columns.Skip(1).Select(c => $"\"{c}\" = EXCLUDED.\"{c}\""))}
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = connection.CreateBatch();
        foreach (var values in rows)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = sql;
            foreach (var value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
