namespace Edge.Protocol;

/// <summary>Stable error codes of command responses (docs/protocol.md).</summary>
internal static class CommandErrorCodes
{
    public const string MalformedPayload = "malformed-payload";
    public const string UnknownCommand = "unknown-command";
    public const string PayloadTooLarge = "payload-too-large";
    public const string InvalidArguments = "invalid-arguments";
    public const string Internal = "internal-error";

    /// <summary>The command queue was full; the request was not run. Try again later.</summary>
    public const string Busy = "busy";

    /// <summary>The request names a schema version this agent does not speak.</summary>
    public const string UnsupportedSchema = "unsupported-schema";
}
