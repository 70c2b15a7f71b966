namespace Edge.Agent;

/// <summary>OTLP export (<see cref="OpenTelemetryOptions"/>); used only when <see cref="OpenTelemetryOptions.Enabled"/>.</summary>
public sealed class OtlpExportOptions
{
    /// <summary>The OTLP protocol's name for HTTP with binary protobuf bodies.</summary>
    public const string HttpProtobuf = "http/protobuf";

    /// <summary>The OTLP protocol's name for gRPC.</summary>
    public const string Grpc = "grpc";

    /// <summary>Export metrics and traces over OTLP. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The collector's base address, an absolute http or https URI, as in <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>: for
    /// <see cref="HttpProtobuf"/> the agent posts to <c>{Endpoint}/v1/metrics</c> and <c>{Endpoint}/v1/traces</c>.
    /// Default: the environment variables, else <c>http://localhost:4318</c> (<c>http://localhost:4317</c> for gRPC).
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>
    /// <see cref="HttpProtobuf"/> or <see cref="Grpc"/>. Default: <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, else
    /// <see cref="HttpProtobuf"/>.
    /// </summary>
    public string? Protocol { get; set; }

    /// <summary>Export the agent's spans (OTA jobs; inference with <see cref="OpenTelemetryOptions.TraceInference"/>). Default true.</summary>
    public bool Traces { get; set; } = true;
}
