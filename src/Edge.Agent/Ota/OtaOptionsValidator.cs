using Edge.Agent.Hosting;
using Edge.Sdk.IO;
using Microsoft.Extensions.Options;

namespace Edge.Agent.Ota;

/// <summary>Checks the <c>Ota</c> section; every problem is reported with the agent's other settings at start.</summary>
internal sealed class OtaOptionsValidator : IValidateOptions<EdgeAgentOptions>
{
    private static readonly string[] Providers = ["auto", "cpu", "cuda", "tensorrt"];

    public ValidateOptionsResult Validate(string? name, EdgeAgentOptions options)
    {
        var ota = options.Ota;
        if (!ota.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ota.DataDirectory))
        {
            errors.Add("Ota:DataDirectory must name a folder when Ota:Enabled is true; it is empty.");
        }

        for (var i = 0; i < ota.Groups.Count; i++)
        {
            if (!EdgeAgentOptionsValidator.IsValidTopicLevel(ota.Groups[i] ?? ""))
            {
                errors.Add($"Ota:Groups:{i} must be 1 to 64 characters of letters, digits, '-' or '_'; got '{ota.Groups[i]}'.");
            }
        }

        if (ota.TrustedKeyFiles.Count == 0 && !ota.AllowUnsignedPackagesForDevelopmentOnly)
        {
            errors.Add("Ota:TrustedKeyFiles must list at least one public key file (or set Ota:AllowUnsignedPackagesForDevelopmentOnly for development).");
        }

        for (var i = 0; i < ota.TrustedKeyFiles.Count; i++)
        {
            CheckPublicKey(errors, $"Ota:TrustedKeyFiles:{i}", ota.TrustedKeyFiles[i]);
        }

        if (ota.TrustedJobKeyFiles.Count == 0)
        {
            errors.Add("Ota:TrustedJobKeyFiles must list at least one operator public key file; job documents are accepted only when signed by one (docs/protocol.md, Signed jobs).");
        }

        for (var i = 0; i < ota.TrustedJobKeyFiles.Count; i++)
        {
            CheckPublicKey(errors, $"Ota:TrustedJobKeyFiles:{i}", ota.TrustedJobKeyFiles[i]);
        }

        if (ota.InitialPackage is { Length: > 0 } initial && !File.Exists(initial))
        {
            errors.Add($"Ota:InitialPackage '{initial}' {PathProblem.ForFile(initial)}; expected a .edgepkg file.");
        }

        if (!Providers.Contains(ota.Provider?.ToLowerInvariant()))
        {
            errors.Add($"Ota:Provider is '{ota.Provider}', expected one of {string.Join(", ", Providers)}.");
        }

        Check(errors, "Ota:IntraOpThreads", ota.IntraOpThreads, 0, 256);
        Check(errors, "Ota:BandwidthLimitBytesPerSecond", ota.BandwidthLimitBytesPerSecond, 0, long.MaxValue);
        Check(errors, "Ota:DailyDataBudgetBytes", ota.DailyDataBudgetBytes, 0, long.MaxValue);
        Check(errors, "Ota:DiskReserveBytes", ota.DiskReserveBytes, 0, OtaJobValidator.MaxPackageBytesLimit);
        Check(errors, "Ota:MaxPackageBytes", ota.MaxPackageBytes, 1, OtaJobValidator.MaxPackageBytesLimit);
        Check(errors, "Ota:ChunkWindow", ota.ChunkWindow, 1, 64);
        Check(errors, "Ota:MaxJobRestarts", ota.MaxJobRestarts, 0, 100);
        Check(errors, "Ota:ShadowQueueCapacity", ota.ShadowQueueCapacity, 1, 4096);
        if (!(ota.ShadowMemoryFactor is >= 1 and <= 64))
        {
            errors.Add($"Ota:ShadowMemoryFactor is {ota.ShadowMemoryFactor}, expected 1 to 64.");
        }
        CheckTime(errors, "Ota:ChunkTimeout", ota.ChunkTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        CheckTime(errors, "Ota:ProgressInterval", ota.ProgressInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10));
        CheckTime(errors, "Ota:MaxDeferral", ota.MaxDeferral, TimeSpan.Zero, TimeSpan.FromDays(7));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>A trust key must be a readable PEM public key now, not a crash when the first package arrives.</summary>
    private static void CheckPublicKey(List<string> errors, string name, string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            errors.Add($"{name} '{path}' {PathProblem.ForFile(path ?? string.Empty)}; expected a PEM public key file.");
            return;
        }

        try
        {
            _ = Edge.Packaging.PackageTrust.FromPem(File.ReadAllText(path));
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            errors.Add($"{name} '{path}': {e.Message.Replace("public key #0", "the file", StringComparison.Ordinal).TrimEnd('.')}; expected a P-256 public key in PEM form, as 'dotnet edge-optimize keys new' writes.");
        }
    }

    private static void Check(List<string> errors, string name, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{name} is {value}, expected {min} to {max}.");
        }
    }

    private static void CheckTime(List<string> errors, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{name} is {value}, expected {min} to {max}.");
        }
    }
}
