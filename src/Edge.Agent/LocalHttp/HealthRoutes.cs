using Edge.Agent.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Edge.Agent.LocalHttp;

/// <summary>
/// <c>/healthz</c> (liveness: the agent's loops run; a restart would help if not) and <c>/readyz</c> (readiness:
/// broker connected, outbox not overflowing, model serving, OTA consistent). 200 when Healthy or Degraded, 503 when
/// Unhealthy, with every check's status and description in the body.
/// </summary>
internal sealed class HealthRoutes
{
    private readonly HealthCheckService _health;

    public HealthRoutes(HealthCheckService health)
    {
        _health = health;
    }

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", (RequestDelegate)(c => LocalHttpRequests.GuardAsync(c, x => AnswerAsync(x, AgentHealthChecks.LiveTag))));
        endpoints.MapGet("/readyz", (RequestDelegate)(c => LocalHttpRequests.GuardAsync(c, x => AnswerAsync(x, AgentHealthChecks.ReadyTag))));
    }

    private async Task AnswerAsync(HttpContext context, string tag)
    {
        var report = await _health.CheckHealthAsync(r => r.Tags.Contains(tag), context.RequestAborted);
        var status = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        await HttpJson.WriteAsync(context, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("status", report.Status.ToString());
            w.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                w.WriteStartObject(name);
                w.WriteString("status", entry.Status.ToString());
                w.WriteString("description", entry.Description ?? entry.Exception?.Message);
                w.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 3));
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });
    }
}
