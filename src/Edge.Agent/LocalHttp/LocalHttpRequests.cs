using System.Globalization;
using System.Text.Json;
using Edge.Agent.Inference;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Edge.Agent.LocalHttp;

/// <summary>What every route of the local server shares: bounded JSON bodies and one error shape for every failure.</summary>
internal static partial class LocalHttpRequests
{
    /// <summary>
    /// Runs <paramref name="handler"/>; a refusal becomes its status and <c>{"error": ...}</c>, and anything unexpected a
    /// 500 with the exception's type and message, logged with its stack trace. No request can stop the server.
    /// </summary>
    public static async Task GuardAsync(HttpContext context, Func<HttpContext, Task> handler)
    {
        try
        {
            await handler(context);
        }
        catch (InferenceProtocolException e)
        {
            await WriteIfPossibleAsync(context, e.StatusCode, e.Message);
        }
        catch (BadHttpRequestException e)
        {
            await WriteIfPossibleAsync(context, e.StatusCode, e.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; nobody is left to answer.
        }
        catch (Exception e)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LocalHttpRequests).FullName!);
            LogUnexpected(logger, context.Request.Method, context.Request.Path, e);
            await WriteIfPossibleAsync(context, StatusCodes.Status500InternalServerError, $"internal error ({e.GetType().Name}): {e.Message}");
        }
    }

    /// <summary>
    /// Parses the body as JSON, at most <paramref name="maxBytes"/> (413 before reading when Content-Length says more;
    /// Kestrel's own limit stops a chunked body) and <paramref name="maxDepth"/> levels deep (400 beyond).
    /// </summary>
    public static async Task<JsonDocument> ReadJsonAsync(HttpContext context, long maxBytes, int maxDepth)
    {
        if (context.Request.ContentLength is { } length && length > maxBytes)
        {
            throw new InferenceProtocolException(StatusCodes.Status413PayloadTooLarge, TooLarge(maxBytes, length));
        }

        try
        {
            return await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = maxDepth }, context.RequestAborted);
        }
        catch (JsonException e)
        {
            throw new InferenceProtocolException($"malformed JSON: {e.Message}");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new InferenceProtocolException(StatusCodes.Status413PayloadTooLarge, TooLarge(maxBytes, null));
        }
    }

    private static string TooLarge(long maxBytes, long? length) => string.Create(
        CultureInfo.InvariantCulture,
        $"the request body{(length is { } l ? $" ({l} bytes)" : "")} is larger than Http:MaxRequestBodyBytes ({maxBytes} bytes).");

    private static Task WriteIfPossibleAsync(HttpContext context, int statusCode, string message) =>
        context.Response.HasStarted ? Task.CompletedTask : HttpJson.WriteErrorAsync(context, statusCode, message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Local HTTP {Method} {Path} failed unexpectedly; answered 500")]
    private static partial void LogUnexpected(ILogger logger, string method, string path, Exception exception);
}
