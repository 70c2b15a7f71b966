using System.Text.Json;
using Edge.Fleet.Connection;

namespace Edge.Fleet.Inventory;

/// <summary>Reads retained <c>edge.status/1</c> messages; anything else is refused with a reason, never thrown.</summary>
internal static class StatusParser
{
    public static bool TryParse(ReadOnlySpan<byte> payload, out StatusPayload? status, out string? error)
    {
        status = null;
        try
        {
            status = JsonSerializer.Deserialize(payload, FleetJsonContext.Default.StatusPayload);
        }
        catch (JsonException e)
        {
            error = $"not a status document: {e.Message}";
            return false;
        }

        if (status is null)
        {
            error = "the payload is JSON null";
            return false;
        }

        if (status.Schema != ProtocolSchemas.Status)
        {
            error = $"schema is '{status.Schema}', expected '{ProtocolSchemas.Status}'";
            status = null;
            return false;
        }

        if (status.State is not ("online" or "offline"))
        {
            error = $"state is '{status.State}', expected 'online' or 'offline'";
            status = null;
            return false;
        }

        error = null;
        return true;
    }
}
