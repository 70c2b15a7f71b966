using System.CommandLine;
using Edge.Fleet.Deployments;
using Edge.Packaging;
using Edge.Protocol.Ota;

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

    /// <summary>
    /// For a single job (<c>--device</c>, <c>--ota-group</c>): verifies like <see cref="VerifyAsync"/> when
    /// <c>--trust</c> or <c>--allow-unsigned</c> is given; otherwise says on standard error, in one line, that the
    /// package goes out unverified (the device still verifies it) and reads only the facts the job needs.
    /// </summary>
    public static async Task<OtaPackageInfo> VerifyOrWarnAsync(ParseResult parse, CliContext context, string path, CancellationToken cancellationToken)
    {
        if ((parse.GetValue(Trust) ?? []).Length > 0 || parse.GetValue(AllowUnsigned))
        {
            return await VerifyAsync(parse, path, cancellationToken);
        }

        await context.Error.WriteLineAsync($"edge-fleet: warning: '{Path.GetFileName(path)}' is published without verification (no --trust KEY.pem); only the device checks its signature.");
        return await Publishing.PackageInfoReader.ReadAsync(path, cancellationToken);
    }
}
