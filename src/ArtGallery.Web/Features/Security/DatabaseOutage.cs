using Npgsql;

namespace ArtGallery.Web.Features.Security;

/// <summary>Whether a failure is the database not answering (a 503 and its own words), not a fault of ours.</summary>
public static class DatabaseOutage
{
    public const string Message = "Its database is not answering.";

    public static bool Is(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            // Also what the driver itself throws once the server has gone: committing a transaction
            // whose connection the server ended is an InvalidOperationException from Npgsql.
            if (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException
                || e.TargetSite?.DeclaringType?.Namespace?.StartsWith("Npgsql", StringComparison.Ordinal) == true)
            {
                return true;
            }
        }

        return false;
    }
}
