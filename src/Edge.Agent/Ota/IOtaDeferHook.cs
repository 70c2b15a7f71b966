namespace Edge.Agent;

/// <summary>
/// Lets the device app postpone an update's activation, for example while it is mid-task. Register one in the
/// agent's service container. The agent asks before the health gate and the switch; the total postponement is
/// bounded by <see cref="OtaOptions.MaxDeferral"/>, after which the update proceeds.
/// </summary>
public interface IOtaDeferHook
{
    /// <summary>Returns <see cref="TimeSpan.Zero"/> to proceed now, or how long to wait before asking again.</summary>
    ValueTask<TimeSpan> DeferAsync(OtaUpdate update, CancellationToken cancellationToken);
}
