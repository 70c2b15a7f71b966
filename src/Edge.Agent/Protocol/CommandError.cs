namespace Edge.Agent.Protocol;

/// <summary>Why a command failed; <see cref="Code"/> is one of <see cref="CommandErrorCodes"/>.</summary>
internal sealed record CommandError(string Code, string Message);
