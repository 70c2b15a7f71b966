using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Edge.Fleet.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Edge.Fleet.Dashboard;

/// <summary>
/// The dashboard's routes, mapped onto any ASP.NET Core application (the <c>dashboard</c> command's own, or a host that
/// also serves other endpoints): pages <c>/</c>, <c>/devices/{id}</c>, <c>/rollouts</c>, <c>/rollouts/{id}</c>; the
/// server-sent event stream <c>/events?page=…&amp;id=…</c>; and the actions under <c>/api/</c>, which need the bearer
/// token or a client certificate (<see cref="DashboardAuth"/>).
/// </summary>
internal static class DashboardEndpoints
{
    /// <summary>Maps the routes. The store stays the caller's and must outlive the application.</summary>
    /// <param name="app">Where the routes go.</param>
    /// <param name="store">What the pages show and the actions change.</param>
    /// <param name="options">The dashboard's settings (the token among them).</param>
    /// <param name="time">Page times and action stamps.</param>
    /// <param name="clearer">Clears a forgotten device's retained status on the broker (inside <c>serve</c>), or null.</param>
    /// <param name="clientCa">The CA that client certificates may chain to (https only), or null.</param>
    public static IEndpointRouteBuilder Map(
        IEndpointRouteBuilder app, IFleetStore store, DashboardOptions options, TimeProvider time, IRetainedStatusClearer? clearer = null, X509Certificate2Collection? clientCa = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var auth = new DashboardAuth(options.Token, clientCa, time);
        var actionsEnabled = auth.ActionsEnabled;

        Task<DashboardPage?> Render(string page, string? id, CancellationToken cancellationToken) => page switch
        {
            "overview" => Some(OverviewPage.RenderAsync(store, options, time, cancellationToken)),
            "device" when id is not null => DevicePage.RenderAsync(store, options, time, id, actionsEnabled, cancellationToken),
            "rollouts" => Some(RolloutsPage.RenderListAsync(store, cancellationToken)),
            "rollout" when id is not null => RolloutsPage.RenderAsync(store, id, actionsEnabled, cancellationToken),
            _ => Task.FromResult<DashboardPage?>(null),
        };

        async Task<IResult> PageAsync(HttpContext context, string page, string? id, CancellationToken cancellationToken)
        {
            if (await Render(page, id, cancellationToken) is not { } rendered)
            {
                return Results.Text($"Not found: no {page} '{id}' in the store.\n", "text/plain", statusCode: StatusCodes.Status404NotFound);
            }

            var stream = $"/events?page={page}" + (id is null ? string.Empty : $"&id={Uri.EscapeDataString(id)}");
            return Results.Content(DashboardHtml.Page(rendered, DashboardHtml.Banner(auth, auth.TrustedClient(context)), stream), "text/html; charset=utf-8");
        }

        app.MapGet("/", (HttpContext c, CancellationToken ct) => PageAsync(c, "overview", null, ct));
        app.MapGet("/devices/{id}", (HttpContext c, string id, CancellationToken ct) => PageAsync(c, "device", id, ct));
        app.MapGet("/rollouts", (HttpContext c, CancellationToken ct) => PageAsync(c, "rollouts", null, ct));
        app.MapGet("/rollouts/{id}", (HttpContext c, string id, CancellationToken ct) => PageAsync(c, "rollout", id, ct));
        app.MapGet("/events", (HttpContext context, string? page, string? id) =>
        {
            var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            return TypedResults.ServerSentEvents(SnapshotsAsync(page ?? "overview", id, Render, options.Refresh, time, context.RequestAborted, stopping));
        });

        app.MapPost("/api/devices/{id}/forget", async (HttpContext context, string id, bool? force, CancellationToken ct) =>
            auth.Refusal(context) is { } refusal
                ? Answer(new(StatusCodes.Status401Unauthorized, refusal))
                : Answer(await DashboardActions.ForgetAsync(store, clearer, id, force ?? false, ct)));

        // pause, resume (start is the same: a deployment created on hold has published nothing yet), abort, rollback.
        app.MapPost("/api/rollouts/{id}/{action}", async (HttpContext context, string id, string action, CancellationToken ct) =>
        {
            if (auth.Refusal(context) is { } refusal)
            {
                return Answer(new(StatusCodes.Status401Unauthorized, refusal));
            }

            string? reason = null;
            if (action == "abort")
            {
                try
                {
                    reason = (await JsonSerializer.DeserializeAsync(context.Request.Body, DashboardJsonContext.Default.DashboardActionRequest, ct))?.Reason;
                }
                catch (JsonException e)
                {
                    return Answer(new(StatusCodes.Status400BadRequest, $"The body must be JSON like {{\"reason\":\"...\"}}: {e.Message}"));
                }
            }

            return Answer(await DashboardActions.DeploymentAsync(store, time, id, action, reason, ct));
        });
        return app;
    }

    private static async Task<DashboardPage?> Some(Task<DashboardPage> page) => await page;

    private static IResult Answer(DashboardActionResult result) => Results.Text(result.Message + "\n", "text/plain", statusCode: result.StatusCode);

    /// <summary>
    /// Re-renders the page every <paramref name="refresh"/> (the store is polled, so changes by other processes show
    /// too) and yields a snapshot whenever a section changed, starting with the first.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<string>> SnapshotsAsync(
        string page, string? id, Func<string, string?, CancellationToken, Task<DashboardPage?>> render, TimeSpan refresh, TimeProvider time,
        CancellationToken aborted, CancellationToken stopping, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, stopping, cancellationToken);
        var token = linked.Token;
        var version = 0L;
        string? last = null;
        while (!token.IsCancellationRequested)
        {
            var rendered = await render(page, id, token);
            var sections = rendered?.Sections.ToDictionary(s => s.Id, s => s.Html, StringComparer.Ordinal) ?? [];
            var key = string.Join('\0', sections.Select(s => s.Value));
            if (key != last)
            {
                last = key;
                var snapshot = new DashboardSnapshot(++version, DashboardHtml.Time(time.GetUtcNow()), sections);
                yield return new SseItem<string>(JsonSerializer.Serialize(snapshot, DashboardJsonContext.Default.DashboardSnapshot), "snapshot");
            }

            try
            {
                await Task.Delay(refresh, time, token);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }
}
