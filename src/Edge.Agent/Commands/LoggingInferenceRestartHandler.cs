using Microsoft.Extensions.Logging;

namespace Edge.Agent.Commands;

/// <summary>Default <see cref="IInferenceRestartHandler"/> for the standalone agent: logs the request.</summary>
internal sealed partial class LoggingInferenceRestartHandler : IInferenceRestartHandler
{
    private readonly ILogger<LoggingInferenceRestartHandler> _logger;

    public LoggingInferenceRestartHandler(ILogger<LoggingInferenceRestartHandler> logger) => _logger = logger;

    public Task RestartInferenceAsync(string? modelName, CancellationToken cancellationToken)
    {
        LogRestartRequested(_logger, modelName ?? "(all models)");
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "restart-inference requested for {Model}; no handler is registered, so nothing restarts")]
    private static partial void LogRestartRequested(ILogger logger, string model);
}
