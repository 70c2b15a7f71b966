using Microsoft.Extensions.Hosting;

namespace Edge.Agent.LocalHttp;

/// <summary>
/// The local server's inner host takes no signals and writes no start-up banner: the agent's own host owns SIGTERM
/// and stops the inner one through <see cref="LocalHttpServer.StopAsync"/>.
/// </summary>
internal sealed class QuietHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
