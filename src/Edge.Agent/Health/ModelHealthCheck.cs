using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Edge.Agent.Health;

/// <summary>
/// Readiness: with OTA on, a model is loaded and serves through <see cref="ActiveModel"/>'s <c>ModelHost</c>. With OTA
/// off the agent serves no model and the check is healthy (nothing to wait for).
/// </summary>
internal sealed class ModelHealthCheck : IHealthCheck
{
    private readonly ActiveModel _model;
    private readonly bool _serving;

    public ModelHealthCheck(ActiveModel model, IOptions<EdgeAgentOptions> options)
    {
        _model = model;
        _serving = options.Value.Ota.Enabled;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!_serving)
        {
            return Task.FromResult(HealthCheckResult.Healthy("model serving is not configured (Ota:Enabled is false)"));
        }

        if (_model.Host is not { } host)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("no model is loaded: no slot is active yet (no Ota:InitialPackage and no job)"));
        }

        try
        {
            using var lease = host.Acquire();
            var session = lease.Session;
            return Task.FromResult(HealthCheckResult.Healthy($"serving {session.ModelName} {session.ModelVersion} from slot {_model.Slot} on {session.Provider}"));
        }
        catch (ObjectDisposedException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the model host is shut down"));
        }
    }
}
