using Edge.Fleet.Connection;
using Edge.Fleet.Deployments;
using Edge.Fleet.Storage;
using Edge.Packaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Fleet.Serving;

/// <summary>
/// Drives rollouts from a <c>serve</c> instance. Every <see cref="RolloutDriverOptions.PollInterval"/> it lists the
/// deployments that still need an engine and takes the lease of each one nobody holds (or whose holder's lease ran
/// out); it verifies the deployment's packages (from the recorded path, or the store's copy), serves their chunks, and
/// runs the <see cref="DeploymentEngine"/> under the lease on its own clean-session broker connection. Job state
/// reports come through a plain subscription: they are retained, and an engine that takes over needs each device's
/// latest one, which a shared subscription never delivers. Ingest stays with <see cref="IngestService"/>.
/// </summary>
internal sealed class RolloutService : BackgroundService
{
    private static readonly TimeSpan RetryRefused = TimeSpan.FromMinutes(1);
    private readonly ServeOptions _options;
    private readonly RolloutDriverOptions _driver;
    private readonly BrokerOptions _broker;
    private readonly IFleetStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<RolloutService> _logger;
    private readonly Dictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _refusedAt = new(StringComparer.Ordinal);

    public RolloutService(ServeOptions options, RolloutDriverOptions driver, BrokerOptions broker, IFleetStore store, TimeProvider time, ILogger<RolloutService> logger)
    {
        _options = options;
        _driver = driver;
        _store = store;
        _time = time;
        _logger = logger;
        _broker = broker.ForClient($"edge-fleet-rollouts-{options.Fleet}-{options.Instance}");
        Lease = new DeploymentLease($"serve:{options.Fleet}/{options.Instance}", driver.LeaseTtl);
    }

    /// <summary>The lease this instance takes deployments under.</summary>
    public DeploymentLease Lease { get; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        BrokerConnection? connection = null;
        DeploymentSession? session = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    foreach (var ended in _running.Where(r => r.Value.IsCompleted).Select(r => r.Key).ToList())
                    {
                        _running.Remove(ended);
                    }

                    foreach (var deployment in await _store.Deployments.UnfinishedAsync(stoppingToken))
                    {
                        if (_running.ContainsKey(deployment.Id) || Refused(deployment.Id)
                            || !await _store.Deployments.TryLeaseAsync(deployment.Id, Lease, stoppingToken))
                        {
                            continue;
                        }

                        if (session is null)
                        {
                            try
                            {
                                connection = new BrokerConnection(_broker, _time, "rollouts");
                                connection.StatusChanged += line => _logger.Broker(line);
                                await connection.ConnectAsync(stoppingToken);
                                session = new DeploymentSession(_store, connection, _options.Fleet, _driver.Signer, _time);
                                await session.StartAsync(ingest: false, stoppingToken);
                            }
                            catch
                            {
                                // Without a broker this instance cannot drive: another instance that has one may take it.
                                if (session is not null)
                                {
                                    await session.DisposeAsync();
                                    session = null;
                                }

                                if (connection is not null)
                                {
                                    await connection.DisposeAsync();
                                    connection = null;
                                }

                                await _store.Deployments.ReleaseLeaseAsync(deployment.Id, Lease.Owner, CancellationToken.None);
                                throw;
                            }
                        }

                        if (await TryAddPackagesAsync(session, deployment, stoppingToken))
                        {
                            await session.ServePublishedAsync(deployment.Id, stoppingToken);
                            await _store.Deployments.AddEventAsync(deployment.Id, deployment.LeaseOwner is { } previous && previous != Lease.Owner
                                ? $"{Lease.Owner} took the deployment over from {previous}, whose lease ran out"
                                : $"{Lease.Owner} drives it", stoppingToken);
                            _logger.TookOver(_options.Instance, deployment.Id, deployment.State, deployment.CurrentWave + 1);
                            _running[deployment.Id] = DriveAsync(session, deployment.Id, stoppingToken);
                        }
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
#pragma warning disable CA1031 // A database or broker that is away must not end the service; the next poll tries again.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    _logger.RolloutPollFailed(e);
                }

                try
                {
                    await Task.Delay(_driver.PollInterval, _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            // Each engine gives its lease up as it stops, so another instance continues at once.
            await Task.WhenAll(_running.Values);
            if (session is not null)
            {
                await session.DisposeAsync();
            }

            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private bool Refused(string id) =>
        _refusedAt.TryGetValue(id, out var at) && _time.GetElapsedTime(at) < RetryRefused;

    /// <summary>Verifies and registers the deployment's packages; on failure records why, gives the lease up and waits a minute before trying that deployment again.</summary>
    private async Task<bool> TryAddPackagesAsync(DeploymentSession session, DeploymentRecord deployment, CancellationToken cancellationToken)
    {
        try
        {
            await AddAsync(deployment.PackagePath, deployment.PackageSha256);
            if (deployment.Options.RollbackPackage is { } rollback)
            {
                await AddAsync(rollback, deployment.RollbackSha256);
            }

            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or PackageVerificationException or InvalidDataException or IOException)
        {
            _refusedAt[deployment.Id] = _time.GetTimestamp();
            var message = $"serve {_options.Instance} cannot drive it: {e.Message}";
            _logger.CannotDrive(_options.Instance, deployment.Id, e.Message);
            await _store.Deployments.AddEventAsync(deployment.Id, message, cancellationToken);
            await _store.Deployments.ReleaseLeaseAsync(deployment.Id, Lease.Owner, cancellationToken);
            return false;
        }

        async Task AddAsync(string path, string? sha256)
        {
            var file = await StoredPackages.LocateAsync(_store.Packages, path, sha256, _driver.PackageCache, cancellationToken);
            var info = await PackageInspector.InspectAsync(file, _driver.Trust, _driver.AllowUnsigned, cancellationToken);
            if (sha256 is not null && info.Sha256 != sha256)
            {
                throw new InvalidDataException($"package '{file}' has SHA-256 {info.Sha256}, not the {sha256} the deployment recorded");
            }

            session.AddPackage(path, info, file);
        }
    }

    private async Task DriveAsync(DeploymentSession session, string id, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            var engine = session.Engine(line => _logger.RolloutEvent(line), Lease);
            var final = await engine.RunAsync(id, stoppingToken);
            _logger.RolloutEnded(_options.Instance, id, final.State, final.Reason ?? string.Empty);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (DeploymentLeaseLostException e)
        {
            _logger.LeaseLost(_options.Instance, id, e.Message);
        }
#pragma warning disable CA1031 // One deployment's failure (a database outage mid-tick) must not stop the others; its lease runs out and a poll takes it up again.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.RolloutFailed(e, id);
        }
    }
}
