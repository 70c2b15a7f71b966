using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Edge.CommandLine;
using Edge.Optimizer.Reports;
using Edge.Packaging;
using Edge.Sdk.IO;
using Edge.Sdk.Packaging;

namespace Edge.Optimizer.Cli.Commands;

/// <summary>
/// <c>edge-optimize verify &lt;pkg&gt; --trust key.pub.pem [--trust other.pub.pem] [--json]</c>: checks signature,
/// schema and every file's size and SHA-256 without extracting. Exit 0 with a summary, or 2 with one line naming the problem.
/// </summary>
internal static class VerifyCommand
{
    public static Command Build(CliContext context)
    {
        var package = new Argument<FileInfo>("package") { Description = "The .edgepkg file to verify." };
        var trust = new Option<FileInfo[]>("--trust") { Description = "A trusted public key (PEM); repeat for several.", AllowMultipleArgumentsPerToken = false };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var checkTarget = new Option<bool>("--check-target") { Description = "Also require the package's target to match this machine." };
        var allowUnsigned = new Option<bool>("--allow-unsigned-for-development-only") { Description = "Accept a package with no signature (never in production)." };
        var command = new Command("verify", "Verify a model package's signature, manifest and file hashes.")
        {
            package,
            trust,
            json,
            checkTarget,
            allowUnsigned,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            context,
            parseResult.GetRequiredValue(package),
            parseResult.GetValue(trust) ?? [],
            parseResult.GetValue(json),
            parseResult.GetValue(checkTarget),
            parseResult.GetValue(allowUnsigned),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        CliContext context, FileInfo package, FileInfo[] trustFiles, bool json, bool checkTarget, bool allowUnsigned, CancellationToken cancellationToken)
    {
        if (trustFiles.Length == 0 && !allowUnsigned)
        {
            throw new CliUsageException("Pass at least one --trust public key (PEM) to verify the package's signature.");
        }

        if (!package.Exists)
        {
            throw new FileNotFoundException($"Package '{package.FullName}' {PathProblem.ForFile(package.FullName)}.", package.FullName);
        }

        var trust = trustFiles.Length == 0 ? PackageTrust.None : await PackageTrust.FromPemFilesAsync(trustFiles.Select(f => f.FullName), cancellationToken);
        var result = await ModelPackage.VerifyAsync(
            package.FullName,
            trust,
            new PackageOpenOptions { AllowUnsignedPackagesForDevelopmentOnly = allowUnsigned, SkipTargetCheck = !checkTarget, Device = checkTarget ? PackageDeviceDescription.Current : null },
            cancellationToken);
        var manifest = result.Manifest;
        if (json)
        {
            var summary = new JsonObject
            {
                ["status"] = "verified",
                ["package"] = package.FullName,
                ["name"] = manifest.Name,
                ["version"] = manifest.Version,
                ["signerKeyId"] = result.SignerKeyId,
                ["files"] = manifest.Files.Count,
                ["fileBytes"] = result.FileBytes,
                ["architectures"] = new JsonArray([.. manifest.Target.Architectures.Select(a => JsonValue.Create(a))]),
                ["executionProviders"] = new JsonArray([.. manifest.Target.ExecutionProviders.Select(p => JsonValue.Create(p))]),
                ["minimumSdkVersion"] = manifest.Target.MinimumSdkVersion,
                ["targetChecked"] = checkTarget,
            };
            await context.Output.WriteLineAsync(ReportJson.Text(summary, indented: true));
            return ExitCodes.Success;
        }

        var signer = result.SignerKeyId is null ? "UNSIGNED (development opt-in)" : $"signed by trusted key {result.SignerKeyId}";
        await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"verified {manifest.Name} {manifest.Version}: {signer}; {manifest.Files.Count} file(s), {result.FileBytes} bytes hashed"));
        await context.Output.WriteLineAsync(
            $"target: {string.Join(", ", manifest.Target.Architectures)} / {string.Join(", ", manifest.Target.ExecutionProviders)} / Edge SDK >= {manifest.Target.MinimumSdkVersion}" +
            (checkTarget ? " (matches this machine)" : " (not checked against this machine; use --check-target)"));
        return ExitCodes.Success;
    }
}
