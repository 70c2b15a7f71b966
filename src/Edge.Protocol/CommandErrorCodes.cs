namespace Edge.Protocol;

/// <summary>Stable error codes of command responses (docs/protocol.md).</summary>
public static class CommandErrorCodes
{
    /// <summary>The request is not valid JSON or not a JSON object.</summary>
    public const string MalformedPayload = "malformed-payload";
    /// <summary>No handler is registered under the command name (the topic's last level).</summary>
    public const string UnknownCommand = "unknown-command";
    /// <summary>The request exceeds the agent's <c>Commands:MaxPayloadBytes</c> (default 16 KiB); it was not parsed.</summary>
    public const string PayloadTooLarge = "payload-too-large";
    /// <summary>The handler refused the request's <c>args</c>; the message names the argument and the expected value.</summary>
    public const string InvalidArguments = "invalid-arguments";
    /// <summary>The handler failed unexpectedly; the agent logs the details.</summary>
    public const string Internal = "internal-error";

    /// <summary>The command queue was full; the request was not run. Try again later.</summary>
    public const string Busy = "busy";

    /// <summary>The request names a schema version this agent does not speak.</summary>
    public const string UnsupportedSchema = "unsupported-schema";
}
