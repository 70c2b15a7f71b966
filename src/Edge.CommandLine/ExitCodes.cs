namespace Edge.CommandLine;

/// <summary>Documented exit codes of <c>edge-optimize</c>. Scripts may rely on them.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>An unexpected internal error: a bug. The message says so; <c>--verbose</c> shows the stack trace.</summary>
    public const int InternalError = 1;

    /// <summary>Bad input: wrong arguments, an unreadable or invalid model, dataset or package.</summary>
    public const int BadInput = 2;

    /// <summary>The command ran but a measured goal was not met (for example an accuracy-drop limit).</summary>
    public const int GoalNotMet = 3;

    /// <summary>Cancelled by the user (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
