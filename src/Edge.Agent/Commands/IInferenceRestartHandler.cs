namespace Edge.Agent;

/// <summary>
/// Called when the <c>restart-inference</c> command arrives. Register your own implementation (after
/// <c>AddEdgeAgent</c>) to reload sessions in the device app; the default only logs the request.
/// </summary>
public interface IInferenceRestartHandler
{
    /// <summary>Restarts inference for <paramref name="modelName"/>, or for every model when it is null.</summary>
    Task RestartInferenceAsync(string? modelName, CancellationToken cancellationToken);
}
