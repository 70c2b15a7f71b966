using Edge.Protocol.Ota;

namespace Edge.Agent.Ota.Shadow;

/// <summary>The running shadow evaluation's latest figures, for telemetry samples; null when none runs.</summary>
internal sealed class ShadowStatus
{
    private OtaShadowFigures? _current;

    public OtaShadowFigures? Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }
}
