using Edge.Packaging;

namespace Edge.Optimizer.Packaging;

/// <summary>
/// Turns a <c>--target</c> value into a manifest architecture. Runtime identifiers (<c>linux-arm64</c>) are accepted
/// for convenience; their OS part is checked but not recorded, because an ONNX model does not depend on the OS.
/// </summary>
internal static class TargetNames
{
    private static readonly string[] OperatingSystems = ["linux", "linux-musl", "win", "osx", "android", "ios", "any"];

    public static (string? Architecture, string? Error) ArchitectureOf(string target)
    {
        var lower = target.Trim().ToLowerInvariant();
        var dash = lower.LastIndexOf('-');
        var os = dash >= 0 ? lower[..dash] : null;
        var architecture = dash >= 0 ? lower[(dash + 1)..] : lower;
        if (os is not null && !OperatingSystems.Contains(os))
        {
            return (null, $"--target '{target}' has unknown OS '{os}', expected one of {string.Join(", ", OperatingSystems)}");
        }

        return PackageManifestValidator.KnownArchitectures.Contains(architecture)
            ? (architecture, null)
            : (null, $"--target '{target}' has unknown architecture '{architecture}', expected one of {string.Join(", ", PackageManifestValidator.KnownArchitectures)}");
    }
}
