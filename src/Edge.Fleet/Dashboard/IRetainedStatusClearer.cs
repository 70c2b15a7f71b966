namespace Edge.Fleet.Dashboard;

/// <summary>
/// Clears a forgotten device's retained messages on the broker, so the next status collection does not bring it back.
/// Given to the dashboard when it runs inside <c>edge-fleet serve</c>, which knows the broker; the dashboard alone
/// (<c>edge-fleet dashboard</c>) has none and says so when it forgets a device.
/// </summary>
internal interface IRetainedStatusClearer
{
    /// <summary>Where the retained messages are cleared, for the operator's message (e.g. <c>broker localhost:1883</c>).</summary>
    string Description { get; }

    /// <summary>Publishes empty retained messages to the device's status and OTA state topics.</summary>
    /// <exception cref="Exception">The broker could not be reached or refused the messages.</exception>
    Task ClearAsync(string device, CancellationToken cancellationToken);
}
