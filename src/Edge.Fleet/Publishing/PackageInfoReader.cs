using System.Security.Cryptography;
using Edge.Packaging;
using Edge.Sdk.IO;

namespace Edge.Fleet.Publishing;

/// <summary>
/// Describes a package file for a job document: name and version from its <c>manifest.json</c> (the first tar entry,
/// docs/package-format.md, read and schema-checked by the SDK), size and SHA-256 of the whole file. The device
/// verifies the signature; the publisher only announces what it serves.
/// </summary>
internal static class PackageInfoReader
{
    public static async Task<OtaPackageInfo> ReadAsync(string packagePath, CancellationToken cancellationToken)
    {
        if (!File.Exists(packagePath))
        {
            throw new FileNotFoundException($"Package '{packagePath}' {PathProblem.ForFile(packagePath)}.", packagePath);
        }

        // Through the SDK's reader: the same header bounds and error mapping as a verification, so a cut manifest or
        // a lying tar header is a PackageVerificationException (bad input), never a tar or JSON exception.
        var manifest = await ModelPackage.ReadManifestUnverifiedAsync(packagePath, cancellationToken);
        await using var file = File.OpenRead(packagePath);
        var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
        return new OtaPackageInfo { Name = manifest.Name, Version = manifest.Version, Size = file.Length, Sha256 = sha };
    }
}
