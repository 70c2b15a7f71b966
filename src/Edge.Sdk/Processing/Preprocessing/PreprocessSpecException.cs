namespace Edge.Sdk.Processing.Preprocessing;

/// <summary>
/// A <see cref="PreprocessSpec"/> is invalid, cannot be parsed, or does not fit the model input it is meant for.
/// <see cref="Errors"/> lists every problem found, so one run reports them all.
/// </summary>
public sealed class PreprocessSpecException : EdgeException
{
    /// <summary>Creates an exception with no message.</summary>
    public PreprocessSpecException()
    {
        Errors = [];
    }

    /// <summary>Creates an exception for a single problem.</summary>
    public PreprocessSpecException(string message)
        : base(message)
    {
        Errors = [message];
    }

    /// <summary>Creates an exception that wraps the underlying cause, such as a JSON parse error.</summary>
    public PreprocessSpecException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    /// <summary>Creates an exception listing several problems; the message joins them.</summary>
    /// <param name="errors">Every problem found, each naming the field, the actual value and what was expected.</param>
    public PreprocessSpecException(IReadOnlyList<string> errors)
        : base(FormatMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>Every problem found, one sentence each.</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string FormatMessage(IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count == 1
            ? $"Invalid preprocess spec: {errors[0]}"
            : $"Invalid preprocess spec ({errors.Count} errors): {string.Join(" ", errors.Select((e, i) => $"({i + 1}) {e}"))}";
    }
}
