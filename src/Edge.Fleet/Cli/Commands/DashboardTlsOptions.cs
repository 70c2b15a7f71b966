using System.CommandLine;
using Edge.Fleet.Dashboard;

namespace Edge.Fleet.Cli.Commands;

/// <summary>
/// <c>--tls-cert PEM --tls-key PEM [--client-ca PEM]</c> of <c>dashboard</c> and <c>serve --dashboard</c>: an https
/// dashboard, and client certificates from a CA that may act without the token.
/// </summary>
internal static class DashboardTlsOptions
{
    public static Option<string?> Certificate { get; } = new("--tls-cert") { Description = "Dashboard: server certificate (PEM) for an https listen address." };

    public static Option<string?> Key { get; } = new("--tls-key") { Description = "Dashboard: the server certificate's private key (PEM)." };

    public static Option<string?> ClientCa { get; } = new("--client-ca")
    {
        Description = "Dashboard: CA certificate (PEM) whose client certificates may act without the token (https only; the system trust store is never used).",
    };

    /// <summary>The three options, to add to a command.</summary>
    public static IEnumerable<Option> All => [Certificate, Key, ClientCa];

    /// <summary><paramref name="options"/> with the TLS files given on the command line (full paths).</summary>
    public static DashboardOptions Apply(ParseResult parse, DashboardOptions options) => options with
    {
        TlsCertificate = Full(parse.GetValue(Certificate)),
        TlsKey = Full(parse.GetValue(Key)),
        ClientCa = Full(parse.GetValue(ClientCa)),
    };

    /// <summary>How the dashboard lets operators act, for its start line.</summary>
    public static string Mode(DashboardOptions options) => (options.Token, options.ClientCa) switch
    {
        (null, null) => "read-only (no token, no client CA)",
        (null, _) => "actions enabled with a client certificate from the client CA",
        (_, null) => "actions enabled with the bearer token",
        _ => "actions enabled with the bearer token or a client certificate from the client CA",
    };

    private static string? Full(string? path) => path is null ? null : Path.GetFullPath(path);
}
