using System.Globalization;
using System.Net;

namespace Edge.Agent.LocalHttp;

/// <summary>One parsed <see cref="LocalHttpOptions.Urls"/> entry: an IP endpoint, and whether it is loopback only.</summary>
internal sealed record ListenAddress(IPEndPoint EndPoint)
{
    /// <summary>True for 127.0.0.0/8 and ::1; false for any other address, including 0.0.0.0 and [::] (every interface).</summary>
    public bool IsLoopback => IPAddress.IsLoopback(EndPoint.Address);

    /// <summary>Parses <c>http://IP:PORT</c> or <c>http://localhost:PORT</c>; null with <paramref name="error"/> otherwise.</summary>
    public static ListenAddress? TryParse(string? url, out string? error)
    {
        error = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            error = $"'{url}' is not an http://IP:PORT address (https is not served; use a loopback address or a Unix socket)";
            return null;
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
        {
            error = $"'{url}' has a path, query or user; expected only http://IP:PORT";
            return null;
        }

        var host = uri.Host.Trim('[', ']');
        IPAddress? address = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : null;
        if (address is null && !IPAddress.TryParse(host, out address))
        {
            error = $"'{url}' names host '{uri.Host}'; expected an IP address or localhost (names are not resolved)";
            return null;
        }

        var authority = url!["http://".Length..].TrimEnd('/');
        if (authority.LastIndexOf(':') <= authority.LastIndexOf(']'))
        {
            error = $"'{url}' has no port; expected http://IP:PORT";
            return null;
        }

        return new ListenAddress(new IPEndPoint(address, uri.Port));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"http://{EndPoint}");
}
