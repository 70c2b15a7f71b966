namespace Edge.Protocol.Ota;

/// <summary>Values of <see cref="OtaTransfer.Method"/>.</summary>
public static class OtaTransferMethods
{
    /// <summary>Chunks requested and answered over the broker; needs nothing else.</summary>
    public const string Mqtt = "mqtt";

    /// <summary>An HTTP(S) GET with Range requests from <see cref="OtaTransfer.Url"/>.</summary>
    public const string Http = "http";
}
