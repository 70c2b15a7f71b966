using System.Security.Cryptography;

namespace Edge.Fleet.Deployments;

/// <summary>
/// Finds a deployment's package on this machine for whoever drives it: the file at the recorded path while it still
/// has the recorded SHA-256, otherwise the store's copy written into a cache folder. The caller verifies whatever
/// comes back against its trusted keys before serving it.
/// </summary>
internal static class StoredPackages
{
    /// <summary>The file to serve for <paramref name="path"/> (recorded with <paramref name="sha256"/>).</summary>
    /// <exception cref="FileNotFoundException">Neither the path nor the store has the package.</exception>
    public static async Task<string> LocateAsync(PackageStore packages, string path, string? sha256, string cacheDirectory, CancellationToken cancellationToken)
    {
        if (File.Exists(path) && (sha256 is null || await HashAsync(path, cancellationToken) == sha256))
        {
            return path;
        }

        if (sha256 is not null)
        {
            Directory.CreateDirectory(cacheDirectory);
            var copy = Path.Combine(cacheDirectory, sha256 + ".edgepkg");
            if (File.Exists(copy) && await HashAsync(copy, cancellationToken) == sha256)
            {
                return copy;
            }

            if (await packages.TryExtractAsync(sha256, copy, cancellationToken))
            {
                return copy;
            }
        }

        throw new FileNotFoundException(
            $"Package '{path}' is not on this machine{(File.Exists(path) ? " with the SHA-256 the deployment recorded" : string.Empty)}, "
            + $"and the store keeps no copy of it{(sha256 is null ? " (the deployment predates package copies)" : string.Empty)}; run the deployment where the file is.", path);
    }

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
