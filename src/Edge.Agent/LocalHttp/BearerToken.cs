using System.Security.Cryptography;
using System.Text;

namespace Edge.Agent.LocalHttp;

/// <summary>
/// The token <see cref="LocalHttpOptions.BearerToken"/> demands. Both sides are hashed with SHA-256 before the
/// constant-time comparison, so neither the token's content nor its length shows in the time an answer takes.
/// </summary>
internal sealed class BearerToken
{
    private const string Scheme = "Bearer ";
    private readonly byte[] _expectedHash;

    public BearerToken(string token)
    {
        _expectedHash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>Whether an <c>Authorization</c> header value carries the token.</summary>
    public bool Accepts(string? authorization)
    {
        var given = authorization is not null && authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            ? authorization[Scheme.Length..].Trim()
            : string.Empty;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(given));
        return CryptographicOperations.FixedTimeEquals(hash, _expectedHash) & given.Length > 0;
    }
}
