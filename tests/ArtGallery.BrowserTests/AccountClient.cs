using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace ArtGallery.BrowserTests;

/// <summary>
/// One HTTP client of the app from its own loopback address (127.0.0.0/8 is all loopback), so a test
/// can be several clients, each with its own rate limit, the way an attacker and an owner are.
/// Posts the account forms with their antiforgery token, as the pages do, and never follows redirects.
/// </summary>
public sealed partial class AccountClient : IDisposable
{
    private readonly HttpClient _http;

    public AccountClient(Uri baseAddress, string sourceAddress)
    {
        var source = IPAddress.Parse(sourceAddress);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            CookieContainer = new CookieContainer(),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { BaseAddress = baseAddress };
    }

    public HttpClient Http => _http;

    /// <summary>Posts the sign-in form; the response is the app's redirect (or 429).</summary>
    /// <param name="postTime">When given, measures the post alone (not the page fetched for its token).</param>
    public Task<HttpResponseMessage> SignInAsync(string email, string password, System.Diagnostics.Stopwatch? postTime = null) =>
        PostFormAsync("/account/signin", new() { ["email"] = email, ["password"] = password, ["returnUrl"] = "/" }, postTime);

    public Task<HttpResponseMessage> RegisterAsync(string email, string password) =>
        PostFormAsync("/account/register", new() { ["email"] = email, ["password"] = password, ["confirm"] = password, ["returnUrl"] = "/" }, null);

    /// <summary>The message a redirect back to an account page carries (error or notice), or the status code when there is none.</summary>
    public static string Answer(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var location = response.Headers.Location?.OriginalString;
        if (location is null)
        {
            return $"{(int)response.StatusCode}";
        }

        var message = MessageParameter().Match(location);
        return message.Success ? Uri.UnescapeDataString(message.Groups[2].Value) : $"redirect {location}";
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> fields, System.Diagnostics.Stopwatch? postTime)
    {
        var page = await _http.GetStringAsync(path);
        var token = TokenInput().Match(page);
        if (!token.Success)
        {
            throw new InvalidOperationException($"No antiforgery token on {path}.");
        }

        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);
        using var form = new FormUrlEncodedContent(fields);
        postTime?.Restart();
        var response = await _http.PostAsync(path, form);
        postTime?.Stop();
        return response;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();

    [GeneratedRegex("[?&](error|notice)=([^&]*)")]
    private static partial Regex MessageParameter();
}
