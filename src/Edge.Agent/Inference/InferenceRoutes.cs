using System.Buffers;
using System.Text.Json;
using Edge.Agent.Devices;
using Edge.Agent.LocalHttp;
using Edge.Sdk.Inference;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Agent.Inference;

/// <summary>
/// The Open Inference Protocol (KServe v2) REST routes for the model the agent serves. Every call leases the session
/// from <see cref="ActiveModel.Host"/> for its duration, so an OTA switch or a host swap is seen by the next call and
/// never fails one in flight. Handlers are <see cref="RequestDelegate"/>s: no reflection-based binding in the AOT binary.
/// </summary>
internal sealed class InferenceRoutes
{
    public const string Platform = "onnxruntime_onnx";

    private readonly ActiveModel _model;
    private readonly HealthCheckService _health;
    private readonly long _maxBodyBytes;

    public InferenceRoutes(ActiveModel model, HealthCheckService health, long maxBodyBytes)
    {
        _model = model;
        _health = health;
        _maxBodyBytes = maxBodyBytes;
    }

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v2", (RequestDelegate)(c => LocalHttpRequests.GuardAsync(c, ServerMetadataAsync)));
        endpoints.MapGet("/v2/health/live", (RequestDelegate)(c => LocalHttpRequests.GuardAsync(c, LiveAsync)));
        endpoints.MapGet("/v2/health/ready", (RequestDelegate)(c => LocalHttpRequests.GuardAsync(c, ReadyAsync)));
        foreach (var model in new[] { "/v2/models/{name}", "/v2/models/{name}/versions/{version}" })
        {
            endpoints.MapGet(model, (RequestDelegate)(c => LocalHttpRequests.GuardAsync(c, MetadataAsync)));
            endpoints.MapGet(model + "/ready", (RequestDelegate)(c => LocalHttpRequests.GuardAsync(c, ModelReadyAsync)));
            endpoints.MapPost(model + "/infer", (RequestDelegate)(c => LocalHttpRequests.GuardAsync(c, InferAsync)));
        }
    }

    private static Task ServerMetadataAsync(HttpContext context) => HttpJson.WriteAsync(context, StatusCodes.Status200OK, w =>
    {
        w.WriteStartObject();
        w.WriteString("name", "edge-agent");
        w.WriteString("version", DeviceFactsReader.AgentVersion);
        w.WriteStartArray("extensions");
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private async Task LiveAsync(HttpContext context)
    {
        var report = await _health.CheckHealthAsync(r => r.Tags.Contains(Health.AgentHealthChecks.LiveTag), context.RequestAborted);
        var live = report.Status != HealthStatus.Unhealthy;
        await HttpJson.WriteAsync(context, live ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("live", live);
            w.WriteEndObject();
        });
    }

    private async Task ReadyAsync(HttpContext context)
    {
        var ready = _model.Host is not null;
        await HttpJson.WriteAsync(context, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("ready", ready);
            w.WriteEndObject();
        });
    }

    private Task MetadataAsync(HttpContext context)
    {
        using var lease = Lease(context);
        var session = lease.Session;
        return HttpJson.WriteAsync(context, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("name", session.ModelName);
            w.WriteStartArray("versions");
            w.WriteStringValue(session.ModelVersion);
            w.WriteEndArray();
            w.WriteString("platform", Platform);
            WriteTensors(w, "inputs", session.Inputs);
            WriteTensors(w, "outputs", session.Outputs);
            w.WriteEndObject();
        });
    }

    private Task ModelReadyAsync(HttpContext context)
    {
        using var lease = Lease(context);
        var name = lease.Session.ModelName;
        return HttpJson.WriteAsync(context, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteBoolean("ready", true);
            w.WriteEndObject();
        });
    }

    private async Task InferAsync(HttpContext context)
    {
        using var document = await LocalHttpRequests.ReadJsonAsync(context, _maxBodyBytes, InferRequestReader.MaxJsonDepth);
        var answer = Run(context, document.RootElement);
        await HttpJson.WriteBytesAsync(context, StatusCodes.Status200OK, answer.WrittenMemory);
    }

    /// <summary>Parses, binds and runs under one lease, and writes the answer before the lease and the request are released.</summary>
    private ArrayBufferWriter<byte> Run(HttpContext context, JsonElement body)
    {
        using var lease = Lease(context);
        var session = lease.Session;
        var parsed = InferRequestReader.Read(body, session);
        using var request = session.CreateRequest();
        try
        {
            foreach (var input in parsed.Inputs)
            {
                input.Bind(request);
            }

            request.Run();
            Notify(session, parsed, request);
        }
        catch (InputMismatchException e)
        {
            throw new InferenceProtocolException(e.Message);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InferenceProtocolException(StatusCodes.Status500InternalServerError, $"the model failed on this input: {e.Message}");
        }

        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer, HttpJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("model_name", session.ModelName);
        writer.WriteString("model_version", session.ModelVersion);
        if (parsed.Id is { } id)
        {
            writer.WriteString("id", id);
        }

        writer.WriteStartArray("outputs");
        foreach (var output in session.Outputs)
        {
            if (parsed.Outputs is { } wanted && !wanted.Contains(output.Name))
            {
                continue;
            }

            var type = TensorDataType.FromElementType(output.ElementType)
                ?? throw new InferenceProtocolException(StatusCodes.Status500InternalServerError, $"output '{output.Name}' is {InferRequestReader.Describe(output)}, which this endpoint cannot carry in JSON.");
            writer.WriteStartObject();
            writer.WriteString("name", output.Name);
            writer.WriteString("datatype", type.Name);
            writer.WriteStartArray("shape");
            foreach (var dimension in request.GetOutputShape(output.Name))
            {
                writer.WriteNumberValue(dimension);
            }

            writer.WriteEndArray();
            writer.WritePropertyName("data");
            type.WriteOutput(writer, request, output.Name);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        return buffer;
    }

    /// <summary>
    /// Shows the call to the served host's observers (shadow evaluation, field-data capture, drift statistics), as
    /// <see cref="ModelHost.Run{TInput, TOutput}"/> does for an embedded app's calls. Only a one-input model with one
    /// float output has the shape those observers take; other calls are not observed (docs/local-http.md).
    /// </summary>
    private void Notify(EdgeSession session, InferRequest parsed, InferenceRequest request)
    {
        if (parsed.Inputs.Count == 1 && session.Outputs.Count == 1 && session.Outputs[0].ElementType == TensorElementType.Float
            && _model.Host is { } host && host.Observers.Count > 0)
        {
            parsed.Inputs[0].Notify(host, session, request.GetOutput<float>(session.Outputs[0].Name));
        }
    }

    /// <summary>Leases the served session if the route names it: 503 while nothing serves, 404 for another name or version.</summary>
    private SessionLease Lease(HttpContext context)
    {
        var name = context.Request.RouteValues["name"] as string ?? "";
        var version = context.Request.RouteValues["version"] as string;
        var host = _model.Host ?? throw new InferenceProtocolException(StatusCodes.Status503ServiceUnavailable, "no model is serving yet (no slot is active).");
        SessionLease lease;
        try
        {
            lease = host.Acquire();
        }
        catch (ObjectDisposedException)
        {
            throw new InferenceProtocolException(StatusCodes.Status503ServiceUnavailable, "the model host is shutting down.");
        }

        var session = lease.Session;
        if (session.ModelName != name || (version is not null && session.ModelVersion != version))
        {
            lease.Dispose();
            var asked = version is null ? $"'{Clip(name)}'" : $"'{Clip(name)}' version '{Clip(version)}'";
            throw new InferenceProtocolException(StatusCodes.Status404NotFound, $"unknown model {asked}; this device serves '{session.ModelName}' version '{session.ModelVersion}'.");
        }

        return lease;
    }

    private static void WriteTensors(Utf8JsonWriter writer, string property, IReadOnlyList<TensorInfo> tensors)
    {
        writer.WriteStartArray(property);
        foreach (var tensor in tensors)
        {
            writer.WriteStartObject();
            writer.WriteString("name", tensor.Name);
            writer.WriteString("datatype", TensorDataType.NameOf(tensor.ElementType));
            writer.WriteStartArray("shape");
            foreach (var dimension in tensor.Dimensions)
            {
                writer.WriteNumberValue(dimension);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "...";
}
