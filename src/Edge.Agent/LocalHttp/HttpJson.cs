using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Edge.Agent.LocalHttp;

/// <summary>Writes JSON answers with <see cref="Utf8JsonWriter"/> (no reflection, so the AOT binary needs no serializer metadata).</summary>
internal static class HttpJson
{
    /// <summary>
    /// Answers are JSON for programs and people reading curl output, never HTML: quotes in messages stay readable
    /// (<c>'Input3'</c>, not <c>\u0027Input3\u0027</c>). Control characters and invalid text are still escaped.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <c>{"error": message}</c> with <paramref name="statusCode"/>: every refusal of the local server has this shape.</summary>
    public static Task WriteErrorAsync(HttpContext context, int statusCode, string message) =>
        WriteAsync(context, statusCode, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("error", message);
            writer.WriteEndObject();
        });

    public static async Task WriteAsync(HttpContext context, int statusCode, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        await WriteBytesAsync(context, statusCode, buffer.WrittenMemory);
    }

    public static async Task WriteBytesAsync(HttpContext context, int statusCode, ReadOnlyMemory<byte> json)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        response.ContentLength = json.Length;
        await response.Body.WriteAsync(json, context.RequestAborted);
    }
}
