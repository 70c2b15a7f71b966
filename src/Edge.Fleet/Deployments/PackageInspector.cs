using System.Security.Cryptography;
using Edge.Packaging;
using Edge.Protocol.Ota;
using Edge.Sdk.IO;

namespace Edge.Fleet.Deployments;

/// <summary>
/// Verifies a package before anything is published (signature against the trusted keys, schema, every file's hash)
/// and gives the facts a job document needs: name, version, size and the file's SHA-256.
/// </summary>
internal static class PackageInspector
{
    /// <exception cref="PackageVerificationException">The package fails verification; nothing is published.</exception>
    /// <exception cref="FileNotFoundException">The package file does not exist.</exception>
    public static async Task<OtaPackageInfo> InspectAsync(string path, PackageTrust trust, bool allowUnsigned, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Package '{path}' {PathProblem.ForFile(path)}.", path);
        }

        // Devices check their own target; the publisher checks only what is true for every device.
        var options = new PackageOpenOptions { AllowUnsignedPackagesForDevelopmentOnly = allowUnsigned, SkipTargetCheck = true };
        var result = await ModelPackage.VerifyAsync(path, trust, options, cancellationToken);
        await using var stream = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return new OtaPackageInfo
        {
            Name = result.Manifest.Name,
            Version = result.Manifest.Version,
            Size = stream.Length,
            Sha256 = Convert.ToHexStringLower(hash),
        };
    }
}
