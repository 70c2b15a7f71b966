using System.CommandLine;
using Edge.Fleet.Deployments;
using Edge.Fleet.Inventory;
using Edge.Packaging;

namespace Edge.Fleet.Cli.Commands;

/// <summary><c>deploy --require-passport</c> and the passport check every deploy runs before publishing (<see cref="PassportCheck"/>).</summary>
internal static class PassportOptions
{
    public static Option<bool> RequirePassport { get; } = new("--require-passport")
    {
        Description = "Refuse (exit 2, nothing published) when a target device's hardware class has no entry in the package's passport, "
            + "its entry shows the package slower than the model the device serves, or the device reports no hardware facts. Without it these are warnings.",
    };

    /// <summary>
    /// Checks the package's passport against <paramref name="devices"/>: each finding is a warning line on standard
    /// error, or with <c>--require-passport</c> one refusal (a <see cref="CliUsageException"/>, exit 2) before anything
    /// is published. The manifest is read again here; the caller has verified the package already (or warned that it did not).
    /// </summary>
    public static async Task CheckAsync(ParseResult parse, CliContext context, string packagePath, IReadOnlyList<DeviceRecord> devices, CancellationToken cancellationToken)
    {
        var manifest = await ModelPackage.ReadManifestUnverifiedAsync(packagePath, cancellationToken);
        var package = Path.GetFileName(packagePath);
        var findings = PassportCheck.Check(manifest.Passport, package, devices);
        if (findings.Count == 0)
        {
            return;
        }

        if (parse.GetValue(RequirePassport))
        {
            throw new CliUsageException(PassportCheck.Refusal(package, findings));
        }

        foreach (var finding in findings)
        {
            await context.Error.WriteLineAsync($"edge-fleet: warning: {finding.Warning}");
        }
    }
}
