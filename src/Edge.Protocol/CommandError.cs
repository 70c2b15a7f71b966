namespace Edge.Protocol;

/// <summary>Why a command failed; <see cref="Code"/> is one of <see cref="CommandErrorCodes"/>.</summary>
/// <param name="Code">A stable code from <see cref="CommandErrorCodes"/>, for programs.</param>
/// <param name="Message">One readable sentence for people, naming the expected and actual values.</param>
public sealed record CommandError(string Code, string Message);
