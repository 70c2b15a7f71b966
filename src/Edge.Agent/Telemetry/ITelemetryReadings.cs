namespace Edge.Agent;

/// <summary>
/// A source of app-specific readings (a sensor's temperature, detections counted by the app) that the agent adds to
/// every telemetry sample under <c>readings</c> (docs/protocol.md). Register any number of them in the host's
/// container, for example <c>services.AddSingleton&lt;ITelemetryReadings, MySensorReadings&gt;()</c>.
/// </summary>
/// <remarks>
/// <see cref="Read"/> is called on the agent's telemetry loop once per <c>Telemetry:Interval</c>, so it may do
/// short blocking I/O (an I2C transfer) but should return within milliseconds. An exception is logged and that
/// source's readings are left out of the sample; the rest of the sample is still sent. Values that are not finite
/// (NaN, infinity) are left out, because JSON cannot carry them.
/// </remarks>
public interface ITelemetryReadings
{
    /// <summary>Adds this source's current readings to <paramref name="readings"/>.</summary>
    /// <param name="readings">Name to value. Names are the app's choice; put the unit in the name (<c>temperatureCelsius</c>).
    /// A name already present is overwritten.</param>
    void Read(IDictionary<string, double> readings);
}
