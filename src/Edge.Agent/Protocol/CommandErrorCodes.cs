namespace Edge.Agent.Protocol;

/// <summary>Stable error codes of command responses (docs/protocol.md).</summary>
internal static class CommandErrorCodes
{
    public const string MalformedPayload = "malformed-payload";
    public const string UnknownCommand = "unknown-command";
    public const string PayloadTooLarge = "payload-too-large";
    public const string InvalidArguments = "invalid-arguments";
    public const string Internal = "internal-error";
}
