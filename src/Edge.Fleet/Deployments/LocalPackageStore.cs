namespace Edge.Fleet.Deployments;

/// <summary>The SQLite store's packages: none are copied; deployments name files on this machine.</summary>
internal sealed class LocalPackageStore : PackageStore
{
    public override Task SaveAsync(string sha256, string path, CancellationToken cancellationToken) => Task.CompletedTask;

    public override Task<bool> TryExtractAsync(string sha256, string destination, CancellationToken cancellationToken) => Task.FromResult(false);
}
