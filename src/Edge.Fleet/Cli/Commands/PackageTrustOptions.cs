using System.CommandLine;
using Edge.Fleet.Deployments;
using Edge.Protocol.Ota;
using Edge.Sdk.Packaging;

namespace Edge.Fleet.Cli.Commands;

/// <summary><c>--trust KEY.pem</c> (repeatable) and <c>--allow-unsigned</c>: how packages are verified before publishing.</summary>
internal static class PackageTrustOptions
{
    public static Option<string[]> Trust { get; } = new("--trust") { Description = "PEM public key(s) whose package signatures are accepted (repeatable).", AllowMultipleArgumentsPerToken = true };

    public static Option<bool> AllowUnsigned { get; } = new("--allow-unsigned") { Description = "Accept unsigned packages (development only)." };

    public static async Task<OtaPackageInfo> VerifyAsync(ParseResult parse, string path, CancellationToken cancellationToken)
    {
        var keys = parse.GetValue(Trust) ?? [];
        var allowUnsigned = parse.GetValue(AllowUnsigned);
        if (keys.Length == 0 && !allowUnsigned)
        {
            throw new CliUsageException("--trust KEY.pem is required to verify the package's signature (or --allow-unsigned, development only).");
        }

        var trust = keys.Length == 0 ? PackageTrust.None : await PackageTrust.FromPemFilesAsync(keys, cancellationToken);
        return await PackageInspector.InspectAsync(path, trust, allowUnsigned, cancellationToken);
    }
}
