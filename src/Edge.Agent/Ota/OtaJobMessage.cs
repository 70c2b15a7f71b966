namespace Edge.Agent.Ota;

/// <summary>A job document as it arrived.</summary>
/// <param name="Payload">The document's bytes, copied from the MQTT message.</param>
/// <param name="Retained">
/// The broker sent it as the stored retained copy (after a subscribe, e.g. at every connect), not as a new publish.
/// A retained copy of a finished job is the same old document again; a new publish of it is a fleet asking again.
/// </param>
internal sealed record OtaJobMessage(byte[] Payload, bool Retained);
