using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;

namespace Edge.Fleet.Publishing;

/// <summary>
/// Describes a package file for a job document: name and version from its <c>manifest.json</c> (the first tar entry,
/// docs/package-format.md), size and SHA-256 of the whole file. The device verifies the signature; the publisher only
/// announces what it serves.
/// </summary>
internal static class PackageInfoReader
{
    public static async Task<OtaPackageInfo> ReadAsync(string packagePath, CancellationToken cancellationToken)
    {
        if (!File.Exists(packagePath))
        {
            throw new FileNotFoundException($"Package '{packagePath}' does not exist.", packagePath);
        }

        string name;
        string version;
        await using (var stream = File.OpenRead(packagePath))
        {
            await using var tar = new TarReader(stream);
            var entry = await tar.GetNextEntryAsync(copyData: false, cancellationToken);
            if (entry is null || entry.Name != "manifest.json" || entry.DataStream is null)
            {
                throw new InvalidDataException($"'{packagePath}' is not an Edge package: its first entry is '{entry?.Name}', expected 'manifest.json'.");
            }

            using var manifest = await JsonDocument.ParseAsync(entry.DataStream, cancellationToken: cancellationToken);
            name = manifest.RootElement.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
            version = manifest.RootElement.TryGetProperty("version", out var v) ? v.GetString() ?? "" : "";
        }

        await using var file = File.OpenRead(packagePath);
        var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
        return new OtaPackageInfo { Name = name, Version = version, Size = file.Length, Sha256 = sha };
    }
}
