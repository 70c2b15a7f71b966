using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Edge.Fleet.Dashboard;

/// <summary>
/// Checks the bearer token of an action request. Pages and the event stream need none (they are read-only); every
/// action does, and without a configured token every action is refused.
/// </summary>
internal static class DashboardAuth
{
    /// <summary>Why the request may not act (one line), or null when its token matches.</summary>
    public static string? Refusal(HttpRequest request, string? token)
    {
        if (token is null)
        {
            return "actions are disabled: the dashboard was started without a token (--token-file or EDGE_FLEET_DASHBOARD_TOKEN).";
        }

        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
        {
            return "missing bearer token: send 'Authorization: Bearer TOKEN'.";
        }

        // Hashing first makes the comparison fixed-time whatever the lengths.
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()));
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        return CryptographicOperations.FixedTimeEquals(given, expected) ? null : "the bearer token does not match the dashboard's token.";
    }
}
