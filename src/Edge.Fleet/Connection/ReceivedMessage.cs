using MQTTnet;

namespace Edge.Fleet.Connection;

/// <summary>
/// A message received by a <see cref="BrokerConnection"/> that acknowledges after storing: the broker keeps it (and
/// redelivers it to the same session) until <see cref="AcknowledgeAsync"/> is called.
/// </summary>
public sealed class ReceivedMessage
{
    private readonly MqttApplicationMessageReceivedEventArgs _arguments;

    internal ReceivedMessage(MqttApplicationMessageReceivedEventArgs arguments) => _arguments = arguments;

    /// <summary>The message as received.</summary>
    public MqttApplicationMessage Message => _arguments.ApplicationMessage;

    /// <summary>
    /// Sends the PUBACK. Call in the order the messages arrived (MQTT orders acknowledgements), only after the message
    /// is stored. Returns false when the link it came on is gone: the broker then redelivers it, and the store's
    /// de-duplication makes the second copy harmless.
    /// </summary>
    public async Task<bool> AcknowledgeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _arguments.AcknowledgeAsync(cancellationToken);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A lost link (any exception type MQTTnet raises for it) only means: the broker redelivers.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }
}
