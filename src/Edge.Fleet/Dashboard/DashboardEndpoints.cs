using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
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
/// server-sent event stream <c>/events?page=…&amp;id=…</c>; and the bearer-token actions under <c>/api/</c>.
/// </summary>
internal static class DashboardEndpoints
{
    /// <summary>Maps the routes. The store stays the caller's and must outlive the application.</summary>
    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder app, IFleetStore store, DashboardOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var actionsEnabled = options.Token is not null;

        Task<DashboardPage?> Render(string page, string? id, CancellationToken cancellationToken) => page switch
        {
            "overview" => Some(OverviewPage.RenderAsync(store, options, time, cancellationToken)),
            "device" when id is not null => DevicePage.RenderAsync(store, options, time, id, actionsEnabled, cancellationToken),
            "rollouts" => Some(RolloutsPage.RenderListAsync(store, cancellationToken)),
            "rollout" when id is not null => RolloutsPage.RenderAsync(store, id, actionsEnabled, cancellationToken),
            _ => Task.FromResult<DashboardPage?>(null),
        };

        async Task<IResult> PageAsync(string page, string? id, CancellationToken cancellationToken)
        {
            if (await Render(page, id, cancellationToken) is not { } rendered)
            {
                return Results.Text($"Not found: no {page} '{id}' in the store.\n", "text/plain", statusCode: StatusCodes.Status404NotFound);
            }

            var stream = $"/events?page={page}" + (id is null ? string.Empty : $"&id={Uri.EscapeDataString(id)}");
            return Results.Content(DashboardHtml.Page(rendered, actionsEnabled, stream), "text/html; charset=utf-8");
        }

        app.MapGet("/", (CancellationToken ct) => PageAsync("overview", null, ct));
        app.MapGet("/devices/{id}", (string id, CancellationToken ct) => PageAsync("device", id, ct));
        app.MapGet("/rollouts", (CancellationToken ct) => PageAsync("rollouts", null, ct));
        app.MapGet("/rollouts/{id}", (string id, CancellationToken ct) => PageAsync("rollout", id, ct));
        app.MapGet("/events", (HttpContext context, string? page, string? id) =>
        {
            var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            return TypedResults.ServerSentEvents(SnapshotsAsync(page ?? "overview", id, Render, options.Refresh, time, context.RequestAborted, stopping));
        });

        app.MapPost("/api/devices/{id}/forget", async (HttpRequest request, string id, bool? force, CancellationToken ct) =>
            DashboardAuth.Refusal(request, options.Token) is { } refusal
                ? Answer(new(StatusCodes.Status401Unauthorized, refusal))
                : Answer(await DashboardActions.ForgetAsync(store, id, force ?? false, ct)));
        app.MapPost("/api/rollouts/{id}/abort", async (HttpRequest request, string id, CancellationToken ct) =>
        {
            if (DashboardAuth.Refusal(request, options.Token) is { } refusal)
            {
                return Answer(new(StatusCodes.Status401Unauthorized, refusal));
            }

            DashboardActionRequest? body;
            try
            {
                body = await JsonSerializer.DeserializeAsync(request.Body, DashboardJsonContext.Default.DashboardActionRequest, ct);
            }
            catch (JsonException e)
            {
                return Answer(new(StatusCodes.Status400BadRequest, $"The body must be JSON like {{\"reason\":\"...\"}}: {e.Message}"));
            }

            return Answer(await DashboardActions.AbortAsync(store, id, body?.Reason, time, ct));
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
